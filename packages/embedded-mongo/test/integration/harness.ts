/**
 * Shared setup for the embedded-engine integration tests: one database per test file through
 * createTestDatabase(), so the same tests run against a real mongod when MONGODB_URI is set.
 */
import { MongoClient } from 'mongodb';
import type { Db } from 'mongodb';
import { createTestDatabase } from '../support/test-database.js';
import type { TestDatabase } from '../support/test-database.js';

/** Test documents with any `_id` type (the driver's default types `_id` as ObjectId). */
export type Loose = { _id?: string | number | boolean | object | null; [key: string]: any };

export interface Harness {
  database: TestDatabase;
  client: MongoClient;
  db: Db;
  /** True when the backend is the embedded engine (guards engine-only assertions). */
  embedded: boolean;
  /** host and port of the server, for raw-socket tests. */
  host: string;
  port: number;
  close(): Promise<void>;
}

export async function openHarness(name: string): Promise<Harness> {
  const database = await createTestDatabase(name);
  const client = new MongoClient(database.uri, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  const address = /^mongodb:\/\/([^/:,]+):(\d+)/.exec(database.uri);
  return {
    database,
    client,
    db: client.db(database.dbName),
    embedded: database.kind === 'embedded',
    host: address?.[1] ?? '127.0.0.1',
    port: Number(address?.[2] ?? 27017),
    close: async () => {
      await client.close();
      await database.stop();
    },
  };
}
