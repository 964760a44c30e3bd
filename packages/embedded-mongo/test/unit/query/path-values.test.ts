import { describe, expect, it } from '@jest/globals';
import { getPath, pathValues } from '../../../src/query/index.js';

describe('pathValues', () => {
  it('returns the value of a plain path, nothing for missing', () => {
    expect(pathValues({ a: { b: 1 } }, 'a.b')).toEqual([1]);
    expect(pathValues({ a: 1 }, 'x')).toEqual([]);
    expect(pathValues({ a: null }, 'a')).toEqual([null]);
  });

  it('unwinds an array at the end of the path and traverses arrays of documents', () => {
    expect(pathValues({ a: [1, [2, 3]] }, 'a')).toEqual([1, [2, 3]]);
    expect(pathValues({ a: [{ b: 1 }, { b: [2, 3] }, { c: 1 }, 5] }, 'a.b')).toEqual([1, 2, 3]);
  });

  it('indexes arrays with numeric components', () => {
    expect(pathValues({ a: [{ b: 1 }, { b: 2 }] }, 'a.1.b')).toEqual([2]);
  });
});

describe('getPath', () => {
  it('reads nested values without traversing arrays', () => {
    expect(getPath({ a: { b: [5, 6] } }, 'a.b.1')).toBe(6);
    expect(getPath({ a: [{ b: 1 }] }, 'a.b')).toBeUndefined();
    expect(getPath({ a: 1 }, 'a.b')).toBeUndefined();
  });
});
