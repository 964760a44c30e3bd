/**
 * The database profiler as mongod has it: the `profile` command, and at level 2 one
 * `system.profile` entry per operation with mongod's field names and the keys / documents the
 * operation really examined.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Document } from 'mongodb';
import mongoose, { Schema } from 'mongoose';
import { openHarness } from './harness.js';
import type { Harness, Loose } from './harness.js';

const SIZE = 500;
let h: Harness;

beforeAll(async () => {
  h = await openHarness('profiler');
  const docs = Array.from({ length: SIZE }, (_, i) => ({
    _id: i,
    teamId: `t${i % 5}`,
    status: i % 2 ? 'open' : 'closed',
    note: `note ${i}`,
  }));
  await h.db.collection<Loose>('assets').insertMany(docs);
  await h.db.collection<Loose>('assets').createIndex({ teamId: 1, status: 1 });
});

afterAll(async () => {
  await h.db.command({ profile: 0 });
  await h.close();
});

/** Profiles at level 2 while `run` runs; returns the entries it produced for `collection`. */
async function profiled(collection: string, run: () => Promise<unknown>): Promise<Document[]> {
  await h.db.command({ profile: 2 });
  const since = new Date();
  try {
    await run();
  } finally {
    await h.db.command({ profile: 0 });
  }
  return h.db
    .collection('system.profile')
    .find({ ns: `${h.database.dbName}.${collection}`, ts: { $gte: since } })
    .sort({ ts: 1 })
    .toArray();
}

describe('the profile command', () => {
  it('sets and reads the level, answering with the previous settings', async () => {
    expect(await h.db.command({ profile: -1 })).toMatchObject({ was: 0, slowms: expect.any(Number), ok: 1 });
    expect(await h.db.command({ profile: 1, slowms: 250 })).toMatchObject({ was: 0, ok: 1 });
    expect(await h.db.command({ profile: -1 })).toMatchObject({ was: 1, slowms: 250 });
    expect(await h.db.command({ profile: 0, slowms: 100 })).toMatchObject({ was: 1, slowms: 250 });
    expect(await h.db.command({ profile: -1 })).toMatchObject({ was: 0, slowms: 100 });
  });

  it('records nothing at level 0, the default', async () => {
    await h.db.collection<Loose>('assets').findOne({ teamId: 't1' });
    const names = (await h.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).not.toContain('system.profile');
  });
});

describe('system.profile entries at level 2', () => {
  it('records an indexed find and its getMore, charging each batch its share', async () => {
    const entries = await profiled('assets', async () => {
      await h.db.collection<Loose>('assets').find({ teamId: 't1', status: 'open' }).batchSize(10).toArray();
    });
    const query = entries.find((e) => e.op === 'query')!;
    expect(query).toMatchObject({
      op: 'query',
      command: { find: 'assets', filter: { teamId: 't1', status: 'open' } },
      nreturned: 10,
      keysExamined: 10,
      docsExamined: 10,
      planSummary: 'IXSCAN { teamId: 1, status: 1 }',
      millis: expect.any(Number),
      ts: expect.any(Date),
      client: expect.any(String),
    });
    const getMores = entries.filter((e) => e.op === 'getmore');
    expect(getMores.length).toBeGreaterThan(0);
    expect(getMores[0]).toMatchObject({
      originatingCommand: { find: 'assets' },
      planSummary: 'IXSCAN { teamId: 1, status: 1 }',
    });
    const total = (field: string): number =>
      [query, ...getMores].reduce((sum, e) => sum + (e[field] as number), 0);
    expect(total('nreturned')).toBe(50);
    expect(total('docsExamined')).toBe(50);
    expect(total('keysExamined')).toBe(50);
  });

  it('records a scan of the whole collection as COLLSCAN with every document examined', async () => {
    const entries = await profiled('assets', async () => {
      await h.db.collection<Loose>('assets').find({ note: 'note 3' }).toArray();
    });
    expect(entries).toEqual([
      expect.objectContaining({
        op: 'query',
        planSummary: 'COLLSCAN',
        keysExamined: 0,
        docsExamined: SIZE,
        nreturned: 1,
      }),
    ]);
  });

  it('records a count answered from the index as COUNT_SCAN without fetching documents', async () => {
    const entries = await profiled('assets', async () => {
      await h.db.command({ count: 'assets', query: { teamId: 't2', status: 'open' } });
    });
    expect(entries).toEqual([
      expect.objectContaining({
        op: 'command',
        command: expect.objectContaining({ count: 'assets' }),
        planSummary: 'COUNT_SCAN { teamId: 1, status: 1 }',
        docsExamined: 0,
      }),
    ]);
    if (h.embedded) expect(entries[0]!.keysExamined).toBe(50);
  });

  it('records countDocuments and aggregate as commands with their plan', async () => {
    const entries = await profiled('assets', async () => {
      expect(await h.db.collection<Loose>('assets').countDocuments({ teamId: 't2', status: 'open' })).toBe(
        50,
      );
      await h.db
        .collection<Loose>('assets')
        .aggregate([{ $match: { teamId: 't3' } }, { $group: { _id: '$status', n: { $sum: 1 } } }])
        .toArray();
    });
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ op: 'command', command: { aggregate: 'assets' }, docsExamined: 0 });
    if (h.embedded) {
      expect(entries[0]).toMatchObject({
        planSummary: 'COUNT_SCAN { teamId: 1, status: 1 }',
        keysExamined: 50,
      });
    }
    expect(entries[1]).toMatchObject({
      op: 'command',
      command: { aggregate: 'assets' },
      keysExamined: 100,
      docsExamined: 100,
      nreturned: 2,
      planSummary: 'IXSCAN { teamId: 1, status: 1 }',
    });
  });

  it('records writes with their counts: insert, update statements and removes', async () => {
    const entries = await profiled('writes', async () => {
      const coll = h.db.collection<Loose>('writes');
      await coll.insertMany([
        { _id: 1, k: 'a', v: 1 },
        { _id: 2, k: 'b', v: 1 },
        { _id: 3, k: 'b', v: 2 },
      ]);
      await coll.updateMany({ k: 'b' }, { $set: { v: 2 } });
      await coll.deleteOne({ _id: 1 });
    });
    expect(entries.map((e) => e.op)).toEqual(['insert', 'update', 'remove']);
    expect(entries[0]).toMatchObject({ ninserted: 3 });
    expect(entries[1]).toMatchObject({
      command: { q: { k: 'b' }, u: { $set: { v: 2 } }, multi: true },
      nMatched: 2,
      nModified: 1,
      keysExamined: 0,
      docsExamined: 3,
      planSummary: 'COLLSCAN',
    });
    expect(entries[2]).toMatchObject({
      command: { q: { _id: 1 }, limit: 1 },
      ndeleted: 1,
      docsExamined: 1,
      keysExamined: 1,
    });
    expect(String(entries[2]!.planSummary)).toMatch(/^(IXSCAN \{ _id: 1 \}|IDHACK|EXPRESS_IXSCAN)/);
  });

  it('records mongoose queries too', async () => {
    const connection = await mongoose.createConnection(h.database.uri).asPromise();
    try {
      const Asset = connection.model(
        'Asset',
        new Schema({ teamId: String, status: String, note: String }, { collection: 'assets' }),
      );
      const entries = await profiled('assets', async () => {
        await Asset.find({ teamId: 't4', status: 'closed' }).lean();
      });
      // mongoose may also send its own commands (createCollection, createIndexes) on first use.
      expect(entries.filter((e) => e.op === 'query')).toEqual([
        expect.objectContaining({
          op: 'query',
          nreturned: 50,
          docsExamined: 50,
          planSummary: 'IXSCAN { teamId: 1, status: 1 }',
        }),
      ]);
    } finally {
      await connection.close();
    }
  });
});

describe('reading and clearing system.profile', () => {
  it('does not profile reads of system.profile itself', async () => {
    await h.db.command({ profile: 2 });
    try {
      await h.db.collection('system.profile').find({}).toArray();
      await h.db.collection('system.profile').countDocuments({});
    } finally {
      await h.db.command({ profile: 0 });
    }
    const ns = `${h.database.dbName}.system.profile`;
    expect(await h.db.collection('system.profile').countDocuments({ ns })).toBe(0);
  });

  it('keeps system.profile read-only, and droppable only with profiling off', async () => {
    await profiled('assets', () => h.db.collection<Loose>('assets').findOne({ _id: 1 }));
    const profile = h.db.collection('system.profile');
    await expect(profile.insertOne({ op: 'fake' })).rejects.toThrow();
    await expect(profile.deleteMany({})).rejects.toThrow();
    await h.db.command({ profile: 2 });
    await expect(profile.drop()).rejects.toThrow();
    await h.db.command({ profile: 0 });
    await profile.drop();
    expect(await profile.countDocuments({})).toBe(0);
  });

  it("lets system.profile be re-created larger, as a capped collection (mongod's documented way)", async () => {
    await h.db.command({ profile: 0 });
    await h.db
      .collection('system.profile')
      .drop()
      .catch(() => undefined);
    await h.db.createCollection('system.profile', { capped: true, size: 4 * 1024 * 1024 });
    const entries = await profiled('assets', () => h.db.collection<Loose>('assets').findOne({ _id: 2 }));
    expect(entries).toHaveLength(1);
    const [info] = await h.db.listCollections({ name: 'system.profile' }).toArray();
    expect(info).toMatchObject({ options: { capped: true, size: 4 * 1024 * 1024 } });
  });

  it('profiles only the operations a filter selects', async () => {
    await h.db.command({ profile: 1, filter: { op: 'query', docsExamined: { $gt: 100 } } });
    const since = new Date();
    try {
      await h.db.collection<Loose>('assets').find({ note: 'note 9' }).toArray();
      await h.db.collection<Loose>('assets').find({ teamId: 't0', status: 'open' }).toArray();
    } finally {
      await h.db.command({ profile: 0, filter: 'unset' });
    }
    const entries = await h.db
      .collection('system.profile')
      .find({ ts: { $gte: since } })
      .toArray();
    expect(entries.map((e) => e.planSummary)).toEqual(['COLLSCAN']);
  });
});
