/**
 * Conformance run of MongoDB's official CRUD spec tests (unified format) against the database
 * backend: the embedded engine by default, or the server MONGODB_URI points at. The spec files are
 * read in place from ../shared/mongodb-spec/crud-unified beside the repository checkout (their
 * licence keeps them out of this repo); without them the run is skipped, and says so.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { createTestDatabase } from '../support/test-database.js';
import { NODE_DRIVER_DEVIATIONS } from '../support/unified/node-driver-deviations.js';
import { formatPercent, formatReport, summarize } from '../support/unified/report.js';
import { STANDALONE_7_0, type ServerProfile, type Topology } from '../support/unified/requirements.js';
import { runTestDirectory, type TestResult } from '../support/unified/runner.js';

// This file is packages/embedded-mongo/test/spec/; the repository root is four levels up.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
// CRUD_UNIFIED_SPEC_DIR points the run at another copy of the spec files.
const specDirectory =
  process.env.CRUD_UNIFIED_SPEC_DIR ?? path.resolve(repoRoot, '..', 'shared', 'mongodb-spec', 'crud-unified');
const reportPath = path.join(repoRoot, 'test-artifacts', 'crud-unified-report.txt');
const REQUIRED_PASS_RATE = 0.95;

/** A real server (MONGODB_URI) is judged by what it reports; the embedded engine stands for mongod 7.0. */
async function profileOf(client: MongoClient): Promise<ServerProfile> {
  if (process.env.MONGODB_URI === undefined) return STANDALONE_7_0;
  const admin = client.db('admin');
  const buildInfo = await admin.command({ buildInfo: 1 });
  const hello = await admin.command({ hello: 1 });
  const version = Array.isArray(buildInfo.versionArray)
    ? (buildInfo.versionArray as number[]).slice(0, 3).join('.')
    : String(buildInfo.version);
  const topology: Topology =
    hello.msg === 'isdbgrid' ? 'sharded' : typeof hello.setName === 'string' ? 'replicaset' : 'single';
  return { ...STANDALONE_7_0, version, topology };
}

const specsPresent = existsSync(specDirectory);

describe('MongoDB CRUD unified spec tests', () => {
  if (!specsPresent) {
    const reason = `spec directory ${specDirectory} does not exist`;
    it.skip(`conformance run skipped: ${reason}`, () => undefined);
    // A file whose tests are all skipped shows no console output, so this one runs and says why.
    it('writes a report saying why the conformance run was skipped', async () => {
      await mkdir(path.dirname(reportPath), { recursive: true });
      await writeFile(
        reportPath,
        `MongoDB CRUD unified spec tests: SKIPPED\n\nThe conformance run was skipped: ${reason}.\n` +
          'Put the spec files at ../shared/mongodb-spec/crud-unified beside the repository, or point ' +
          'CRUD_UNIFIED_SPEC_DIR at them.\n',
      );
      console.warn(`CRUD conformance run skipped: ${reason} (report: ${reportPath})`);
      expect(existsSync(reportPath)).toBe(true);
    });
    return;
  }

  let backend: Awaited<ReturnType<typeof createTestDatabase>>;
  let internalClient: MongoClient;

  beforeAll(async () => {
    backend = await createTestDatabase();
    internalClient = new MongoClient(backend.uri, { serverSelectionTimeoutMS: 5000 });
    await internalClient.connect();
  }, 60_000);

  afterAll(async () => {
    await internalClient?.close();
    await backend?.stop();
  });

  it(`passes at least ${formatPercent(REQUIRED_PASS_RATE)} of the applicable tests`, async () => {
    const started = Date.now();
    const profile = await profileOf(internalClient);
    const results: TestResult[] = await runTestDirectory(specDirectory, {
      uri: backend.uri,
      profile,
      internalClient,
      testTimeoutMs: 10_000,
      driverDeviations: NODE_DRIVER_DEVIATIONS,
    });
    const report = formatReport(results, {
      title: 'MongoDB CRUD unified spec tests',
      target:
        process.env.MONGODB_URI !== undefined
          ? `MONGODB_URI server (${backend.uri})`
          : `test backend ${backend.uri}`,
      profile: `${profile.topology} ${profile.version}`,
      durationMs: Date.now() - started,
      threshold: REQUIRED_PASS_RATE,
    });
    process.stdout.write(`\n${report}`);
    await mkdir(path.dirname(reportPath), { recursive: true });
    await writeFile(reportPath, report);

    const summary = summarize(results);
    expect(summary.total).toBeGreaterThan(0);
    expect(summary.passRate).toBeGreaterThanOrEqual(REQUIRED_PASS_RATE);
  }, 120_000);
});
