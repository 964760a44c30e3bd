import { describe, expect, it } from '@jest/globals';
import { ObjectId } from 'bson';
import { buildUpsertDocument, seedUpsertDocument } from '../../../src/query/index.js';
import { wire } from './wire.js';

const NOW = new Date('2024-05-01T00:00:00Z');

function errorOf(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (err) {
    return { code: (err as { code: number }).code, message: (err as Error).message };
  }
  throw new Error('expected an error');
}

describe('seedUpsertDocument', () => {
  it('takes plain equality fields and $eq, ignoring other operators', () => {
    expect(
      seedUpsertDocument(wire({ a: 1, b: { $eq: 2 }, c: { $gt: 3 }, d: { $in: [1, 2] }, e: /x/ })),
    ).toEqual({ a: 1, b: 2 });
  });

  it('treats a single-value $in as equality', () => {
    expect(seedUpsertDocument({ a: { $in: ['x'] } })).toEqual({ a: 'x' });
  });

  it('collects fields inside top-level $and and a single-branch $or', () => {
    expect(seedUpsertDocument({ $and: [{ a: 1 }, { $and: [{ b: 2 }] }], $or: [{ c: 3 }] })).toEqual({
      a: 1,
      b: 2,
      c: 3,
    });
    expect(seedUpsertDocument({ $or: [{ a: 1 }, { b: 2 }] })).toEqual({});
  });

  it('expands dotted paths into nested documents and puts _id first', () => {
    const seed = seedUpsertDocument({ 'a.b': 1, 'a.c': 2, _id: 7 });
    expect(seed).toEqual({ _id: 7, a: { b: 1, c: 2 } });
    expect(Object.keys(seed)[0]).toBe('_id');
  });

  it('keeps whole embedded documents and arrays given as equality values', () => {
    expect(seedUpsertDocument({ a: { x: 1 }, b: [1, 2] })).toEqual({ a: { x: 1 }, b: [1, 2] });
  });

  it('refuses ambiguous equality paths with NotSingleValueField', () => {
    expect(errorOf(() => seedUpsertDocument({ $and: [{ a: 1 }, { a: 2 }] }))).toEqual({
      code: 54,
      message: "cannot infer query fields to set, path 'a' is matched twice",
    });
    expect(errorOf(() => seedUpsertDocument({ a: 1, 'a.b': 2 })).code).toBe(54);
  });
});

describe('buildUpsertDocument', () => {
  it('applies an operator update to the seed with $setOnInsert active', () => {
    expect(
      buildUpsertDocument({ _id: 4 }, { $inc: { x: 1 }, $setOnInsert: { created: true } }, { now: NOW }),
    ).toEqual({
      _id: 4,
      x: 1,
      created: true,
    });
  });

  it('uses only the filter _id for a replacement', () => {
    expect(buildUpsertDocument({ _id: 4, y: 2 }, { x: 44 })).toEqual({ _id: 4, x: 44 });
    expect(buildUpsertDocument({ y: 2 }, { x: 44 })).toEqual({ x: 44 });
  });

  it('keeps the replacement _id when it has one', () => {
    const id = new ObjectId();
    expect(buildUpsertDocument({}, { _id: id, x: 1 })).toEqual({ _id: id, x: 1 });
  });

  it('supports null _id from the filter', () => {
    expect(buildUpsertDocument({ _id: null }, { $unset: { a: '' } })).toEqual({ _id: null });
  });

  it('runs pipeline updates on the seed', () => {
    expect(
      buildUpsertDocument({ name: 'n' }, [{ $set: { upper: { $toUpper: '$name' } } }], { now: NOW }),
    ).toEqual({
      name: 'n',
      upper: 'N',
    });
  });

  it('creates nested fields from dotted equality and dotted $set', () => {
    expect(buildUpsertDocument({ 'a.b': 1 }, { $set: { 'a.c': 2 } }, { now: NOW })).toEqual({
      a: { b: 1, c: 2 },
    });
  });

  it('refuses to change the _id taken from the filter', () => {
    expect(errorOf(() => buildUpsertDocument({ _id: 1 }, { $set: { _id: 2 } }, { now: NOW })).code).toBe(66);
  });

  it('moves _id to the front when the update creates it', () => {
    expect(Object.keys(buildUpsertDocument({ a: 1 }, { $set: { _id: 9 } }, { now: NOW }))).toEqual([
      '_id',
      'a',
    ]);
  });
});
