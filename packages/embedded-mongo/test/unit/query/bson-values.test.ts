import { describe, expect, it } from '@jest/globals';
import {
  Binary,
  BSONRegExp,
  BSONSymbol,
  Code,
  DBRef,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
} from 'bson';
import {
  bsonTypeCode,
  bsonTypeName,
  compareValues,
  normalizeDocument,
  normalizeValue,
  valuesEqual,
  valuesIdentical,
} from '../../../src/query/index.js';
import { BSON_DOUBLE, BSON_INT32, bsonTypeByte, wire } from './wire.js';

const sorted = (values: unknown[]) => [...values].sort(compareValues);

describe('normalizeDocument', () => {
  it('turns Int32 into plain numbers and non-integral doubles into plain numbers', () => {
    const doc = normalizeDocument({ i: new Int32(5), d: new Double(1.5), big: new Double(2 ** 40) });
    expect(doc).toEqual({ i: 5, d: 1.5, big: 2 ** 40 });
  });

  it('keeps integral doubles in int32 range as Double so they serialize back as doubles', () => {
    const doc = normalizeDocument({ d: new Double(2), z: new Double(-0) });
    expect(doc.d).toBeInstanceOf(Double);
    expect(bsonTypeByte(doc.d)).toBe(BSON_DOUBLE);
    expect(bsonTypeByte(doc.z)).toBe(BSON_DOUBLE);
    expect(Object.is((doc.z as Double).value, -0)).toBe(true);
  });

  it('round-trips wire documents with every numeric type intact', () => {
    const doc = wire({ i: 1, d: new Double(1), l: Long.fromNumber(7), m: Decimal128.fromString('1.10') });
    expect(bsonTypeByte(doc.i)).toBe(BSON_INT32);
    expect(bsonTypeByte(doc.d)).toBe(BSON_DOUBLE);
    expect(doc.l).toBeInstanceOf(Long);
    expect((doc.m as Decimal128).toString()).toBe('1.10');
  });

  it('converts native RegExp and bigint and normalizes nested arrays, objects and DBRef ids', () => {
    const v = normalizeValue({
      r: /ab/gi,
      n: 5n,
      a: [new Int32(1), { x: new Int32(2) }],
      ref: new DBRef('c', new Int32(3) as never),
    }) as Record<string, unknown>;
    expect(v.r).toBeInstanceOf(BSONRegExp);
    expect((v.r as BSONRegExp).options).toBe('i');
    expect(v.n).toBeInstanceOf(Long);
    expect(v.a).toEqual([1, { x: 2 }]);
    expect((v.ref as DBRef).oid).toBe(3);
  });

  it('returns a new object and never aliases input containers', () => {
    const input = { a: { b: [1] } };
    const out = normalizeDocument(input);
    expect(out).toEqual(input);
    expect(out.a).not.toBe(input.a);
  });
});

describe('compareValues: cross-type order', () => {
  it('orders types MinKey < null < numbers < strings < objects < arrays < binData < objectId < bool < date < timestamp < regex < MaxKey', () => {
    const oid = new ObjectId('000000000000000000000001');
    const values = [
      new MaxKey(),
      new BSONRegExp('a', ''),
      new Timestamp({ t: 1, i: 1 }),
      new Date(0),
      true,
      oid,
      new Binary(Buffer.from('x')),
      [1],
      { a: 1 },
      'a',
      5,
      null,
      new MinKey(),
    ];
    expect(sorted(values)).toEqual([...values].reverse());
  });

  it('sorts missing (undefined) just below null', () => {
    expect(compareValues(undefined, null)).toBeLessThan(0);
    expect(compareValues(new MinKey(), undefined)).toBeLessThan(0);
  });

  it('treats symbols as strings', () => {
    expect(compareValues(new BSONSymbol('abc'), 'abc')).toBe(0);
    expect(compareValues(new BSONSymbol('abd'), 'abc')).toBeGreaterThan(0);
  });

  it('puts code after regex and before MaxKey', () => {
    expect(compareValues(new Code('x'), new BSONRegExp('z', ''))).toBeGreaterThan(0);
    expect(compareValues(new Code('x'), new MaxKey())).toBeLessThan(0);
  });
});

describe('compareValues: numbers', () => {
  it('compares int, double, long and decimal by value', () => {
    expect(compareValues(1, new Double(1))).toBe(0);
    expect(compareValues(Long.fromNumber(1), Decimal128.fromString('1.000'))).toBe(0);
    expect(compareValues(1.5, Long.fromNumber(1))).toBeGreaterThan(0);
    expect(compareValues(Decimal128.fromString('0.1'), 0.1)).not.toBe(0);
    expect(compareValues(Decimal128.fromString('2.5'), 2.5)).toBe(0);
  });

  it('a Long above 2^53 sorts after the nearest double', () => {
    const big = Long.fromString('9007199254740993'); // 2^53 + 1, not representable as a double
    expect(compareValues(big, 2 ** 53)).toBeGreaterThan(0);
    expect(compareValues(2 ** 53, big)).toBeLessThan(0);
    expect(compareValues(big, Long.fromString('9007199254740992'))).toBeGreaterThan(0);
  });

  it('compares huge decimals exactly against longs and doubles', () => {
    expect(
      compareValues(Decimal128.fromString('9007199254740993'), Long.fromString('9007199254740993')),
    ).toBe(0);
    expect(compareValues(Decimal128.fromString('1E+400'), Infinity)).toBeLessThan(0);
    expect(compareValues(Decimal128.fromString('-Infinity'), -Infinity)).toBe(0);
  });

  it('NaN sorts below all numbers and equals NaN', () => {
    expect(compareValues(NaN, -Infinity)).toBeLessThan(0);
    expect(compareValues(NaN, NaN)).toBe(0);
    expect(compareValues(Decimal128.fromString('NaN'), NaN)).toBe(0);
    expect(compareValues(NaN, null)).toBeGreaterThan(0);
  });

  it('0 equals -0', () => {
    expect(compareValues(new Double(-0), 0)).toBe(0);
  });
});

describe('compareValues: strings, objects, arrays, binary', () => {
  it('compares strings by code point like UTF-8 bytes', () => {
    expect(compareValues('a', 'b')).toBeLessThan(0);
    expect(compareValues('Z', 'a')).toBeLessThan(0);
    // U+FFFD is below U+1F600 in code point order even though its UTF-16 unit is higher.
    expect(compareValues('\uFFFD', '\u{1F600}')).toBeLessThan(0);
  });

  it('compares objects field by field: value type first, then name, then value', () => {
    expect(compareValues({ a: 1 }, { b: 1 })).toBeLessThan(0);
    expect(compareValues({ b: 1 }, { a: 'x' })).toBeLessThan(0);
    expect(compareValues({ a: 1 }, { a: 1, b: 1 })).toBeLessThan(0);
    expect(compareValues({ a: 1, b: 2 }, { b: 2, a: 1 })).not.toBe(0);
  });

  it('compares arrays element-wise then by length', () => {
    expect(compareValues([1, 2], [1, 3])).toBeLessThan(0);
    expect(compareValues([1, 2], [1])).toBeGreaterThan(0);
    expect(compareValues([2], [1, 9])).toBeGreaterThan(0);
  });

  it('compares BinData by length, then subtype, then bytes', () => {
    const short = new Binary(Buffer.from([9]), 5);
    const long = new Binary(Buffer.from([0, 0]), 0);
    expect(compareValues(short, long)).toBeLessThan(0);
    expect(compareValues(new Binary(Buffer.from([1]), 0), new Binary(Buffer.from([0]), 4))).toBeLessThan(0);
    expect(compareValues(new Binary(Buffer.from([1]), 0), new Binary(Buffer.from([2]), 0))).toBeLessThan(0);
  });

  it('compares ObjectIds by bytes, dates by time, timestamps by (t, i)', () => {
    expect(
      compareValues(new ObjectId('000000000000000000000002'), new ObjectId('0000000000000000000000ff')),
    ).toBeLessThan(0);
    expect(compareValues(new Date(5), new Date(-5))).toBeGreaterThan(0);
    expect(compareValues(new Timestamp({ t: 1, i: 9 }), new Timestamp({ t: 2, i: 0 }))).toBeLessThan(0);
  });

  it('compares a DBRef as its {$ref, $id} object', () => {
    expect(compareValues(new DBRef('c', 1 as never), { $ref: 'c', $id: 1 })).toBe(0);
  });
});

describe('valuesEqual / valuesIdentical', () => {
  it('treats 1, 1.0, Long(1) and Decimal128("1") as equal but not identical', () => {
    expect(valuesEqual(1, new Double(1))).toBe(true);
    expect(valuesEqual(1, Long.fromNumber(1))).toBe(true);
    expect(valuesEqual(1, Decimal128.fromString('1'))).toBe(true);
    expect(valuesIdentical(1, new Double(1))).toBe(false);
    expect(valuesIdentical({ a: [1, 'x'] }, { a: [1, 'x'] })).toBe(true);
  });

  it('distinguishes field order for identity', () => {
    expect(valuesIdentical({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
  });
});

describe('bsonTypeName', () => {
  it('names every engine value with the $type alias', () => {
    const cases: [unknown, string][] = [
      [1, 'int'],
      [1.5, 'double'],
      [new Double(2), 'double'],
      [2 ** 31, 'double'],
      [Long.fromNumber(1), 'long'],
      [Decimal128.fromString('1'), 'decimal'],
      ['s', 'string'],
      [{}, 'object'],
      [[], 'array'],
      [new Binary(Buffer.from('')), 'binData'],
      [new ObjectId(), 'objectId'],
      [true, 'bool'],
      [new Date(), 'date'],
      [null, 'null'],
      [new BSONRegExp('x', ''), 'regex'],
      [new Code('x'), 'javascript'],
      [new Code('x', { a: 1 }), 'javascriptWithScope'],
      [new Timestamp({ t: 0, i: 0 }), 'timestamp'],
      [new MinKey(), 'minKey'],
      [new MaxKey(), 'maxKey'],
      [new BSONSymbol('s'), 'symbol'],
      [undefined, 'missing'],
    ];
    for (const [v, name] of cases) expect([v, bsonTypeName(v)]).toEqual([v, name]);
  });

  it('gives numeric type codes', () => {
    expect(bsonTypeCode(1.5)).toBe(1);
    expect(bsonTypeCode('x')).toBe(2);
    expect(bsonTypeCode(1)).toBe(16);
    expect(bsonTypeCode(Long.fromNumber(1))).toBe(18);
    expect(bsonTypeCode(new MinKey())).toBe(-1);
  });
});
