import { describe, expect, it } from '@jest/globals';
import { Decimal128, Double, Long, ObjectId, Timestamp } from 'bson';
import { applyUpdate, compileUpdate } from '../../../src/query/index.js';
import type { ApplyOptions, UpdateOptions } from '../../../src/query/index.js';
import { BSON_DECIMAL, BSON_DOUBLE, BSON_INT32, BSON_INT64, bsonTypeByte, wire } from './wire.js';

const NOW = new Date('2024-05-01T12:00:00Z');

function update(
  doc: Record<string, unknown>,
  spec: unknown,
  options: UpdateOptions & ApplyOptions & { filter?: Record<string, unknown> } = {},
) {
  const upd = Array.isArray(spec)
    ? spec.map((s) => wire(s as Record<string, unknown>))
    : wire(spec as Record<string, unknown>);
  return applyUpdate(wire(doc), upd, { now: NOW, ...options });
}

function updated(doc: Record<string, unknown>, spec: unknown, options: UpdateOptions & ApplyOptions = {}) {
  return update(doc, spec, options).doc;
}

function errorOf(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (err) {
    const e = err as { code: number; message: string };
    return { code: e.code, message: e.message };
  }
  throw new Error('expected an error');
}

describe('$set and $unset', () => {
  it('sets top-level and dotted fields, creating intermediate documents', () => {
    expect(updated({ _id: 1 }, { $set: { a: 1, 'b.c.d': 2 } })).toEqual({ _id: 1, a: 1, b: { c: { d: 2 } } });
  });

  it('never mutates the input document', () => {
    const doc = wire({ _id: 1, a: { b: [1] } });
    const snapshot = structuredClone(doc);
    applyUpdate(doc, { $set: { 'a.b.0': 9, 'a.c': 1 }, $push: { d: 2 } } as never, { now: NOW });
    expect(doc).toEqual(snapshot);
  });

  it('adds new fields in lexicographic order, numeric names numerically', () => {
    const doc = updated({ _id: 1 }, { $set: { z: 1, a: 1, m: 1 } });
    expect(Object.keys(doc)).toEqual(['_id', 'a', 'm', 'z']);
    const nested = updated({ _id: 1 }, { $set: { 'x.10': 1, 'x.9': 1 } });
    expect(Object.keys(nested.x as object)).toEqual(['9', '10']);
  });

  it('keeps existing fields in place when modified', () => {
    expect(Object.keys(updated({ _id: 1, b: 1, a: 1 }, { $set: { b: 2 } }))).toEqual(['_id', 'b', 'a']);
  });

  it('reports no change when setting an identical value, but a change when only the type differs', () => {
    expect(update({ _id: 1, a: 1 }, { $set: { a: 1 } }).changed).toBe(false);
    expect(update({ _id: 1, a: 1 }, { $set: { a: new Double(1) } }).changed).toBe(true);
  });

  it('sets array elements by index, padding with nulls', () => {
    expect(updated({ _id: 1, a: [1] }, { $set: { 'a.3': 4 } })).toEqual({ _id: 1, a: [1, null, null, 4] });
    expect(updated({ _id: 1, a: [] }, { $set: { 'a.1.b': 1 } })).toEqual({ _id: 1, a: [null, { b: 1 }] });
  });

  it('unsets fields and nulls out array elements', () => {
    expect(updated({ _id: 1, a: 1, b: { c: 1, d: 2 } }, { $unset: { a: '', 'b.c': 1 } })).toEqual({
      _id: 1,
      b: { d: 2 },
    });
    expect(updated({ _id: 1, a: [1, 2] }, { $unset: { 'a.0': '' } })).toEqual({ _id: 1, a: [null, 2] });
  });

  it('treats $unset of a missing path as a no-op', () => {
    expect(update({ _id: 1, a: 5 }, { $unset: { b: 1, 'a.b': 1, 'x.y': 1 } }).changed).toBe(false);
  });

  it('allows an empty operator document as a no-op', () => {
    expect(update({ _id: 1, a: 1 }, { $set: {} })).toEqual({ doc: { _id: 1, a: 1 }, changed: false });
  });

  it('refuses to create a field inside a non-document with PathNotViable', () => {
    expect(errorOf(() => update({ _id: 1, a: 5 }, { $set: { 'a.b': 1 } }))).toEqual({
      code: 28,
      message: "Cannot create field 'b' in element {a: 5}",
    });
    expect(errorOf(() => update({ _id: 1, a: [1] }, { $set: { 'a.x': 1 } })).code).toBe(28);
  });
});

describe('_id immutability', () => {
  it('refuses to change _id with ImmutableField', () => {
    expect(errorOf(() => update({ _id: 1 }, { $set: { _id: 2 } }))).toEqual({
      code: 66,
      message: "Performing an update on the path '_id' would modify the immutable field '_id'",
    });
    expect(errorOf(() => update({ _id: { a: 1 } }, { $set: { '_id.a': 2 } })).code).toBe(66);
    expect(errorOf(() => update({ _id: 1 }, { $unset: { _id: 1 } })).code).toBe(66);
    expect(errorOf(() => update({ _id: 1, a: 2 }, { $rename: { a: '_id' } })).code).toBe(66);
  });

  it('allows setting _id to the same value', () => {
    expect(update({ _id: 1 }, { $set: { _id: 1 } }).changed).toBe(false);
  });

  it('allows creating _id on an upserted document without one', () => {
    expect(updated({}, { $set: { _id: 5 } }, { isUpsert: true })).toEqual({ _id: 5 });
  });
});

describe('$inc and $mul', () => {
  it('keeps Int32 + Int32 as Int32', () => {
    const doc = updated({ _id: 1, a: 1 }, { $inc: { a: 2 } });
    expect(doc.a).toBe(3);
    expect(bsonTypeByte(doc.a)).toBe(BSON_INT32);
  });

  it('promotes Int32 overflow to Long like mongod', () => {
    const doc = updated({ _id: 1, a: 2147483647 }, { $inc: { a: 1 } });
    expect(doc.a).toBeInstanceOf(Long);
    expect((doc.a as Long).toString()).toBe('2147483648');
    expect(bsonTypeByte(doc.a)).toBe(BSON_INT64);
  });

  it('keeps doubles as doubles even when the result is integral', () => {
    const doc = updated({ _id: 1, a: 1.5 }, { $inc: { a: 0.5 } });
    expect(bsonTypeByte(doc.a)).toBe(BSON_DOUBLE);
    expect(Number(doc.a)).toBe(2);
  });

  it('Long + Long stays Long and overflowing a Long is an error', () => {
    const doc = updated({ _id: 1, a: Long.fromNumber(5) }, { $inc: { a: Long.fromNumber(5) } });
    expect(bsonTypeByte(doc.a)).toBe(BSON_INT64);
    expect(
      errorOf(() => update({ _id: 1, a: Long.MAX_VALUE }, { $inc: { a: Long.fromNumber(1) } })).code,
    ).toBe(2);
  });

  it('Int32 + Long gives Long; Long + double gives double', () => {
    expect(bsonTypeByte(updated({ _id: 1, a: 1 }, { $inc: { a: Long.fromNumber(1) } }).a)).toBe(BSON_INT64);
    expect(bsonTypeByte(updated({ _id: 1, a: Long.fromNumber(1) }, { $inc: { a: 0.5 } }).a)).toBe(
      BSON_DOUBLE,
    );
  });

  it('anything with Decimal128 gives Decimal128', () => {
    const doc = updated({ _id: 1, a: Decimal128.fromString('1.10') }, { $inc: { a: 2 } });
    expect(bsonTypeByte(doc.a)).toBe(BSON_DECIMAL);
    expect((doc.a as Decimal128).toString()).toBe('3.10');
    const mul = updated({ _id: 1, a: 3 }, { $mul: { a: Decimal128.fromString('0.5') } });
    expect((mul.a as Decimal128).toString()).toBe('1.5');
  });

  it('converts a double operand to a 15-digit decimal when the field is Decimal128', () => {
    const doc = updated({ _id: 1, a: Decimal128.fromString('1.1') }, { $inc: { a: 0.1 } });
    expect((doc.a as Decimal128).toString()).toBe('1.200000000000000');
  });

  it('names ObjectId ids and other types in error messages like mongod', () => {
    const id = new ObjectId('65f000000000000000000001');
    expect(errorOf(() => update({ _id: id, a: new Date(0) }, { $inc: { a: 1 } })).message).toBe(
      "Cannot apply $inc to a value of non-numeric type. {_id: ObjectId('65f000000000000000000001')} has the field 'a' of non-numeric type date",
    );
  });

  it('creates a missing field with the increment, or a typed zero for $mul', () => {
    expect(updated({ _id: 1 }, { $inc: { a: 5 } })).toEqual({ _id: 1, a: 5 });
    const mul = updated({ _id: 1 }, { $mul: { a: Long.fromNumber(5) } });
    expect(bsonTypeByte(mul.a)).toBe(BSON_INT64);
    expect(Number(mul.a)).toBe(0);
  });

  it("refuses non-numeric targets with mongod's TypeMismatch message", () => {
    expect(errorOf(() => update({ _id: 1, a: 'x' }, { $inc: { a: 1 } }))).toEqual({
      code: 14,
      message:
        "Cannot apply $inc to a value of non-numeric type. {_id: 1} has the field 'a' of non-numeric type string",
    });
    expect(errorOf(() => update({ _id: 1 }, { $inc: { a: 'x' } })).code).toBe(14);
  });

  it('an increment by zero is a no-op', () => {
    expect(update({ _id: 1, a: 1 }, { $inc: { a: 0 } }).changed).toBe(false);
  });
});

describe('$min, $max, $currentDate, $bit', () => {
  it('$min and $max only replace when the new value is lower / higher', () => {
    expect(updated({ _id: 1, a: 5 }, { $min: { a: 3 } }).a).toBe(3);
    expect(update({ _id: 1, a: 5 }, { $min: { a: 7 } }).changed).toBe(false);
    expect(updated({ _id: 1, a: 5 }, { $max: { a: 7 } }).a).toBe(7);
    expect(updated({ _id: 1 }, { $max: { a: 7 } }).a).toBe(7);
    expect(updated({ _id: 1, a: null }, { $max: { a: 1 } }).a).toBe(1);
  });

  it('$currentDate sets the provided clock as a date or timestamp', () => {
    const doc = updated(
      { _id: 1 },
      { $currentDate: { d: true, t: { $type: 'timestamp' }, e: { $type: 'date' } } },
    );
    expect(doc.d).toEqual(NOW);
    expect(doc.e).toEqual(NOW);
    expect(doc.t).toBeInstanceOf(Timestamp);
    expect((doc.t as Timestamp).t).toBe(Math.floor(NOW.getTime() / 1000));
    expect(errorOf(() => update({ _id: 1 }, { $currentDate: { d: { $type: 'x' } } })).code).toBe(2);
  });

  it('$bit applies and/or/xor to ints and longs', () => {
    expect(updated({ _id: 1, a: 0b1100 }, { $bit: { a: { and: 0b1010 } } }).a).toBe(0b1000);
    expect(updated({ _id: 1, a: 0b1100 }, { $bit: { a: { or: 0b0011 } } }).a).toBe(0b1111);
    expect(updated({ _id: 1, a: 0b1100 }, { $bit: { a: { xor: 0b0110 } } }).a).toBe(0b1010);
    expect(bsonTypeByte(updated({ _id: 1, a: 1 }, { $bit: { a: { or: Long.fromNumber(2) } } }).a)).toBe(
      BSON_INT64,
    );
    expect(errorOf(() => update({ _id: 1, a: 1.5 }, { $bit: { a: { or: 1 } } })).code).toBe(2);
  });
});

describe('$rename', () => {
  it('moves a value to a new path, creating parents', () => {
    expect(updated({ _id: 1, a: 1, b: 2 }, { $rename: { a: 'x.y' } })).toEqual({ _id: 1, b: 2, x: { y: 1 } });
  });

  it('is a no-op when the source is missing', () => {
    expect(update({ _id: 1, b: 2 }, { $rename: { a: 'c' } }).changed).toBe(false);
  });

  it('refuses sources inside arrays and invalid targets', () => {
    expect(errorOf(() => update({ _id: 1, a: [{ b: 1 }] }, { $rename: { 'a.b': 'c' } })).code).toBe(2);
    expect(errorOf(() => update({ _id: 1, a: 1 }, { $rename: { a: 'a' } })).code).toBe(2);
    expect(errorOf(() => update({ _id: 1, a: 1 }, { $rename: { a: 5 } })).code).toBe(2);
  });
});

describe('array operators', () => {
  it('$push appends and creates arrays', () => {
    expect(updated({ _id: 1, a: [1] }, { $push: { a: 2 } }).a).toEqual([1, 2]);
    expect(updated({ _id: 1 }, { $push: { a: 2 } }).a).toEqual([2]);
    expect(updated({ _id: 1, a: [1] }, { $push: { a: [2, 3] } }).a).toEqual([1, [2, 3]]);
  });

  it('$push with $each, $position, $sort and $slice', () => {
    expect(updated({ _id: 1, a: [1, 2] }, { $push: { a: { $each: [9, 8], $position: 1 } } }).a).toEqual([
      1, 9, 8, 2,
    ]);
    expect(updated({ _id: 1, a: [1, 2] }, { $push: { a: { $each: [9], $position: -1 } } }).a).toEqual([
      1, 9, 2,
    ]);
    expect(updated({ _id: 1, a: [5, 1] }, { $push: { a: { $each: [3], $sort: 1 } } }).a).toEqual([1, 3, 5]);
    expect(updated({ _id: 1, a: [5, 1] }, { $push: { a: { $each: [3], $sort: -1, $slice: 2 } } }).a).toEqual([
      5, 3,
    ]);
    expect(updated({ _id: 1, a: [1, 2, 3] }, { $push: { a: { $each: [4], $slice: -2 } } }).a).toEqual([3, 4]);
    expect(
      updated(
        {
          _id: 1,
          a: [
            { s: 2, n: 'b' },
            { s: 1, n: 'a' },
          ],
        },
        { $push: { a: { $each: [{ s: 3, n: 'c' }], $sort: { s: -1 } } } },
      ).a,
    ).toEqual([
      { s: 3, n: 'c' },
      { s: 2, n: 'b' },
      { s: 1, n: 'a' },
    ]);
  });

  it("$push on a non-array is BadValue with mongod's message", () => {
    expect(errorOf(() => update({ _id: 1, a: 1 }, { $push: { a: 2 } }))).toEqual({
      code: 2,
      message: "The field 'a' must be an array but is of type int in document {_id: 1}",
    });
    expect(errorOf(() => update({ _id: 1, a: [] }, { $push: { a: { $each: [1], $bogus: 1 } } })).code).toBe(
      2,
    );
  });

  it('$addToSet adds only missing values, numbers compared by value', () => {
    expect(updated({ _id: 1, a: [1, 2] }, { $addToSet: { a: 2 } }).a).toEqual([1, 2]);
    expect(update({ _id: 1, a: [1, 2] }, { $addToSet: { a: new Double(2) } }).changed).toBe(false);
    expect(updated({ _id: 1, a: [1] }, { $addToSet: { a: { $each: [1, 3, 3, 4] } } }).a).toEqual([1, 3, 4]);
    expect(updated({ _id: 1 }, { $addToSet: { a: { $each: [1, 1] } } }).a).toEqual([1]);
    expect(errorOf(() => update({ _id: 1, a: 1 }, { $addToSet: { a: 2 } })).code).toBe(2);
  });

  it('$pop removes the first or last element', () => {
    expect(updated({ _id: 1, a: [1, 2, 3] }, { $pop: { a: 1 } }).a).toEqual([1, 2]);
    expect(updated({ _id: 1, a: [1, 2, 3] }, { $pop: { a: -1 } }).a).toEqual([2, 3]);
    expect(update({ _id: 1 }, { $pop: { a: 1 } }).changed).toBe(false);
    expect(errorOf(() => update({ _id: 1, a: 1 }, { $pop: { a: 1 } })).code).toBe(14);
    expect(errorOf(() => update({ _id: 1, a: [] }, { $pop: { a: 2 } })).code).toBe(2);
  });

  it('$pull removes by value, by condition and by document query', () => {
    expect(updated({ _id: 1, a: [1, 2, 1] }, { $pull: { a: 1 } }).a).toEqual([2]);
    expect(updated({ _id: 1, a: [1, 5, 9] }, { $pull: { a: { $gte: 5 } } }).a).toEqual([1]);
    expect(updated({ _id: 1, a: [1, 5, 9] }, { $pull: { a: { $in: [1, 9] } } }).a).toEqual([5]);
    expect(updated({ _id: 1, a: [{ x: 1, y: 1 }, { x: 2, y: 1 }, 3] }, { $pull: { a: { x: 1 } } }).a).toEqual(
      [{ x: 2, y: 1 }, 3],
    );
    expect(updated({ _id: 1, a: ['apple', 'kiwi'] }, { $pull: { a: /^a/ } }).a).toEqual(['kiwi']);
    expect(update({ _id: 1, a: [1] }, { $pull: { a: 2 } }).changed).toBe(false);
  });

  it('$pullAll removes every listed value', () => {
    expect(updated({ _id: 1, a: [1, 2, 3, 2] }, { $pullAll: { a: [2, 3] } }).a).toEqual([1]);
    expect(errorOf(() => update({ _id: 1, a: [1] }, { $pullAll: { a: 1 } })).code).toBe(2);
  });
});

describe('positional operators', () => {
  it('$ updates the element the query matched', () => {
    const r = update(
      { _id: 1, grades: [80, 85, 90] },
      { $set: { 'grades.$': 82 } },
      { filter: { grades: 85 } },
    );
    expect(r.doc.grades).toEqual([80, 82, 90]);
  });

  it('$ works with arrays of documents via matchedIndex', () => {
    const r = update(
      {
        _id: 1,
        items: [
          { id: 'a', n: 1 },
          { id: 'b', n: 1 },
        ],
      },
      { $inc: { 'items.$.n': 5 } },
      { matchedIndex: 1 },
    );
    expect(r.doc.items).toEqual([
      { id: 'a', n: 1 },
      { id: 'b', n: 6 },
    ]);
  });

  it('$ without a match index is BadValue', () => {
    expect(errorOf(() => update({ _id: 1, a: [1] }, { $set: { 'a.$': 2 } }))).toEqual({
      code: 2,
      message: 'The positional operator did not find the match needed from the query.',
    });
  });

  it('$[] updates every element', () => {
    expect(updated({ _id: 1, a: [1, 2] }, { $inc: { 'a.$[]': 10 } }).a).toEqual([11, 12]);
    expect(updated({ _id: 1, a: [{ b: 1 }, { b: 2 }] }, { $set: { 'a.$[].c': 0 } }).a).toEqual([
      { b: 1, c: 0 },
      { b: 2, c: 0 },
    ]);
  });

  it('$[id] updates elements matching arrayFilters', () => {
    const r = update(
      { _id: 1, y: [{ b: 3 }, { b: 1 }] },
      { $set: { 'y.$[i].b': 2 } },
      { arrayFilters: [{ 'i.b': 3 }] },
    );
    expect(r.doc.y).toEqual([{ b: 2 }, { b: 1 }]);
    const none = update(
      { _id: 1, y: [{ b: 3 }] },
      { $set: { 'y.$[i].b': 2 } },
      { arrayFilters: [{ 'i.b': 4 }] },
    );
    expect(none.changed).toBe(false);
  });

  it('nested $[i] and $[j] with scalar and document filters', () => {
    const r = update(
      {
        _id: 3,
        y: [
          { b: 5, c: [{ d: 2 }, { d: 1 }] },
          { b: 3, c: [{ d: 1 }] },
        ],
      },
      { $set: { 'y.$[i].c.$[j].d': 0 } },
      { arrayFilters: [{ 'i.b': 5 }, { 'j.d': 1 }] },
    );
    expect(r.doc.y).toEqual([
      { b: 5, c: [{ d: 2 }, { d: 0 }] },
      { b: 3, c: [{ d: 1 }] },
    ]);
    expect(
      updated({ _id: 1, a: [1, 5, 9] }, { $set: { 'a.$[x]': 0 } }, { arrayFilters: [{ x: { $gt: 4 } }] }).a,
    ).toEqual([1, 0, 0]);
  });

  it('validates array filters', () => {
    expect(errorOf(() => update({ _id: 1, a: [] }, { $set: { 'a.$[i]': 1 } })).message).toBe(
      "No array filter found for identifier 'i' in path 'a.$[i]'",
    );
    expect(
      errorOf(() =>
        update({ _id: 1, a: [] }, { $set: { 'a.$[i]': 1 } }, { arrayFilters: [{ i: 1 }, { j: 1 }] }),
      ).code,
    ).toBe(9);
    expect(
      errorOf(() => update({ _id: 1, a: [] }, { $set: { 'a.$[I]': 1 } }, { arrayFilters: [{ I: 1 }] })).code,
    ).toBe(2);
    expect(errorOf(() => update({ _id: 1 }, { $set: { 'a.$[]': 1 } })).code).toBe(2);
  });
});

describe('parse errors', () => {
  it('rejects unknown modifiers with FailedToParse', () => {
    expect(errorOf(() => compileUpdate({ $foo: { a: 1 } }))).toEqual({
      code: 9,
      message:
        'Unknown modifier: $foo. Expected a valid update modifier or pipeline-style update specified as an array',
    });
  });

  it('rejects mixing operators and plain fields', () => {
    expect(errorOf(() => compileUpdate({ $set: { a: 1 }, b: 2 })).code).toBe(9);
  });

  it('rejects conflicting paths with ConflictingUpdateOperators', () => {
    expect(errorOf(() => compileUpdate({ $set: { a: 1 }, $inc: { a: 1 } }))).toEqual({
      code: 40,
      message: "Updating the path 'a' would create a conflict at 'a'",
    });
    expect(errorOf(() => compileUpdate({ $set: { a: 1, 'a.b': 1 } }))).toEqual({
      code: 40,
      message: "Updating the path 'a.b' would create a conflict at 'a'",
    });
    expect(errorOf(() => compileUpdate({ $set: { 'a.b': 1 }, $unset: { a: 1 } })).code).toBe(40);
    expect(errorOf(() => compileUpdate({ $rename: { a: 'b' }, $set: { b: 1 } })).code).toBe(40);
  });

  it('rejects non-document operator arguments and bad paths', () => {
    expect(errorOf(() => compileUpdate({ $set: 5 })).code).toBe(9);
    expect(errorOf(() => compileUpdate({ $set: { '': 1 } })).code).toBe(56);
    expect(errorOf(() => compileUpdate({ $set: { 'a..b': 1 } })).code).toBe(56);
    expect(errorOf(() => compileUpdate({ $set: { 'a.$.b.$': 1 } })).code).toBe(2);
  });
});

describe('replacement documents', () => {
  it('replaces everything but keeps _id first', () => {
    expect(updated({ _id: 1, a: 1, b: 2 }, { c: 3 })).toEqual({ _id: 1, c: 3 });
    expect(Object.keys(updated({ _id: 1, a: 1 }, { c: 3, _id: 1 }))).toEqual(['_id', 'c']);
  });

  it('refuses to change _id', () => {
    expect(errorOf(() => update({ _id: 1 }, { _id: 2, a: 1 })).code).toBe(66);
  });

  it('allows dotted and nested dollar field names but not top-level $ keys', () => {
    expect(updated({ _id: 1 }, { 'a.b': 1, c: { $d: 1 } })).toEqual({ _id: 1, 'a.b': 1, c: { $d: 1 } });
    expect(errorOf(() => compileUpdate({ a: 1, $set: { b: 1 } })).code).toBe(52);
  });

  it('reports an identical replacement as unchanged', () => {
    expect(update({ _id: 1, a: 1 }, { a: 1 }).changed).toBe(false);
  });
});

describe('pipeline updates', () => {
  it('runs $set / $addFields / $project / $unset stages', () => {
    expect(updated({ _id: 1, x: 1, y: 1 }, [{ $project: { x: 1 } }, { $addFields: { foo: 1 } }])).toEqual({
      _id: 1,
      x: 1,
      foo: 1,
    });
    expect(
      updated({ _id: 1, x: 2, y: 3 }, [{ $set: { s: { $add: ['$x', '$y'] } } }, { $unset: 'y' }]),
    ).toEqual({ _id: 1, x: 2, s: 5 });
  });

  it('keeps _id when $replaceRoot drops it', () => {
    expect(
      updated({ _id: 1, x: 1, t: { u: { v: 1 } } }, [
        { $replaceRoot: { newRoot: '$t' } },
        { $addFields: { foo: 1 } },
      ]),
    ).toEqual({
      _id: 1,
      u: { v: 1 },
      foo: 1,
    });
  });

  it('can set dollar-prefixed and dotted field names with $setField', () => {
    const doc = updated({ _id: 1, foo: {} }, [
      { $replaceWith: { $setField: { field: { $literal: '$a' }, value: 1, input: '$$ROOT' } } },
    ]);
    expect(doc).toEqual({ _id: 1, foo: {}, $a: 1 });
  });

  it('reads let variables and $$NOW', () => {
    expect(updated({ _id: 1 }, [{ $set: { x: '$$x', at: '$$NOW' } }], { variables: { x: 'foo' } })).toEqual({
      _id: 1,
      x: 'foo',
      at: NOW,
    });
  });

  it('keeps the BSON types of untouched fields', () => {
    const doc = updated({ _id: 1, d: new Double(2), l: Long.fromString('9007199254740993'), n: 1 }, [
      { $set: { n: 2 } },
    ]);
    expect(bsonTypeByte(doc.d)).toBe(BSON_DOUBLE);
    expect((doc.l as Long).toString()).toBe('9007199254740993');
  });

  it('refuses stages that are not allowed in updates and _id changes', () => {
    expect(errorOf(() => compileUpdate([{ $match: { a: 1 } }]))).toEqual({
      code: 72,
      message: '$match is not allowed to be used within an update',
    });
    expect(errorOf(() => update({ _id: 1 }, [{ $set: { _id: 2 } }])).code).toBe(66);
  });
});

describe('$setOnInsert', () => {
  it('applies only when the update inserts a document', () => {
    expect(updated({ _id: 1 }, { $setOnInsert: { a: 1 }, $set: { b: 1 } })).toEqual({ _id: 1, b: 1 });
    expect(updated({ _id: 1 }, { $setOnInsert: { a: 1 }, $set: { b: 1 } }, { isUpsert: true })).toEqual({
      _id: 1,
      a: 1,
      b: 1,
    });
  });
});

describe('compileUpdate', () => {
  it('compiles once and applies to many documents, reporting positional use', () => {
    const compiled = compileUpdate({ $inc: { n: 1 } });
    expect(compiled.kind).toBe('operators');
    expect(compiled.usesPositional).toBe(false);
    expect([{ _id: 1, n: 1 }, { _id: 2 }].map((d) => compiled.apply(d).doc)).toEqual([
      { _id: 1, n: 2 },
      { _id: 2, n: 1 },
    ]);
    expect(compileUpdate({ $set: { 'a.$': 1 } }).usesPositional).toBe(true);
    expect(compileUpdate({ a: 1 }).kind).toBe('replacement');
    expect(compileUpdate([{ $set: { a: 1 } }]).kind).toBe('pipeline');
  });
});
