import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Double, MongoServerError, ObjectId } from 'mongodb';
import type { Collection, Document } from 'mongodb';
import { openHarness } from './harness.js';
import type { Harness, Loose } from './harness.js';

let h: Harness;
let coll: Collection<Loose>;
beforeAll(async () => {
  h = await openHarness('crud');
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.db
    .collection<Loose>('items')
    .drop()
    .catch(() => undefined);
  coll = h.db.collection<Loose>('items');
});

/** Raw command reply with the driver's number promotion turned off, to see BSON types. */
function raw(cmd: Document): Promise<Document> {
  return h.db.command(cmd, { promoteValues: false } as never);
}

describe('insert', () => {
  it('replies { n, ok: 1.0 } and generates an ObjectId _id placed first', async () => {
    const reply = await raw({ insert: 'items', documents: [{ a: 1 }, { b: 2, _id: 7 }] });
    expect(reply.ok).toBeInstanceOf(Double);
    expect(Number(reply.n)).toBe(2);
    const docs = await coll.find().toArray();
    expect(docs[0]!._id).toBeInstanceOf(ObjectId);
    expect(Object.keys(docs[1]!)).toEqual(['_id', 'b']);
  });

  it('creates the collection implicitly and lists it', async () => {
    await coll.insertOne({ a: 1 });
    const names = (await h.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).toContain('items');
  });

  it('refuses an array _id with InvalidIdField (53)', async () => {
    const reply = await h.db.command({ insert: 'items', documents: [{ _id: [1, 2] }] });
    expect(reply.writeErrors[0].code).toBe(53);
    expect(reply.writeErrors[0].errmsg).toContain("The '_id' value cannot be of type array");
  });

  it('accepts nested and top-level dollar-prefixed field names (mongod 5.0+)', async () => {
    await coll.insertOne({ _id: 1, a: { $b: 1 } });
    await coll.insertOne({ _id: 2, $c: 1 });
    expect(await coll.countDocuments()).toBe(2);
  });

  it('refuses a dollar-prefixed field inside _id', async () => {
    const reply = await h.db.command({ insert: 'items', documents: [{ _id: { $a: 1 } }] });
    expect(reply.writeErrors[0].code).toBeGreaterThan(0);
  });
});

describe('update', () => {
  beforeEach(async () => {
    await coll.insertMany([
      { _id: 1, x: 1, tags: ['a'] },
      { _id: 2, x: 2, tags: ['b'] },
      { _id: 3, x: 3, tags: [] },
    ]);
  });

  it('replies { n, nModified } and counts unchanged matches in n only', async () => {
    const reply = await h.db.command({
      update: 'items',
      updates: [{ q: { x: { $gte: 2 } }, u: { $set: { x: 2 } }, multi: true }],
    });
    expect(reply).toMatchObject({ n: 2, nModified: 1, ok: 1 });
    expect(reply.upserted).toBeUndefined();
  });

  it('upserts, seeding from the filter equality and $setOnInsert, and reports upserted [{index,_id}]', async () => {
    const reply = await h.db.command({
      update: 'items',
      updates: [
        { q: { _id: 1 }, u: { $set: { y: 1 } } },
        {
          q: { name: 'new', x: { $gt: 5 } },
          u: { $set: { y: 2 }, $setOnInsert: { created: true } },
          upsert: true,
        },
      ],
    });
    expect(reply.n).toBe(2);
    expect(reply.nModified).toBe(1);
    expect(reply.upserted).toHaveLength(1);
    expect(reply.upserted[0].index).toBe(1);
    expect(reply.upserted[0]._id).toBeInstanceOf(ObjectId);
    const created = await coll.findOne({ name: 'new' });
    expect(created).toMatchObject({ name: 'new', y: 2, created: true });
    expect(created!.x).toBeUndefined();
  });

  it('keeps _id on replacement and refuses changing it (66)', async () => {
    await coll.replaceOne({ _id: 1 }, { z: 9 });
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, z: 9 });
    const reply = await h.db.command({ update: 'items', updates: [{ q: { _id: 2 }, u: { _id: 20, z: 1 } }] });
    expect(reply.writeErrors[0].code).toBe(66);
    const err = await coll.updateOne({ _id: 2 }, { $set: { _id: 5 } }).catch((e: unknown) => e);
    expect((err as MongoServerError).code).toBe(66);
  });

  it('refuses multi: true with a replacement document (9)', async () => {
    const reply = await h.db.command({ update: 'items', updates: [{ q: {}, u: { a: 1 }, multi: true }] });
    expect(reply.writeErrors[0].code).toBe(9);
    expect(reply.writeErrors[0].errmsg).toMatch(
      /multi update is not supported for replacement-style update/i,
    );
  });

  it('refuses the 8.0 `sort` option of update statements as mongod 7.0 does (40415), changing nothing', async () => {
    const { versionArray } = await h.db.admin().command({ buildInfo: 1 });
    if (!h.embedded && versionArray[0] >= 8) return;
    await expect(
      h.db.command({ update: 'items', updates: [{ q: {}, u: { $set: { picked: true } }, sort: { x: -1 } }] }),
    ).rejects.toMatchObject({
      code: 40415,
      message: "BSON field 'update.updates.sort' is an unknown field.",
    });
    expect(await coll.countDocuments({ picked: true })).toBe(0);
  });

  it('applies arrayFilters', async () => {
    await coll.updateOne({ _id: 1 }, { $set: { 'tags.$[t]': 'z' } }, { arrayFilters: [{ t: 'a' }] });
    expect((await coll.findOne({ _id: 1 }))!.tags).toEqual(['z']);
  });

  it('applies an aggregation-pipeline update', async () => {
    await coll.updateOne({ _id: 2 }, [{ $set: { doubled: { $multiply: ['$x', 2] } } }]);
    expect((await coll.findOne({ _id: 2 }))!.doubled).toBe(4);
  });
});

describe('delete', () => {
  it('deletes one or many and replies { n }', async () => {
    await coll.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }]);
    const one = await h.db.command({ delete: 'items', deletes: [{ q: { k: 1 }, limit: 1 }] });
    expect(one).toMatchObject({ n: 1, ok: 1 });
    const many = await h.db.command({ delete: 'items', deletes: [{ q: {}, limit: 0 }] });
    expect(many.n).toBe(2);
  });
});

describe('findAndModify', () => {
  beforeEach(async () => {
    await coll.insertMany([
      { _id: 1, state: 'idle', n: 1 },
      { _id: 2, state: 'idle', n: 2 },
    ]);
  });

  it('returns the old document by default and the new one with new: true', async () => {
    const before = await h.db.command({
      findAndModify: 'items',
      query: { _id: 1 },
      update: { $inc: { n: 1 } },
    });
    expect(before.value).toEqual({ _id: 1, state: 'idle', n: 1 });
    expect(before.lastErrorObject).toEqual({ n: 1, updatedExisting: true });
    const after = await h.db.command({
      findAndModify: 'items',
      query: { _id: 1 },
      update: { $inc: { n: 1 } },
      new: true,
      fields: { n: 1 },
    });
    expect(after.value).toEqual({ _id: 1, n: 3 });
  });

  it('picks the first match in sort order', async () => {
    const reply = await h.db.command({
      findAndModify: 'items',
      query: { state: 'idle' },
      sort: { n: -1 },
      update: { $set: { state: 'busy' } },
      new: true,
    });
    expect(reply.value._id).toBe(2);
  });

  it('reports upserted in lastErrorObject', async () => {
    const reply = await h.db.command({
      findAndModify: 'items',
      query: { _id: 9 },
      update: { $set: { state: 'new' } },
      upsert: true,
      new: true,
    });
    expect(reply.lastErrorObject).toEqual({ n: 1, updatedExisting: false, upserted: 9 });
    expect(reply.value).toEqual({ _id: 9, state: 'new' });
  });

  it('returns value null and n 0 when nothing matches', async () => {
    const reply = await h.db.command({
      findAndModify: 'items',
      query: { _id: 99 },
      update: { $set: { a: 1 } },
    });
    expect(reply.value).toBeNull();
    expect(reply.lastErrorObject).toEqual({ n: 0, updatedExisting: false });
  });

  it('removes with remove: true', async () => {
    const reply = await h.db.command({ findAndModify: 'items', query: { _id: 2 }, remove: true });
    expect(reply.value).toEqual({ _id: 2, state: 'idle', n: 2 });
    expect(reply.lastErrorObject).toEqual({ n: 1 });
    expect(await coll.countDocuments()).toBe(1);
  });

  it('is a conditional update: the second attempt finds nothing', async () => {
    const first = await coll.findOneAndUpdate({ _id: 1, state: 'idle' }, { $set: { state: 'busy' } });
    const second = await coll.findOneAndUpdate({ _id: 1, state: 'idle' }, { $set: { state: 'busy' } });
    expect(first).not.toBeNull();
    expect(second).toBeNull();
  });
});

describe('reads', () => {
  beforeEach(async () => {
    await coll.insertMany([
      { _id: 1, g: 'a', v: 3, arr: [1, 2] },
      { _id: 2, g: 'b', v: 1, arr: [2, 3] },
      { _id: 3, g: 'a', v: 2 },
    ]);
  });

  it('finds with filter, sort, skip, limit and projection', async () => {
    const docs = await coll
      .find({ g: 'a' }, { projection: { v: 1, _id: 0 } })
      .sort({ v: 1 })
      .toArray();
    expect(docs).toEqual([{ v: 2 }, { v: 3 }]);
    const page = await coll.find({}).sort({ _id: 1 }).skip(1).limit(1).toArray();
    expect(page.map((d) => d._id)).toEqual([2]);
  });

  it('counts and counts with a query', async () => {
    expect((await h.db.command({ count: 'items' })).n).toBe(3);
    expect((await h.db.command({ count: 'items', query: { g: 'a' } })).n).toBe(2);
    expect((await h.db.command({ count: 'missing' })).n).toBe(0);
    expect(await coll.estimatedDocumentCount()).toBe(3);
  });

  it('returns distinct values, flattening arrays', async () => {
    expect((await coll.distinct('g')).sort()).toEqual(['a', 'b']);
    expect((await coll.distinct('arr')).sort()).toEqual([1, 2, 3]);
    expect(await coll.distinct('v', { g: 'a' })).toEqual(expect.arrayContaining([2, 3]));
  });

  it('aggregates with $match/$group/$sort and a $lookup into another collection', async () => {
    await h.db.collection<Loose>('groups').insertMany([
      { _id: 'a', label: 'Alpha' },
      { _id: 'b', label: 'Beta' },
    ]);
    const out = await coll
      .aggregate([
        { $match: { v: { $gte: 1 } } },
        { $group: { _id: '$g', total: { $sum: '$v' } } },
        { $lookup: { from: 'groups', localField: '_id', foreignField: '_id', as: 'group' } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(out).toEqual([
      { _id: 'a', total: 5, group: [{ _id: 'a', label: 'Alpha' }] },
      { _id: 'b', total: 1, group: [{ _id: 'b', label: 'Beta' }] },
    ]);
  });

  it('writes aggregation results with $out', async () => {
    await coll.aggregate([{ $match: { g: 'a' } }, { $out: 'items_a' }]).toArray();
    expect(await h.db.collection<Loose>('items_a').countDocuments()).toBe(2);
  });

  it('runs a database-level aggregate with $documents', async () => {
    const out = await h.db.aggregate([{ $documents: [{ x: 1 }, { x: 2 }] }, { $match: { x: 2 } }]).toArray();
    expect(out).toEqual([{ x: 2 }]);
  });
});

describe('collections and databases', () => {
  it('creates explicitly, refuses a conflicting re-create, drops and lists databases', async () => {
    await h.db.createCollection('explicit');
    const err = await h.db.command({ create: 'explicit', capped: true, size: 1000 }).catch((e: unknown) => e);
    expect((err as MongoServerError).code).toBeGreaterThan(0);
    const dbs = await h.client.db('admin').command({ listDatabases: 1, nameOnly: true });
    expect(dbs.databases.map((d: Document) => d.name)).toContain(h.database.dbName);
    expect(await h.db.collection<Loose>('explicit').drop()).toBe(true);
    const names = (await h.db.listCollections().toArray()).map((c) => c.name);
    expect(names).not.toContain('explicit');
  });

  it('filters listCollections by name and returns a cursor reply', async () => {
    await coll.insertOne({ a: 1 });
    await h.db.collection<Loose>('other').insertOne({ a: 1 });
    const reply = await h.db.command({ listCollections: 1, filter: { name: 'items' } });
    expect(reply.cursor.ns).toBe(`${h.database.dbName}.$cmd.listCollections`);
    expect(reply.cursor.firstBatch.map((c: Document) => c.name)).toEqual(['items']);
    expect(reply.cursor.firstBatch[0].type).toBe('collection');
  });
});

describe('collation', () => {
  beforeEach(async () => {
    await coll.insertMany([
      { _id: 1, name: 'ping' },
      { _id: 2, name: 'PING' },
      { _id: 3, name: 'pong' },
    ]);
    await coll.createIndex({ name: 1 });
  });

  const caseInsensitive = { locale: 'en', strength: 2 };

  it('matches, counts and deletes case-insensitively with strength 2, even with an index on the field', async () => {
    const found = await coll
      .find({ name: 'Ping' }, { collation: caseInsensitive })
      .sort({ _id: 1 })
      .toArray();
    expect(found.map((d) => d._id)).toEqual([1, 2]);
    expect(await coll.countDocuments({ name: 'PinG' }, { collation: caseInsensitive })).toBe(2);
    expect(await coll.find({ name: 'Ping' }).toArray()).toEqual([]);
    const deleted = await coll.deleteMany({ name: 'ping' }, { collation: caseInsensitive });
    expect(deleted.deletedCount).toBe(2);
  });

  it('collapses values equal under the collation in distinct', async () => {
    const values = await coll.distinct('name', {}, { collation: { locale: 'en', strength: 1 } });
    expect(values).toHaveLength(2);
  });
});

describe('unsupported features are refused, not answered wrongly', () => {
  it('refuses change streams on a standalone', async () => {
    const stream = coll.watch();
    const err = await stream.tryNext().catch((e: unknown) => e);
    await stream.close();
    expect((err as MongoServerError).code).toBe(40573);
  });

  it('refuses $text without a text index (and, in the embedded engine, $where)', async () => {
    await coll.insertOne({ a: 1 });
    await expect(coll.find({ $text: { $search: 'x' } }).toArray()).rejects.toBeInstanceOf(MongoServerError);
    // A real mongod runs $where as server-side JavaScript; the embedded engine has none and says so.
    if (h.embedded) {
      await expect(coll.find({ $where: 'this.a == 1' }).toArray()).rejects.toBeInstanceOf(MongoServerError);
    }
  });
});

describe('views', () => {
  beforeEach(async () => {
    await h.db
      .collection('stock')
      .drop()
      .catch(() => undefined);
    await h.db
      .collection('in_stock')
      .drop()
      .catch(() => undefined);
    await h.db.collection<Loose>('stock').insertMany([
      { _id: 1, qty: 0, sku: 'a' },
      { _id: 2, qty: 5, sku: 'b' },
      { _id: 3, qty: 9, sku: 'c' },
    ]);
    await h.db.createCollection('in_stock', { viewOn: 'stock', pipeline: [{ $match: { qty: { $gt: 0 } } }] });
  });

  it('reads through the view pipeline with find, count, distinct and aggregate', async () => {
    const view = h.db.collection<Loose>('in_stock');
    expect((await view.find({ qty: { $lt: 9 } }).toArray()).map((d) => d._id)).toEqual([2]);
    expect(await view.countDocuments()).toBe(2);
    expect(await view.estimatedDocumentCount()).toBe(2);
    expect((await view.distinct('sku')).sort()).toEqual(['b', 'c']);
    const total = await view.aggregate([{ $group: { _id: null, qty: { $sum: '$qty' } } }]).toArray();
    expect(total[0]!.qty).toBe(14);
  });

  it('is listed as a view and refuses writes with CommandNotSupportedOnView (166)', async () => {
    const infos = await h.db.listCollections({ name: 'in_stock' }).toArray();
    expect(infos[0]).toMatchObject({ type: 'view', options: { viewOn: 'stock' } });
    const err = await h.db
      .collection('in_stock')
      .insertOne({ qty: 1 })
      .catch((e: unknown) => e);
    expect((err as MongoServerError).code).toBe(166);
    await h.db.collection('in_stock').drop();
    expect(await h.db.listCollections({ name: 'in_stock' }).toArray()).toEqual([]);
  });
});
