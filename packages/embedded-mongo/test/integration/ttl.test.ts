import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../src/index.js';
import type { Loose } from './harness.js';
import type { EmbeddedMongo } from '../../src/index.js';

// A real mongod sweeps TTL indexes once a minute, too slow for a test run: this one drives the
// embedded engine with a short sweep interval, and is skipped when MONGODB_URI names a server.
const describeEmbedded = process.env.MONGODB_URI ? describe.skip : describe;

describeEmbedded('TTL indexes (embedded engine)', () => {
  let server: EmbeddedMongo;
  let client: MongoClient;
  beforeAll(async () => {
    server = await startEmbeddedMongo({ ttlSweepIntervalMs: 50 });
    client = await MongoClient.connect(server.uri);
  });
  afterAll(async () => {
    await client.close();
    await server.stop();
  });

  it('deletes documents whose indexed date is older than expireAfterSeconds, keeping the rest', async () => {
    const coll = client.db('ttl').collection<Loose>('sessions');
    await coll.createIndex({ createdAt: 1 }, { expireAfterSeconds: 60 });
    const now = Date.now();
    await coll.insertMany([
      { _id: 'old', createdAt: new Date(now - 120_000) } as never,
      { _id: 'oldest-in-array', createdAt: [new Date(now - 300_000), new Date(now + 300_000)] } as never,
      { _id: 'fresh', createdAt: new Date(now) } as never,
      { _id: 'not-a-date', createdAt: 'yesterday' } as never,
      { _id: 'missing' } as never,
    ]);
    const deadline = Date.now() + 5000;
    let ids: unknown[] = [];
    while (Date.now() < deadline) {
      ids = (await coll.find({}).sort({ _id: 1 }).toArray()).map((d) => d._id);
      if (ids.length === 3) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(ids).toEqual(['fresh', 'missing', 'not-a-date']);
  });

  it('applies a changed expireAfterSeconds from collMod', async () => {
    const coll = client.db('ttl').collection<Loose>('tokens');
    await coll.createIndex({ at: 1 }, { expireAfterSeconds: 3600 });
    await coll.insertOne({ at: new Date(Date.now() - 10_000) });
    await new Promise((r) => setTimeout(r, 200));
    expect(await coll.countDocuments()).toBe(1);
    await client
      .db('ttl')
      .command({ collMod: 'tokens', index: { keyPattern: { at: 1 }, expireAfterSeconds: 1 } });
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && (await coll.countDocuments()) > 0)
      await new Promise((r) => setTimeout(r, 50));
    expect(await coll.countDocuments()).toBe(0);
  });
});
