/**
 * Mongoose 9 against the test database backend (embedded engine, or MONGODB_URI): indexes, queries,
 * population, conditional and operator updates, upserts, bulk writes and duplicate-key errors, all
 * asserted against real MongoDB semantics.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { createTestDatabase } from '../support/test-database.js';

interface Person {
  email: string;
  name: string;
  team: string;
  level: number;
}

interface Asset {
  tag: string;
  site: string;
  serial: string;
  status: 'available' | 'assigned' | 'retired';
  owner?: mongoose.Types.ObjectId | null;
  labels: string[];
  checkouts: number;
  note?: string;
  parts: { sku: string; qty: number; flagged?: boolean }[];
}

let backend: Awaited<ReturnType<typeof createTestDatabase>>;
let connection: Connection;
let People: Model<Person>;
let Assets: Model<Asset>;

beforeAll(async () => {
  backend = await createTestDatabase();
  connection = mongoose.createConnection(backend.uri, { autoIndex: true, serverSelectionTimeoutMS: 10_000 });
  await connection.asPromise();

  const personSchema = new Schema<Person>({
    email: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    team: { type: String, required: true },
    level: { type: Number, default: 1 },
  });
  const assetSchema = new Schema<Asset>({
    tag: { type: String, required: true },
    site: { type: String, required: true },
    serial: { type: String, required: true },
    status: { type: String, enum: ['available', 'assigned', 'retired'], default: 'available' },
    owner: { type: Schema.Types.ObjectId, ref: 'Person', default: null },
    labels: { type: [String], default: [] },
    checkouts: { type: Number, default: 0 },
    note: String,
    parts: [{ _id: false, sku: String, qty: Number, flagged: Boolean }],
  });
  // Asset tags are unique per site; serial numbers are unique globally.
  assetSchema.index({ site: 1, tag: 1 }, { unique: true });
  assetSchema.index({ serial: 1 }, { unique: true });
  assetSchema.index({ status: 1, owner: 1 });

  People = connection.model<Person>('Person', personSchema);
  Assets = connection.model<Asset>('Asset', assetSchema);
  await Promise.all([People.init(), Assets.init()]);
}, 60_000);

afterAll(async () => {
  await connection?.close();
  await backend?.stop();
});

beforeEach(async () => {
  await Promise.all([People.deleteMany({}), Assets.deleteMany({})]);
});

async function seedPeople(): Promise<mongoose.HydratedDocument<Person>[]> {
  return People.create([
    { email: 'ada@example.com', name: 'Ada', team: 'eng', level: 3 },
    { email: 'bob@example.com', name: 'Bob', team: 'ops', level: 1 },
    { email: 'cyd@example.com', name: 'Cyd', team: 'eng', level: 2 },
    { email: 'dee@example.com', name: 'Dee', team: 'sales', level: 2 },
  ]);
}

describe('indexes from schemas (autoIndex, Model.init)', () => {
  it('creates the unique, compound and secondary indexes declared in the schemas', async () => {
    const personIndexes = await People.listIndexes();
    expect(personIndexes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: { _id: 1 }, name: '_id_' }),
        expect.objectContaining({ key: { email: 1 }, unique: true }),
      ]),
    );
    const assetIndexes = await Assets.listIndexes();
    const byName = new Map(assetIndexes.map((index) => [index.name, index]));
    expect(byName.get('site_1_tag_1')).toMatchObject({ key: { site: 1, tag: 1 }, unique: true });
    expect(byName.get('serial_1')).toMatchObject({ key: { serial: 1 }, unique: true });
    expect(byName.get('status_1_owner_1')).toMatchObject({ key: { status: 1, owner: 1 } });
    expect(byName.get('status_1_owner_1')?.unique).toBeUndefined();
    expect(assetIndexes).toHaveLength(4);
  });
});

describe('index builds over existing data', () => {
  it('refuses to build a unique index over duplicates and leaves no index behind; syncIndexes drops strays', async () => {
    // autoIndex off: the index must not exist before the duplicate data does.
    const schema = new Schema({ code: String, note: String }, { autoIndex: false });
    schema.index({ code: 1 }, { unique: true });
    const Badges = connection.model('Badge', schema, 'badges', { overwriteModels: true });
    // Raw inserts, so the data exists before any index does.
    await Badges.collection.insertMany([{ code: 'A' }, { code: 'A' }, { code: 'B' }]);
    const error = (await Badges.createIndexes().catch((e: unknown) => e)) as { code?: number };
    expect(error.code).toBe(11000);
    expect((await Badges.listIndexes()).map((index) => index.name)).toEqual(['_id_']);

    await Badges.deleteOne({ code: 'A' });
    await Badges.collection.createIndex({ note: 1 }, { name: 'stray_note' });
    const dropped = await Badges.syncIndexes();
    expect(dropped).toEqual(['stray_note']);
    expect((await Badges.listIndexes()).map((index) => index.name).sort()).toEqual(['_id_', 'code_1']);
    await Badges.collection.drop();
  });
});

describe('create / find / sort / skip / limit / populate', () => {
  it('creates documents with defaults and reads them back by id and by filter', async () => {
    const [ada] = await seedPeople();
    const found = await People.findById(ada!._id).lean();
    expect(found).toMatchObject({ email: 'ada@example.com', name: 'Ada', team: 'eng', level: 3 });
    const engineers = await People.find({ team: 'eng' }).sort({ name: 1 }).lean();
    expect(engineers.map((p) => p.name)).toEqual(['Ada', 'Cyd']);
    const bob = await People.findOne({ email: 'bob@example.com' });
    expect(bob?.level).toBe(1);
    const defaulted = await People.create({ email: 'eve@example.com', name: 'Eve', team: 'ops' });
    expect((await People.findById(defaulted._id).lean())?.level).toBe(1);
  });

  it('sorts on several keys, skips and limits', async () => {
    await seedPeople();
    const ordered = await People.find({}).sort({ level: -1, name: 1 }).lean();
    expect(ordered.map((p) => p.name)).toEqual(['Ada', 'Cyd', 'Dee', 'Bob']);
    const page = await People.find({}).sort({ level: -1, name: 1 }).skip(1).limit(2).lean();
    expect(page.map((p) => p.name)).toEqual(['Cyd', 'Dee']);
    const projected = await People.find({ level: { $gte: 2 } }, { name: 1, _id: 0 })
      .sort({ name: -1 })
      .lean();
    expect(projected).toEqual([{ name: 'Dee' }, { name: 'Cyd' }, { name: 'Ada' }]);
  });

  it('populates references', async () => {
    const [ada, bob] = await seedPeople();
    await Assets.create([
      { tag: 'LT-1', site: 'hq', serial: 'S1', status: 'assigned', owner: ada!._id },
      { tag: 'LT-2', site: 'hq', serial: 'S2', status: 'assigned', owner: bob!._id },
      { tag: 'LT-3', site: 'hq', serial: 'S3' },
    ]);
    const assets = await Assets.find({}).sort({ tag: 1 }).populate<{ owner: Person | null }>('owner').lean();
    expect(assets.map((a) => [a.tag, a.owner?.name ?? null])).toEqual([
      ['LT-1', 'Ada'],
      ['LT-2', 'Bob'],
      ['LT-3', null],
    ]);
    const one = await Assets.findOne({ tag: 'LT-2' })
      .populate<{ owner: Person }>('owner', 'email -_id')
      .lean();
    expect(one?.owner).toEqual({ email: 'bob@example.com' });
  });

  it('counts and lists distinct values', async () => {
    await seedPeople();
    expect(await People.countDocuments({})).toBe(4);
    expect(await People.countDocuments({ team: 'eng' })).toBe(2);
    expect(await People.countDocuments({ level: { $gt: 5 } })).toBe(0);
    expect(await People.estimatedDocumentCount()).toBe(4);
    expect((await People.distinct('team')).sort()).toEqual(['eng', 'ops', 'sales']);
    expect((await People.distinct('name', { level: 2 })).sort()).toEqual(['Cyd', 'Dee']);
  });
});

describe('updates', () => {
  it('applies a conditional findOneAndUpdate once; the second attempt finds nothing and returns null', async () => {
    const [ada, bob] = await seedPeople();
    const asset = await Assets.create({ tag: 'LT-9', site: 'hq', serial: 'S9' });
    const claim = (personId: mongoose.Types.ObjectId) =>
      Assets.findOneAndUpdate(
        { _id: asset._id, status: 'available' },
        { $set: { status: 'assigned', owner: personId }, $inc: { checkouts: 1 } },
        { returnDocument: 'after' },
      ).lean();
    const first = await claim(ada!._id);
    expect(first).toMatchObject({ status: 'assigned', checkouts: 1 });
    expect(String(first?.owner)).toBe(String(ada!._id));
    expect(await claim(bob!._id)).toBeNull();
    const stored = await Assets.findById(asset._id).lean();
    expect(String(stored?.owner)).toBe(String(ada!._id));
    expect(stored?.checkouts).toBe(1);

    // returnDocument 'before' hands back the pre-image.
    const before = await Assets.findOneAndUpdate(
      { _id: asset._id },
      { $set: { status: 'retired' } },
      { returnDocument: 'before' },
    ).lean();
    expect(before?.status).toBe('assigned');
  });

  it('updateMany with $set, $inc, $push, $pull, $addToSet and $unset', async () => {
    await Assets.create([
      { tag: 'A', site: 'hq', serial: 'SA', labels: ['x', 'old'], note: 'n1' },
      { tag: 'B', site: 'hq', serial: 'SB', labels: ['old'], note: 'n2' },
      { tag: 'C', site: 'lab', serial: 'SC', labels: ['x'] },
    ]);
    const set = await Assets.updateMany(
      { site: 'hq' },
      { $set: { status: 'retired' }, $inc: { checkouts: 2 } },
    );
    expect(set).toMatchObject({ acknowledged: true, matchedCount: 2, modifiedCount: 2 });
    await Assets.updateMany({}, { $push: { labels: 'new' } });
    await Assets.updateMany({}, { $pull: { labels: 'old' } });
    const addToSet = await Assets.updateMany({}, { $addToSet: { labels: 'x' } });
    expect(addToSet.matchedCount).toBe(3);
    expect(addToSet.modifiedCount).toBe(1); // only B lacked 'x'
    await Assets.updateMany({ note: { $exists: true } }, { $unset: { note: '' } });

    const docs = await Assets.find({}).sort({ tag: 1 }).lean();
    expect(docs.map((d) => [d.tag, d.status, d.checkouts, d.labels, 'note' in d])).toEqual([
      ['A', 'retired', 2, ['x', 'new'], false],
      ['B', 'retired', 2, ['new', 'x'], false],
      ['C', 'available', 0, ['x', 'new'], false],
    ]);
    const noop = await Assets.updateMany({ site: 'hq' }, { $set: { status: 'retired' } });
    expect(noop).toMatchObject({ matchedCount: 2, modifiedCount: 0 });
  });

  it('updates the matched array element with the positional $ operator', async () => {
    await Assets.create({
      tag: 'P',
      site: 'hq',
      serial: 'SP',
      parts: [
        { sku: 'ram', qty: 2 },
        { sku: 'ssd', qty: 1 },
      ],
    });
    const result = await Assets.updateOne({ tag: 'P', 'parts.sku': 'ssd' }, { $set: { 'parts.$.qty': 4 } });
    expect(result.modifiedCount).toBe(1);
    const doc = await Assets.findOne({ tag: 'P' }).lean();
    expect(doc?.parts).toEqual([
      { sku: 'ram', qty: 2 },
      { sku: 'ssd', qty: 4 },
    ]);
  });

  it('updates only the elements selected by arrayFilters', async () => {
    await Assets.create([
      {
        tag: 'Q',
        site: 'hq',
        serial: 'SQ',
        parts: [
          { sku: 'a', qty: 1 },
          { sku: 'b', qty: 5 },
          { sku: 'c', qty: 9 },
        ],
      },
      { tag: 'R', site: 'hq', serial: 'SR', parts: [{ sku: 'd', qty: 7 }] },
    ]);
    await Assets.updateMany(
      {},
      { $set: { 'parts.$[big].flagged': true } },
      { arrayFilters: [{ 'big.qty': { $gte: 5 } }] },
    );
    const docs = await Assets.find({}).sort({ tag: 1 }).lean();
    expect(docs.map((d) => d.parts)).toEqual([
      [
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 5, flagged: true },
        { sku: 'c', qty: 9, flagged: true },
      ],
      [{ sku: 'd', qty: 7, flagged: true }],
    ]);
  });

  it('upserts: inserts with the equality fields of the filter, then matches the existing document', async () => {
    const first = await People.updateOne(
      { email: 'new@example.com' },
      { $setOnInsert: { name: 'New', team: 'eng' }, $inc: { level: 1 } },
      // Only what the server does: no schema defaults folded into the upsert.
      { upsert: true, setDefaultsOnInsert: false },
    );
    expect(first).toMatchObject({ matchedCount: 0, modifiedCount: 0, upsertedCount: 1 });
    expect(first.upsertedId).toBeInstanceOf(mongoose.Types.ObjectId);
    const second = await People.updateOne(
      { email: 'new@example.com' },
      { $setOnInsert: { name: 'Other', team: 'ops' }, $inc: { level: 1 } },
      { upsert: true, setDefaultsOnInsert: false },
    );
    expect(second).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    const doc = await People.findOne({ email: 'new@example.com' }).lean();
    expect(doc).toMatchObject({ name: 'New', team: 'eng', level: 2 });
    expect(String(doc?._id)).toBe(String(first.upsertedId));

    const upserted = await Assets.findOneAndUpdate(
      { site: 'lab', tag: 'UP-1' },
      { $set: { serial: 'SU1' } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    expect(upserted).toMatchObject({ site: 'lab', tag: 'UP-1', serial: 'SU1' });
  });

  it('bulkWrite mixes inserts, updates, replaces, deletes and upserts and reports each count', async () => {
    await seedPeople();
    const result = await People.bulkWrite([
      { insertOne: { document: { email: 'fay@example.com', name: 'Fay', team: 'ops', level: 1 } } },
      { updateOne: { filter: { email: 'ada@example.com' }, update: { $inc: { level: 1 } } } },
      { updateMany: { filter: { team: 'eng' }, update: { $set: { team: 'platform' } } } },
      {
        replaceOne: {
          filter: { email: 'bob@example.com' },
          replacement: { email: 'bob@example.com', name: 'Robert', team: 'ops', level: 5 },
        },
      },
      { deleteOne: { filter: { email: 'dee@example.com' } } },
      {
        updateOne: {
          filter: { email: 'gus@example.com' },
          update: { $set: { name: 'Gus', team: 'eng', level: 1 } },
          upsert: true,
        },
      },
    ]);
    expect(result.insertedCount).toBe(1);
    expect(result.matchedCount).toBe(4);
    expect(result.modifiedCount).toBe(4);
    expect(result.deletedCount).toBe(1);
    expect(result.upsertedCount).toBe(1);
    expect(Object.keys(result.upsertedIds)).toEqual(['5']);
    const people = await People.find({}).sort({ email: 1 }).lean();
    expect(people.map((p) => [p.name, p.team, p.level])).toEqual([
      ['Ada', 'platform', 4],
      ['Robert', 'ops', 5],
      ['Cyd', 'platform', 2],
      ['Fay', 'ops', 1],
      ['Gus', 'eng', 1],
    ]);
  });

  it('deletes one and many', async () => {
    await seedPeople();
    expect(await People.deleteOne({ team: 'eng', level: 3 })).toMatchObject({ deletedCount: 1 });
    expect(await People.deleteOne({ team: 'nobody' })).toMatchObject({ deletedCount: 0 });
    expect(await People.deleteMany({ level: { $lte: 1 } })).toMatchObject({ deletedCount: 1 });
    expect((await People.find({}).sort({ name: 1 }).lean()).map((p) => p.name)).toEqual(['Cyd', 'Dee']);
    expect(await People.deleteMany({})).toMatchObject({ deletedCount: 2 });
    expect(await People.countDocuments()).toBe(0);
  });
});

describe('concurrent writers', () => {
  it('lets exactly one of many parallel conditional claims win', async () => {
    const people = await seedPeople();
    const asset = await Assets.create({ tag: 'RACE', site: 'hq', serial: 'SR-1' });
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        Assets.findOneAndUpdate(
          { _id: asset._id, status: 'available' },
          { $set: { status: 'assigned', owner: people[i % people.length]!._id }, $inc: { checkouts: 1 } },
          { returnDocument: 'after' },
        ).lean(),
      ),
    );
    expect(claims.filter((claim) => claim !== null)).toHaveLength(1);
    expect((await Assets.findById(asset._id).lean())?.checkouts).toBe(1);
  });

  it('lets exactly one of many parallel inserts of the same unique key succeed', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        People.create({ email: 'race@example.com', name: `R${i}`, team: 'x' }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const codes = outcomes.flatMap((o) =>
      o.status === 'rejected' ? [(o.reason as { code?: number }).code] : [],
    );
    expect(codes).toEqual(Array.from({ length: 19 }, () => 11000));
    expect(await People.countDocuments({ email: 'race@example.com' })).toBe(1);
  });
});

describe('duplicate keys', () => {
  it('surfaces E11000 as a MongoServerError with code 11000, keyPattern and keyValue', async () => {
    await seedPeople();
    const error = (await People.create({ email: 'ada@example.com', name: 'Ada 2', team: 'ops' }).catch(
      (e: unknown) => e,
    )) as (Error & Record<string, unknown>) | undefined;
    expect(error).toBeInstanceOf(mongoose.mongo.MongoServerError);
    expect(error?.code).toBe(11000);
    expect(error?.keyValue).toEqual({ email: 'ada@example.com' });
    expect(error?.keyPattern).toEqual({ email: 1 });
    expect(String(error?.message)).toMatch(/E11000 duplicate key error/);
    expect(await People.countDocuments({ email: 'ada@example.com' })).toBe(1);
  });

  it('enforces compound unique indexes only on the full key', async () => {
    await Assets.create({ tag: 'T-1', site: 'hq', serial: 'X1' });
    await Assets.create({ tag: 'T-1', site: 'lab', serial: 'X2' }); // same tag, other site: allowed
    const error = (await Assets.create({ tag: 'T-1', site: 'hq', serial: 'X3' }).catch(
      (e: unknown) => e,
    )) as Record<string, unknown>;
    expect(error.code).toBe(11000);
    expect(error.keyValue).toEqual({ site: 'hq', tag: 'T-1' });
  });

  it('rejects an update that would create a duplicate and leaves the document unchanged', async () => {
    await seedPeople();
    const error = (await People.updateOne(
      { email: 'bob@example.com' },
      { $set: { email: 'ada@example.com' } },
    ).catch((e: unknown) => e)) as Record<string, unknown>;
    expect(error).toBeInstanceOf(mongoose.mongo.MongoServerError);
    expect(error.code).toBe(11000);
    expect(await People.countDocuments({ email: 'bob@example.com' })).toBe(1);
  });

  it('reports the failing index of an unordered insertMany and keeps the other documents', async () => {
    await seedPeople();
    const error = (await People.insertMany(
      [
        { email: 'h1@example.com', name: 'H1', team: 'x' },
        { email: 'ada@example.com', name: 'dup', team: 'x' },
        { email: 'h2@example.com', name: 'H2', team: 'x' },
      ],
      { ordered: false },
    ).catch((e: unknown) => e)) as { code?: number; writeErrors?: { index: number; code: number }[] };
    expect(error.code).toBe(11000);
    expect(error.writeErrors?.map((w) => [w.index, w.code])).toEqual([[1, 11000]]);
    expect(await People.countDocuments({ team: 'x' })).toBe(2);
  });
});
