import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Long } from 'mongodb';
import type { Document, MongoServerError } from 'mongodb';
import { openHarness } from './harness.js';
import type { Harness, Loose } from './harness.js';

let h: Harness;
const TOTAL = 250;
beforeAll(async () => {
  h = await openHarness('cursors');
  await h.db.collection<Loose>('many').insertMany(Array.from({ length: TOTAL }, (_, i) => ({ _id: i, i })));
});
afterAll(async () => {
  await h.close();
});

describe('cursors', () => {
  it('returns a first batch of 101 documents by default with an Int64 cursor id', async () => {
    const reply = await h.db.command({ find: 'many', filter: {} }, { promoteLongs: false } as never);
    expect(reply.cursor.firstBatch).toHaveLength(101);
    expect(reply.cursor.id).toBeInstanceOf(Long);
    expect(reply.cursor.id.isZero()).toBe(false);
    expect(reply.cursor.ns).toBe(`${h.database.dbName}.many`);
    await h.db.command({ killCursors: 'many', cursors: [reply.cursor.id] });
  });

  it('honours batchSize on find and getMore, then closes the cursor (id 0) when exhausted', async () => {
    const first = await h.db.command({ find: 'many', batchSize: 100, sort: { _id: 1 } }, {
      promoteLongs: false,
    } as never);
    expect(first.cursor.firstBatch).toHaveLength(100);
    const id = first.cursor.id as Long;
    const second = await h.db.command({ getMore: id, collection: 'many', batchSize: 100 }, {
      promoteLongs: false,
    } as never);
    expect(second.cursor.nextBatch).toHaveLength(100);
    expect(second.cursor.nextBatch[0].i).toBe(100);
    expect(second.cursor.id.equals(id)).toBe(true);
    const third = await h.db.command({ getMore: id, collection: 'many' }, { promoteLongs: false } as never);
    expect(third.cursor.nextBatch).toHaveLength(50);
    expect(third.cursor.id.isZero()).toBe(true);
    const gone = await h.db.command({ getMore: id, collection: 'many' }).catch((e: unknown) => e);
    expect((gone as MongoServerError).code).toBe(43);
  });

  it('iterates every document through the driver across getMores', async () => {
    const docs = await h.db.collection<Loose>('many').find({}, { batchSize: 30 }).toArray();
    expect(docs).toHaveLength(TOTAL);
    expect(new Set(docs.map((d) => d.i)).size).toBe(TOTAL);
  });

  it('applies limit and skip, and closes a single-batch cursor', async () => {
    const limited = await h.db.command({ find: 'many', sort: { i: 1 }, skip: 10, limit: 5 });
    expect(limited.cursor.firstBatch.map((d: Document) => d.i)).toEqual([10, 11, 12, 13, 14]);
    expect(Number(limited.cursor.id)).toBe(0);
    const single = await h.db.command({ find: 'many', batchSize: 3, singleBatch: true });
    expect(single.cursor.firstBatch).toHaveLength(3);
    expect(Number(single.cursor.id)).toBe(0);
    const negative = await h.db.collection<Loose>('many').find({}).limit(-4).toArray();
    expect(negative).toHaveLength(4);
  });

  it('kills cursors and reports killed / not found ids', async () => {
    const open = await h.db.command({ find: 'many', batchSize: 2 }, { promoteLongs: false } as never);
    const id = open.cursor.id as Long;
    const unknown = Long.fromNumber(123456789);
    const reply = await h.db.command({ killCursors: 'many', cursors: [id, unknown] }, {
      promoteLongs: false,
    } as never);
    expect(reply.cursorsKilled.map(String)).toEqual([id.toString()]);
    expect(reply.cursorsNotFound.map(String)).toEqual([unknown.toString()]);
    expect(reply.cursorsAlive).toEqual([]);
    expect(reply.cursorsUnknown).toEqual([]);
    const err = await h.db.command({ getMore: id, collection: 'many' }).catch((e: unknown) => e);
    expect((err as MongoServerError).code).toBe(43);
    expect((err as MongoServerError).codeName).toBe('CursorNotFound');
  });

  it('closes a driver cursor early with killCursors', async () => {
    const cursor = h.db.collection<Loose>('many').find({}, { batchSize: 10 });
    await cursor.next();
    const id = cursor.id!;
    await cursor.close();
    const err = await h.db.command({ getMore: id, collection: 'many' }).catch((e: unknown) => e);
    expect((err as MongoServerError).code).toBe(43);
  });

  it('returns an empty, closed cursor for a missing collection', async () => {
    const reply = await h.db.command({ find: 'does_not_exist' });
    expect(reply.cursor.firstBatch).toEqual([]);
    expect(Number(reply.cursor.id)).toBe(0);
  });

  it('pages aggregate results with cursor.batchSize', async () => {
    const reply = await h.db.command({
      aggregate: 'many',
      pipeline: [{ $match: {} }],
      cursor: { batchSize: 5 },
    });
    expect(reply.cursor.firstBatch).toHaveLength(5);
    const all = await h.db
      .collection<Loose>('many')
      .aggregate([{ $sort: { i: -1 } }], { batchSize: 7 })
      .toArray();
    expect(all).toHaveLength(TOTAL);
    expect(all[0]!.i).toBe(TOTAL - 1);
  });

  it('caps a batch at 16 MiB', async () => {
    const big = 'x'.repeat(1024 * 1024);
    await h.db.collection<Loose>('big').insertMany(Array.from({ length: 20 }, (_, i) => ({ i, big })));
    const reply = await h.db.command({ find: 'big', batchSize: 20 });
    expect(reply.cursor.firstBatch.length).toBeLessThan(20);
    expect(reply.cursor.firstBatch.length).toBeGreaterThanOrEqual(15);
    const all = await h.db.collection<Loose>('big').find({}, { batchSize: 20 }).toArray();
    expect(all).toHaveLength(20);
  });
});
