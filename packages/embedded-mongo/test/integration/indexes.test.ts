import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { MongoBulkWriteError, MongoServerError } from 'mongodb';
import type { Collection, Document } from 'mongodb';
import { openHarness } from './harness.js';
import type { Harness, Loose } from './harness.js';

let h: Harness;
let coll: Collection<Loose>;
beforeAll(async () => {
  h = await openHarness('indexes');
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.db
    .collection<Loose>('people')
    .drop()
    .catch(() => undefined);
  coll = h.db.collection<Loose>('people');
});

async function insertError(doc: Document): Promise<MongoServerError> {
  const err = await coll.insertOne(doc).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(MongoServerError);
  return err as MongoServerError;
}

describe('unique indexes', () => {
  it('refuses a duplicate on a single-field unique index with mongod’s write error shape', async () => {
    await coll.createIndex({ name: 1 }, { unique: true });
    await coll.insertOne({ name: 'x' });
    const reply = await h.db.command({ insert: 'people', documents: [{ name: 'x' }] });
    expect(reply.ok).toBe(1);
    expect(reply.n).toBe(0);
    const [writeError] = reply.writeErrors;
    expect(writeError.index).toBe(0);
    expect(writeError.code).toBe(11000);
    expect(writeError.keyPattern).toEqual({ name: 1 });
    expect(writeError.keyValue).toEqual({ name: 'x' });
    expect(writeError.errmsg).toBe(
      `E11000 duplicate key error collection: ${h.database.dbName}.people index: name_1 dup key: { name: "x" }`,
    );
  });

  it('surfaces a duplicate through the driver as code 11000 with keyValue', async () => {
    await coll.createIndex({ email: 1 }, { unique: true });
    await coll.insertOne({ email: 'a@b.c' });
    const err = await insertError({ email: 'a@b.c' });
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ email: 'a@b.c' });
  });

  it('refuses a duplicate _id', async () => {
    await coll.insertOne({ _id: 1 } as Document);
    const err = await insertError({ _id: 1 });
    expect(err.code).toBe(11000);
    expect(err.message).toContain('index: _id_ dup key: { _id: 1 }');
  });

  it('treats numerically equal values of different types as duplicates', async () => {
    await coll.createIndex({ n: 1 }, { unique: true });
    await coll.insertOne({ n: 1 });
    expect((await insertError({ n: 1.0 })).code).toBe(11000);
  });

  it('checks compound unique keys as a whole', async () => {
    await coll.createIndex({ a: 1, b: 1 }, { unique: true });
    await coll.insertMany([
      { a: 1, b: 1 },
      { a: 1, b: 2 },
    ]);
    const err = await insertError({ a: 1, b: 2 });
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ a: 1, b: 1 });
    expect(err.keyValue).toEqual({ a: 1, b: 2 });
  });

  it('counts a missing field as null, unless the index is sparse', async () => {
    await coll.createIndex({ code: 1 }, { unique: true });
    await coll.insertOne({ other: 1 });
    const err = await insertError({ other: 2 });
    expect(err.keyValue).toEqual({ code: null });
    await coll.drop();
    await coll.createIndex({ code: 1 }, { unique: true, sparse: true });
    await coll.insertMany([{ other: 1 }, { other: 2 }, { code: 'k' }]);
    expect((await insertError({ code: 'k' })).code).toBe(11000);
  });

  it('only constrains documents that match a partial filter', async () => {
    await coll.createIndex({ sku: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await coll.insertMany([
      { sku: 'a', active: false },
      { sku: 'a', active: false },
      { sku: 'a', active: true },
    ]);
    expect((await insertError({ sku: 'a', active: true })).code).toBe(11000);
  });

  it('indexes each array element of a multikey unique index', async () => {
    await coll.createIndex({ tags: 1 }, { unique: true });
    await coll.insertOne({ tags: ['red', 'blue'] });
    await coll.insertOne({ tags: ['green', 'green'] });
    const err = await insertError({ tags: ['blue', 'pink'] });
    expect(err.keyValue).toEqual({ tags: 'blue' });
  });

  it('refuses an update that would create a duplicate and leaves the document unchanged', async () => {
    await coll.createIndex({ name: 1 }, { unique: true });
    await coll.insertMany([
      { _id: 1, name: 'a' },
      { _id: 2, name: 'b' },
    ] as Document[]);
    const err = await coll.updateOne({ _id: 2 }, { $set: { name: 'a' } }).catch((e: unknown) => e);
    expect((err as MongoServerError).code).toBe(11000);
    expect(await coll.findOne({ _id: 2 })).toEqual({ _id: 2, name: 'b' });
  });

  it('fails findAndModify with a DuplicateKey command error', async () => {
    await coll.createIndex({ name: 1 }, { unique: true });
    await coll.insertMany([
      { _id: 1, name: 'a' },
      { _id: 2, name: 'b' },
    ] as Document[]);
    const err = (await h.db
      .command({ findAndModify: 'people', query: { _id: 2 }, update: { $set: { name: 'a' } } })
      .catch((e: unknown) => e)) as MongoServerError;
    expect(err.code).toBe(11000);
    expect(err.codeName).toBe('DuplicateKey');
    expect(err.keyValue).toEqual({ name: 'a' });
  });

  it('fails to build a unique index over existing duplicates', async () => {
    await coll.insertMany([{ name: 'a' }, { name: 'a' }]);
    const err = await coll.createIndex({ name: 1 }, { unique: true }).catch((e: unknown) => e);
    expect((err as MongoServerError).code).toBe(11000);
    const names = (await coll.listIndexes().toArray()).map((ix) => ix.name);
    expect(names).toEqual(['_id_']);
  });
});

describe('write batches', () => {
  beforeEach(async () => {
    await coll.createIndex({ k: 1 }, { unique: true });
  });

  it('stops an ordered batch at the first error', async () => {
    const err = (await coll
      .insertMany([{ k: 1 }, { k: 1 }, { k: 2 }], { ordered: true })
      .catch((e: unknown) => e)) as MongoBulkWriteError;
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    expect(err.result.insertedCount).toBe(1);
    expect(err.writeErrors).toHaveLength(1);
    expect(await coll.countDocuments()).toBe(1);
  });

  it('continues an unordered batch past errors and reports each with its index', async () => {
    const reply = await h.db.command({
      insert: 'people',
      documents: [{ k: 1 }, { k: 1 }, { k: 2 }, { k: 2 }, { k: 3 }],
      ordered: false,
    });
    expect(reply.n).toBe(3);
    expect(reply.writeErrors.map((e: Document) => e.index)).toEqual([1, 3]);
  });

  it('applies a bulkWrite of mixed operations', async () => {
    const result = await coll.bulkWrite([
      { insertOne: { document: { k: 10 } } },
      { updateOne: { filter: { k: 10 }, update: { $set: { x: 1 } } } },
      { updateOne: { filter: { k: 11 }, update: { $set: { x: 2 } }, upsert: true } },
      { deleteOne: { filter: { k: 10 } } },
    ]);
    expect(result.insertedCount).toBe(1);
    expect(result.modifiedCount).toBe(1);
    expect(result.upsertedCount).toBe(1);
    expect(result.deletedCount).toBe(1);
  });
});

describe('index management', () => {
  it('treats creating the same index again as a no-op', async () => {
    const first = await h.db.command({ createIndexes: 'people', indexes: [{ key: { a: 1 }, name: 'a_1' }] });
    expect(first).toMatchObject({
      numIndexesBefore: 1,
      numIndexesAfter: 2,
      createdCollectionAutomatically: true,
    });
    const again = await h.db.command({ createIndexes: 'people', indexes: [{ key: { a: 1 }, name: 'a_1' }] });
    expect(again).toMatchObject({
      numIndexesBefore: 2,
      numIndexesAfter: 2,
      note: 'all indexes already exist',
    });
  });

  it('refuses the same name with a different key (86) or options (85)', async () => {
    await coll.createIndex({ a: 1 }, { name: 'idx' });
    const keyConflict = await coll.createIndex({ b: 1 }, { name: 'idx' }).catch((e: unknown) => e);
    expect((keyConflict as MongoServerError).code).toBe(86);
    const optionConflict = await coll
      .createIndex({ a: 1 }, { name: 'idx', unique: true })
      .catch((e: unknown) => e);
    expect((optionConflict as MongoServerError).code).toBe(85);
  });

  it('lists indexes with their options', async () => {
    await coll.createIndex({ a: 1, b: -1 }, { unique: true, sparse: true });
    await coll.createIndex({ at: 1 }, { expireAfterSeconds: 3600 });
    const indexes = await coll.listIndexes().toArray();
    expect(indexes[0]).toMatchObject({ v: 2, key: { _id: 1 }, name: '_id_' });
    expect(indexes.find((ix) => ix.name === 'a_1_b_-1')).toMatchObject({ unique: true, sparse: true });
    expect(indexes.find((ix) => ix.name === 'at_1')).toMatchObject({ expireAfterSeconds: 3600 });
  });

  it('fails listIndexes on a missing collection with NamespaceNotFound (26)', async () => {
    const err = await h.db.command({ listIndexes: 'nope' }).catch((e: unknown) => e);
    expect((err as MongoServerError).code).toBe(26);
  });

  it('drops indexes by name, by key pattern and all with "*"', async () => {
    await coll.createIndexes([{ key: { a: 1 } }, { key: { b: 1 } }, { key: { c: 1 } }]);
    await coll.dropIndex('a_1');
    await h.db.command({ dropIndexes: 'people', index: { b: 1 } });
    let names = (await coll.listIndexes().toArray()).map((ix) => ix.name);
    expect(names).toEqual(['_id_', 'c_1']);
    const reply = await h.db.command({ dropIndexes: 'people', index: '*' });
    expect(reply.nIndexesWas).toBe(2);
    names = (await coll.listIndexes().toArray()).map((ix) => ix.name);
    expect(names).toEqual(['_id_']);
  });

  it('refuses dropping a missing index (27) and the _id index', async () => {
    await coll.insertOne({ a: 1 });
    const missing = await coll.dropIndex('zzz').catch((e: unknown) => e);
    expect((missing as MongoServerError).code).toBe(27);
    const idIndex = await coll.dropIndex('_id_').catch((e: unknown) => e);
    expect((idIndex as MongoServerError).code).toBe(72);
  });
});

describe('hints and collation', () => {
  beforeEach(async () => {
    await coll.insertMany([{ a: 1 }, { a: 2 }]);
    await coll.createIndex({ a: 1 });
  });

  it('accepts a hint naming an existing index by name or key pattern', async () => {
    expect(await coll.find({ a: 1 }).hint('a_1').toArray()).toHaveLength(1);
    expect(await coll.find({ a: 1 }).hint({ a: 1 }).toArray()).toHaveLength(1);
    expect(await coll.countDocuments({ a: 2 }, { hint: 'a_1' })).toBe(1);
  });

  it('refuses a hint that matches no index with BadValue (2)', async () => {
    const err = await coll
      .find({ a: 1 })
      .hint('nope_1')
      .toArray()
      .catch((e: unknown) => e);
    expect((err as MongoServerError).code).toBe(2);
    expect((err as MongoServerError).message).toContain(
      'hint provided does not correspond to an existing index',
    );
    const reply = await h.db.command({
      update: 'people',
      updates: [{ q: { a: 1 }, u: { $set: { b: 1 } }, hint: { zz: 1 } }],
    });
    expect(reply.writeErrors[0].code).toBe(2);
  });
});
