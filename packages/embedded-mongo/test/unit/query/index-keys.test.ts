import { describe, expect, it } from '@jest/globals';
import { Decimal128, Double, Long } from 'bson';
import {
  compareIndexKeys,
  indexKeyInfo,
  indexKeys,
  keyToString,
  parseKeyPattern,
} from '../../../src/query/index.js';
import { wire } from './wire.js';

function errorOf(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (err) {
    return { code: (err as { code: number }).code, message: (err as Error).message };
  }
  throw new Error('expected an error');
}

describe('indexKeys', () => {
  it('produces one tuple for scalar fields, null for missing ones', () => {
    expect(indexKeys(wire({ a: 1, b: { c: 'x' } }), { a: 1, 'b.c': -1, d: 1 })).toEqual([[1, 'x', null]]);
  });

  it('expands one array field into one key per distinct element (multikey)', () => {
    const info = indexKeyInfo(wire({ a: [3, 1, 3], b: 5 }), parseKeyPattern({ a: 1, b: 1 }));
    expect(info.keys).toEqual([
      [1, 5],
      [3, 5],
    ]);
    expect(info.multikey).toBe(true);
    expect(info.multikeyPaths).toEqual(['a']);
  });

  it('indexes an empty array as undefined', () => {
    expect(indexKeys(wire({ a: [] }), { a: 1 })).toEqual([[undefined]]);
  });

  it('expands arrays of documents on a dotted path, null for elements without the field', () => {
    expect(indexKeys(wire({ a: [{ b: 2 }, { b: 1 }, {}] }), { 'a.b': 1 })).toEqual([[null], [1], [2]]);
  });

  it('pairs fields that go through the same array element by element', () => {
    expect(
      indexKeys(
        wire({
          a: [
            { b: 1, c: 'x' },
            { b: 2, c: 'y' },
          ],
        }),
        { 'a.b': 1, 'a.c': 1 },
      ),
    ).toEqual([
      [1, 'x'],
      [2, 'y'],
    ]);
  });

  it('keeps nested arrays as values', () => {
    expect(indexKeys(wire({ a: [[1, 2], 3] }), { a: 1 })).toEqual([[3], [[1, 2]]]);
  });

  it('refuses parallel arrays with code 171', () => {
    expect(errorOf(() => indexKeys(wire({ a: [1], b: [2] }), { a: 1, b: 1 }))).toEqual({
      code: 171,
      message: 'cannot index parallel arrays [b] [a]',
    });
  });

  it('orders keys by the pattern direction', () => {
    expect(indexKeys(wire({ a: [1, 2] }), { a: -1 })).toEqual([[2], [1]]);
  });

  it('refuses special index types', () => {
    expect(errorOf(() => parseKeyPattern({ a: 'text' })).code).toBe(238);
    expect(errorOf(() => parseKeyPattern({ a: 'hashed' })).code).toBe(238);
    expect(errorOf(() => parseKeyPattern({ a: 0 })).code).toBe(67);
  });
});

describe('keyToString and compareIndexKeys', () => {
  it('gives equal strings to keys that compare equal across numeric types', () => {
    expect(keyToString([1])).toBe(keyToString([new Double(1)]));
    expect(keyToString([Long.fromNumber(1)])).toBe(keyToString([Decimal128.fromString('1.00')]));
    expect(keyToString([0.5])).toBe(keyToString([Decimal128.fromString('0.5')]));
    expect(keyToString([0])).toBe(keyToString([new Double(-0)]));
    expect(keyToString([{ a: 1 }, 'x'])).toBe(keyToString([{ a: new Double(1) }, 'x']));
  });

  it('gives different strings to different keys', () => {
    expect(keyToString([1])).not.toBe(keyToString(['1']));
    expect(keyToString([null])).not.toBe(keyToString([undefined]));
    expect(keyToString(['a', 'b'])).not.toBe(keyToString(['a\u0000"s"b']));
    expect(keyToString([0.1])).not.toBe(keyToString([Decimal128.fromString('0.1')]));
  });

  it('compares key tuples with per-field directions', () => {
    const fields = parseKeyPattern({ a: 1, b: -1 });
    expect(compareIndexKeys([1, 2], [1, 3], fields)).toBeGreaterThan(0);
    expect(compareIndexKeys([1, 2], [2, 0], fields)).toBeLessThan(0);
    expect(compareIndexKeys([1, 2], [1, 3])).toBeLessThan(0);
  });
});
