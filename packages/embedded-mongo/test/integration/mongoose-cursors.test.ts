/**
 * Cursors through mongoose 9 against the test database backend: results larger than the first
 * batch (101 documents), explicit batch sizes, and closing a cursor early — the server must kill it
 * (killCursors reply lists it, a later getMore on it fails with CursorNotFound).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import type { CommandStartedEvent, CommandSucceededEvent, Long } from 'mongodb';
import { createTestDatabase } from '../support/test-database.js';

interface Reading {
  seq: number;
  sensor: string;
}

let backend: Awaited<ReturnType<typeof createTestDatabase>>;
let connection: Connection;
let Readings: Model<Reading>;
const started: CommandStartedEvent[] = [];
const succeeded: CommandSucceededEvent[] = [];
const TOTAL = 250;

beforeAll(async () => {
  backend = await createTestDatabase();
  connection = mongoose.createConnection(backend.uri, {
    monitorCommands: true,
    serverSelectionTimeoutMS: 10_000,
  });
  await connection.asPromise();
  connection.getClient().on('commandStarted', (event) => started.push(event));
  connection.getClient().on('commandSucceeded', (event) => succeeded.push(event));
  Readings = connection.model<Reading>('Reading', new Schema<Reading>({ seq: Number, sensor: String }));
  await Readings.init();
  await Readings.insertMany(Array.from({ length: TOTAL }, (_, i) => ({ seq: i, sensor: `s${i % 5}` })));
}, 60_000);

afterAll(async () => {
  await connection?.close();
  await backend?.stop();
});

beforeEach(() => {
  started.length = 0;
  succeeded.length = 0;
});

const commands = (name: string): CommandStartedEvent[] =>
  started.filter((event) => event.commandName === name);

describe('cursors', () => {
  it('returns all 250 documents of a plain find, fetching past the 101-document first batch with getMore', async () => {
    const docs = await Readings.find({}).sort({ seq: 1 }).lean();
    expect(docs).toHaveLength(TOTAL);
    expect(docs.map((d) => d.seq)).toEqual(Array.from({ length: TOTAL }, (_, i) => i));
    expect(commands('find')).toHaveLength(1);
    expect(commands('getMore').length).toBeGreaterThanOrEqual(1);
    // The first batch is limited to 101 documents when no batchSize is given.
    const firstReply = succeeded.find((event) => event.commandName === 'find')!.reply as {
      cursor: { firstBatch: unknown[] };
    };
    expect(firstReply.cursor.firstBatch).toHaveLength(101);
  });

  it('streams 250 documents through Model.find().cursor() with batchSize 40', async () => {
    const seen: number[] = [];
    const cursor = Readings.find({ sensor: { $in: ['s0', 's1', 's2', 's3', 's4'] } })
      .sort({ seq: -1 })
      .batchSize(40)
      .lean()
      .cursor();
    for await (const doc of cursor) seen.push((doc as Reading).seq);
    expect(seen).toEqual(Array.from({ length: TOTAL }, (_, i) => TOTAL - 1 - i));
    const getMores = commands('getMore');
    // 40 in the first batch, then at least ceil(210 / 40) = 6 getMores of 40.
    expect(getMores.length).toBeGreaterThanOrEqual(6);
    for (const getMore of getMores) expect(getMore.command.batchSize).toBe(40);
    const batchSizes = succeeded
      .filter((event) => event.commandName === 'getMore')
      .map((event) => (event.reply as { cursor: { nextBatch: unknown[] } }).cursor.nextBatch.length);
    expect(batchSizes.every((size) => size <= 40)).toBe(true);
    expect(batchSizes.reduce((a, b) => a + b, 0)).toBe(TOTAL - 40);
  });

  it('kills the server cursor when the client closes it before exhaustion', async () => {
    const cursor = Readings.find({}).sort({ seq: 1 }).batchSize(20).lean().cursor();
    const firstTen: number[] = [];
    for (let i = 0; i < 25; i++) {
      const doc = (await cursor.next()) as Reading | null;
      if (doc && i < 10) firstTen.push(doc.seq);
    }
    expect(firstTen).toEqual(Array.from({ length: 10 }, (_, i) => i));
    const findReply = succeeded.find((event) => event.commandName === 'find')!.reply as {
      cursor: { id: Long | number };
    };
    const cursorId = findReply.cursor.id;
    expect(Number(cursorId)).not.toBe(0);

    await cursor.close();

    const kill = commands('killCursors');
    expect(kill).toHaveLength(1);
    expect(kill[0]!.command.cursors.map(String)).toEqual([String(cursorId)]);
    const killReply = succeeded.find((event) => event.commandName === 'killCursors')!.reply as {
      cursorsKilled: unknown[];
    };
    expect(killReply.cursorsKilled.map(String)).toEqual([String(cursorId)]);

    // The cursor is gone on the server: resuming it fails with CursorNotFound (43).
    const db = connection.getClient().db(connection.name);
    // getMore takes an int64 id, whatever JS type the reply was decoded into.
    const longId = mongoose.mongo.Long.fromString(String(cursorId));
    const error = (await db
      .command({ getMore: longId, collection: Readings.collection.name })
      .catch((e: unknown) => e)) as {
      code?: number;
      codeName?: string;
    };
    expect(error.code).toBe(43);
    expect(error.codeName).toBe('CursorNotFound');
  });

  it('returns the server-wide open cursor count to its baseline after an early close (no leak)', async () => {
    const admin = connection.getClient().db('admin');
    // mongod reports metrics.cursor.open.total (an int64, promoted to a number by the driver).
    const openCursors = async (): Promise<unknown> => {
      const status = await admin.command({ serverStatus: 1 });
      return status.metrics?.cursor?.open?.total;
    };
    const baseline = await openCursors();
    expect(baseline).toEqual(expect.any(Number));
    const cursor = Readings.find({}).batchSize(10).lean().cursor();
    await cursor.next();
    expect(await openCursors()).toBe((baseline as number) + 1);
    await cursor.close();
    expect(await openCursors()).toBe(baseline);
  });

  it('does not leave a cursor open when a limited find is fully read', async () => {
    const docs = await Readings.find({}).sort({ seq: 1 }).limit(150).batchSize(100).lean();
    expect(docs).toHaveLength(150);
    expect(docs.at(-1)?.seq).toBe(149);
    // The server closes the cursor itself once the limit is reached: the driver has nothing to kill.
    expect(commands('killCursors')).toHaveLength(0);
    const lastGetMore = succeeded.filter((event) => event.commandName === 'getMore').at(-1);
    expect(String((lastGetMore?.reply as { cursor: { id: unknown } }).cursor.id)).toBe('0');
  });

  it('rejects a getMore for a cursor id that never existed', async () => {
    const db = connection.getClient().db(connection.name);
    const error = (await db
      .command({ getMore: mongoose.mongo.Long.fromNumber(123456789), collection: Readings.collection.name })
      .catch((e: unknown) => e)) as { code?: number };
    expect(error.code).toBe(43);
  });
});
