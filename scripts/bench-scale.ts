/**
 * The work of every interaction at 1k, 10k and 100k assets, with 5 and 50 IT staff: ack latency and
 * time until the follow-up work is done (profiler off), then, once more with MongoDB's profiler on,
 * documents and index keys examined, driver round trips and Slack Web API calls. Judged against the
 * scale goals; a benchmark prints figures and never fails the build.
 */
import { MongoClient } from 'mongodb';
import { SlackRequestDriver, startFakeSlack } from '@custodian/fake-slack';
import { startApplication, type RunningApplication } from '../src/application.js';
import { AdjustableClock } from '../src/platform/clock.js';
import { createLogger } from '../src/platform/logger.js';
import {
  describeEntry,
  docsExaminedBound,
  offendingEntries,
  Profiler,
  withinDocsBound,
  type Measurement,
  type ProfileEntry,
} from '../test/support/profiler.js';
import {
  callsByMethod,
  interactionLabels,
  requestAndApprove,
  simpleInteractions,
  type InteractionKey,
  type ScaleScene,
  type StepTiming,
} from '../test/support/scale-interactions.js';
import { scaleSlackUsers, seedScale, setItStaff } from '../test/support/scale-seed.js';
import { ms, startBenchDatabase, summarize, withDatabase, type LatencySummary } from './bench-support.js';

const itChannelId = 'C0BENCHIT1';
const keys = Object.keys(interactionLabels) as InteractionKey[];
const typeaheads: InteractionKey[] = ['catalogOpen', 'catalogTyped', 'approveTypeahead'];

export interface InteractionFigures {
  ack: LatencySummary;
  done: LatencySummary;
  /** From the one profiled run (undefined when the server refused the profiler). */
  counted?: {
    roundTrips: number;
    docsExamined: number;
    keysExamined: number;
    produced: number;
    operations: number;
    notificationOps: number;
    jobsOps: number;
    slackCalls: Record<string, number>;
    offending: ProfileEntry[];
  };
}

export interface ScaleRunResult {
  assets: number;
  people: number;
  itStaff: number;
  seedMs: number;
  figures: Partial<Record<InteractionKey, InteractionFigures>>;
}

export interface ScaleBenchResult {
  database: string;
  profiler: string;
  runs: ScaleRunResult[];
}

export interface ScaleBenchOptions {
  sizes?: Array<{ assets: number; itStaff: number[] }>;
  /** Timed repetitions of each simple interaction, and of the request-and-approve cycle. */
  repetitions?: number;
  cycles?: number;
  /** Stop repeating an interaction after this long (at least 3 samples, 2 cycles). */
  budgetMs?: number;
  log?: (line: string) => void;
}

// 10k runs with 5 IT staff only, to keep the whole run near ten minutes on two cores.
const defaultSizes = [
  { assets: 1_000, itStaff: [5, 50] },
  { assets: 10_000, itStaff: [5] },
  { assets: 100_000, itStaff: [5, 50] },
];

async function startApp(uri: string, fake: Awaited<ReturnType<typeof startFakeSlack>>) {
  return startApplication({
    slack: {
      botToken: fake.botToken,
      signingSecret: fake.signingSecret,
      appToken: undefined,
      apiUrl: fake.apiUrl,
    },
    mongoUri: uri,
    port: 0,
    adminUserIds: [],
    itChannelId,
    alertsChannelId: undefined,
    timeZone: 'UTC',
    clock: new AdjustableClock(),
    logger: createLogger({ level: 'silent' }),
    monitorCommands: true,
  });
}

function counted(measurement: Measurement<StepTiming>): InteractionFigures['counted'] {
  return {
    roundTrips: measurement.roundTrips,
    docsExamined: measurement.totals.docsExamined,
    keysExamined: measurement.totals.keysExamined,
    produced: measurement.totals.produced,
    operations: measurement.totals.operations,
    notificationOps: measurement.byCollection['notifications']?.operations ?? 0,
    jobsOps: measurement.excluded.operations,
    slackCalls: callsByMethod(measurement.result.calls),
    offending: offendingEntries(measurement.entries),
  };
}

/** Timed samples of every interaction, then one profiled run of each. */
async function runConfiguration(
  scene: ScaleScene,
  profiler: Profiler | undefined,
  options: Required<Pick<ScaleBenchOptions, 'repetitions' | 'cycles' | 'budgetMs'>>,
): Promise<Partial<Record<InteractionKey, InteractionFigures>>> {
  const simple = simpleInteractions(scene);
  const samples = new Map<InteractionKey, StepTiming[]>(keys.map((k) => [k, []]));
  const record = async (key: InteractionKey, step: () => Promise<StepTiming>) => {
    const timing = await step();
    samples.get(key)!.push(timing);
    return timing;
  };
  // Warm-up: JIT, first publishes of each home, people read for the first time.
  for (const run of Object.values(simple)) await run();
  await requestAndApprove(scene, scene.seed.itStaffIds[0]!, (_key, step) => step());

  await profiler?.pause();
  for (const [key, run] of Object.entries(simple) as Array<[InteractionKey, () => Promise<StepTiming>]>) {
    const started = performance.now();
    for (let i = 0; i < options.repetitions; i++) {
      await record(key, run);
      if (i >= 2 && performance.now() - started > options.budgetMs) break;
    }
  }
  const started = performance.now();
  for (let i = 0; i < options.cycles; i++) {
    const approver = scene.seed.itStaffIds[i % scene.seed.itStaffIds.length]!;
    await requestAndApprove(scene, approver, record);
    if (i >= 1 && performance.now() - started > options.budgetMs * 2) break;
  }

  const profiled = new Map<InteractionKey, Measurement<StepTiming>>();
  if (profiler) {
    await profiler.resume();
    for (const [key, run] of Object.entries(simple) as Array<[InteractionKey, () => Promise<StepTiming>]>) {
      profiled.set(key, await profiler.measure(run));
    }
    await requestAndApprove(scene, scene.seed.itStaffIds[1]!, async (key, step) => {
      const measurement = await profiler.measure(step);
      profiled.set(key, measurement);
      return measurement.result;
    });
  }
  const figures: Partial<Record<InteractionKey, InteractionFigures>> = {};
  for (const key of keys) {
    const timings = samples.get(key)!;
    const measurement = profiled.get(key);
    figures[key] = {
      ack: summarize(timings.map((t) => t.ackMs)),
      done: summarize(timings.map((t) => t.doneMs)),
      ...(measurement ? { counted: counted(measurement) } : {}),
    };
  }
  return figures;
}

export async function runScaleBench(options: ScaleBenchOptions = {}): Promise<ScaleBenchResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const settings = {
    repetitions: options.repetitions ?? 15,
    cycles: options.cycles ?? 6,
    budgetMs: options.budgetMs ?? 4_000,
  };
  const database = await startBenchDatabase();
  // Slack's rate limits are off: the figures count every Web API call instead of waiting out 429s.
  const fake = await startFakeSlack({
    rateLimits: false,
    users: scaleSlackUsers(),
    channels: [{ id: itChannelId, name: 'it-requests', botIsMember: true }],
  });
  const runs: ScaleRunResult[] = [];
  let profilerNote = 'on (profile: 2)';
  try {
    for (const size of options.sizes ?? defaultSizes) {
      const dbName = `custodian_bench_scale_${size.assets}`;
      const uri = withDatabase(database.uri, dbName);
      let app: RunningApplication | undefined;
      const profileClient = new MongoClient(uri);
      try {
        app = await startApp(uri, fake);
        await app.eraseAllData();
        const db = app.database.connection.getClient().db(dbName);
        const seedStarted = performance.now();
        log(`scale: seeding ${size.assets} assets…`);
        const seed = await seedScale(db, {
          teamId: fake.teamId,
          assets: size.assets,
          itStaff: size.itStaff[0]!,
          now: new Date(),
        });
        await app.database.rebuildDerivedData();
        const seedMs = performance.now() - seedStarted;
        const profiler = new Profiler(profileClient.db(dbName), app.database.connection.getClient());
        // BENCH_PROFILER=off: timings only, for a server whose profiler is missing or misbehaving.
        const status =
          process.env.BENCH_PROFILER === 'off'
            ? ({ ok: false, reason: 'turned off by BENCH_PROFILER=off' } as const)
            : await profiler.start();
        if (!status.ok) profilerNote = `unavailable: ${status.reason}`;
        const driver = new SlackRequestDriver({
          fake,
          appUrl: `${app.url}/slack/events`,
          signingSecret: fake.signingSecret,
          settle: () => app!.settle(),
          // Timings are reported, not enforced here: a slow answer is a figure, not a crash.
          maxResponseMs: 60_000,
        });
        const scene: ScaleScene = { app, fake, driver, seed, teamId: fake.teamId, itChannelId };
        for (const staff of size.itStaff) {
          await setItStaff(db, seed, fake.teamId, staff);
          log(`scale: ${size.assets} assets, ${staff} IT staff…`);
          const figures = await runConfiguration(scene, status.ok ? profiler : undefined, settings);
          runs.push({ assets: size.assets, people: seed.people, itStaff: staff, seedMs, figures });
        }
      } finally {
        await app?.stop();
        await profileClient.close();
      }
    }
  } finally {
    await fake.stop();
    await database.stop();
  }
  return { database: database.description, profiler: profilerNote, runs };
}

const fmtCount = (n: number | undefined) => (n === undefined ? 'n/a' : String(n));
const ratio = (large: number | undefined, small: number | undefined) =>
  large === undefined || small === undefined ? undefined : large / Math.max(small, 1);
const fmtRatio = (r: number | undefined) => (r === undefined ? '' : `x${r.toFixed(2)}`);
const slackSummary = (calls: Record<string, number> | undefined) =>
  calls === undefined
    ? 'n/a'
    : Object.entries(calls)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([method, n]) => `${method}:${n}`)
        .join(' ') || '-';

export function printScaleBench(result: ScaleBenchResult): void {
  console.log(`Scale benchmark: the real app on ${result.database}; the fake Slack with rate limits off.`);
  console.log(
    `Timings: signed requests one at a time (ack = HTTP answer; done = until every follow-up is finished), profiler off.`,
  );
  console.log(`Counts: one more run of each with the profiler ${result.profiler}.`);
  console.log(
    `Bound: docs examined <= ${docsExaminedBound.perProduced} x (returned + written) + ${docsExaminedBound.constant}. ` +
      `Agenda's jobs polling is left out of the counts.`,
  );
  const smallest = (staff: number) =>
    result.runs.filter((r) => r.itStaff === staff).sort((a, b) => a.assets - b.assets)[0];
  for (const run of result.runs) {
    const base = smallest(run.itStaff);
    const vs = base && base !== run ? `, ratios vs ${base.assets / 1000}k` : '';
    console.log('');
    console.log(
      `== ${run.assets / 1000}k assets, ${run.people} people, ${run.itStaff} IT staff (seeded in ${(run.seedMs / 1000).toFixed(1)} s${vs}) ==`,
    );
    console.log(
      `${'interaction'.padEnd(34)} ${'n'.padStart(3)} ${'ack p50'.padStart(8)} ${'ack p99'.padStart(8)} ${'done p50'.padStart(9)} ${'done p99'.padStart(9)} ${'trips'.padStart(12)} ${'docs'.padStart(14)} ${'keys'.padStart(14)} ${'ret'.padStart(5)} ${'bound'.padStart(5)}  slack calls`,
    );
    for (const key of keys) {
      const f = run.figures[key];
      if (!f) continue;
      const c = f.counted;
      const b = base && base !== run ? base.figures[key]?.counted : undefined;
      const withRatio = (value: number | undefined, small: number | undefined) =>
        `${fmtCount(value)}${b ? ` ${fmtRatio(ratio(value, small))}` : ''}`;
      console.log(
        `${interactionLabels[key].padEnd(34)} ${String(f.ack.requests).padStart(3)} ${ms(f.ack.p50).padStart(8)} ${ms(f.ack.p99).padStart(8)} ${ms(f.done.p50).padStart(9)} ${ms(f.done.p99).padStart(9)} ` +
          `${withRatio(c?.roundTrips, b?.roundTrips).padStart(12)} ${withRatio(c?.docsExamined, b?.docsExamined).padStart(14)} ` +
          `${withRatio(c?.keysExamined, b?.keysExamined).padStart(14)} ${fmtCount(c?.produced).padStart(5)} ` +
          `${(c ? (withinDocsBound({ docsExamined: c.docsExamined, produced: c.produced }) ? 'ok' : 'OVER') : 'n/a').padStart(5)}  ${slackSummary(c?.slackCalls)}`,
      );
    }
  }
  printGoals(result);
}

function printGoals(result: ScaleBenchResult): void {
  const largest = Math.max(...result.runs.map((r) => r.assets));
  const smallestSize = Math.min(...result.runs.map((r) => r.assets));
  const verdict = (ok: boolean | undefined) => (ok === undefined ? 'N/A ' : ok ? 'PASS' : 'FAIL');
  console.log('');
  console.log('Goals');
  // 1. Documents examined within the bound, every interaction, every size.
  const over: string[] = [];
  const offenders = new Map<string, string>();
  let anyCounted = false;
  for (const run of result.runs) {
    for (const key of keys) {
      const c = run.figures[key]?.counted;
      if (!c) continue;
      anyCounted = true;
      if (!withinDocsBound({ docsExamined: c.docsExamined, produced: c.produced })) {
        over.push(`${interactionLabels[key].trim()} @${run.assets / 1000}k/${run.itStaff} IT`);
        for (const entry of c.offending) {
          const id = `${entry.collection} ${entry.op} ${entry.planSummary}`;
          if (!offenders.has(id) || run.assets === largest)
            offenders.set(
              id,
              `${interactionLabels[key].trim()} @${run.assets / 1000}k: ${describeEntry(entry)}`,
            );
        }
      }
    }
  }
  console.log(
    `${verdict(anyCounted ? over.length === 0 : undefined)} documents examined within ${docsExaminedBound.perProduced} x returned + ${docsExaminedBound.constant} for every interaction${over.length ? `: over in ${over.join('; ')}` : ''}`,
  );
  for (const line of offenders.values()) console.log(`       ${line}`);
  // 2. Typeaheads within 100 ms at the largest size.
  const typeaheadFigures = result.runs
    .filter((r) => r.assets === largest)
    .flatMap((r) => typeaheads.map((k) => ({ k, r, p99: r.figures[k]?.ack.p99 ?? NaN })));
  const slowTypeaheads = typeaheadFigures.filter((t) => !(t.p99 <= 100));
  console.log(
    `${verdict(slowTypeaheads.length === 0)} typeaheads answer within 100 ms (ack p99) at ${largest / 1000}k: ` +
      typeaheadFigures
        .map((t) => `${interactionLabels[t.k].trim()} @${t.r.itStaff} IT ${ms(t.p99)} ms`)
        .join('; '),
  );
  // 3. Approval follow-up with 50 IT staff within 5 s at the largest size.
  const approval = result.runs.find((r) => r.assets === largest && r.itStaff === 50)?.figures.approve?.done;
  console.log(
    `${verdict(approval ? approval.p99 <= 5000 : undefined)} approval follow-up done within 5 s with 50 IT staff at ${largest / 1000}k: ` +
      (approval
        ? `p50 ${ms(approval.p50)} ms, p99 ${ms(approval.p99)} ms (n=${approval.requests})`
        : 'not run'),
  );
  // 4. Round trips and documents examined at the largest size within 1.25x of the smallest.
  const grown: string[] = [];
  let compared = false;
  for (const run of result.runs.filter((r) => r.assets === largest)) {
    const base = result.runs.find((r) => r.assets === smallestSize && r.itStaff === run.itStaff);
    if (!base || base === run) continue;
    for (const key of keys) {
      const large = run.figures[key]?.counted;
      const small = base.figures[key]?.counted;
      if (!large || !small) continue;
      compared = true;
      const trips = ratio(large.roundTrips, small.roundTrips)!;
      const docs = ratio(large.docsExamined, small.docsExamined)!;
      if (trips > 1.25 || docs > 1.25) {
        grown.push(
          `${interactionLabels[key].trim()} @${run.itStaff} IT (trips ${fmtRatio(trips)}, docs ${fmtRatio(docs)})`,
        );
      }
    }
  }
  console.log(
    `${verdict(compared ? grown.length === 0 : undefined)} round trips and documents examined at ${largest / 1000}k within 1.25x of ${smallestSize / 1000}k${grown.length ? `: grown in ${grown.join('; ')}` : ''}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printScaleBench(await runScaleBench());
  process.exit(0);
}
