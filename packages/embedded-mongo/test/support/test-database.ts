/**
 * A database of its own for one test file: a unique database on MONGODB_URI (dropped on stop), so the
 * engine's tests run unchanged against a real MongoDB; else a fresh embedded engine.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../src/index.js';

export interface TestDatabase {
  /** Connection string that includes the unique database name. */
  uri: string;
  dbName: string;
  kind: 'external' | 'embedded';
  stop(): Promise<void>;
}

/** Puts a database name into a connection string's path, keeping host list and options. */
function withDatabaseName(uri: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!match) throw new Error(`Not a MongoDB connection string: ${uri}`);
  return `${match[1]}/${dbName}${match[3] ?? ''}`;
}

export async function createTestDatabase(name = 'test'): Promise<TestDatabase> {
  const safe = name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
  const dbName = `${safe}_${randomBytes(4).toString('hex')}`;
  const external = process.env.MONGODB_URI;
  if (external) {
    const uri = withDatabaseName(external, dbName);
    return {
      uri,
      dbName,
      kind: 'external',
      stop: async () => {
        const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
        try {
          await client.db(dbName).dropDatabase();
        } finally {
          await client.close();
        }
      },
    };
  }
  const engine = await startEmbeddedMongo();
  return { uri: withDatabaseName(engine.uri, dbName), dbName, kind: 'embedded', stop: () => engine.stop() };
}
