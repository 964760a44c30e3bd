/**
 * The `failCommand` fail point (configureFailPoint) through the real driver, as drivers' CI uses it
 * against a mongod with test commands enabled. Every fail point here is limited to one test's
 * appName, so nothing else on the server is caught.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { MongoClient, MongoNetworkError, MongoServerError, MongoWriteConcernError } from 'mongodb';
import type { Document } from 'mongodb';
import { openHarness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
const clients: MongoClient[] = [];

beforeAll(async () => {
  h = await openHarness('failpoints');
  await h.db.collection('items').insertMany([{ _id: 1 as never, name: 'laptop' }]);
});
afterEach(async () => {
  await h.client.db('admin').command({ configureFailPoint: 'failCommand', mode: 'off' });
  await Promise.all(clients.splice(0).map((client) => client.close()));
});
afterAll(async () => {
  await h.close();
});

async function clientNamed(appName: string): Promise<MongoClient> {
  const client = new MongoClient(h.database.uri, {
    appName,
    serverSelectionTimeoutMS: 5000,
    retryReads: false,
    retryWrites: false,
  });
  clients.push(client);
  await client.connect();
  return client;
}

function failCommand(mode: unknown, data: Document): Promise<Document> {
  return h.client.db('admin').command({ configureFailPoint: 'failCommand', mode, data });
}

function findItems(client: MongoClient): Promise<Document[]> {
  return client.db(h.database.dbName).collection('items').find({}).toArray();
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to fail');
}

describe('configureFailPoint', () => {
  it('fails the named command {times: n} times with the error code, then lets it through', async () => {
    const client = await clientNamed('times-limited');
    const before = await failCommand(
      { times: 2 },
      { failCommands: ['find'], errorCode: 8, appName: 'times-limited' },
    );
    expect(before.ok).toBe(1);
    expect(typeof before.count).toBe('number');

    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await errorOf(findItems(client));
      expect(error).toBeInstanceOf(MongoServerError);
      expect(error).toMatchObject({
        code: 8,
        codeName: 'UnknownError',
        message: "Failing command via 'failCommand' failpoint",
      });
    }
    expect(await findItems(client)).toEqual([{ _id: 1, name: 'laptop' }]);
    // Commands it does not name are never caught.
    expect(await client.db(h.database.dbName).collection('items').countDocuments()).toBe(1);

    // The reply's count is how often the fail point has fired so far.
    const after = await h.client.db('admin').command({ configureFailPoint: 'failCommand', mode: 'off' });
    expect(after.count).toBe(before.count + 2);
  });

  it('adds the configured error labels, and the failed write is not applied', async () => {
    const client = await clientNamed('labels');
    await failCommand(
      { times: 1 },
      {
        failCommands: ['insert'],
        errorCode: 112,
        errorLabels: ['TransientTransactionError', 'CustodianTestLabel'],
        appName: 'labels',
      },
    );
    const items = client.db(h.database.dbName).collection('items');
    const error = await errorOf(items.insertOne({ _id: 2 as never, name: 'phone' }));
    expect(error).toBeInstanceOf(MongoServerError);
    const serverError = error as MongoServerError;
    expect(serverError.code).toBe(112);
    expect(serverError.codeName).toBe('WriteConflict');
    expect(serverError.hasErrorLabel('CustodianTestLabel')).toBe(true);
    expect(serverError.hasErrorLabel('TransientTransactionError')).toBe(true);
    expect(await items.countDocuments({ _id: 2 as never })).toBe(0);
  });

  it('writeConcernError lets the write happen and reports the write concern error', async () => {
    const client = await clientNamed('wce');
    await failCommand(
      { times: 1 },
      {
        failCommands: ['insert'],
        writeConcernError: { code: 100, codeName: 'UnsatisfiableWriteConcern', errmsg: 'Not enough nodes' },
        appName: 'wce',
      },
    );
    const items = client.db(h.database.dbName).collection('items');
    const error = await errorOf(items.insertOne({ _id: 3 as never, name: 'monitor' }));
    expect(error).toBeInstanceOf(MongoWriteConcernError);
    expect(error).toMatchObject({ code: 100 });
    expect(await items.countDocuments({ _id: 3 as never })).toBe(1);
    await items.deleteOne({ _id: 3 as never });
  });

  it('writeConcernError leaves commands without a write concern alone', async () => {
    const client = await clientNamed('wce-read');
    await failCommand('alwaysOn', {
      failCommands: ['find', 'aggregate'],
      writeConcernError: { code: 100, errmsg: 'Not enough nodes' },
      appName: 'wce-read',
    });
    expect(await findItems(client)).toHaveLength(1);
    const items = client.db(h.database.dbName).collection('items');
    expect(await items.aggregate([{ $match: {} }]).toArray()).toHaveLength(1);
    // An aggregate that writes does take a write concern.
    const error = await errorOf(items.aggregate([{ $match: {} }, { $out: 'items_copy' }]).toArray());
    expect(error).toMatchObject({ code: 100 });
  });

  it('closeConnection drops the connection without a reply; the next command gets a new connection', async () => {
    const client = await clientNamed('close');
    let created = 0;
    client.on('connectionCreated', () => created++);
    const db = client.db(h.database.dbName);
    await db.command({ ping: 1 });
    const createdBefore = created;
    await failCommand({ times: 1 }, { failCommands: ['ping'], closeConnection: true, appName: 'close' });

    const error = await errorOf(db.command({ ping: 1 }));
    expect(error).toBeInstanceOf(MongoNetworkError);
    expect(await db.command({ ping: 1 })).toMatchObject({ ok: 1 });
    expect(created).toBeGreaterThan(createdBefore);
  });

  it('catches only connections whose handshake carried the configured appName', async () => {
    const target = await clientNamed('target-app');
    const bystander = await clientNamed('bystander-app');
    const anonymous = new MongoClient(h.database.uri, { serverSelectionTimeoutMS: 5000 });
    clients.push(anonymous);
    await failCommand('alwaysOn', { failCommands: ['find'], errorCode: 8, appName: 'target-app' });

    expect(await errorOf(findItems(target))).toMatchObject({ code: 8 });
    expect(await errorOf(findItems(target))).toMatchObject({ code: 8 });
    expect(await findItems(bystander)).toHaveLength(1);
    expect(await findItems(anonymous)).toHaveLength(1);
  });

  it('fails the handshake (hello) when it is named, as mongod does, for the chosen appName only', async () => {
    await failCommand('alwaysOn', {
      failCommands: ['hello', 'isMaster'],
      errorCode: 8,
      appName: 'failing-handshake',
    });
    const failing = new MongoClient(h.database.uri, {
      appName: 'failing-handshake',
      serverSelectionTimeoutMS: 800,
    });
    clients.push(failing);
    expect(await errorOf(failing.connect())).toMatchObject({ name: 'MongoServerSelectionError' });
    const bystander = await clientNamed('handshake-bystander');
    expect(await findItems(bystander)).toHaveLength(1);
  });

  it('blockConnection delays only the caught command; other connections are answered meanwhile', async () => {
    const slow = await clientNamed('slow-app');
    const fast = await clientNamed('fast-app');
    const BLOCK_MS = 600;
    await failCommand(
      { times: 1 },
      { failCommands: ['find'], blockConnection: true, blockTimeMS: BLOCK_MS, appName: 'slow-app' },
    );

    const started = Date.now();
    let slowDoneAt = 0;
    const slowFind = findItems(slow).then((docs) => {
      slowDoneAt = Date.now();
      return docs;
    });
    // Give the blocked find time to reach the server before the other connection asks.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const fastDocs = await findItems(fast);
    const fastDoneAt = Date.now();
    expect(fastDocs).toHaveLength(1);
    expect(slowDoneAt).toBe(0);

    // Without an error code the blocked command still runs, and answers correctly.
    expect(await slowFind).toEqual([{ _id: 1, name: 'laptop' }]);
    expect(slowDoneAt - started).toBeGreaterThanOrEqual(BLOCK_MS - 20);
    expect(fastDoneAt - started).toBeLessThan(BLOCK_MS);
  });

  it('blockConnection with an error code waits, then fails', async () => {
    const client = await clientNamed('block-then-fail');
    await failCommand(
      { times: 1 },
      {
        failCommands: ['find'],
        blockConnection: true,
        blockTimeMS: 300,
        errorCode: 8,
        appName: 'block-then-fail',
      },
    );
    const started = Date.now();
    expect(await errorOf(findItems(client))).toMatchObject({ code: 8 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it("mode 'off' clears the fail point", async () => {
    const client = await clientNamed('cleared');
    await failCommand('alwaysOn', { failCommands: ['find'], errorCode: 8, appName: 'cleared' });
    expect(await errorOf(findItems(client))).toMatchObject({ code: 8 });
    const reply = await h.client.db('admin').command({ configureFailPoint: 'failCommand', mode: 'off' });
    expect(reply.ok).toBe(1);
    expect(await findItems(client)).toHaveLength(1);
    expect(await findItems(client)).toHaveLength(1);
  });

  it('{skip: n} lets the first n through, then fails every time', async () => {
    const client = await clientNamed('skipping');
    await failCommand({ skip: 1 }, { failCommands: ['find'], errorCode: 8, appName: 'skipping' });
    expect(await findItems(client)).toHaveLength(1);
    expect(await errorOf(findItems(client))).toMatchObject({ code: 8 });
    expect(await errorOf(findItems(client))).toMatchObject({ code: 8 });
  });

  it('never catches configureFailPoint itself, so a fail point can always be turned off', async () => {
    await failCommand('alwaysOn', { failCommands: ['configureFailPoint', 'find'], errorCode: 8 });
    const reply = await h.client.db('admin').command({ configureFailPoint: 'failCommand', mode: 'off' });
    expect(reply.ok).toBe(1);
    expect(await findItems(h.client)).toHaveLength(1);
  });

  it('refuses unknown fail points, bad modes and databases other than admin like mongod', async () => {
    const admin = h.client.db('admin');
    expect(
      await errorOf(admin.command({ configureFailPoint: 'noSuchFailPoint', mode: 'alwaysOn' })),
    ).toMatchObject({ code: 266, codeName: 'FailPointSetFailed', message: 'noSuchFailPoint not found' });
    expect(await errorOf(admin.command({ configureFailPoint: 'failCommand' }))).toMatchObject({
      code: 20,
      message: "When setting a failpoint, you must supply a 'mode'",
    });
    expect(
      await errorOf(admin.command({ configureFailPoint: 'failCommand', mode: 'sometimes' })),
    ).toMatchObject({ code: 2, message: 'unknown mode: sometimes' });
    expect(
      await errorOf(admin.command({ configureFailPoint: 'failCommand', mode: { times: -1 } })),
    ).toMatchObject({ code: 2 });
    expect(await errorOf(h.db.command({ configureFailPoint: 'failCommand', mode: 'off' }))).toMatchObject({
      code: 13,
    });
  });
});
