/**
 * A database of its own for one test file: a unique database on MONGODB_URI (dropped on stop), or
 * a fresh local backend (a present mongod via mongodb-memory-server, else the embedded engine).
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { resolveMongoBackend, withDatabaseName, type MongoBackendKind } from '../../src/db/backend.js';

export interface TestDatabase {
  /** Connection string that includes the unique database name. */
  uri: string;
  dbName: string;
  kind: MongoBackendKind;
  stop(): Promise<void>;
}

export async function createTestDatabase(name = 'test'): Promise<TestDatabase> {
  const safe = name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
  const dbName = `${safe}_${randomBytes(4).toString('hex')}`;
  const backend = await resolveMongoBackend({
    uri: process.env.MONGODB_URI,
    allowEmbedded: true,
    allowDownload: false,
  });
  const uri = withDatabaseName(backend.uri, dbName);
  return {
    uri,
    dbName,
    kind: backend.kind,
    stop: async () => {
      if (backend.kind === 'external') {
        const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
        try {
          await client.db(dbName).dropDatabase();
        } finally {
          await client.close();
        }
      }
      await backend.stop();
    },
  };
}
