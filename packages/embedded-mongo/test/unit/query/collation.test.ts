import { describe, expect, it } from '@jest/globals';
import {
  compareValues,
  compileFilter,
  compileProjection,
  compileUpdate,
  makeCollator,
  runPipeline,
  sortDocuments,
} from '../../../src/query/index.js';
import { wire } from './wire.js';

const NOW = new Date('2024-05-01T00:00:00Z');
const caseInsensitive = { locale: 'en_US', strength: 2 };

function errorOf(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (err) {
    return { code: (err as { code: number }).code, message: (err as Error).message };
  }
  throw new Error('expected an error');
}

describe('makeCollator', () => {
  it('returns no collator for the simple collation', () => {
    expect(makeCollator(undefined)).toBeUndefined();
    expect(makeCollator({ locale: 'simple' })).toBeUndefined();
    expect(makeCollator({})).toBeUndefined();
  });

  it('compares by strength: 1 ignores case and accents, 2 ignores case, 3 is case-sensitive', () => {
    expect(makeCollator({ locale: 'en', strength: 1 })!.compare('côté', 'COTE')).toBe(0);
    expect(makeCollator({ locale: 'en', strength: 2 })!.compare('côté', 'cote')).not.toBe(0);
    expect(makeCollator({ locale: 'en', strength: 2 })!.compare('PING', 'ping')).toBe(0);
    expect(makeCollator({ locale: 'en' })!.compare('PING', 'ping')).not.toBe(0);
  });

  it('supports numeric ordering', () => {
    expect(makeCollator({ locale: 'en', numericOrdering: true })!.compare('10', '9')).toBeGreaterThan(0);
    expect(makeCollator({ locale: 'en' })!.compare('10', '9')).toBeLessThan(0);
  });

  it('refuses malformed collations like mongod', () => {
    expect(errorOf(() => makeCollator({ strength: 2 })).code).toBe(40414);
    expect(errorOf(() => makeCollator({ locale: 'en', bogus: 1 })).code).toBe(40415);
    expect(errorOf(() => makeCollator({ locale: 'en', strength: 9 })).code).toBe(2);
    expect(errorOf(() => makeCollator({ locale: 'not-a-locale-xx' })).code).toBe(2);
  });
});

describe('collation-aware operations', () => {
  const docs = [
    { _id: 1, x: 11 },
    { _id: 2, x: 'ping' },
    { _id: 3, x: 'pINg' },
    { _id: 4, x: 'pong' },
  ].map((d) => wire(d));

  it('matches strings case-insensitively at strength 2, in equality, $in, $ne and ranges', () => {
    const ids = (filter: Record<string, unknown>) =>
      docs
        .filter((d) => compileFilter(wire(filter), { collation: caseInsensitive }).matches(d))
        .map((d) => d._id);
    expect(ids({ x: 'PING' })).toEqual([2, 3]);
    expect(ids({ x: { $in: ['PONG', 11] } })).toEqual([1, 4]);
    expect(ids({ x: { $ne: 'PING' } })).toEqual([1, 4]);
    expect(ids({ x: { $gt: 'PIZ' } })).toEqual([4]);
  });

  it('does not collate regular expressions', () => {
    expect(compileFilter({ x: /^PING$/ }, { collation: caseInsensitive }).matches(docs[1]!)).toBe(false);
  });

  it('compares strings nested in documents and arrays', () => {
    const collator = makeCollator(caseInsensitive);
    expect(compareValues({ a: ['X'] }, { a: ['x'] }, collator)).toBe(0);
    expect(compileFilter({ tags: 'A' }, { collation: caseInsensitive }).matches({ tags: ['a', 'b'] })).toBe(
      true,
    );
  });

  it('sorts with the collation', () => {
    const words = ['b', 'A', 'a', 'B'].map((w, i) => ({ _id: i, w }));
    expect(sortDocuments(words, { w: 1 }).map((d) => d.w)).toEqual(['A', 'B', 'a', 'b']);
    expect(
      sortDocuments(words, { w: 1 }, { collation: { locale: 'en', strength: 3 } }).map((d) => d.w),
    ).toEqual(['a', 'A', 'b', 'B']);
  });

  it('applies the collation in $addToSet, $pull and arrayFilters', () => {
    const update = (
      spec: Record<string, unknown>,
      doc: Record<string, unknown>,
      arrayFilters?: Record<string, unknown>[],
    ) => compileUpdate(spec, { collation: caseInsensitive, arrayFilters }).apply(doc).doc;
    expect(update({ $addToSet: { t: 'A' } }, { _id: 1, t: ['a'] }).t).toEqual(['a']);
    expect(update({ $pull: { t: 'A' } }, { _id: 1, t: ['a', 'b'] }).t).toEqual(['b']);
    expect(update({ $set: { 't.$[e]': 'z' } }, { _id: 1, t: ['a', 'b'] }, [{ e: 'B' }]).t).toEqual([
      'a',
      'z',
    ]);
  });

  it('applies the collation to $match and $sort pipeline stages', () => {
    const out = runPipeline(
      docs,
      [{ $match: { x: 'PING' } }, { $project: { x: 1 } }, { $sort: { x: -1, _id: 1 } }],
      {
        now: NOW,
        collation: caseInsensitive,
      },
    );
    expect(out.map((d) => d._id)).toEqual([2, 3]);
  });

  it('applies the collation to $elemMatch projections', () => {
    const p = compileProjection({ t: { $elemMatch: { $eq: 'B' } } }, { collation: caseInsensitive });
    expect(p({ _id: 1, t: ['a', 'b'] })).toEqual({ _id: 1, t: ['b'] });
  });
});
