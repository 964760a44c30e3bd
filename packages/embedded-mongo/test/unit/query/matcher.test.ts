import { describe, expect, it } from '@jest/globals';
import { Binary, BSONRegExp, Decimal128, Double, Long, MaxKey, MinKey, ObjectId } from 'bson';
import { compileFilter } from '../../../src/query/index.js';
import type { FilterOptions } from '../../../src/query/index.js';
import { wire } from './wire.js';

const NOW = new Date('2024-05-01T00:00:00Z');

/** The `_id`s of the documents matching `filter` (both sides go through the wire like on the server). */
function ids(
  docs: Record<string, unknown>[],
  filter: Record<string, unknown>,
  options: FilterOptions = {},
): unknown[] {
  const m = compileFilter(wire(filter), { now: NOW, ...options });
  return docs
    .map(wire)
    .filter((d) => m.matches(d))
    .map((d) => d._id);
}

function matches(
  doc: Record<string, unknown>,
  filter: Record<string, unknown>,
  options: FilterOptions = {},
): boolean {
  return compileFilter(wire(filter), { now: NOW, ...options }).matches(wire(doc));
}

function errorOf(
  filter: Record<string, unknown>,
  options: FilterOptions = {},
): { code: number; message: string } {
  try {
    compileFilter(wire(filter), { now: NOW, ...options });
  } catch (err) {
    const e = err as { code: number; message: string };
    return { code: e.code, message: e.message };
  }
  throw new Error('expected an error');
}

describe('implicit equality', () => {
  it('matches scalars by value across numeric types', () => {
    expect(matches({ a: 1 }, { a: 1 })).toBe(true);
    expect(matches({ a: new Double(1) }, { a: 1 })).toBe(true);
    expect(matches({ a: Long.fromNumber(1) }, { a: Decimal128.fromString('1.0') })).toBe(true);
    expect(matches({ a: '1' }, { a: 1 })).toBe(false);
  });

  it('matches an array field when any element equals the value', () => {
    expect(matches({ a: [1, 2, 3] }, { a: 2 })).toBe(true);
    expect(matches({ a: [1, 2, 3] }, { a: 4 })).toBe(false);
  });

  it('matches a whole array only with the same elements in the same order', () => {
    expect(matches({ a: [1, 2] }, { a: [1, 2] })).toBe(true);
    expect(matches({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(matches({ a: [[1, 2], 3] }, { a: [1, 2] })).toBe(true);
  });

  it('does not look into nested arrays for scalar equality', () => {
    expect(matches({ a: [[1, 2]] }, { a: 1 })).toBe(false);
  });

  it('matches embedded documents exactly, field order included', () => {
    expect(matches({ a: { x: 1, y: 2 } }, { a: { x: 1, y: 2 } })).toBe(true);
    expect(matches({ a: { x: 1, y: 2 } }, { a: { y: 2, x: 1 } })).toBe(false);
    expect(matches({ a: { x: 1, y: 2 } }, { a: { x: 1 } })).toBe(false);
  });

  it('matches ObjectIds and dates by value', () => {
    const id = new ObjectId();
    expect(matches({ _id: id }, { _id: new ObjectId(id.toHexString()) })).toBe(true);
    expect(matches({ d: new Date(5) }, { d: new Date(5) })).toBe(true);
    expect(matches({ d: new Date(5) }, { d: 5 })).toBe(false);
  });

  it('an empty filter matches everything', () => {
    const m = compileFilter({});
    expect(m.isEmpty).toBe(true);
    expect(m.matches({ a: 1 })).toBe(true);
  });
});

describe('dotted paths', () => {
  const docs = [
    { _id: 1, a: { b: 5 } },
    { _id: 2, a: [{ b: 1 }, { b: 5 }] },
    { _id: 3, a: [{ b: [4, 5] }] },
    { _id: 4, a: [{ c: 5 }] },
    { _id: 5, a: 5 },
  ];

  it('descends into embedded documents and through arrays of documents', () => {
    expect(ids(docs, { 'a.b': 5 })).toEqual([1, 2, 3]);
  });

  it('addresses array elements by numeric index', () => {
    expect(
      ids(
        [
          { _id: 1, a: [7, 8] },
          { _id: 2, a: [8, 7] },
        ],
        { 'a.0': 7 },
      ),
    ).toEqual([1]);
    expect(ids(docs, { 'a.1.b': 5 })).toEqual([2]);
  });

  it('also treats a numeric component as a field name of documents inside arrays', () => {
    expect(matches({ a: [{ '0': 'x' }] }, { 'a.0': 'x' })).toBe(true);
  });

  it('reaches into arrays nested under an index', () => {
    expect(matches({ a: [[1, 2]] }, { 'a.0': 2 })).toBe(true);
  });
});

describe('null and missing', () => {
  const docs = [
    { _id: 'null', a: null },
    { _id: 'missing' },
    { _id: 'number', a: 4 },
    { _id: 'empty-object', a: {} },
    { _id: 'b-null', a: { b: null } },
    { _id: 'b-set', a: { b: 'hi' } },
    { _id: 'values-with-null', a: [1, null] },
    { _id: 'values-no-null', a: [1, 2] },
    { _id: 'empty-array', a: [] },
    { _id: 'docs-some-missing-b', a: [{ b: 3 }, {}] },
    { _id: 'docs-all-b', a: [{ b: 3 }, { b: 4 }] },
  ];

  it('{a: null} matches null, missing and arrays containing null', () => {
    expect(ids(docs, { a: null })).toEqual(['null', 'missing', 'values-with-null']);
    expect(ids(docs, { a: { $eq: null } })).toEqual(['null', 'missing', 'values-with-null']);
  });

  it('{a: {$ne: null}} is the exact complement', () => {
    expect(ids(docs, { a: { $ne: null } })).toEqual([
      'number',
      'empty-object',
      'b-null',
      'b-set',
      'values-no-null',
      'empty-array',
      'docs-some-missing-b',
      'docs-all-b',
    ]);
  });

  it('{a: {$in: [null, 4]}} matches null, missing and 4', () => {
    expect(ids(docs, { a: { $in: [null, 4] } })).toEqual(['null', 'missing', 'number', 'values-with-null']);
  });

  it('{"a.b": null} matches when a is not a document, b is null or missing, or an array element lacks b', () => {
    expect(ids(docs, { 'a.b': null })).toEqual([
      'null',
      'missing',
      'number',
      'empty-object',
      'b-null',
      'values-with-null',
      'values-no-null',
      'empty-array',
      'docs-some-missing-b',
    ]);
  });

  it('{"a.b": {$ne: null}} keeps only documents where every reachable b is set', () => {
    expect(ids(docs, { 'a.b': { $ne: null } })).toEqual(['b-set', 'docs-all-b']);
  });

  it('$exists distinguishes null from missing', () => {
    expect(ids(docs, { a: { $exists: false } })).toEqual(['missing']);
    expect(ids(docs, { 'a.b': { $exists: true } })).toEqual([
      'b-null',
      'b-set',
      'docs-some-missing-b',
      'docs-all-b',
    ]);
  });

  it('$gte: null and $lte: null match null and missing; $gt/$lt null match nothing', () => {
    expect(ids(docs, { a: { $gte: null } })).toEqual(['null', 'missing', 'values-with-null']);
    expect(ids(docs, { a: { $lt: null } })).toEqual([]);
  });

  it('$elemMatch never matches a non-array', () => {
    expect(ids(docs, { a: { $elemMatch: { $eq: null } } })).toEqual(['values-with-null']);
  });
});

describe('arrays mixing documents and scalars', () => {
  it('a dotted path skips scalar elements, so only documents decide {"a.b": null}', () => {
    expect(matches({ a: [{ b: 1 }, 5] }, { 'a.b': null })).toBe(false);
    expect(matches({ a: [{ b: 1 }, {}] }, { 'a.b': null })).toBe(true);
    expect(matches({ a: [5, 6] }, { 'a.b': null })).toBe(true);
  });

  it('does not traverse arrays nested directly in arrays on a dotted path', () => {
    expect(matches({ a: [[{ b: 1 }]] }, { 'a.b': 1 })).toBe(false);
  });
});

describe('comparison operators', () => {
  it('compare only within the same type (type bracketing)', () => {
    expect(matches({ a: 'x' }, { a: { $gt: 1 } })).toBe(false);
    expect(matches({ a: 5 }, { a: { $gt: 1 } })).toBe(true);
    expect(matches({ a: new Date(10) }, { a: { $gt: new Date(5) } })).toBe(true);
    expect(matches({ a: 'b' }, { a: { $gte: 'a', $lt: 'c' } })).toBe(true);
  });

  it('match any element of an array field independently per operator', () => {
    expect(matches({ a: [0, 10] }, { a: { $gt: 5, $lt: 5 } })).toBe(true);
    expect(matches({ a: [0, 10] }, { a: { $elemMatch: { $gt: 5, $lt: 5 } } })).toBe(false);
  });

  it('compare Longs beyond 2^53 exactly', () => {
    expect(matches({ a: Long.fromString('9007199254740993') }, { a: { $gt: 2 ** 53 } })).toBe(true);
    expect(matches({ a: Long.fromString('9007199254740992') }, { a: { $gt: 2 ** 53 } })).toBe(false);
  });

  it('treat NaN as equal only to NaN', () => {
    expect(matches({ a: NaN }, { a: NaN })).toBe(true);
    expect(matches({ a: NaN }, { a: { $gt: 0 } })).toBe(false);
    expect(matches({ a: NaN }, { a: { $lt: 0 } })).toBe(false);
    expect(matches({ a: NaN }, { a: { $gte: NaN } })).toBe(true);
  });

  it('compare against MinKey and MaxKey across all types', () => {
    expect(matches({ a: 'x' }, { a: { $gt: new MinKey() } })).toBe(true);
    expect(matches({ a: 'x' }, { a: { $lt: new MaxKey() } })).toBe(true);
    expect(matches({ a: 'x' }, { a: { $gt: new MaxKey() } })).toBe(false);
  });

  it('$in and $nin accept regexes and match arrays element-wise', () => {
    expect(matches({ a: 'hello' }, { a: { $in: [/^he/, 'x'] } })).toBe(true);
    expect(matches({ a: ['x', 'y'] }, { a: { $in: ['y'] } })).toBe(true);
    expect(matches({ a: ['x', 'y'] }, { a: { $nin: ['y'] } })).toBe(false);
    expect(matches({}, { a: { $nin: ['y'] } })).toBe(true);
  });

  it('$in matches ObjectIds, mixed numeric types and whole arrays', () => {
    const id = new ObjectId();
    expect(matches({ a: id }, { a: { $in: [new ObjectId(), new ObjectId(id.toHexString())] } })).toBe(true);
    expect(matches({ a: Long.fromNumber(3) }, { a: { $in: [1, 3] } })).toBe(true);
    expect(matches({ a: 3 }, { a: { $in: [Decimal128.fromString('3')] } })).toBe(true);
    expect(matches({ a: [1, 2] }, { a: { $in: [[1, 2]] } })).toBe(true);
  });
});

describe('element, array and evaluation operators', () => {
  it('$type accepts aliases, codes, "number" and arrays of them', () => {
    expect(matches({ a: 1 }, { a: { $type: 'int' } })).toBe(true);
    expect(matches({ a: new Double(1) }, { a: { $type: 'double' } })).toBe(true);
    expect(matches({ a: new Double(1) }, { a: { $type: 'int' } })).toBe(false);
    expect(matches({ a: Long.fromNumber(1) }, { a: { $type: 'number' } })).toBe(true);
    expect(matches({ a: 'x' }, { a: { $type: 2 } })).toBe(true);
    expect(matches({ a: null }, { a: { $type: ['string', 'null'] } })).toBe(true);
    expect(matches({}, { a: { $type: 'null' } })).toBe(false);
    expect(matches({ a: [] }, { a: { $type: 'array' } })).toBe(true);
    expect(matches({ a: ['x'] }, { a: { $type: 'string' } })).toBe(true);
  });

  it('$size matches arrays of exactly that length', () => {
    expect(matches({ a: [1, 2] }, { a: { $size: 2 } })).toBe(true);
    expect(matches({ a: [[1, 2]] }, { a: { $size: 2 } })).toBe(false);
    expect(matches({ a: 'ab' }, { a: { $size: 2 } })).toBe(false);
  });

  it('$all requires every value, with $elemMatch entries', () => {
    expect(matches({ a: [1, 2, 3] }, { a: { $all: [1, 3] } })).toBe(true);
    expect(matches({ a: [1, 2, 3] }, { a: { $all: [1, 4] } })).toBe(false);
    expect(matches({ a: [1] }, { a: { $all: [] } })).toBe(false);
    expect(matches({ a: 1 }, { a: { $all: [1] } })).toBe(true);
    expect(
      matches(
        { a: [{ x: 1, y: 2 }, { x: 3 }] },
        { a: { $all: [{ $elemMatch: { x: 1, y: 2 } }, { $elemMatch: { x: 3 } }] } },
      ),
    ).toBe(true);
  });

  it('$elemMatch on documents requires one element to satisfy all conditions', () => {
    const doc = {
      a: [
        { x: 1, y: 1 },
        { x: 2, y: 2 },
      ],
    };
    expect(matches(doc, { a: { $elemMatch: { x: 1, y: 2 } } })).toBe(false);
    expect(matches(doc, { 'a.x': 1, 'a.y': 2 })).toBe(true);
    expect(matches(doc, { a: { $elemMatch: { x: 2, y: { $gte: 2 } } } })).toBe(true);
    expect(matches(doc, { a: { $elemMatch: { $or: [{ x: 5 }, { y: 2 }] } } })).toBe(true);
  });

  it('$regex with $options and regex literals match strings', () => {
    expect(matches({ a: 'Hello' }, { a: { $regex: '^hel', $options: 'i' } })).toBe(true);
    expect(matches({ a: 'Hello' }, { a: { $regex: '^hel' } })).toBe(false);
    expect(matches({ a: 'Hello' }, { a: /^hel/i })).toBe(true);
    expect(matches({ a: ['x', 'Hello'] }, { a: /^H/ })).toBe(true);
    expect(matches({ a: 5 }, { a: /5/ })).toBe(false);
    expect(matches({ a: 'a b' }, { a: { $regex: 'a # comment\n b', $options: 'x' } })).toBe(false);
    expect(matches({ a: 'ab' }, { a: { $regex: 'a # comment\n b', $options: 'x' } })).toBe(true);
    expect(matches({ a: 'line1\nline2' }, { a: { $regex: '^line2', $options: 'm' } })).toBe(true);
  });

  it('$eq with a regex matches only a stored identical regex', () => {
    expect(matches({ a: new BSONRegExp('x', 'i') }, { a: { $eq: new BSONRegExp('x', 'i') } })).toBe(true);
    expect(matches({ a: 'x' }, { a: { $eq: new BSONRegExp('x', '') } })).toBe(false);
  });

  it('$not negates operators and regexes, matching missing fields', () => {
    expect(matches({ a: 3 }, { a: { $not: { $gt: 5 } } })).toBe(true);
    expect(matches({}, { a: { $not: { $gt: 5 } } })).toBe(true);
    expect(matches({ a: 'abc' }, { a: { $not: /^a/ } })).toBe(false);
  });

  it('$mod truncates and matches the remainder', () => {
    expect(matches({ a: 10 }, { a: { $mod: [4, 2] } })).toBe(true);
    expect(matches({ a: 10.9 }, { a: { $mod: [4, 2] } })).toBe(true);
    expect(matches({ a: -10 }, { a: { $mod: [4, -2] } })).toBe(true);
    expect(matches({ a: 'x' }, { a: { $mod: [4, 2] } })).toBe(false);
  });

  it('bitwise query operators test numbers and BinData', () => {
    expect(matches({ a: 0b1010 }, { a: { $bitsAllSet: [1, 3] } })).toBe(true);
    expect(matches({ a: 0b1010 }, { a: { $bitsAllSet: 0b1011 } })).toBe(false);
    expect(matches({ a: 0b1010 }, { a: { $bitsAnySet: 0b0011 } })).toBe(true);
    expect(matches({ a: 0b1010 }, { a: { $bitsAllClear: 0b0101 } })).toBe(true);
    expect(matches({ a: 0b1010 }, { a: { $bitsAnyClear: 0b1010 } })).toBe(false);
    expect(matches({ a: -1 }, { a: { $bitsAllSet: [70] } })).toBe(true);
    expect(matches({ a: new Binary(Buffer.from([0b10])) }, { a: { $bitsAllSet: [1] } })).toBe(true);
  });
});

describe('logical operators', () => {
  const docs = [
    { _id: 1, a: 1, b: 1 },
    { _id: 2, a: 1, b: 2 },
    { _id: 3, a: 2, b: 2 },
  ];

  it('$and, $or and $nor combine clauses', () => {
    expect(ids(docs, { $and: [{ a: 1 }, { b: 2 }] })).toEqual([2]);
    expect(ids(docs, { $or: [{ a: 2 }, { b: 1 }] })).toEqual([1, 3]);
    expect(ids(docs, { $nor: [{ a: 2 }, { b: 1 }] })).toEqual([2]);
  });

  it('ignores $comment', () => {
    expect(ids(docs, { a: 2, $comment: 'why' })).toEqual([3]);
  });
});

describe('$expr and let variables', () => {
  it('evaluates aggregation expressions against the document', () => {
    const docs = [
      { _id: 1, spent: 10, budget: 5 },
      { _id: 2, spent: 1, budget: 5 },
    ];
    expect(ids(docs, { $expr: { $gt: ['$spent', '$budget'] } })).toEqual([1]);
  });

  it('reads let variables with $$name', () => {
    expect(
      ids([{ _id: 1 }, { _id: 2 }], { $expr: { $eq: ['$_id', '$$id'] } }, { variables: { id: 2 } }),
    ).toEqual([2]);
  });

  it('uses the provided clock for $$NOW', () => {
    const docs = [
      { _id: 1, at: new Date('2024-01-01') },
      { _id: 2, at: new Date('2025-01-01') },
    ];
    expect(ids(docs, { $expr: { $lt: ['$at', '$$NOW'] } })).toEqual([1]);
  });

  it('needs a clock only when the expression reads $$NOW', () => {
    expect(compileFilter({ $expr: { $gt: ['$a', 1] } }).matches({ a: 2 })).toBe(true);
    expect(() => compileFilter({ $expr: { $lt: ['$a', '$$NOW'] } })).toThrow(
      expect.objectContaining({ code: 1 }),
    );
  });

  it('compares long and double fields by value', () => {
    expect(matches({ a: Long.fromNumber(5), b: new Double(5) }, { $expr: { $eq: ['$a', '$b'] } })).toBe(true);
  });
});

describe('positional match index', () => {
  it('reports the array element that satisfied an equality', () => {
    const m = compileFilter({ a: 3 });
    expect(m.matchWithPosition({ a: [1, 2, 3] })).toEqual({ matched: true, arrayIndex: 2 });
  });

  it('reports the element of an array of documents matched through a dotted path', () => {
    const m = compileFilter({ 'grades.score': { $gt: 80 } });
    expect(m.matchWithPosition({ grades: [{ score: 50 }, { score: 90 }] }).arrayIndex).toBe(1);
  });

  it('reports the $elemMatch element', () => {
    const m = compileFilter({ a: { $elemMatch: { x: 2 } } });
    expect(m.matchWithPosition({ a: [{ x: 1 }, { x: 2 }] }).arrayIndex).toBe(1);
  });

  it('ignores positions recorded by $or branches that failed', () => {
    const m = compileFilter({ $or: [{ a: 2, b: 'no' }, { c: 1 }] });
    expect(m.matchWithPosition({ a: [1, 2], c: 1 })).toEqual({ matched: true, arrayIndex: undefined });
  });

  it('reports nothing when no array is involved', () => {
    const m = compileFilter({ a: 1 });
    expect(m.matchWithPosition({ a: 1 })).toEqual({ matched: true, arrayIndex: undefined });
    expect(m.matchWithPosition({ a: 2 })).toEqual({ matched: false, arrayIndex: undefined });
  });
});

describe('errors', () => {
  it('rejects unknown field operators with BadValue like mongod', () => {
    expect(errorOf({ a: { $foo: 1 } })).toEqual({ code: 2, message: 'unknown operator: $foo' });
  });

  it('rejects unknown top-level operators', () => {
    expect(errorOf({ $foo: 1 })).toMatchObject({
      code: 2,
      message: expect.stringContaining('unknown top level operator: $foo'),
    });
  });

  it('rejects malformed operator arguments', () => {
    expect(errorOf({ a: { $in: 5 } })).toEqual({ code: 2, message: '$in needs an array' });
    expect(errorOf({ $or: [] })).toEqual({ code: 2, message: '$and/$or/$nor must be a nonempty array' });
    expect(errorOf({ a: { $size: -1 } }).code).toBe(2);
    expect(errorOf({ a: { $mod: [0, 1] } })).toEqual({ code: 2, message: 'divisor cannot be 0' });
    expect(errorOf({ a: { $type: 'nope' } }).code).toBe(2);
    expect(errorOf({ a: { $options: 'i' } })).toEqual({ code: 2, message: '$options needs a $regex' });
    expect(errorOf({ a: { $not: {} } })).toEqual({ code: 2, message: '$not cannot be empty' });
    expect(errorOf({ a: { $elemMatch: 1 } })).toEqual({ code: 2, message: '$elemMatch needs an Object' });
    expect(errorOf({ a: { $regex: 'x', $options: 'z' } }).code).toBe(51108);
    expect(errorOf({ a: { $regex: '(' } }).code).toBe(51091);
  });

  it('refuses unsupported features with NotImplemented instead of answering wrongly', () => {
    expect(errorOf({ $where: 'this.a > 1' }).code).toBe(238);
    expect(errorOf({ $text: { $search: 'x' } }).code).toBe(238);
    expect(errorOf({ loc: { $near: [0, 0] } }).code).toBe(238);
    expect(errorOf({ loc: { $geoWithin: {} } }).code).toBe(238);
    expect(errorOf({ $jsonSchema: {} }).code).toBe(238);
  });
});
