import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deserialize, serialize } from 'bson';
import { MongoServerError } from 'mongodb';
import { openHarness } from './harness.js';
import type { Harness, Loose } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await openHarness('handshake');
});
afterAll(async () => {
  await h.close();
});

/** Sends a legacy OP_QUERY and returns the first document of the OP_REPLY. */
function legacyQuery(
  host: string,
  port: number,
  ns: string,
  query: object,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const body = serialize(query);
    const nsBytes = Buffer.from(`${ns}\0`, 'utf8');
    const length = 16 + 4 + nsBytes.length + 8 + body.length;
    const msg = Buffer.alloc(length);
    msg.writeInt32LE(length, 0);
    msg.writeInt32LE(7, 4);
    msg.writeInt32LE(0, 8);
    msg.writeInt32LE(2004, 12);
    msg.writeInt32LE(0, 16);
    nsBytes.copy(msg, 20);
    msg.writeInt32LE(0, 20 + nsBytes.length);
    msg.writeInt32LE(-1, 24 + nsBytes.length);
    Buffer.from(body).copy(msg, 28 + nsBytes.length);
    const socket = net.connect(port, host);
    let received = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 4 && received.length >= received.readInt32LE(0)) {
        socket.destroy();
        expect(received.readInt32LE(12)).toBe(1);
        expect(received.readInt32LE(8)).toBe(7);
        resolve(deserialize(received.subarray(36)));
      }
    });
    socket.on('error', reject);
    socket.write(msg);
  });
}

describe('handshake', () => {
  it('answers hello as a writable standalone primary', async () => {
    const reply = await h.db.admin().command({ hello: 1 });
    expect(reply.isWritablePrimary).toBe(true);
    expect(reply.setName).toBeUndefined();
    expect(reply.maxBsonObjectSize).toBe(16777216);
    expect(reply.maxMessageSizeBytes).toBe(48000000);
    expect(reply.maxWriteBatchSize).toBe(100000);
    expect(reply.localTime).toBeInstanceOf(Date);
    expect(reply.logicalSessionTimeoutMinutes).toBe(30);
    expect(typeof reply.connectionId).toBe('number');
    expect(reply.minWireVersion).toBe(0);
    expect(reply.maxWireVersion).toBeGreaterThanOrEqual(21);
    expect(reply.readOnly).toBe(false);
    expect(reply.ok).toBe(1);
  });

  it('answers the legacy isMaster command with ismaster: true', async () => {
    const reply = await h.db.admin().command({ isMaster: 1 });
    expect(reply.ismaster).toBe(true);
    expect(reply.isWritablePrimary).toBeUndefined();
  });

  it('answers a legacy OP_QUERY isMaster on admin.$cmd with an OP_REPLY', async () => {
    const reply = await legacyQuery(h.host, h.port, 'admin.$cmd', { isMaster: 1, helloOk: true });
    expect(reply.ismaster).toBe(true);
    expect(reply.helloOk).toBe(true);
    expect(reply.ok).toBe(1);
  });

  it('reports a 7.0-compatible buildInfo', async () => {
    const reply = await h.db.admin().command({ buildInfo: 1 });
    expect(typeof reply.version).toBe('string');
    expect(reply.versionArray[0]).toBeGreaterThanOrEqual(7);
  });

  it('answers ping', async () => {
    expect(await h.db.command({ ping: 1 })).toMatchObject({ ok: 1 });
  });

  it('refuses unknown commands with CommandNotFound', async () => {
    const err = await h.db.command({ frobnicate: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect((err as MongoServerError).code).toBe(59);
    expect((err as MongoServerError).codeName).toBe('CommandNotFound');
    expect((err as MongoServerError).message).toContain("no such command: 'frobnicate'");
  });

  it('accepts generic arguments (comment, maxTimeMS, readConcern) on any command', async () => {
    const coll = h.db.collection<Loose>('generic');
    await coll.insertOne({ a: 1 }, { comment: 'hi' });
    const docs = await coll
      .find({}, { comment: 'c', maxTimeMS: 5000, readConcern: { level: 'local' } })
      .toArray();
    expect(docs).toHaveLength(1);
  });
});

describe('transactions on a standalone', () => {
  it('refuses a transaction with IllegalOperation (20)', async () => {
    const coll = h.db.collection<Loose>('txn');
    await coll.insertOne({ a: 1 });
    const session = h.client.startSession();
    try {
      session.startTransaction();
      const err = await coll.findOne({}, { session }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MongoServerError);
      expect((err as MongoServerError).code).toBe(20);
      expect((err as MongoServerError).message).toContain(
        'Transaction numbers are only allowed on a replica set member or mongos',
      );
      // For writes the driver rewraps code 20 as "does not support retryable writes", keeping the original.
      const writeErr = (await coll
        .insertOne({ a: 2 }, { session })
        .catch((e: unknown) => e)) as MongoServerError & {
        originalError?: MongoServerError;
      };
      expect(writeErr.originalError?.code ?? writeErr.code).toBe(20);
      await session.abortTransaction().catch(() => undefined);
    } finally {
      await session.endSession();
    }
    expect(await coll.countDocuments()).toBe(1);
  });

  it('refuses a raw command carrying txnNumber', async () => {
    const err = await h.db
      .command({ find: 'txn', txnNumber: 1 as never, autocommit: false, startTransaction: true })
      .catch((e: unknown) => e);
    expect((err as MongoServerError).code).toBe(20);
  });
});
