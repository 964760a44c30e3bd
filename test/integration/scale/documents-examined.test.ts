/**
 * At 10k assets, every interaction examines documents in proportion to what it returns, not to the
 * inventory: a query that scans fails here, with its plan, before it reaches a large team.
 * Counts come from MongoDB's profiler; nothing here is timed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { channels, startHarness, type Harness } from '../../support/app-harness.js';
import {
  describeEntry,
  docsExaminedBound,
  offendingEntries,
  Profiler,
  withinDocsBound,
  type Measurement,
} from '../../support/profiler.js';
import {
  interactionLabels,
  requestAndApprove,
  simpleInteractions,
  type InteractionKey,
  type ScaleScene,
  type StepTiming,
} from '../../support/scale-interactions.js';
import { scaleSlackUsers, seedScale } from '../../support/scale-seed.js';

const assets = 10_000;
const itStaff = 5;

let h: Harness;
let client: MongoClient;
let profiler: Profiler;
let profilerProblem: string | undefined;
const measured = new Map<InteractionKey, Measurement<StepTiming>>();

beforeAll(async () => {
  h = await startHarness('documents_examined', { users: scaleSlackUsers(), admins: [] });
  const db = h.app.database.connection.getClient().db(h.db.dbName);
  const seed = await seedScale(db, { teamId: h.teamId, assets, itStaff, now: h.clock.now() });
  await h.app.database.rebuildDerivedData();
  client = new MongoClient(h.db.uri);
  profiler = new Profiler(client.db(h.db.dbName));
  const started = await profiler.start();
  // Without a profiler the interactions still run (so their flows stay checked); the bounds then fail.
  if (!started.ok) profilerProblem = started.reason;
  const measure = async (step: () => Promise<StepTiming>) =>
    profilerProblem ? undefined : profiler.measure(step);
  const scene: ScaleScene = {
    app: h.app,
    fake: h.fake,
    driver: h.driver,
    seed,
    teamId: h.teamId,
    itChannelId: channels.it.id,
  };
  const simple = simpleInteractions(scene);
  // Once to warm up (first reads of a person, homes published for the first time), once measured.
  for (const run of Object.values(simple)) await run();
  await requestAndApprove(scene, seed.itStaffIds[0]!, (_key, step) => step());
  for (const [key, run] of Object.entries(simple) as Array<[InteractionKey, () => Promise<StepTiming>]>) {
    const measurement = await measure(run);
    if (measurement) measured.set(key, measurement);
    else await run();
  }
  await requestAndApprove(scene, seed.itStaffIds[1]!, async (key, step) => {
    const measurement = await measure(step);
    if (!measurement) return step();
    measured.set(key, measurement);
    return measurement.result;
  });
}, 120_000);

afterAll(async () => {
  await client?.close();
  await h?.stop();
});

describe(`documents examined at ${assets / 1000}k assets (bound: ${docsExaminedBound.perProduced} x returned + ${docsExaminedBound.constant})`, () => {
  it('has a profiler to read', () => {
    expect(profilerProblem).toBeUndefined();
  });

  it.each(Object.keys(interactionLabels) as InteractionKey[])('%s stays within the bound', (key) => {
    if (profilerProblem) throw new Error(`no profiler: ${profilerProblem}`);
    const measurement = measured.get(key);
    if (!measurement) throw new Error(`${interactionLabels[key]} was not measured`);
    const { totals } = measurement;
    const report =
      `${interactionLabels[key].trim()}: ${totals.docsExamined} documents examined for ${totals.produced} returned ` +
      `(${totals.keysExamined} keys, ${totals.operations} operations); offending operations:\n` +
      offendingEntries(measurement.entries).map(describeEntry).join('\n');
    expect({ withinBound: withinDocsBound(totals), report }).toEqual({ withinBound: true, report });
  });
});
