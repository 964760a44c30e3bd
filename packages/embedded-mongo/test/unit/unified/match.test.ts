import { describe, expect, it } from '@jest/globals';
import { Binary, Decimal128, Double, Int32, Long, ObjectId, Timestamp } from 'bson';
import {
  assertExactlyEqual,
  assertMatches,
  hasBsonType,
  matchFailure,
  type EntityResolver,
} from '../../support/unified/match.js';

const matches = (expected: unknown, actual: unknown, iterableOfDocuments = false): boolean =>
  matchFailure(expected, actual, { iterableOfDocuments }) === null;

describe('unified matching: documents', () => {
  it('allows extra fields in the root document only', () => {
    expect(matches({ x: 1 }, { x: 1, y: 1 })).toBe(true);
    expect(matches({ x: 1, y: 1 }, { x: 1 })).toBe(false);
    expect(matches({ x: { y: 1 } }, { x: { y: 1, z: 1 } })).toBe(false);
    expect(matches({ x: { y: 1 } }, { x: { y: 1 }, z: 2 })).toBe(true);
  });

  it('treats documents inside arrays as nested unless they come from a cursor', () => {
    const expected = [{ x: 1 }, { x: 2 }];
    const actual = [
      { x: 1, y: 1 },
      { x: 2, y: 2 },
    ];
    expect(matches(expected, actual)).toBe(false); // e.g. distinct
    expect(matches(expected, actual, true)).toBe(true); // e.g. find
    expect(matches(expected, [{ x: 1 }], true)).toBe(false);
  });

  it('ignores key order', () => {
    expect(matches({ a: { x: 1, y: 2 } }, { a: { y: 2, x: 1 } })).toBe(true);
  });

  it('requires arrays of the same length, element by element', () => {
    expect(matches({ a: [1, 2, 3] }, { a: [1, 2, 3] })).toBe(true);
    expect(matches({ a: [1, 2, 3] }, { a: [1, 2, 3, 4] })).toBe(false);
    expect(matches({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(matches({ a: [] }, { a: {} })).toBe(false);
  });

  it('reports the path of a mismatch', () => {
    expect(matchFailure({ a: { b: [1, { c: 2 }] } }, { a: { b: [1, { c: 3 }] } })).toMatch(
      /^a\.b\[1\]\.c: expected 2, got 3/,
    );
    expect(matchFailure({ a: 1 }, {})).toMatch(/^a: missing/);
  });
});

describe('unified matching: scalars', () => {
  it('compares numbers by value across int32, int64 and double', () => {
    expect(matches({ n: 1 }, { n: new Int32(1) })).toBe(true);
    expect(matches({ n: 1 }, { n: new Double(1.0) })).toBe(true);
    expect(matches({ n: 1 }, { n: Long.fromNumber(1) })).toBe(true);
    expect(matches({ n: Long.fromString('9007199254740993') }, { n: 9007199254740993n })).toBe(true);
    expect(
      matches({ n: Long.fromString('9007199254740993') }, { n: Long.fromString('9007199254740992') }),
    ).toBe(false);
    expect(matches({ n: 1 }, { n: 1.5 })).toBe(false);
    expect(matches({ n: 1 }, { n: '1' })).toBe(false);
  });

  it('does not treat Decimal128 as a flexible number', () => {
    expect(matches({ d: Decimal128.fromString('1.0') }, { d: Decimal128.fromString('1.0') })).toBe(true);
    expect(matches({ d: 1 }, { d: Decimal128.fromString('1') })).toBe(false);
  });

  it('distinguishes null from a missing field and from other types', () => {
    expect(matches({ a: null }, { a: null })).toBe(true);
    expect(matches({ a: null }, {})).toBe(false);
    expect(matches({ a: null }, { a: 0 })).toBe(false);
    expect(matches({ a: false }, { a: 0 })).toBe(false);
  });

  it('compares BSON values by identity', () => {
    const id = new ObjectId();
    expect(matches({ _id: id }, { _id: new ObjectId(id.toHexString()) })).toBe(true);
    expect(matches({ _id: id }, { _id: new ObjectId() })).toBe(false);
    expect(matches({ d: new Date(5) }, { d: new Date(5) })).toBe(true);
    expect(matches({ d: new Date(5) }, { d: new Date(6) })).toBe(false);
    expect(matches({ b: new Binary(Buffer.from('ab')) }, { b: new Binary(Buffer.from('ab')) })).toBe(true);
    expect(matches({ b: new Binary(Buffer.from('ab')) }, { b: new Binary(Buffer.from('ac')) })).toBe(false);
    expect(matches({ t: new Timestamp({ t: 1, i: 2 }) }, { t: new Timestamp({ t: 1, i: 2 }) })).toBe(true);
    expect(matches({ r: /a/i }, { r: /a/i })).toBe(true);
    expect(matches({ r: /a/i }, { r: /a/ })).toBe(false);
  });
});

describe('unified matching: special operators', () => {
  it('$$exists checks presence only (a null value exists)', () => {
    expect(matches({ a: { $$exists: true } }, { a: null })).toBe(true);
    expect(matches({ a: { $$exists: true } }, {})).toBe(false);
    expect(matches({ a: { $$exists: false } }, {})).toBe(true);
    expect(matches({ a: { $$exists: false } }, { a: 1 })).toBe(false);
    expect(matches({ x: { a: { $$exists: false } } }, { x: {} })).toBe(true);
  });

  it('$$unsetOrMatches accepts a missing value or a matching one', () => {
    expect(matches({ insertedId: { $$unsetOrMatches: 2 } }, {})).toBe(true);
    expect(matches({ insertedId: { $$unsetOrMatches: 2 } }, { insertedId: 2 })).toBe(true);
    expect(matches({ insertedId: { $$unsetOrMatches: 2 } }, { insertedId: 3 })).toBe(false);
    expect(matches({ $$unsetOrMatches: { insertedId: 2 } }, undefined)).toBe(true);
  });

  it('$$unsetOrMatches keeps the root-level rule of the place it stands', () => {
    // At the root, the wrapped document may have extra fields (acknowledged)...
    expect(matches({ $$unsetOrMatches: { insertedId: 2 } }, { acknowledged: true, insertedId: 2 })).toBe(
      true,
    );
    // ...nested, it may not.
    expect(matches({ r: { $$unsetOrMatches: { a: 1 } } }, { r: { a: 1, b: 2 } })).toBe(false);
  });

  it('$$type accepts one alias or a list', () => {
    expect(matches({ getMore: { $$type: ['int', 'long'] } }, { getMore: Long.fromNumber(12) })).toBe(true);
    expect(matches({ getMore: { $$type: ['int', 'long'] } }, { getMore: 12 })).toBe(true);
    expect(matches({ getMore: { $$type: ['int', 'long'] } }, { getMore: '12' })).toBe(false);
    expect(matches({ a: { $$type: 'object' } }, { a: { b: 1 } })).toBe(true);
    expect(matches({ a: { $$type: 'object' } }, { a: [1] })).toBe(false);
    expect(matches({ a: { $$type: ['string', 'object'] } }, { a: 'x' })).toBe(true);
    expect(matches({ a: { $$type: 'double' } }, { a: 0.25 })).toBe(true);
    expect(matches({ a: { $$type: 'string' } }, {})).toBe(false);
  });

  it('$$type names follow the $type query operator aliases', () => {
    expect(hasBsonType(new ObjectId(), 'objectId')).toBe(true);
    expect(hasBsonType(new Date(), 'date')).toBe(true);
    expect(hasBsonType(null, 'null')).toBe(true);
    expect(hasBsonType(true, 'bool')).toBe(true);
    expect(hasBsonType(new Int32(5), 'int')).toBe(true);
    expect(hasBsonType(2 ** 40, 'int')).toBe(false);
    expect(hasBsonType(Decimal128.fromString('1'), 'decimal')).toBe(true);
    expect(() => hasBsonType(1, 'float')).toThrow(/unknown \$\$type alias/);
  });

  it('$$matchesEntity compares with a saved entity', () => {
    const entities: EntityResolver = {
      entity: (name) => {
        if (name === 'id0') return 42;
        throw new Error(`no entity ${name}`);
      },
      sessionLsid: () => ({}),
    };
    expect(matchFailure({ _id: { $$matchesEntity: 'id0' } }, { _id: 42 }, { entities })).toBeNull();
    expect(matchFailure({ _id: { $$matchesEntity: 'id0' } }, { _id: 43 }, { entities })).not.toBeNull();
    expect(() => assertMatches({ _id: { $$matchesEntity: 'nope' } }, { _id: 1 }, { entities })).toThrow(
      /no entity nope/,
    );
  });

  it('$$sessionLsid compares with the session entity id', () => {
    const lsid = { id: new Binary(Buffer.alloc(16, 7), 4) };
    const entities: EntityResolver = { entity: () => undefined, sessionLsid: () => lsid };
    expect(
      matchFailure(
        { lsid: { $$sessionLsid: 's0' } },
        { lsid: { id: new Binary(Buffer.alloc(16, 7), 4) } },
        { entities },
      ),
    ).toBeNull();
    expect(
      matchFailure(
        { lsid: { $$sessionLsid: 's0' } },
        { lsid: { id: new Binary(Buffer.alloc(16, 8), 4) } },
        { entities },
      ),
    ).not.toBeNull();
  });

  it('$$lte compares numerically', () => {
    expect(matches({ n: { $$lte: 5 } }, { n: 5 })).toBe(true);
    expect(matches({ n: { $$lte: 1 } }, { n: 1.0 })).toBe(true);
    expect(matches({ n: { $$lte: 1 } }, { n: 1.1 })).toBe(false);
    expect(matches({ n: { $$lte: 1 } }, { n: 'a' })).toBe(false);
  });

  it('$$matchAsRoot allows extra fields in a nested document', () => {
    expect(matches({ x: { $$matchAsRoot: { y: 1 } } }, { x: { y: 1, z: 2 } })).toBe(true);
    expect(matches({ x: { $$matchAsDocument: { y: 1 } } }, { x: '{"y": 1}' })).toBe(true);
    expect(matches({ x: { $$matchAsDocument: { y: 1 } } }, { x: '{"y": 1, "z": 2}' })).toBe(false);
  });

  it('rejects unknown special operators as a runner error', () => {
    expect(() => assertMatches({ a: { $$bogus: 1 } }, { a: 1 })).toThrow(
      /unsupported special operator \$\$bogus/,
    );
  });

  it('only treats single-key $$ documents as operators', () => {
    expect(matches({ a: { $$type: 'int', b: 1 } }, { a: { $$type: 'int', b: 1 } })).toBe(true);
  });
});

describe('outcome comparison', () => {
  it('is exact: no extra fields even at the top level, numbers by value, key order free', () => {
    expect(() => assertExactlyEqual([{ _id: 1, x: 11 }], [{ x: 11, _id: new Int32(1) }])).not.toThrow();
    expect(() => assertExactlyEqual([{ _id: 1 }], [{ _id: 1, x: 1 }])).toThrow(/extra field/);
    expect(() => assertExactlyEqual([{ _id: 1 }], [{ _id: 1 }, { _id: 2 }])).toThrow(
      /expected 1 elements, got 2/,
    );
    expect(() => assertExactlyEqual([], [])).not.toThrow();
  });

  it('does not interpret $$ operators in collection data', () => {
    expect(() => assertExactlyEqual([{ a: { $$exists: true } }], [{ a: 1 }])).toThrow();
  });
});
