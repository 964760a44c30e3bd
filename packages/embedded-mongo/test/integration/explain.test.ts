/**
 * explain reports the plan that really ran — COLLSCAN, IXSCAN under FETCH, OR index unions,
 * partial indexes, COUNT_SCAN, in-memory SORT, LIMIT / SKIP — with the keys and documents it
 * examined. Shapes mongod 7.0 shares are asserted everywhere; engine-only details are guarded.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Document } from 'mongodb';
import { openHarness } from './harness.js';
import type { Harness, Loose } from './harness.js';

const SIZE = 1000;
let h: Harness;

beforeAll(async () => {
  h = await openHarness('explain');
  const items = Array.from({ length: SIZE }, (_, i) => ({
    _id: i,
    teamId: `t${i % 10}`,
    status: i % 4 === 0 ? 'open' : 'closed',
    n: i,
    tag: `x${i}`,
    note: `note ${i}`,
  }));
  await h.db.collection<Loose>('items').insertMany(items);
  await h.db.collection<Loose>('items').createIndex({ teamId: 1, status: 1 });
  await h.db.collection<Loose>('items').createIndex({ n: 1 });
  await h.db.collection<Loose>('items').createIndex({ tag: 1 });

  const tickets = Array.from({ length: 300 }, (_, i) => ({
    _id: i,
    owner: `u${i % 20}`,
    archived: i % 3 === 0,
    code: i % 2 ? `c${i}` : i,
    ...(i % 5 === 0 ? { due: new Date(1_700_000_000_000 + i) } : {}),
  }));
  const coll = h.db.collection<Loose>('tickets');
  await coll.insertMany(tickets);
  await coll.createIndex({ owner: 1 }, { partialFilterExpression: { archived: false } });
  await coll.createIndex({ due: 1 }, { partialFilterExpression: { due: { $exists: true } } });
  await coll.createIndex({ code: 1 }, { partialFilterExpression: { code: { $type: 'string' } } });
});

afterAll(async () => {
  await h.close();
});

/** Every stage of a plan tree, depth first. */
function stagesOf(plan: Document | undefined): Document[] {
  if (!plan) return [];
  const inputs: Document[] = plan.inputStages ?? (plan.inputStage ? [plan.inputStage] : []);
  return [plan, ...inputs.flatMap(stagesOf)];
}

function stageNames(plan: Document | undefined): string[] {
  return stagesOf(plan).map((s) => s.stage as string);
}

async function explainFind(filter: Document, options: Document = {}): Promise<Document> {
  return h.db.command({ explain: { find: 'items', filter, ...options }, verbosity: 'executionStats' });
}

describe('explain of find', () => {
  it('reports a filter no index can serve as COLLSCAN over the whole collection', async () => {
    const explain = await explainFind({ note: 'note 7' });
    expect(stageNames(explain.queryPlanner.winningPlan)).toEqual(['COLLSCAN']);
    expect(explain.executionStats).toMatchObject({
      nReturned: 1,
      totalKeysExamined: 0,
      totalDocsExamined: SIZE,
      executionStages: { stage: 'COLLSCAN', docsExamined: SIZE, nReturned: 1 },
    });
    expect(typeof explain.executionStats.executionTimeMillis).toBe('number');
  });

  it('reports an indexed equality as IXSCAN under FETCH with its bounds', async () => {
    const explain = await explainFind({ teamId: 't3', status: 'open' });
    const plan = explain.queryPlanner.winningPlan;
    expect(stageNames(plan)).toEqual(['FETCH', 'IXSCAN']);
    expect(plan.inputStage).toMatchObject({
      indexName: 'teamId_1_status_1',
      keyPattern: { teamId: 1, status: 1 },
      indexBounds: { teamId: ['["t3", "t3"]'], status: ['["open", "open"]'] },
    });
    // i % 10 === 3 and i % 4 === 0 cannot both hold: no document matches, none is fetched.
    expect(explain.executionStats).toMatchObject({ nReturned: 0, totalDocsExamined: 0 });
  });

  it('examines only the documents inside the bounds of a range', async () => {
    const explain = await explainFind({ n: { $gte: 100, $lt: 120 }, status: 'open' });
    expect(stageNames(explain.queryPlanner.winningPlan)).toEqual(['FETCH', 'IXSCAN']);
    expect(explain.queryPlanner.winningPlan.inputStage.indexBounds).toEqual({ n: ['[100, 120)'] });
    expect(explain.executionStats).toMatchObject({
      nReturned: 5,
      totalKeysExamined: 20,
      totalDocsExamined: 20,
    });
  });

  it('plans a $or whose branches all have an index as an OR of index scans, fetching each document once', async () => {
    const explain = await explainFind({
      $or: [{ n: { $lt: 10 } }, { tag: { $in: ['x1', 'x2', 'x500'] } }],
    });
    const stages = stagesOf(explain.queryPlanner.winningPlan);
    expect(stages.map((s) => s.stage)).toContain('OR');
    expect(stages.map((s) => s.stage)).not.toContain('COLLSCAN');
    expect(stages.filter((s) => s.stage === 'IXSCAN').map((s) => s.indexName)).toEqual(['n_1', 'tag_1']);
    expect(explain.executionStats).toMatchObject({
      nReturned: 11,
      totalKeysExamined: 13,
      totalDocsExamined: 11,
    });
  });

  it('keeps the other predicates of a $or query as a filter over the union', async () => {
    const explain = await explainFind({ status: 'open', $or: [{ n: { $lt: 8 } }, { tag: 'x900' }] });
    expect(stageNames(explain.queryPlanner.winningPlan)).toContain('OR');
    expect(explain.executionStats).toMatchObject({ nReturned: 3, totalDocsExamined: 9 });
  });

  it('scans the collection when one $or branch has no index, as mongod does', async () => {
    const explain = await explainFind({ $or: [{ n: 5 }, { note: 'note 9' }] });
    expect(stageNames(explain.queryPlanner.winningPlan)).toEqual(['COLLSCAN']);
    expect(explain.executionStats).toMatchObject({ nReturned: 2, totalDocsExamined: SIZE });
  });

  it('reports an in-memory sort as a SORT stage', async () => {
    const explain = await explainFind({ teamId: 't3' }, { sort: { note: 1 }, limit: 5 });
    const plan = explain.queryPlanner.winningPlan;
    expect(stageNames(plan)).toContain('SORT');
    expect(stagesOf(plan).find((s) => s.stage === 'SORT')).toMatchObject({ sortPattern: { note: 1 } });
    expect(explain.executionStats).toMatchObject({ nReturned: 5, totalDocsExamined: 100 });
  });

  it('walks an index in sort order instead of sorting, stopping at the limit', async () => {
    const explain = await explainFind({}, { sort: { n: -1 }, limit: 5 });
    const names = stageNames(explain.queryPlanner.winningPlan);
    expect(names).not.toContain('SORT');
    expect(names).toContain('IXSCAN');
    expect(stagesOf(explain.queryPlanner.winningPlan).find((s) => s.stage === 'IXSCAN')).toMatchObject({
      indexName: 'n_1',
      direction: 'backward',
    });
    expect(explain.executionStats).toMatchObject({ nReturned: 5, totalDocsExamined: 5 });
    const docs = await h.db.collection<Loose>('items').find({}).sort({ n: -1 }).limit(3).toArray();
    expect(docs.map((d) => d.n)).toEqual([999, 998, 997]);
  });

  it('reports skip and limit as SKIP and LIMIT stages', async () => {
    const explain = await explainFind({ teamId: 't3' }, { skip: 2, limit: 3 });
    expect(stageNames(explain.queryPlanner.winningPlan)).toEqual(
      expect.arrayContaining(['LIMIT', 'SKIP', 'FETCH', 'IXSCAN']),
    );
    expect(explain.executionStats.nReturned).toBe(3);
  });

  it('omits execution statistics at queryPlanner verbosity', async () => {
    const explain = await h.db.command({
      explain: { find: 'items', filter: { n: 3 } },
      verbosity: 'queryPlanner',
    });
    expect(explain.queryPlanner.winningPlan.stage).toBe('FETCH');
    expect(explain.executionStats).toBeUndefined();
  });

  it('answers the driver cursor explain with allPlansExecution', async () => {
    const explain = await h.db.collection<Loose>('items').find({ tag: 'x5' }).explain('allPlansExecution');
    expect(explain.executionStats).toMatchObject({
      nReturned: 1,
      totalKeysExamined: 1,
      totalDocsExamined: 1,
    });
    expect(Array.isArray(explain.executionStats.allPlansExecution)).toBe(true);
  });
});

describe('partial indexes', () => {
  async function planFor(filter: Document): Promise<Document> {
    return h.db.command({ explain: { find: 'tickets', filter }, verbosity: 'executionStats' });
  }

  function indexNames(explain: Document): string[] {
    return stagesOf(explain.queryPlanner.winningPlan)
      .filter((s) => s.stage === 'IXSCAN')
      .map((s) => s.indexName as string);
  }

  it('uses a partial index when an equality in the query implies its filter', async () => {
    const explain = await planFor({ owner: 'u1', archived: false });
    expect(indexNames(explain)).toEqual(['owner_1']);
    expect(explain.executionStats.nReturned).toBe(10);
    expect(explain.executionStats.totalDocsExamined).toBe(10);
  });

  it('does not use a partial index the query does not imply (it would miss documents)', async () => {
    const explain = await planFor({ owner: 'u1' });
    expect(stageNames(explain.queryPlanner.winningPlan)).toEqual(['COLLSCAN']);
    expect(explain.executionStats.nReturned).toBe(15);
    const count = await h.db.collection<Loose>('tickets').countDocuments({ owner: 'u1' });
    expect(count).toBe(15);
  });

  it('uses an $exists partial index for an equality to a value', async () => {
    const due = new Date(1_700_000_000_000 + 15);
    const explain = await planFor({ due });
    expect(indexNames(explain)).toEqual(['due_1']);
    expect(explain.executionStats).toMatchObject({ nReturned: 1, totalDocsExamined: 1 });
  });

  it('uses a $type partial index only for a value of that type', async () => {
    expect(indexNames(await planFor({ code: 'c7' }))).toEqual(['code_1']);
    const numeric = await planFor({ code: 8 });
    expect(stageNames(numeric.queryPlanner.winningPlan)).toEqual(['COLLSCAN']);
    expect(numeric.executionStats.nReturned).toBe(1);
  });

  it('refuses a hint to a partial index the query does not imply', async () => {
    const error = await h.db
      .collection<Loose>('tickets')
      .find({ owner: 'u1' })
      .hint('owner_1')
      .toArray()
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(Error);
  });
});

describe('counts answered from the index', () => {
  it('answers count from index keys alone with COUNT_SCAN', async () => {
    const explain = await h.db.command({
      explain: { count: 'items', query: { teamId: 't3', status: 'closed' } },
      verbosity: 'executionStats',
    });
    const names = stageNames(explain.queryPlanner.winningPlan);
    expect(names).toEqual(['COUNT', 'COUNT_SCAN']);
    expect(explain.executionStats.totalDocsExamined).toBe(0);
    if (h.embedded) expect(explain.executionStats.totalKeysExamined).toBe(100);
    const { n } = await h.db.command({ count: 'items', query: { teamId: 't3', status: 'closed' } });
    expect(n).toBe(100);
  });

  it('fetches documents when the filter has a predicate the index cannot express', async () => {
    const explain = await h.db.command({
      explain: { count: 'items', query: { teamId: 't3', note: 'note 3' } },
      verbosity: 'executionStats',
    });
    expect(stageNames(explain.queryPlanner.winningPlan)).toEqual(['COUNT', 'FETCH', 'IXSCAN']);
    expect(explain.executionStats.totalDocsExamined).toBe(100);
  });

  it('answers countDocuments (with skip and limit) from the index', async () => {
    const coll = h.db.collection<Loose>('items');
    expect(await coll.countDocuments({ teamId: 't3', status: 'closed' })).toBe(100);
    expect(await coll.countDocuments({ n: { $gte: 10, $lt: 50 } }, { skip: 5, limit: 20 })).toBe(20);
    expect(await coll.countDocuments({ teamId: 't3', status: 'open' })).toBe(0);
    if (!h.embedded) return;
    // The aggregate the driver sends for countDocuments; mongod 7.0 may run it in its SBE engine.
    const explain = await h.db.command({
      explain: {
        aggregate: 'items',
        pipeline: [{ $match: { teamId: 't3', status: 'closed' } }, { $group: { _id: 1, n: { $sum: 1 } } }],
        cursor: {},
      },
      verbosity: 'executionStats',
    });
    const cursor = explain.stages[0].$cursor;
    expect(cursor.queryPlanner.winningPlan).toMatchObject({
      stage: 'COUNT_SCAN',
      indexName: 'teamId_1_status_1',
    });
    expect(cursor.executionStats).toMatchObject({ totalKeysExamined: 100, totalDocsExamined: 0 });
    expect(explain.stages[1]).toMatchObject({ $group: { _id: 1, n: { $sum: 1 } }, nReturned: 1 });
  });
});

describe('explain of other commands', () => {
  it('explains an aggregate with a leading $match as its query plan', async () => {
    const explain = await h.db
      .collection<Loose>('items')
      .aggregate([{ $match: { tag: 'x42' } }, { $project: { n: 1 } }])
      .explain('executionStats');
    const cursor = explain.stages ? explain.stages[0].$cursor : explain;
    expect(stageNames(cursor.queryPlanner.winningPlan)).toEqual(['FETCH', 'IXSCAN']);
  });

  it('explains distinct with the plan of its query', async () => {
    const explain = await h.db.command({
      explain: { distinct: 'items', key: 'status', query: { n: { $lt: 4 } } },
      verbosity: 'executionStats',
    });
    expect(stageNames(explain.queryPlanner.winningPlan)).toContain('IXSCAN');
    expect(explain.executionStats.totalKeysExamined).toBeGreaterThanOrEqual(4);
  });

  it('explains an update and a delete without writing anything', async () => {
    const update = await h.db.command({
      explain: { update: 'items', updates: [{ q: { n: 7 }, u: { $set: { note: 'changed' } } }] },
      verbosity: 'executionStats',
    });
    expect(stageNames(update.queryPlanner.winningPlan)).toEqual(['UPDATE', 'FETCH', 'IXSCAN']);
    const remove = await h.db.command({
      explain: { delete: 'items', deletes: [{ q: { note: 'note 8' }, limit: 0 }] },
      verbosity: 'executionStats',
    });
    expect(stageNames(remove.queryPlanner.winningPlan)).toEqual(['DELETE', 'COLLSCAN']);
    expect(remove.executionStats.totalDocsExamined).toBe(SIZE);
    expect(await h.db.collection<Loose>('items').countDocuments({ note: 'note 8' })).toBe(1);
    expect(await h.db.collection<Loose>('items').countDocuments({ note: 'changed' })).toBe(0);
  });

  it('explains a collated query as the scan it really runs', async () => {
    const explain = await h.db.command({
      explain: { count: 'items', query: { tag: 'X5' }, collation: { locale: 'en', strength: 2 } },
      verbosity: 'executionStats',
    });
    if (h.embedded) {
      // Index keys are binary-ordered here, so a collated string query scans.
      expect(stageNames(explain.queryPlanner.winningPlan)).toEqual(['COUNT', 'COLLSCAN']);
      expect(explain.executionStats.totalDocsExamined).toBe(SIZE);
    }
  });
});
