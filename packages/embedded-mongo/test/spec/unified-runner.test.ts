/**
 * Self-test of the unified-format runner against the test database backend, with small test files
 * written here: correct expectations must pass and every kind of wrong expectation must fail with a
 * reason that names it — so a lax runner cannot inflate the CRUD conformance figure.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { createTestDatabase } from '../support/test-database.js';
import { STANDALONE_7_0 } from '../support/unified/requirements.js';
import { runTestFile, type RunnerConfig, type TestResult } from '../support/unified/runner.js';

let backend: Awaited<ReturnType<typeof createTestDatabase>>;
let internalClient: MongoClient;
let config: RunnerConfig;

beforeAll(async () => {
  backend = await createTestDatabase('runner');
  internalClient = new MongoClient(backend.uri, { serverSelectionTimeoutMS: 5000 });
  await internalClient.connect();
  config = {
    uri: backend.uri,
    profile: STANDALONE_7_0,
    internalClient,
    testTimeoutMs: 10_000,
    driverDeviations: new Map([['deviating test', 'the driver does it differently']]),
  };
}, 60_000);

afterAll(async () => {
  await internalClient?.close();
  await backend?.stop();
});

const DB = 'runner-self-test';

/** A one-collection unified file around the given tests; collection0 starts with {_id: 1, x: 11}. */
function fileWith(tests: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    description: 'runner self-test',
    schemaVersion: '1.0',
    createEntities: [
      { client: { id: 'client0', observeEvents: ['commandStartedEvent', 'commandSucceededEvent'] } },
      { database: { id: 'database0', client: 'client0', databaseName: DB } },
      { collection: { id: 'collection0', database: 'database0', collectionName: 'coll0' } },
      {
        collection: {
          id: 'unacknowledged',
          database: 'database0',
          collectionName: 'coll0',
          collectionOptions: { writeConcern: { w: 0 } },
        },
      },
    ],
    initialData: [{ collectionName: 'coll0', databaseName: DB, documents: [{ _id: 1, x: 11 }] }],
    tests,
    ...extra,
  });
}

async function runOne(test: unknown, extra: Record<string, unknown> = {}): Promise<TestResult> {
  const [result] = await runTestFile('self-test.json', fileWith([test], extra), config);
  return result!;
}

const insertTwo = {
  name: 'insertOne',
  object: 'collection0',
  arguments: { document: { _id: 2, x: 22 } },
  expectResult: { $$unsetOrMatches: { insertedId: { $$unsetOrMatches: 2 } } },
};
const outcomeBoth = [
  {
    collectionName: 'coll0',
    databaseName: DB,
    documents: [
      { _id: 1, x: 11 },
      { _id: 2, x: 22 },
    ],
  },
];

describe('unified runner self-test', () => {
  it('passes a test whose result, events and outcome all match', async () => {
    const result = await runOne({
      description: 'all good',
      operations: [
        insertTwo,
        {
          name: 'find',
          object: 'collection0',
          arguments: { filter: { x: { $gt: 20 } } },
          expectResult: [{ _id: 2, x: 22 }],
        },
      ],
      expectEvents: [
        {
          client: 'client0',
          events: [
            {
              commandStartedEvent: {
                command: { insert: 'coll0', documents: [{ _id: 2, x: 22 }] },
                commandName: 'insert',
                databaseName: DB,
              },
            },
            { commandSucceededEvent: { reply: { ok: 1, n: 1 }, commandName: 'insert' } },
            {
              commandStartedEvent: {
                command: { find: 'coll0', filter: { x: { $gt: 20 } } },
                commandName: 'find',
              },
            },
            { commandSucceededEvent: { commandName: 'find' } },
          ],
        },
      ],
      outcome: outcomeBoth,
    });
    expect(result).toMatchObject({ status: 'pass' });
  });

  it('fails on a wrong result and says where', async () => {
    const result = await runOne({
      description: 'wrong result',
      operations: [
        { name: 'countDocuments', object: 'collection0', arguments: { filter: {} }, expectResult: 2 },
      ],
    });
    expect(result.status).toBe('fail');
    expect(result.reason).toBe(
      'operation 0 (countDocuments on collection0): expectResult: (root): expected 2, got 1',
    );
  });

  it('fails on an extra field in a nested document of a command', async () => {
    const result = await runOne({
      description: 'nested extra field',
      operations: [insertTwo],
      expectEvents: [
        {
          client: 'client0',
          events: [
            { commandStartedEvent: { command: { documents: [{ _id: 2 }] } } },
            { commandSucceededEvent: {} },
          ],
        },
      ],
    });
    expect(result.status).toBe('fail');
    expect(result.reason).toMatch(
      /expectEvents\(client0\)\[0\]\.command: documents\[0\]: unexpected extra field\(s\) x/,
    );
  });

  it('fails on a different number of events', async () => {
    const result = await runOne({
      description: 'event count',
      operations: [insertTwo],
      expectEvents: [{ client: 'client0', events: [{ commandStartedEvent: { commandName: 'insert' } }] }],
    });
    expect(result.status).toBe('fail');
    expect(result.reason).toMatch(
      /expected 1 events .* got 2 \[commandStarted:insert, commandSucceeded:insert\]/,
    );
  });

  it('ignores extra events only when asked to', async () => {
    const result = await runOne({
      description: 'ignore extra events',
      operations: [insertTwo],
      expectEvents: [
        {
          client: 'client0',
          ignoreExtraEvents: true,
          events: [{ commandStartedEvent: { commandName: 'insert' } }],
        },
      ],
    });
    expect(result.status).toBe('pass');
  });

  it('fails on a wrong outcome', async () => {
    const result = await runOne({
      description: 'wrong outcome',
      operations: [insertTwo],
      outcome: [
        {
          collectionName: 'coll0',
          databaseName: DB,
          documents: [
            { _id: 1, x: 11 },
            { _id: 2, x: 23 },
          ],
        },
      ],
    });
    expect(result.status).toBe('fail');
    expect(result.reason).toMatch(/^outcome\(runner-self-test\.coll0\): \[1\]\.x: expected 23, got 22/);
  });

  it('reloads initial data for every test', async () => {
    const results = await runTestFile(
      'self-test.json',
      fileWith([
        { description: 'first insert', operations: [insertTwo], outcome: outcomeBoth },
        { description: 'same insert again', operations: [insertTwo], outcome: outcomeBoth },
      ]),
      config,
    );
    expect(results.map((r) => r.status)).toEqual(['pass', 'pass']);
  });

  it('checks expected server errors: code, message, response, and client vs server origin', async () => {
    const duplicate = { name: 'insertOne', object: 'collection0', arguments: { document: { _id: 1 } } };
    const good = await runOne({
      description: 'duplicate key as expected',
      operations: [
        {
          ...duplicate,
          expectError: {
            isClientError: false,
            errorCode: 11000,
            errorContains: 'duplicate key',
            errorResponse: { keyValue: { _id: 1 } },
          },
        },
      ],
    });
    expect(good).toMatchObject({ status: 'pass' });
    const wrongOrigin = await runOne({
      description: 'not a client error',
      operations: [{ ...duplicate, expectError: { isClientError: true } }],
    });
    expect(wrongOrigin.reason).toMatch(/expected a client-side error, got server error MongoServerError/);
    const wrongCode = await runOne({
      description: 'wrong code',
      operations: [{ ...duplicate, expectError: { errorCode: 121 } }],
    });
    expect(wrongCode.reason).toMatch(/expected code 121, got \[11000/);
    const noError = await runOne({
      description: 'no error',
      operations: [{ ...insertTwo, expectResult: undefined, expectError: { isError: true } }],
    });
    expect(noError.reason).toMatch(/expected an error, got result/);
    const clientSide = await runOne({
      description: 'client-side validation',
      operations: [
        {
          name: 'updateOne',
          object: 'collection0',
          arguments: { filter: {}, update: { x: 1 } },
          expectError: { isClientError: true },
        },
      ],
      expectEvents: [{ client: 'client0', events: [] }],
    });
    expect(clientSide).toMatchObject({ status: 'pass' });
  });

  it('saves results as entities and matches them later', async () => {
    const result = await runOne({
      description: 'entities',
      operations: [
        {
          name: 'countDocuments',
          object: 'collection0',
          arguments: { filter: {} },
          saveResultAsEntity: 'count0',
        },
        {
          name: 'find',
          object: 'collection0',
          arguments: { filter: {} },
          expectResult: [{ _id: { $$matchesEntity: 'count0' } }],
        },
      ],
    });
    expect(result).toMatchObject({ status: 'pass' });
  });

  it('waits for unacknowledged writes before checking the outcome', async () => {
    const result = await runOne({
      description: 'w:0',
      operations: [
        { name: 'insertOne', object: 'unacknowledged', arguments: { document: { _id: 2, x: 22 } } },
      ],
      outcome: outcomeBoth,
    });
    expect(result).toMatchObject({ status: 'pass' });
  });

  it('rejects arguments it does not know instead of silently dropping them', async () => {
    const result = await runOne({
      description: 'unknown argument',
      operations: [{ name: 'find', object: 'collection0', arguments: { filter: {}, frobnicate: true } }],
    });
    expect(result.reason).toBe(
      'runner: operation 0 (find on collection0): unsupported argument frobnicate for find',
    );
  });

  it('skips by requirements, targeted fail points and known driver deviations, with reasons', async () => {
    const newer = await runOne({
      description: 'needs 8.0',
      runOnRequirements: [{ minServerVersion: '8.0' }],
      operations: [insertTwo],
    });
    expect(newer).toMatchObject({
      status: 'skip',
      reason: 'runOnRequirements: needs server >= 8.0 (server 7.0.0 single)',
    });
    const sharded = await runOne(
      { description: 'sharded only', operations: [insertTwo] },
      { runOnRequirements: [{ topologies: ['sharded'] }] },
    );
    expect(sharded.reason).toMatch(/^file runOnRequirements: needs topology sharded/);
    const targeted = await runOne({
      description: 'targeted fail point',
      operations: [{ name: 'targetedFailPoint', object: 'testRunner', arguments: {} }],
    });
    expect(targeted.status).toBe('skip');
    expect(targeted.reason).toMatch(/targetedFailPoint/);
    const deviation = await runOne({ description: 'deviating test', operations: [insertTwo] });
    expect(deviation).toMatchObject({
      status: 'skip',
      reason: 'driver, not server: the driver does it differently',
    });
  });

  it('runs fail points against the server and turns them off after each test', async () => {
    const failInsert = {
      name: 'failPoint',
      object: 'testRunner',
      arguments: {
        client: 'client0',
        failPoint: {
          configureFailPoint: 'failCommand',
          mode: 'alwaysOn',
          data: { failCommands: ['insert'], errorCode: 8 },
        },
      },
    };
    const failing = (expected: number) => ({
      description: `insert fails with ${expected}`,
      operations: [
        failInsert,
        {
          name: 'insertOne',
          object: 'collection0',
          arguments: { document: { _id: 2, x: 22 } },
          expectError: { errorCode: expected },
        },
      ],
    });
    expect((await runOne(failing(8))).status).toBe('pass');
    const wrong = await runOne(failing(9));
    expect(wrong.status).toBe('fail');
    expect(wrong.reason).toMatch(/expected code 9/);
    // The fail point set by the previous test is gone: a plain insert goes through.
    expect(
      await runOne({ description: 'after a fail point', operations: [insertTwo], outcome: outcomeBoth }),
    ).toMatchObject({
      status: 'pass',
    });
  });

  it('stops waiting on a server that has become unreachable', async () => {
    const deadUri = 'mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=200';
    const deadClient = new MongoClient(deadUri);
    try {
      const tests = [1, 2, 3, 4, 5].map((n) => ({ description: `test ${n}`, operations: [insertTwo] }));
      const results = await runTestFile('dead.json', fileWith(tests), {
        ...config,
        uri: deadUri,
        internalClient: deadClient,
      });
      expect(results.map((r) => r.status)).toEqual(['fail', 'fail', 'fail', 'fail', 'fail']);
      expect(results[0]!.reason).toMatch(/MongoServerSelectionError/);
      expect(results[3]!.reason).toBe('not run: the server was unreachable for the previous 3 tests');
    } finally {
      await deadClient.close();
    }
  });

  it('fails files with a schema version it cannot interpret', async () => {
    const result = await runOne(
      { description: 'future schema', operations: [insertTwo] },
      { schemaVersion: '2.0' },
    );
    expect(result).toMatchObject({ status: 'fail', reason: 'runner: unsupported schemaVersion 2.0' });
  });
});
