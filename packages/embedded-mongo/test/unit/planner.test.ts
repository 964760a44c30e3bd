import { describe, expect, it } from '@jest/globals';
import { Long } from 'bson';
import { compileFilter } from '../../src/query/index.js';
import { candidates, choosePlan, countKeys, exactCountPlan, resolveHint } from '../../src/planner.js';
import type { ExecutionStats } from '../../src/planner.js';
import { CollectionStore } from '../../src/storage/collection-store.js';
import type { Doc } from '../../src/values.js';

/** A collection with mixed-type values, missing fields, nulls and arrays under several indexes. */
function buildCollection(): CollectionStore {
  const coll = new CollectionStore('db', 'c');
  const values: unknown[] = [
    1,
    2.5,
    3,
    Long.fromNumber(4),
    'a',
    'b',
    null,
    undefined,
    [1, 7],
    [],
    true,
    new Date(5),
  ];
  for (let i = 0; i < 240; i++) {
    const doc: Doc = { _id: i, b: i % 5, c: i % 7 };
    const a = values[i % values.length];
    if (a !== undefined) doc.a = a;
    doc.tags = i % 3 === 0 ? ['x', `t${i % 4}`] : `t${i % 4}`;
    coll.insert(doc);
  }
  coll.addIndex({ v: 2, key: { a: 1 }, name: 'a_1' });
  coll.addIndex({ v: 2, key: { b: 1, c: 1 }, name: 'b_1_c_1' });
  coll.addIndex({ v: 2, key: { tags: 1 }, name: 'tags_1' });
  return coll;
}

function run(
  coll: CollectionStore,
  filter: Doc,
  hint?: unknown,
): { ids: unknown[]; stats: ExecutionStats; index?: string } {
  const matcher = compileFilter(filter);
  const plan = choosePlan(coll, filter, resolveHint(coll, hint));
  const stats: ExecutionStats = { docsExamined: 0, keysExamined: 0 };
  const ids: unknown[] = [];
  for (const [, doc] of candidates(coll, plan, stats)) if (matcher.matches(doc)) ids.push(doc._id);
  return { ids: ids.sort((x, y) => (x as number) - (y as number)), stats, index: plan.index?.name };
}

function fullScan(coll: CollectionStore, filter: Doc): unknown[] {
  const matcher = compileFilter(filter);
  return [...coll.docs.values()].filter((d) => matcher.matches(d)).map((d) => d._id);
}

const FILTERS: Doc[] = [
  { a: 3 },
  { a: 1 },
  { a: null },
  { a: 'a' },
  { a: { $in: [1, 'b', null] } },
  { a: { $gt: 2 } },
  { a: { $gte: 1, $lt: 4 } },
  { a: { $lte: 'b' } },
  { a: { $gt: 5 } },
  { a: { $eq: 7 } },
  { b: 2 },
  { b: 2, c: { $gte: 3 } },
  { b: { $in: [1, 3] }, c: 4 },
  { $and: [{ b: 1 }, { c: { $lt: 2 } }] },
  { tags: 'x' },
  { tags: { $in: ['t1', 't2'] } },
  { tags: { $gt: 't1', $lt: 't3' } },
  { a: { $in: [] } },
  { c: 3 },
  { $or: [{ a: 3 }, { b: 2, c: 1 }] },
  { $or: [{ a: { $gt: 2 } }, { tags: 'x' }, { a: 1 }] },
  { b: 1, $or: [{ c: 2 }, { a: 'a' }] },
  { $and: [{ $or: [{ a: 3 }, { tags: 't1' }] }, { b: { $lt: 3 } }] },
  { $or: [{ a: 3 }, { c: 4 }] },
];

describe('planner', () => {
  it.each(FILTERS.map((f) => [JSON.stringify(f), f] as const))(
    'returns exactly what a full scan returns for %s',
    (_label, filter) => {
      const coll = buildCollection();
      expect(run(coll, filter).ids).toEqual(fullScan(coll, filter));
    },
  );

  it('uses an index for equality and examines only matching documents', () => {
    const coll = buildCollection();
    const result = run(coll, { a: 3 });
    expect(result.index).toBe('a_1');
    expect(result.stats.docsExamined).toBe(result.ids.length);
  });

  it('clamps a one-sided range to its type bracket', () => {
    const coll = buildCollection();
    const result = run(coll, { a: { $gt: 2 } });
    expect(result.index).toBe('a_1');
    // numbers above 2 only: no strings, booleans or dates are fetched
    expect(result.stats.docsExamined).toBe(result.ids.length);
  });

  it('uses both fields of a compound index', () => {
    const coll = buildCollection();
    const result = run(coll, { b: 2, c: 3 });
    expect(result.index).toBe('b_1_c_1');
    expect(result.stats.docsExamined).toBe(result.ids.length);
  });

  it('falls back to a collection scan for unindexed fields', () => {
    const coll = buildCollection();
    const result = run(coll, { c: 3 });
    expect(result.index).toBeUndefined();
    expect(result.stats.docsExamined).toBe(240);
  });

  it('bounds only one side of a range on a multikey index (elements may satisfy each side)', () => {
    const coll = new CollectionStore('db', 'm');
    coll.addIndex({ v: 2, key: { v: 1 }, name: 'v_1' });
    coll.insert({ _id: 1, v: [4, 11] });
    coll.insert({ _id: 2, v: 7 });
    coll.insert({ _id: 3, v: [20] });
    expect(run(coll, { v: { $gt: 5, $lt: 10 } }).ids).toEqual([1, 2]);
  });

  it('honours a hint, including {$natural: 1}, and refuses an unknown one', () => {
    const coll = buildCollection();
    expect(run(coll, { a: 3 }, 'b_1_c_1').index).toBe('b_1_c_1');
    expect(run(coll, { a: 3 }, { $natural: 1 }).index).toBeUndefined();
    expect(() => resolveHint(coll, 'nope')).toThrow('hint provided does not correspond to an existing index');
  });

  it('plans a $or whose branches all have an index as a union, each document fetched once', () => {
    const coll = buildCollection();
    const plan = choosePlan(coll, { $or: [{ a: 3 }, { b: 2, c: 1 }, { a: 3 }] });
    expect(plan.or?.map((scan) => scan.index.name)).toEqual(['a_1', 'b_1_c_1', 'a_1']);
    const result = run(coll, { $or: [{ a: 3 }, { b: 2, c: 1 }, { a: 3 }] });
    expect(result.stats.docsExamined).toBe(result.ids.length);
    expect(result.stats.keysExamined).toBeGreaterThan(result.stats.docsExamined);
  });

  it('scans the collection for a $or with a branch no index serves', () => {
    const coll = buildCollection();
    expect(choosePlan(coll, { $or: [{ a: 3 }, { c: 4 }] })).toEqual({});
  });

  it('uses a partial index only when the filter implies its filter', () => {
    const coll = new CollectionStore('db', 'p');
    coll.addIndex({ v: 2, key: { o: 1 }, name: 'o_1', partialFilterExpression: { live: true } });
    for (let i = 0; i < 20; i++) coll.insert({ _id: i, o: i % 4, live: i % 2 === 0 });
    expect(choosePlan(coll, { o: 2, live: true }).index?.name).toBe('o_1');
    expect(choosePlan(coll, { o: 2 }).index).toBeUndefined();
    expect(run(coll, { o: 1 }).ids).toEqual(fullScan(coll, { o: 1 }));
    expect(() => choosePlan(coll, { o: 1 }, coll.getIndex('o_1'))).toThrow('hint provided');
  });

  it('walks an index backwards for a descending sort with the leading field fixed', () => {
    const coll = buildCollection();
    const plan = choosePlan(coll, { b: 2 }, undefined, [{ path: 'c', parts: ['c'], direction: -1 }]);
    expect(plan).toMatchObject({ providesSort: true, backward: true });
    const stats: ExecutionStats = { docsExamined: 0, keysExamined: 0 };
    const cs = [...candidates(coll, plan, stats)].map(([, doc]) => doc.c as number);
    expect(cs).toEqual([...cs].sort((x, y) => y - x));
    expect(cs).toHaveLength(48);
  });

  it('never sorts on an array field through its index', () => {
    const coll = buildCollection();
    const plan = choosePlan(coll, { tags: 'x' }, undefined, [
      { path: 'tags', parts: ['tags'], direction: 1 },
    ]);
    expect(plan.providesSort).toBeUndefined();
  });

  it('sorts through a multikey index on a scalar field once the array field is fixed', () => {
    const coll = new CollectionStore('db', 'k');
    coll.addIndex({ v: 2, key: { team: 1, words: 1, tag: 1 }, name: 'team_words_tag' });
    for (let i = 0; i < 50; i++) {
      coll.insert({ _id: i, team: 'T', words: ['laptop', `w${i % 3}`], tag: `tag${(i * 17) % 50}` });
    }
    const sort = [{ path: 'tag', parts: ['tag'], direction: 1 as const }];
    const plan = choosePlan(coll, { team: 'T', words: 'laptop' }, undefined, sort);
    expect(plan).toMatchObject({ providesSort: true, backward: false });
    const stats: ExecutionStats = { docsExamined: 0, keysExamined: 0 };
    const tags = [...candidates(coll, plan, stats)].map(([, doc]) => doc.tag as string);
    expect(tags).toEqual([...tags].sort());
    expect(tags).toHaveLength(50);
    const keys = countKeys(exactCountPlan(coll, { team: 'T', words: 'laptop' })!);
    expect(keys).toMatchObject({ counted: 50, keysExamined: 50 });
    const either = countKeys(exactCountPlan(coll, { team: 'T', words: { $in: ['laptop', 'w1'] } })!);
    expect(either).toMatchObject({ counted: 50, dupsDropped: 17 });
  });

  it('answers counts from keys only when the bounds express the whole filter', () => {
    const coll = buildCollection();
    expect(exactCountPlan(coll, { b: 2, c: { $gte: 3 } })?.index.name).toBe('b_1_c_1');
    expect(exactCountPlan(coll, { b: { $in: [1, 3] } })?.index.name).toBe('b_1_c_1');
    expect(exactCountPlan(coll, { b: 2, a: 1 })).toBeUndefined();
    expect(exactCountPlan(coll, { tags: 'x' })?.index.name).toBe('tags_1'); // multikey: keys deduplicated
    expect(exactCountPlan(coll, { tags: { $gt: 't1', $lt: 't3' } })).toBeUndefined(); // one side per element
    expect(exactCountPlan(coll, { a: null })).toBeUndefined(); // null also matches missing
    const scan = exactCountPlan(coll, { b: 2, c: { $gte: 3 } })!;
    expect(countKeys(scan).counted).toBe(fullScan(coll, { b: 2, c: { $gte: 3 } }).length);
    expect(countKeys(exactCountPlan(coll, { tags: 'x' })!).counted).toBe(
      fullScan(coll, { tags: 'x' }).length,
    );
  });

  it('does not use a sparse index to find missing fields', () => {
    const coll = new CollectionStore('db', 's');
    coll.addIndex({ v: 2, key: { s: 1 }, name: 's_1', sparse: true });
    coll.insert({ _id: 1 });
    coll.insert({ _id: 2, s: null });
    coll.insert({ _id: 3, s: 1 });
    expect(run(coll, { s: null }).ids).toEqual([1, 2]);
  });
});
