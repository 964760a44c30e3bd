/**
 * Runs unified-format test files against a server through the real `mongodb` driver and reports a
 * pass / skip / fail result (with the reason) for every test.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { EJSON } from 'bson';
import type { MongoClient } from 'mongodb';
import { EntityMap } from './entities.js';
import { assertExpectedError, assertExpectedEvents } from './expectations.js';
import type { CollectionData, Document, Operation, UnifiedTest, UnifiedTestFile } from './format.js';
import { assertExactlyEqual, assertMatches, MatchError, show } from './match.js';
import { runOperation, RunnerError, UNSUPPORTED_RUNNER_OPERATIONS } from './operations.js';
import { isSchemaVersionSupported, requirementsUnmet, type ServerProfile } from './requirements.js';

export type TestStatus = 'pass' | 'skip' | 'fail';

export interface TestResult {
  file: string;
  test: string;
  status: TestStatus;
  /** Why it was skipped or how it failed. */
  reason?: string;
  durationMs: number;
}

export interface RunnerConfig {
  /** Connection string of the server under test; entity clients append their uriOptions to it. */
  uri: string;
  profile: ServerProfile;
  /** The runner's own client, used for initialData and outcome checks. */
  internalClient: MongoClient;
  /** Per-test limit, so one hung command cannot stall the whole run. */
  testTimeoutMs?: number;
  /** Tests (by description) that check a driver behaviour the driver in use deliberately lacks, with why. */
  driverDeviations?: ReadonlyMap<string, string>;
}

/**
 * Shared across files of one run: once the server has been unreachable for several tests in a row,
 * the rest are failed at once instead of each waiting out server selection.
 */
export interface RunState {
  consecutiveUnreachable: number;
}

const UNREACHABLE_LIMIT = 3;
const UNREACHABLE_ERRORS = /\b(MongoServerSelectionError|MongoNetworkError|MongoTopologyClosedError)\b/;

/** Parses a test file as Extended JSON (relaxed: plain JSON numbers stay JS numbers). */
export function parseTestFile(text: string): UnifiedTestFile {
  return EJSON.parse(text, { relaxed: true }) as UnifiedTestFile;
}

function reasonOf(error: unknown): string {
  if (error instanceof MatchError || error instanceof RunnerError) {
    return error instanceof RunnerError ? `runner: ${error.message}` : error.message;
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}${code !== undefined ? ` (code ${String(code)})` : ''}: ${error.message}`;
  }
  return String(error);
}

/** Whether (and why) a test must be skipped before touching the server. */
export function skipReason(
  file: UnifiedTestFile,
  test: UnifiedTest,
  profile: ServerProfile,
  driverDeviations: ReadonlyMap<string, string> = new Map(),
): string | null {
  const fileUnmet = requirementsUnmet(file.runOnRequirements, profile);
  if (fileUnmet !== null) return `file runOnRequirements: ${fileUnmet}`;
  if (test.skipReason !== undefined) return `skipReason: ${test.skipReason}`;
  const testUnmet = requirementsUnmet(test.runOnRequirements, profile);
  if (testUnmet !== null) return `runOnRequirements: ${testUnmet}`;
  for (const operation of test.operations) {
    const unsupported =
      operation.object === 'testRunner' ? UNSUPPORTED_RUNNER_OPERATIONS.get(operation.name) : undefined;
    if (unsupported !== undefined) return unsupported;
  }
  const deviation = driverDeviations.get(test.description);
  if (deviation !== undefined) return `driver, not server: ${deviation}`;
  return null;
}

async function dropCollection(
  client: MongoClient,
  databaseName: string,
  collectionName: string,
): Promise<void> {
  try {
    await client
      .db(databaseName)
      .collection(collectionName)
      .drop({ writeConcern: { w: 'majority' } });
  } catch (error) {
    // NamespaceNotFound: servers before 7.0 report dropping a missing collection as an error.
    if ((error as { code?: unknown }).code !== 26) throw error;
  }
}

async function loadInitialData(client: MongoClient, data: CollectionData[]): Promise<void> {
  for (const collection of data) {
    const { databaseName, collectionName } = collection;
    await dropCollection(client, databaseName, collectionName);
    await dropCollection(client, databaseName, `enxcol_.${collectionName}.esc`);
    await dropCollection(client, databaseName, `enxcol_.${collectionName}.ecoc`);
    const db = client.db(databaseName);
    if (collection.createOptions !== undefined) {
      await db.command({
        create: collectionName,
        ...collection.createOptions,
        writeConcern: { w: 'majority' },
      });
    }
    if (collection.documents.length > 0) {
      await db
        .collection(collectionName)
        .insertMany(collection.documents, { writeConcern: { w: 'majority' } });
    } else if (collection.createOptions === undefined) {
      await db.createCollection(collectionName, { writeConcern: { w: 'majority' } });
    }
  }
}

async function assertOutcome(client: MongoClient, outcome: CollectionData[]): Promise<void> {
  for (const expected of outcome) {
    const actual = await client
      .db(expected.databaseName)
      .collection(expected.collectionName)
      .find({}, { sort: { _id: 1 }, readPreference: 'primary', readConcern: { level: 'local' } })
      .toArray();
    try {
      assertExactlyEqual(expected.documents, actual);
    } catch (error) {
      if (error instanceof MatchError) {
        throw new MatchError(
          `outcome(${expected.databaseName}.${expected.collectionName})`,
          `${error.message}\n        expected ${show(expected.documents)}\n        actual   ${show(actual)}`,
        );
      }
      throw error;
    }
  }
}

/** Fail points a test configured, by name, so they can be turned off after it whatever happens. */
type ConfiguredFailPoints = Set<string>;

/** The `failPoint` test-runner operation: configures a fail point through the named client entity. */
async function configureFailPoint(
  operation: Operation,
  label: string,
  entities: EntityMap,
  configured: ConfiguredFailPoints,
): Promise<void> {
  const clientId = operation.arguments?.client;
  const failPoint = operation.arguments?.failPoint as Document | undefined;
  if (
    typeof clientId !== 'string' ||
    failPoint === undefined ||
    typeof failPoint.configureFailPoint !== 'string'
  ) {
    throw new RunnerError(`${label}: needs arguments client and failPoint.configureFailPoint`);
  }
  const client = entities.client(clientId).client;
  configured.add(failPoint.configureFailPoint);
  try {
    await client.db('admin').command(failPoint);
  } catch (error) {
    throw new MatchError(label, `configuring the fail point failed: ${reasonOf(error)}`);
  }
}

/** Turns off every fail point a test configured (through the runner's own client, which they never catch). */
async function disableFailPoints(client: MongoClient, configured: ConfiguredFailPoints): Promise<void> {
  for (const name of configured) await client.db('admin').command({ configureFailPoint: name, mode: 'off' });
}

async function runOperationAndCheck(
  operation: Operation,
  index: number,
  entities: EntityMap,
  failPoints: ConfiguredFailPoints,
): Promise<void> {
  const label = `operation ${index} (${operation.name} on ${operation.object})`;
  if (operation.object === 'testRunner') {
    if (operation.name === 'failPoint') return configureFailPoint(operation, label, entities, failPoints);
    throw new RunnerError(`${label}: unsupported special operation`);
  }
  let outcome: { ok: true; value: unknown; iterableOfDocuments: boolean } | { ok: false; error: unknown };
  try {
    const result = await runOperation(operation, entities);
    outcome = { ok: true, ...result };
  } catch (error) {
    if (error instanceof RunnerError) throw new RunnerError(`${label}: ${error.message}`);
    outcome = { ok: false, error };
  }
  try {
    if (operation.ignoreResultAndError) return;
    if (operation.expectError !== undefined) {
      if (outcome.ok)
        throw new MatchError('expectError', `expected an error, got result ${show(outcome.value)}`);
      assertExpectedError(outcome.error, operation.expectError, entities);
      return;
    }
    if (!outcome.ok) throw outcome.error;
    if (operation.expectResult !== undefined) {
      try {
        assertMatches(operation.expectResult, outcome.value, {
          entities,
          iterableOfDocuments: outcome.iterableOfDocuments,
        });
      } catch (error) {
        if (error instanceof MatchError) throw new MatchError('expectResult', error.message);
        throw error;
      }
    }
    if (operation.saveResultAsEntity !== undefined)
      entities.save(operation.saveResultAsEntity, outcome.value);
  } catch (error) {
    if (error instanceof MatchError) throw new MatchError(label, error.message);
    if (error instanceof RunnerError) throw new RunnerError(`${label}: ${error.message}`);
    throw new MatchError(label, `unexpected error ${reasonOf(error)}`);
  }
}

async function executeTest(file: UnifiedTestFile, test: UnifiedTest, config: RunnerConfig): Promise<void> {
  if (file.initialData !== undefined) await loadInitialData(config.internalClient, file.initialData);
  const entities = await EntityMap.create(config.uri, file.createEntities);
  const failPoints: ConfiguredFailPoints = new Set();
  try {
    let index = 0;
    for (const operation of test.operations) {
      await runOperationAndCheck(operation, index++, entities, failPoints);
    }
    entities.stopRecording();
    if (test.expectEvents !== undefined) assertExpectedEvents(test.expectEvents, entities);
    if (test.outcome !== undefined) {
      // Unacknowledged (w: 0) writes may still be in flight on another connection: give them a moment.
      const unacknowledged = test.operations.some(
        (operation) =>
          entities.writesUnacknowledged(operation.object) ||
          (operation.arguments?.writeConcern as { w?: unknown } | undefined)?.w === 0,
      );
      const deadline = Date.now() + (unacknowledged ? 1000 : 0);
      for (;;) {
        try {
          await assertOutcome(config.internalClient, test.outcome);
          break;
        } catch (error) {
          if (!(error instanceof MatchError) || Date.now() >= deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    }
  } finally {
    try {
      await disableFailPoints(config.internalClient, failPoints);
    } finally {
      await entities.close();
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs every test of one file's text. The file is parsed afresh for each test because the driver
 * mutates documents it is given (it adds `_id`s), and tests must not see each other's changes.
 */
export async function runTestFile(
  fileName: string,
  text: string,
  config: RunnerConfig,
  state: RunState = { consecutiveUnreachable: 0 },
): Promise<TestResult[]> {
  const results: TestResult[] = [];
  let parsed: UnifiedTestFile;
  try {
    parsed = parseTestFile(text);
  } catch (error) {
    return [
      {
        file: fileName,
        test: '(file)',
        status: 'fail',
        reason: `runner: cannot parse: ${reasonOf(error)}`,
        durationMs: 0,
      },
    ];
  }
  const schemaOk = typeof parsed.schemaVersion === 'string' && isSchemaVersionSupported(parsed.schemaVersion);
  for (let index = 0; index < parsed.tests.length; index++) {
    const file = index === 0 ? parsed : parseTestFile(text);
    const test = file.tests[index]!;
    const started = Date.now();
    const record = (status: TestStatus, reason?: string): void => {
      results.push({
        file: fileName,
        test: test.description,
        status,
        reason,
        durationMs: Date.now() - started,
      });
    };
    if (!schemaOk) {
      record('fail', `runner: unsupported schemaVersion ${String(file.schemaVersion)}`);
      continue;
    }
    const skip = skipReason(file, test, config.profile, config.driverDeviations);
    if (skip !== null) {
      record('skip', skip);
      continue;
    }
    if (state.consecutiveUnreachable >= UNREACHABLE_LIMIT) {
      record('fail', `not run: the server was unreachable for the previous ${UNREACHABLE_LIMIT} tests`);
      continue;
    }
    try {
      await withTimeout(executeTest(file, test, config), config.testTimeoutMs ?? 15000, 'test');
      record('pass');
      state.consecutiveUnreachable = 0;
    } catch (error) {
      const reason = reasonOf(error);
      record('fail', reason);
      state.consecutiveUnreachable = UNREACHABLE_ERRORS.test(reason) ? state.consecutiveUnreachable + 1 : 0;
    }
  }
  return results;
}

/** Runs every `*.json` file of a directory, in name order. */
export async function runTestDirectory(directory: string, config: RunnerConfig): Promise<TestResult[]> {
  const names = (await readdir(directory)).filter((name) => name.endsWith('.json')).sort();
  const results: TestResult[] = [];
  const state: RunState = { consecutiveUnreachable: 0 };
  for (const name of names) {
    const text = await readFile(path.join(directory, name), 'utf8');
    results.push(...(await runTestFile(name, text, config, state)));
  }
  return results;
}
