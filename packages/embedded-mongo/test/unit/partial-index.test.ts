import { describe, expect, it } from '@jest/globals';
import { filterImplies } from '../../src/partial-index.js';

describe('a query implies a partial index filter', () => {
  it.each([
    ['an equality by the same equality', { status: 'open', team: 1 }, { status: 'open' }],
    ['$eq by a plain equality', { status: 'open' }, { status: { $eq: 'open' } }],
    ['$exists by an equality to a value', { due: new Date(5) }, { due: { $exists: true } }],
    ['$exists by a range', { n: { $gt: 3 } }, { n: { $exists: true } }],
    ['$type by an equality to a value of that type', { code: 'c1' }, { code: { $type: 'string' } }],
    ['a number $type alias', { n: 4 }, { n: { $type: 'number' } }],
    ['a range by a tighter range', { n: { $gte: 10 } }, { n: { $gt: 5 } }],
    ['a range by an equality inside it', { n: 7 }, { n: { $gt: 5, $lte: 7 } }],
    ['$in by an equality in the list', { kind: 'a' }, { kind: { $in: ['a', 'b'] } }],
    ['an equality by an $in of one value', { kind: { $in: ['a'] } }, { kind: 'a' }],
    ['the same predicate verbatim', { $or: [{ a: 1 }, { b: 2 }] }, { $or: [{ a: 1 }, { b: 2 }] }],
    ['conjunctions inside $and', { $and: [{ a: 1 }, { b: 2 }] }, { a: 1, b: { $exists: true } }],
  ])('%s', (_label, query, partial) => {
    expect(filterImplies(query, partial)).toBe(true);
  });

  it.each([
    ['a missing predicate', { team: 1 }, { status: 'open' }],
    ['a different equality', { status: 'closed' }, { status: 'open' }],
    ['$exists by an equality to null', { due: null }, { due: { $exists: true } }],
    ['$type by a value of another type', { code: 5 }, { code: { $type: 'string' } }],
    ['a range by a looser range', { n: { $gt: 1 } }, { n: { $gt: 5 } }],
    ['$gt by $gte of the same bound', { n: { $gte: 5 } }, { n: { $gt: 5 } }],
    ['$in by an $in with a value outside it', { kind: { $in: ['a', 'c'] } }, { kind: { $in: ['a', 'b'] } }],
    ['$exists: false', { due: 1 }, { due: { $exists: false } }],
  ])('not %s', (_label, query, partial) => {
    expect(filterImplies(query, partial)).toBe(false);
  });
});
