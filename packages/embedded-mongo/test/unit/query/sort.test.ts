import { describe, expect, it } from '@jest/globals';
import { Long } from 'bson';
import { compileSort, sortDocuments } from '../../../src/query/index.js';
import { wire } from './wire.js';

const ids = (docs: Record<string, unknown>[]) => docs.map((d) => d._id);

function errorOf(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (err) {
    return { code: (err as { code: number }).code, message: (err as Error).message };
  }
  throw new Error('expected an error');
}

describe('sorting', () => {
  it('sorts ascending and descending on one field with BSON type order', () => {
    const docs = [
      { _id: 1, a: 'x' },
      { _id: 2, a: 5 },
      { _id: 3, a: null },
      { _id: 4 },
      { _id: 5, a: true },
    ].map(wire);
    expect(ids(sortDocuments(docs, { a: 1 }))).toEqual([3, 4, 2, 1, 5]);
    expect(ids(sortDocuments(docs, { a: -1 }))).toEqual([5, 1, 2, 3, 4]);
  });

  it('sorts missing fields like null, ties keeping input order', () => {
    const docs = [{ _id: 1 }, { _id: 2, a: null }, { _id: 3 }].map(wire);
    expect(ids(sortDocuments(docs, { a: 1 }))).toEqual([1, 2, 3]);
  });

  it('uses the smallest array element ascending and the largest descending', () => {
    const docs = [
      { _id: 1, a: [1, 10] },
      { _id: 2, a: [5] },
      { _id: 3, a: 7 },
    ].map(wire);
    expect(ids(sortDocuments(docs, { a: 1 }))).toEqual([1, 2, 3]);
    expect(ids(sortDocuments(docs, { a: -1 }))).toEqual([1, 3, 2]);
  });

  it('sorts an empty array before null', () => {
    const docs = [
      { _id: 1, a: null },
      { _id: 2, a: [] },
    ].map(wire);
    expect(ids(sortDocuments(docs, { a: 1 }))).toEqual([2, 1]);
  });

  it('sorts by dotted paths through arrays of documents', () => {
    const docs = [
      { _id: 1, a: [{ b: 3 }, { b: 9 }] },
      { _id: 2, a: { b: 4 } },
    ].map(wire);
    expect(ids(sortDocuments(docs, { 'a.b': 1 }))).toEqual([1, 2]);
    expect(ids(sortDocuments(docs, { 'a.b': -1 }))).toEqual([1, 2]);
  });

  it('supports compound keys and mixed numeric types', () => {
    const docs = [
      { _id: 1, a: 1, b: 2 },
      { _id: 2, a: Long.fromNumber(1), b: 1 },
      { _id: 3, a: 0.5, b: 9 },
    ].map(wire);
    expect(ids(sortDocuments(docs, { a: 1, b: -1 }))).toEqual([3, 1, 2]);
    expect(ids([...docs].sort(compileSort({ a: -1, b: 1 })))).toEqual([2, 1, 3]);
  });

  it('refuses $meta sorts and invalid directions', () => {
    expect(errorOf(() => compileSort({ score: { $meta: 'textScore' } })).code).toBe(238);
    expect(errorOf(() => compileSort({ a: 2 })).code).toBe(15975);
    expect(errorOf(() => compileSort({ a: 'asc' })).code).toBe(15975);
  });

  it('reports $natural for the storage layer instead of sorting on it', () => {
    const cmp = compileSort({ $natural: -1 });
    expect(cmp.natural).toBe(-1);
    expect(cmp.fields).toEqual([]);
  });
});
