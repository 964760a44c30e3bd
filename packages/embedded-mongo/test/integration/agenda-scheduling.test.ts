/**
 * Agenda 6 with @agendajs/mongo-backend against the test database backend: one-off jobs run exactly
 * once, recurring definitions upsert a single job document, and job locks are taken while a job runs
 * and released when it finishes or when Agenda stops.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Agenda } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import { MongoClient, type Collection, type Db, type Document } from 'mongodb';
import { createTestDatabase } from '../support/test-database.js';

let backend: Awaited<ReturnType<typeof createTestDatabase>>;
let client: MongoClient;
let db: Db;
const running: Agenda[] = [];
let collectionCounter = 0;

beforeAll(async () => {
  backend = await createTestDatabase();
  client = new MongoClient(backend.uri, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  db = client.db(backend.dbName);
}, 60_000);

afterEach(async () => {
  // Agenda keeps polling timers; stop every instance a test created.
  await Promise.allSettled(running.splice(0).map((agenda) => agenda.stop()));
});

afterAll(async () => {
  await client?.close();
  await backend?.stop();
  await sleep(1100); // let Agenda's last lock-check timers (lockLifetime / 2) fire
});

/** An Agenda on its own jobs collection, polling every 100 ms, with its startup errors surfaced. */
function newAgenda(): { agenda: Agenda; jobs: Collection<Document> } {
  const collection = `jobs_${++collectionCounter}`;
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: db, collection }),
    // A number, not '100 milliseconds': human-interval (Agenda's parser) reads that string as 100 000 ms.
    processEvery: 100,
    // Agenda re-checks a running job's lock every lockLifetime / 2 on a timer it never clears; a short
    // lifetime (still far above these jobs' run times) keeps those timers from outliving the test file.
    defaultLockLifetime: 2000,
  });
  running.push(agenda);
  return { agenda, jobs: db.collection(collection) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** A promise with its resolver, used to hold a job open while the test inspects the database. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe('Agenda on the test database', () => {
  it('runs a job scheduled "in 1 second" exactly once, not before it is due', async () => {
    const { agenda, jobs } = newAgenda();
    const runs: number[] = [];
    const errors: unknown[] = [];
    agenda.on('error', (error) => errors.push(error));
    agenda.define('send-reminder', async () => {
      runs.push(Date.now());
    });
    await agenda.start();
    const scheduledAt = Date.now();
    await agenda.schedule('in 1 second', 'send-reminder', { assetTag: 'LT-1' });
    await sleep(3000);

    expect(errors).toEqual([]);
    expect(runs).toHaveLength(1);
    expect(runs[0]! - scheduledAt).toBeGreaterThanOrEqual(900);
    const docs = await jobs.find({ name: 'send-reminder' }).toArray();
    expect(docs).toHaveLength(1);
    const [job] = docs;
    expect(job!.data).toEqual({ assetTag: 'LT-1' });
    expect(job!.lastRunAt).toBeInstanceOf(Date);
    expect(job!.lastFinishedAt).toBeInstanceOf(Date);
    expect(job!.nextRunAt ?? null).toBeNull();
    expect(job!.lockedAt ?? null).toBeNull();
  }, 15_000);

  it('upserts a single job document when every() is called twice for the same name', async () => {
    const { agenda, jobs } = newAgenda();
    agenda.define('nightly-audit', async () => undefined);
    await agenda.every('1 minute', 'nightly-audit');
    await agenda.every('1 minute', 'nightly-audit');
    expect(await jobs.countDocuments({ name: 'nightly-audit' })).toBe(1);
    const job = await jobs.findOne({ name: 'nightly-audit' });
    expect(job).toMatchObject({ type: 'single', repeatInterval: '1 minute' });
    expect(job!.nextRunAt).toBeInstanceOf(Date);

    await agenda.every('5 minutes', 'nightly-audit');
    expect(await jobs.countDocuments({ name: 'nightly-audit' })).toBe(1);
    expect((await jobs.findOne({ name: 'nightly-audit' }))!.repeatInterval).toBe('5 minutes');
  });

  it('locks a job while it runs and releases the lock when it finishes', async () => {
    const { agenda, jobs } = newAgenda();
    const hold = gate();
    let started = false;
    let completed = false;
    agenda.define('slow-sync', async () => {
      started = true;
      await hold.promise;
    });
    agenda.on('complete:slow-sync', () => {
      completed = true;
    });
    await agenda.start();
    await agenda.now('slow-sync');
    await waitFor(() => started, 5000, 'the job to start');

    const whileRunning = await jobs.findOne({ name: 'slow-sync' });
    expect(whileRunning!.lockedAt).toBeInstanceOf(Date);
    expect(whileRunning!.lastRunAt).toBeInstanceOf(Date);
    // Another poll must not pick the locked job up again.
    expect(await jobs.countDocuments({ name: 'slow-sync', lockedAt: { $ne: null } })).toBe(1);

    hold.open();
    await waitFor(() => completed, 5000, 'the job to complete');
    await waitFor(
      async () => (await jobs.findOne({ name: 'slow-sync' }))?.lastFinishedAt instanceof Date,
      5000,
      'the job to be saved',
    );
    const finished = await jobs.findOne({ name: 'slow-sync' });
    expect(finished!.lockedAt ?? null).toBeNull();
    expect(await jobs.countDocuments({ name: 'slow-sync', lockedAt: null })).toBe(1);
  }, 15_000);

  // Agenda 6 unlocks, on stop(), the jobs it has locked but not started; a running job keeps its lock
  // until it completes (JobProcessor.stop), so another worker cannot start it twice.
  it('releases on stop() the locks of queued jobs; a running job keeps its lock until it finishes', async () => {
    const { agenda, jobs } = newAgenda();
    const hold = gate();
    let started = 0;
    agenda.define(
      'long-import',
      async () => {
        started++;
        await hold.promise;
      },
      { concurrency: 1 },
    );
    for (const part of [1, 2, 3]) await agenda.now('long-import', { part });
    await agenda.start();
    await waitFor(() => started === 1, 5000, 'the first job to start');
    await waitFor(
      async () => (await jobs.countDocuments({ name: 'long-import', lockedAt: { $type: 'date' } })) === 3,
      5000,
      'all three jobs to be locked',
    );

    await agenda.stop();
    running.splice(running.indexOf(agenda), 1);
    expect(await jobs.countDocuments({ name: 'long-import', lockedAt: null })).toBe(2);
    const stillLocked = await jobs.find({ name: 'long-import', lockedAt: { $type: 'date' } }).toArray();
    expect(stillLocked).toHaveLength(1);
    expect(stillLocked[0]!.lastRunAt).toBeInstanceOf(Date);
    await sleep(300);
    expect(started).toBe(1);

    hold.open();
    await waitFor(
      async () =>
        (await jobs.countDocuments({ name: 'long-import', lastFinishedAt: { $type: 'date' } })) === 1,
      5000,
      'the running job to finish',
    );
    expect(await jobs.countDocuments({ name: 'long-import', lockedAt: null })).toBe(3);
  }, 15_000);
});
