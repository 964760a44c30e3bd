/**
 * BSON type round-trips through mongoose 9 and the test database backend: Decimal128, int64 (BigInt /
 * Long), Date, ObjectId, Buffer and UUID keep their exact value and BSON type on the server, and
 * compare correctly in queries.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { createTestDatabase } from '../support/test-database.js';

const { Decimal128, Long, ObjectId } = mongoose.mongo;

interface Ledger {
  label: string;
  amount: InstanceType<typeof Decimal128>;
  big: bigint;
  when: Date;
  ref: InstanceType<typeof ObjectId>;
  blob: Buffer;
  uuid: string;
  history: Date[];
}

let backend: Awaited<ReturnType<typeof createTestDatabase>>;
let connection: Connection;
let Ledgers: Model<Ledger>;

const BIG = 9007199254740993n; // 2^53 + 1: not representable as a double
const WHEN = new Date('1969-07-20T20:17:40.123Z');
const REF = new ObjectId('64b7f0c2a1b2c3d4e5f60718');
const BLOB = Buffer.from([0, 1, 2, 250, 255, 0, 42]);
const UUID = '0f8fad5b-d9cb-469f-a165-70867728950e';

beforeAll(async () => {
  backend = await createTestDatabase();
  connection = mongoose.createConnection(backend.uri, { serverSelectionTimeoutMS: 10_000 });
  await connection.asPromise();
  Ledgers = connection.model<Ledger>(
    'Ledger',
    new Schema<Ledger>({
      label: String,
      amount: Schema.Types.Decimal128,
      big: Schema.Types.BigInt,
      when: Date,
      ref: Schema.Types.ObjectId,
      blob: Buffer,
      uuid: Schema.Types.UUID,
      history: [Date],
    }),
  );
  await Ledgers.init();
}, 60_000);

afterAll(async () => {
  await connection?.close();
  await backend?.stop();
});

beforeEach(async () => {
  await Ledgers.deleteMany({});
});

async function createSample(): Promise<mongoose.Types.ObjectId> {
  const doc = await Ledgers.create({
    label: 'sample',
    amount: Decimal128.fromString('12345.678900'),
    big: BIG,
    when: WHEN,
    ref: REF,
    blob: BLOB,
    uuid: UUID,
    history: [new Date(0), new Date(Date.UTC(2030, 0, 1, 12, 0, 0, 999))],
  });
  return doc._id;
}

describe('BSON type round-trips', () => {
  it('reads back exactly what was written, hydrated and lean', async () => {
    const id = await createSample();
    const hydrated = await Ledgers.findById(id);
    expect(hydrated?.amount.toString()).toBe('12345.678900');
    expect(hydrated?.big).toBe(BIG);
    expect(hydrated?.when.getTime()).toBe(WHEN.getTime());
    expect(hydrated?.ref.equals(REF)).toBe(true);
    expect(Buffer.from(hydrated!.blob).equals(BLOB)).toBe(true);
    expect(String(hydrated?.uuid)).toBe(UUID);
    expect(hydrated?.history.map((d) => d.toISOString())).toEqual([
      '1970-01-01T00:00:00.000Z',
      '2030-01-01T12:00:00.999Z',
    ]);

    const lean = await Ledgers.findById(id).lean();
    expect(String(lean?.amount)).toBe('12345.678900');
    expect(lean?.when).toEqual(WHEN);
  });

  it('stores each value with its BSON type on the server', async () => {
    await createSample();
    const raw = Ledgers.collection;
    const typed = await raw.countDocuments({
      amount: { $type: 'decimal' },
      big: { $type: 'long' },
      when: { $type: 'date' },
      ref: { $type: 'objectId' },
      blob: { $type: 'binData' },
      uuid: { $type: 'binData' },
      label: { $type: 'string' },
      history: { $type: 'date' },
    });
    expect(typed).toBe(1);
    const doc = await raw.findOne({}, { promoteLongs: false, promoteBuffers: false });
    expect(doc?.big).toBeInstanceOf(Long);
    expect((doc?.big as InstanceType<typeof Long>).toString()).toBe(BIG.toString());
    expect((doc?.uuid as { sub_type: number }).sub_type).toBe(4);
    expect((doc?.blob as { sub_type: number }).sub_type).toBe(0);
    const blob = doc?.blob as { buffer: Uint8Array; position: number };
    expect(Buffer.from(blob.buffer.subarray(0, blob.position)).equals(BLOB)).toBe(true);
    const asBigInt = await raw.findOne({}, { useBigInt64: true });
    expect(asBigInt?.big).toBe(BIG);
  });

  it('keeps int64 extremes and negative decimals exact', async () => {
    const raw = Ledgers.collection;
    await raw.insertMany([
      {
        label: 'min',
        big: Long.MIN_VALUE,
        amount: Decimal128.fromString('-0.000000000000000000000000000001'),
      },
      {
        label: 'max',
        big: Long.MAX_VALUE,
        amount: Decimal128.fromString('9999999999999999999999999999999999'),
      },
    ]);
    const docs = await raw.find({}, { sort: { big: 1 }, useBigInt64: true }).toArray();
    expect(docs.map((d) => [d.label, d.big, String(d.amount)])).toEqual([
      ['min', -9223372036854775808n, '-1E-30'],
      ['max', 9223372036854775807n, '9999999999999999999999999999999999'],
    ]);
  });

  it('compares values by type-aware order in queries and sorts', async () => {
    await Ledgers.create([
      { label: 'a', amount: Decimal128.fromString('1.10'), big: 10n, when: new Date('2024-01-01T00:00:00Z') },
      { label: 'b', amount: Decimal128.fromString('2.5'), big: BIG, when: new Date('2024-06-01T00:00:00Z') },
      { label: 'c', amount: Decimal128.fromString('-3'), big: -5n, when: new Date('2023-01-01T00:00:00Z') },
    ]);
    const labels = async (filter: Record<string, unknown>, sort: Record<string, 1 | -1> = { label: 1 }) =>
      (await Ledgers.find(filter).sort(sort).lean()).map((d) => d.label);

    expect(await labels({ amount: { $gt: 1 } })).toEqual(['a', 'b']);
    // Without mongoose's casting the server compares decimal against int32 and double numerically.
    expect(await Ledgers.collection.countDocuments({ amount: { $gt: 1 } })).toBe(2);
    expect(await Ledgers.collection.countDocuments({ amount: { $lt: -2.99 } })).toBe(1);
    expect(await Ledgers.collection.countDocuments({ amount: 2.5 })).toBe(1);
    expect(await labels({ amount: { $gte: Decimal128.fromString('1.1') } })).toEqual(['a', 'b']); // 1.10 == 1.1
    expect(await labels({ amount: 2.5 })).toEqual(['b']);
    expect(await labels({ big: { $gt: 9007199254740992n } })).toEqual(['b']);
    expect(await labels({ big: { $lt: 0 } })).toEqual(['c']);
    expect(await labels({ when: { $gte: new Date('2024-01-01T00:00:00Z') } })).toEqual(['a', 'b']);
    expect(await labels({}, { amount: -1 })).toEqual(['b', 'a', 'c']);
    expect(await labels({}, { when: 1 })).toEqual(['c', 'a', 'b']);
  });

  it('finds by ObjectId, Buffer and UUID equality', async () => {
    const id = await createSample();
    expect(await Ledgers.countDocuments({ _id: id })).toBe(1);
    expect(await Ledgers.countDocuments({ _id: new ObjectId() })).toBe(0);
    expect(await Ledgers.countDocuments({ ref: REF })).toBe(1);
    expect(await Ledgers.countDocuments({ blob: BLOB })).toBe(1);
    expect(await Ledgers.countDocuments({ blob: Buffer.from([0, 1, 2]) })).toBe(0);
    expect(await Ledgers.countDocuments({ uuid: UUID })).toBe(1);
    expect(id.getTimestamp().getTime()).toBeLessThanOrEqual(Date.now());
  });
});
