import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import type { Document } from 'mongodb';
import { openHarness } from './harness.js';
import type { Harness, Loose } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await openHarness('planner');
  const docs = Array.from({ length: 2000 }, (_, i) => ({ _id: i, n: i, group: i % 10, tag: `t${i}` }));
  await h.db.collection<Loose>('big').insertMany(docs);
  await h.db.collection<Loose>('big').createIndex({ n: 1 });
  await h.db.collection<Loose>('big').createIndex({ group: 1, n: 1 });
});
afterAll(async () => {
  await h.close();
});

async function examined(filter: Document, sort?: Document): Promise<Document> {
  const explain = await h.db
    .collection<Loose>('big')
    .find(filter, sort ? { sort } : {})
    .explain('executionStats');
  return explain.executionStats as Document;
}

describe('indexed lookups do not scan the collection', () => {
  it('examines only the matching document for an indexed equality', async () => {
    const stats = await examined({ n: 1234 });
    expect(stats.nReturned).toBe(1);
    expect(stats.totalDocsExamined).toBe(1);
  });

  it('examines only the matching document for an _id lookup', async () => {
    expect((await examined({ _id: 42 })).totalDocsExamined).toBe(1);
  });

  it('examines only the documents inside an indexed range', async () => {
    const stats = await examined({ n: { $gte: 100, $lt: 110 } });
    expect(stats.nReturned).toBe(10);
    expect(stats.totalDocsExamined).toBe(10);
  });

  it('uses a compound index prefix with $in', async () => {
    const stats = await examined({ group: { $in: [3, 4] }, n: { $lt: 100 } });
    expect(stats.nReturned).toBe(20);
    expect(stats.totalDocsExamined).toBeLessThanOrEqual(20);
  });

  it('scans everything for an unindexed field (the contrast)', async () => {
    const stats = await examined({ tag: 't5' });
    expect(stats.nReturned).toBe(1);
    expect(stats.totalDocsExamined).toBe(2000);
  });

  it('returns the same documents through the index as a full scan would', async () => {
    const viaIndex = await h.db
      .collection<Loose>('big')
      .find({ n: { $in: [5, 7, 1999] } })
      .sort({ n: 1 })
      .toArray();
    expect(viaIndex.map((d) => d.n)).toEqual([5, 7, 1999]);
    const hinted = await h.db
      .collection<Loose>('big')
      .find({ n: { $gt: 1995 } })
      .hint({ $natural: 1 })
      .toArray();
    expect(hinted.map((d) => d.n).sort()).toEqual([1996, 1997, 1998, 1999]);
  });
});

describe('atomic single-document writes under concurrency', () => {
  const CLIENTS = 12;
  const ATTEMPTS_PER_CLIENT = 4;

  it('lets exactly one of many concurrent conditional updates win', async () => {
    const coll = h.db.collection<Loose>('race');
    await coll.insertOne({ _id: 'job' as never, state: 'free' });
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, () => new MongoClient(h.database.uri, { maxPoolSize: 4 }).connect()),
    );
    try {
      const attempts = clients.flatMap((client, c) =>
        Array.from({ length: ATTEMPTS_PER_CLIENT }, (_, a) =>
          client
            .db(h.database.dbName)
            .collection<Loose>('race')
            .findOneAndUpdate(
              { _id: 'job' as never, state: 'free' },
              { $set: { state: 'taken', by: `${c}-${a}` } },
            ),
        ),
      );
      const results = await Promise.all(attempts);
      const winners = results.filter((r) => r !== null);
      expect(winners).toHaveLength(1);
      const final = await coll.findOne({ _id: 'job' as never });
      expect(final!.state).toBe('taken');

      const counters = await Promise.all(
        clients.map((client) =>
          client
            .db(h.database.dbName)
            .collection<Loose>('race')
            .updateOne({ _id: 'job' as never, state: 'taken' }, { $set: { state: 'done' } }),
        ),
      );
      expect(counters.reduce((sum, r) => sum + r.modifiedCount, 0)).toBe(1);

      await coll.insertOne({ _id: 'counter' as never, n: 0 });
      await Promise.all(
        clients.map((client) =>
          client
            .db(h.database.dbName)
            .collection<Loose>('race')
            .updateOne({ _id: 'counter' as never }, { $inc: { n: 1 } }),
        ),
      );
      expect((await coll.findOne({ _id: 'counter' as never }))!.n).toBe(CLIENTS);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });
});
