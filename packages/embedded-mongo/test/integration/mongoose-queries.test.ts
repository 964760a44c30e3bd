/**
 * The query and update operators mongoose applications lean on, through mongoose 9 and the test
 * database backend: comparison / array / element / regex / $expr filters, the less common update
 * operators, document save() with versioning, timestamps, and findOneAndDelete / exists.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { createTestDatabase } from '../support/test-database.js';

interface Ticket {
  ref: string;
  title: string;
  priority: number;
  tags: string[];
  watchers: { name: string; role: string }[];
  meta?: { source?: string; retries?: number };
  estimate?: number | null;
  scores: number[];
  closedAt?: Date;
  createdAt?: Date;
  updatedAt?: Date;
}

let backend: Awaited<ReturnType<typeof createTestDatabase>>;
let connection: Connection;
let Tickets: Model<Ticket>;

beforeAll(async () => {
  backend = await createTestDatabase();
  connection = mongoose.createConnection(backend.uri, { serverSelectionTimeoutMS: 10_000 });
  await connection.asPromise();
  const schema = new Schema<Ticket>(
    {
      ref: { type: String, required: true, unique: true },
      title: String,
      priority: Number,
      tags: [String],
      watchers: [{ _id: false, name: String, role: String }],
      meta: { source: String, retries: Number },
      estimate: { type: Number, default: null },
      scores: [Number],
      closedAt: Date,
    },
    { timestamps: true, optimisticConcurrency: true },
  );
  Tickets = connection.model<Ticket>('Ticket', schema);
  await Tickets.init();
}, 60_000);

afterAll(async () => {
  await connection?.close();
  await backend?.stop();
});

beforeEach(async () => {
  await Tickets.deleteMany({});
  await Tickets.create([
    {
      ref: 'T-1',
      title: 'Laptop will not boot',
      priority: 1,
      tags: ['hardware', 'urgent'],
      watchers: [{ name: 'ada', role: 'owner' }],
      meta: { source: 'slack', retries: 0 },
      scores: [3, 9],
    },
    {
      ref: 'T-2',
      title: 'Monitor flickers',
      priority: 3,
      tags: ['hardware'],
      watchers: [
        { name: 'bob', role: 'owner' },
        { name: 'ada', role: 'cc' },
      ],
      meta: { source: 'email' },
      estimate: 2,
      scores: [5],
    },
    {
      ref: 'T-3',
      title: 'VPN access',
      priority: 2,
      tags: ['access', 'urgent', 'network'],
      watchers: [],
      estimate: 5,
      scores: [],
    },
  ]);
});

const refs = async (filter: Record<string, unknown>): Promise<string[]> =>
  (await Tickets.find(filter).sort({ ref: 1 }).lean()).map((t) => t.ref);

describe('query operators', () => {
  it('compares, includes and excludes', async () => {
    expect(await refs({ priority: { $gte: 2 } })).toEqual(['T-2', 'T-3']);
    expect(await refs({ priority: { $ne: 2 } })).toEqual(['T-1', 'T-2']);
    expect(await refs({ priority: { $in: [1, 3] } })).toEqual(['T-1', 'T-2']);
    expect(await refs({ priority: { $nin: [1, 3] } })).toEqual(['T-3']);
    expect(await refs({ $or: [{ priority: 1 }, { estimate: { $gt: 4 } }] })).toEqual(['T-1', 'T-3']);
    expect(await refs({ $and: [{ priority: { $gt: 1 } }, { priority: { $lt: 3 } }] })).toEqual(['T-3']);
    expect(await refs({ priority: { $not: { $gt: 1 } } })).toEqual(['T-1']);
    expect(await refs({ $nor: [{ priority: 1 }, { priority: 2 }] })).toEqual(['T-2']);
  });

  it('matches arrays by element, by all elements, by size and with $elemMatch', async () => {
    expect(await refs({ tags: 'urgent' })).toEqual(['T-1', 'T-3']);
    expect(await refs({ tags: { $all: ['hardware', 'urgent'] } })).toEqual(['T-1']);
    expect(await refs({ tags: { $size: 1 } })).toEqual(['T-2']);
    expect(await refs({ 'watchers.name': 'ada' })).toEqual(['T-1', 'T-2']);
    expect(await refs({ watchers: { $elemMatch: { name: 'ada', role: 'owner' } } })).toEqual(['T-1']);
    // Without $elemMatch the two conditions may hold on different elements.
    expect(await refs({ 'watchers.name': 'ada', 'watchers.role': 'owner' })).toEqual(['T-1', 'T-2']);
    expect(await refs({ scores: { $elemMatch: { $gt: 4, $lt: 6 } } })).toEqual(['T-2']);
    expect(await refs({ scores: { $gt: 4, $lt: 6 } })).toEqual(['T-1', 'T-2']); // 9 > 4 and 3 < 6
  });

  it('distinguishes null, missing and existing fields', async () => {
    expect(await refs({ estimate: null })).toEqual(['T-1']);
    expect(await refs({ closedAt: null })).toEqual(['T-1', 'T-2', 'T-3']); // missing matches null
    expect(await refs({ 'meta.retries': { $exists: true } })).toEqual(['T-1']);
    expect(await refs({ meta: { $exists: false } })).toEqual(['T-3']);
    expect(await refs({ estimate: { $type: 'null' } })).toEqual(['T-1']);
  });

  it('matches regular expressions, with options', async () => {
    expect(await refs({ title: /^v/i })).toEqual(['T-3']);
    expect(await refs({ title: { $regex: 'FLICK', $options: 'i' } })).toEqual(['T-2']);
    expect(await refs({ tags: /^net/ })).toEqual(['T-3']);
  });

  it('evaluates $expr over fields of the same document', async () => {
    expect(await refs({ $expr: { $gt: [{ $size: '$tags' }, '$priority'] } })).toEqual(['T-1', 'T-3']);
  });

  it('projects dotted paths and array slices', async () => {
    const doc = await Tickets.findOne(
      { ref: 'T-3' },
      { 'meta.source': 1, tags: { $slice: 2 }, _id: 0 },
    ).lean();
    expect(doc).toEqual({ tags: ['access', 'urgent'] });
    const withMeta = await Tickets.findOne({ ref: 'T-1' }, { 'meta.source': 1, _id: 0 }).lean();
    expect(withMeta).toEqual({ meta: { source: 'slack' } });
  });

  it('answers exists(), findOneAndDelete() and countDocuments with skip/limit', async () => {
    expect(await Tickets.exists({ ref: 'T-2' })).toMatchObject({ _id: expect.any(mongoose.Types.ObjectId) });
    expect(await Tickets.exists({ ref: 'T-9' })).toBeNull();
    const removed = await Tickets.findOneAndDelete({ tags: 'urgent' }, { sort: { priority: -1 } }).lean();
    expect(removed?.ref).toBe('T-3');
    expect(await Tickets.countDocuments({}, { skip: 1, limit: 5 })).toBe(1);
  });
});

describe('update operators', () => {
  it('applies $rename, $min, $max, $mul, $currentDate and $pop', async () => {
    const before = Date.now();
    await Tickets.collection.updateOne(
      { ref: 'T-2' },
      {
        $rename: { title: 'summary' },
        $min: { priority: 0 },
        $max: { 'meta.retries': 4 },
        $mul: { estimate: 3 },
        $currentDate: { closedAt: true },
        $pop: { watchers: -1 },
      },
    );
    const doc = await Tickets.collection.findOne({ ref: 'T-2' });
    expect(doc?.summary).toBe('Monitor flickers');
    expect(doc).not.toHaveProperty('title');
    expect(doc?.priority).toBe(0);
    expect(doc?.meta).toEqual({ source: 'email', retries: 4 });
    expect(doc?.estimate).toBe(6);
    expect(doc?.watchers).toEqual([{ name: 'ada', role: 'cc' }]);
    expect((doc?.closedAt as Date).getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('rejects $mul on an array field as mongod does (TypeMismatch)', async () => {
    const error = (await Tickets.collection
      .updateOne({ ref: 'T-2' }, { $mul: { scores: 2 } as never })
      .catch((e: unknown) => e)) as {
      code?: number;
    };
    expect(error.code).toBe(14);
  });

  it('pushes with $each, $sort and $slice, and pulls by condition', async () => {
    await Tickets.updateOne(
      { ref: 'T-2' },
      { $push: { scores: { $each: [1, 8, 4], $sort: -1, $slice: 3 } } },
    );
    expect((await Tickets.findOne({ ref: 'T-2' }).lean())?.scores).toEqual([8, 5, 4]);
    await Tickets.updateOne({ ref: 'T-2' }, { $pull: { scores: { $gte: 5 } } });
    expect((await Tickets.findOne({ ref: 'T-2' }).lean())?.scores).toEqual([4]);
    await Tickets.updateOne({ ref: 'T-2' }, { $pull: { watchers: { role: 'cc' } } });
    expect((await Tickets.findOne({ ref: 'T-2' }).lean())?.watchers).toEqual([
      { name: 'bob', role: 'owner' },
    ]);
  });

  it('refuses conflicting update paths (code 40)', async () => {
    const error = (await Tickets.collection
      .updateOne({ ref: 'T-1' }, { $set: { priority: 5 }, $inc: { priority: 1 } })
      .catch((e: unknown) => e)) as { code?: number };
    expect(error.code).toBe(40);
  });

  it('refuses to change _id (ImmutableField, code 66)', async () => {
    const error = (await Tickets.collection
      .updateOne({ ref: 'T-1' }, { $set: { _id: new mongoose.Types.ObjectId() } })
      .catch((e: unknown) => e)) as { code?: number };
    expect(error.code).toBe(66);
  });
});

describe('document save()', () => {
  it('maintains timestamps on create and update', async () => {
    const doc = await Tickets.findOne({ ref: 'T-1' });
    const created = doc!.createdAt!.getTime();
    expect(doc!.updatedAt!.getTime()).toBeGreaterThanOrEqual(created);
    await new Promise((resolve) => setTimeout(resolve, 15));
    await Tickets.updateOne({ ref: 'T-1' }, { $set: { priority: 2 } });
    const after = await Tickets.findOne({ ref: 'T-1' }).lean();
    expect(after!.createdAt!.getTime()).toBe(created);
    expect(after!.updatedAt!.getTime()).toBeGreaterThan(created);
  });

  it('saves changes to a loaded document and detects a concurrent edit through the version key', async () => {
    const first = await Tickets.findOne({ ref: 'T-2' });
    const second = await Tickets.findOne({ ref: 'T-2' });
    first!.tags.push('monitor');
    first!.priority = 4;
    await first!.save();
    const stored = await Tickets.findOne({ ref: 'T-2' }).lean();
    expect(stored).toMatchObject({ priority: 4, tags: ['hardware', 'monitor'], __v: 1 });

    second!.title = 'stale edit';
    const error = (await second!.save().catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(mongoose.Error.VersionError);
    expect((await Tickets.findOne({ ref: 'T-2' }).lean())?.title).toBe('Monitor flickers');
  });

  it('deletes a loaded document', async () => {
    const doc = await Tickets.findOne({ ref: 'T-3' });
    await doc!.deleteOne();
    expect(await Tickets.countDocuments()).toBe(2);
  });
});
