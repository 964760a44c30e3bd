import { describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { resolveMongoBackend, withDatabaseName } from '../../../src/db/backend.js';
import { createTestDatabase } from '../../support/test-database.js';

function recordingLogger(): { lines: { obj: object; msg: string }[]; info(obj: object, msg: string): void } {
  const lines: { obj: object; msg: string }[] = [];
  return { lines, info: (obj, msg) => lines.push({ obj, msg }) };
}

describe('resolveMongoBackend', () => {
  it('uses MONGODB_URI as given and logs the choice', async () => {
    const logger = recordingLogger();
    const backend = await resolveMongoBackend({
      uri: 'mongodb://db.example:27017/app',
      allowEmbedded: false,
      logger,
    });
    expect(backend).toMatchObject({ kind: 'external', uri: 'mongodb://db.example:27017/app' });
    expect(logger.lines[0]!.obj).toMatchObject({ backend: 'external' });
    await backend.stop();
  });

  it('never falls back to the embedded engine in production: it says what to set', async () => {
    const outcome = await resolveMongoBackend({ allowEmbedded: false, allowDownload: false }).then(
      async (backend) => {
        await backend.stop();
        return backend.kind;
      },
      (err: Error) => err,
    );
    // On a machine that has a mongod binary the memory server is a legitimate answer.
    if (outcome instanceof Error) {
      expect(outcome.message).toMatch(/No MongoDB is reachable/);
      expect(outcome.message).toMatch(/MONGODB_URI/);
    } else {
      expect(outcome).toBe('memory-server');
    }
  });

  it('bounds the download reachability check instead of hanging offline', async () => {
    // A blackholed mirror stands in for "offline" (TEST-NET-1 is never routed).
    const previous = process.env.MONGOMS_DOWNLOAD_MIRROR;
    process.env.MONGOMS_DOWNLOAD_MIRROR = 'http://192.0.2.1';
    const started = Date.now();
    try {
      const backend = await resolveMongoBackend({ allowEmbedded: true, reachabilityTimeoutMs: 300 });
      await backend.stop();
      expect(['embedded', 'memory-server']).toContain(backend.kind);
    } finally {
      if (previous === undefined) delete process.env.MONGOMS_DOWNLOAD_MIRROR;
      else process.env.MONGOMS_DOWNLOAD_MIRROR = previous;
    }
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('falls back to a working embedded engine where allowed', async () => {
    const logger = recordingLogger();
    const backend = await resolveMongoBackend({ allowEmbedded: true, allowDownload: false, logger });
    try {
      expect(['embedded', 'memory-server']).toContain(backend.kind);
      expect(logger.lines.map((l) => l.msg).join('\n')).toMatch(/embedded|memory-server/);
      const client = await MongoClient.connect(backend.uri);
      expect(await client.db('x').command({ ping: 1 })).toMatchObject({ ok: 1 });
      await client.close();
    } finally {
      await backend.stop();
    }
  });
});

describe('withDatabaseName', () => {
  it.each([
    ['mongodb://h:1/', 'db1', 'mongodb://h:1/db1'],
    ['mongodb://h:1', 'db1', 'mongodb://h:1/db1'],
    ['mongodb://u:p@h1:1,h2:2/old?replicaSet=rs&w=1', 'db2', 'mongodb://u:p@h1:1,h2:2/db2?replicaSet=rs&w=1'],
    [
      'mongodb+srv://cluster.example.net/?retryWrites=true',
      'db3',
      'mongodb+srv://cluster.example.net/db3?retryWrites=true',
    ],
  ])('puts the database into %s', (uri, db, expected) => {
    expect(withDatabaseName(uri, db)).toBe(expected);
  });
});

describe('createTestDatabase', () => {
  it('gives each caller its own database name inside the uri', async () => {
    const [a, b] = await Promise.all([createTestDatabase('same name'), createTestDatabase('same name')]);
    try {
      expect(a.dbName).not.toBe(b.dbName);
      expect(a.dbName).toMatch(/^same_name_/);
      expect(a.uri.endsWith(`/${a.dbName}`)).toBe(true);
      const client = await MongoClient.connect(a.uri);
      await client.db().collection('c').insertOne({ x: 1 });
      expect(client.db().databaseName).toBe(a.dbName);
      await client.close();
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
