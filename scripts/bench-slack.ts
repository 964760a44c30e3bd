/**
 * Ack latency of signed `/asset find` requests against the real app, and against a bare Bolt app on the
 * same machine that only acks; plus database round trips per interaction at two inventory sizes.
 * A benchmark, not a test: it prints figures and the goals they are judged against.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { MongoClient } from 'mongodb';
import { startApplication } from '../src/application.js';
import { startEmbeddedMongo } from '@custodian/embedded-mongo';
import { assetModel } from '../src/db/models/asset.model.js';
import { backfillAssetSearchKeys } from '../src/db/repositories/mongo-asset-repository.js';
import {
  SlackRequestDriver,
  startFakeSlack,
  signSlackRequest,
  slashCommandForm,
  type FakeSlack,
} from '@custodian/fake-slack';
import { AdjustableClock } from '../src/platform/clock.js';
import { createLogger } from '../src/platform/logger.js';

export interface LatencySummary {
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  non2xx: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(index, 0)]!;
}

export function summarize(latencies: number[], non2xx: number): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    non2xx,
  };
}

interface SeedCollection {
  insertMany(docs: Record<string, unknown>[], options: { ordered: boolean }): Promise<unknown>;
}

/** A fresh, signed slash command body for each request: Slack never reuses trigger_id or response_url. */
function signedFindRequest(
  fake: FakeSlack,
  userId: string,
  text: string,
): { body: string; headers: Record<string, string>; responseUrl: string } {
  const user = fake.user(userId)!;
  const channel = fake.channel(fake.generalChannelId)!;
  const responseUrl = fake.issueResponseUrl({ channelId: channel.id, userId });
  const form = slashCommandForm(
    { identity: fake.identity, user },
    { command: '/asset', text, channel, responseUrl, triggerId: fake.issueTriggerId(userId) },
  );
  const body = new URLSearchParams(form).toString();
  return {
    body,
    responseUrl,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...signSlackRequest(fake.signingSecret, Math.floor(Date.now() / 1000), body),
    },
  };
}

/**
 * `users` people at once, each sending a signed `/asset find`, timing the HTTP acknowledgement, then
 * waiting for the answer (the app's post to the response_url) before the next — so concurrency is
 * fixed in interactions, not just in open sockets. The bare app has no answer beyond its ack.
 */
async function load(
  url: string,
  fake: FakeSlack,
  userId: string,
  amount: number,
  users: number,
  waitForAnswer: boolean,
): Promise<LatencySummary> {
  const latencies: number[] = [];
  let non2xx = 0;
  let remaining = amount;
  const answered = new Map<string, () => void>();
  const unsubscribe = fake.onCall((call) => {
    const target = call.method === 'response_url' ? String(call.args['url'] ?? '') : '';
    answered.get(target)?.();
  });
  const agent = async () => {
    while (remaining > 0) {
      remaining--;
      const tag = `LAP-${String(1 + Math.floor(Math.random() * 900)).padStart(6, '0')}`;
      const signed = signedFindRequest(fake, userId, `find ${tag}`);
      const answer = waitForAnswer
        ? new Promise<void>((resolve) => answered.set(signed.responseUrl, resolve))
        : Promise.resolve();
      const started = performance.now();
      const response = await fetch(url, { method: 'POST', headers: signed.headers, body: signed.body });
      latencies.push(performance.now() - started);
      await response.arrayBuffer();
      if (!response.ok) non2xx++;
      await Promise.race([answer, new Promise((r) => setTimeout(r, 5000))]);
      answered.delete(signed.responseUrl);
    }
  };
  try {
    await Promise.all(Array.from({ length: users }, agent));
  } finally {
    unsubscribe();
  }
  return summarize(latencies, non2xx);
}

async function seedAssets(
  collection: SeedCollection,
  teamId: string,
  count: number,
  from = 1,
): Promise<void> {
  const now = new Date();
  const batch = 5000;
  for (let start = from; start < from + count; start += batch) {
    const docs = [];
    for (let i = start; i < Math.min(start + batch, from + count); i++) {
      const tag = `LAP-${String(i).padStart(6, '0')}`;
      docs.push({
        teamId,
        tag,
        serial: `SN${i}`,
        name: `Laptop ${i}`,
        nameLower: `laptop ${i}`,
        category: i % 3 === 0 ? 'Monitor' : 'Laptop',
        model: i % 2 === 0 ? 'MacBook Pro 14' : 'ThinkPad X1',
        status: 'available',
        location: 'HQ',
        customFields: {},
        history: [{ at: now, actorId: 'U0SEED0001', action: 'registered', toStatus: 'available' }],
        createdAt: now,
        updatedAt: now,
      });
    }
    await collection.insertMany(docs, { ordered: false });
  }
}

export interface AckComparison {
  users: number;
  app: LatencySummary;
  bareBolt: LatencySummary;
  p99Ratio: number;
}

export interface SlackBenchResult {
  /** One comparison per concurrency level. */
  ack: AckComparison[];
  roundTrips: Record<string, { at1k: number; at100k: number }>;
  approveAck: {
    buttonAt1k: LatencySummary;
    submitAt1k: LatencySummary;
    buttonAtLarge: LatencySummary;
    submitAtLarge: LatencySummary;
  };
  largeSize: number;
}

const benchUsers = [
  { id: 'U0BENCH001', name: 'bench', real_name: 'Bench User', email: 'bench@example.com' },
  { id: 'U0BENCHIT1', name: 'benchit', real_name: 'Bench IT', email: 'it@example.com' },
];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts a TypeScript entry point in its own process, so the app under test has its own event loop. */
async function spawnServer(entry: string, env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await fetch(`http://127.0.0.1:${port}/`, { method: 'GET' });
      return child;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${entry} did not start`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

interface LatencySamples {
  button: number[];
  submit: number[];
}

async function measureRoundTrips(mongoUri: string, fake: FakeSlack, large: number, approvals: number) {
  const app = await startApplication({
    slack: {
      botToken: fake.botToken,
      signingSecret: fake.signingSecret,
      appToken: undefined,
      apiUrl: fake.apiUrl,
    },
    mongoUri,
    port: 0,
    adminUserIds: ['U0BENCHIT1'],
    itChannelId: 'C0BENCHIT1',
    alertsChannelId: undefined,
    timeZone: 'UTC',
    clock: new AdjustableClock(),
    logger: createLogger({ level: 'silent' }),
    monitorCommands: true,
  });
  try {
    // Seeded behind the app's back after it started: give the documents their search keys as a restart would.
    const seed = async (count: number, from?: number) => {
      await seedAssets(app.database.connection.collection('assets'), fake.teamId, count, from);
      await backfillAssetSearchKeys(assetModel(app.database.connection));
    };
    await seed(1000);
    let commands = 0;
    app.database.connection.getClient().on('commandStarted', () => commands++);
    const appUrl = `${app.url}/slack/events`;
    const post = async (userId: string, text: string) => {
      const signed = signedFindRequest(fake, userId, text);
      await fetch(appUrl, { method: 'POST', headers: signed.headers, body: signed.body });
    };
    const interactions: Record<string, () => Promise<void>> = {
      '/asset find <tag>': () => post('U0BENCH001', 'find LAP-000500'),
      '/asset find <text>': () => post('U0BENCH001', 'find laptop 50'),
      '/asset help': () => post('U0BENCH001', 'help'),
    };
    const countTrips = async (run: () => Promise<void>): Promise<number> => {
      await app.settle();
      const before = commands;
      await run();
      await app.settle();
      return commands - before;
    };
    const driver = new SlackRequestDriver({
      fake,
      appUrl,
      signingSecret: fake.signingSecret,
      settle: () => app.settle(),
    });
    const laptopTags = (from: number, count: number) =>
      Array.from({ length: count * 2 }, (_, i) => from + i)
        .filter((i) => i % 3 !== 0)
        .slice(0, count)
        .map((i) => `LAP-${String(i).padStart(6, '0')}`);
    const requester = await app.services.people.resolve(fake.teamId, 'U0BENCH001');
    if (!requester) throw new Error('the fake workspace does not know U0BENCH001');
    /** One request submitted (the app posts it to IT in the background), then IT presses Approve and submits the modal. */
    const approveFlow = async (tag: string, ack: LatencySamples) => {
      const submitted = await app.services.requests.submit(requester, {
        kind: 'permanent',
        item: { category: 'Laptop', model: undefined },
        reason: 'benchmark',
        neededBy: undefined,
        returnBy: undefined,
      });
      if (!submitted.ok) throw new Error(JSON.stringify(submitted.error));
      await app.settle();
      const stored = await app.services.requests.byId(fake.teamId, submitted.value.request.id);
      const itMessage = stored.ok ? stored.value.itMessage : undefined;
      if (!itMessage) throw new Error('the request was not posted to the IT channel');
      const trips: Record<string, number> = {};
      trips['approve: press Approve'] = await countTrips(async () => {
        const pressed = await driver.pressButton({
          user: 'U0BENCHIT1',
          actionId: 'approve_request',
          message: itMessage,
        });
        ack.button.push(pressed.durationMs);
      });
      trips['approve: submit the modal'] = await countTrips(async () => {
        const done = await driver.submitView({
          user: 'U0BENCHIT1',
          values: { asset: { text: tag, value: tag } },
        });
        if (done.outcome !== 'closed')
          throw new Error(`approve of ${tag} was not accepted: ${JSON.stringify(done.errors)}`);
        ack.submit.push(done.durationMs);
      });
      return trips;
    };

    // Warm caches (the person's profile) so the figures show the steady state.
    for (const run of Object.values(interactions)) await countTrips(run);
    const warm: LatencySamples = { button: [], submit: [] };
    for (const tag of laptopTags(900, 3)) await approveFlow(tag, warm);

    const at1k: Record<string, number> = {};
    for (const [name, run] of Object.entries(interactions)) at1k[name] = await countTrips(run);
    const ack1k: LatencySamples = { button: [], submit: [] };
    for (const tag of laptopTags(1, approvals)) Object.assign(at1k, await approveFlow(tag, ack1k));

    await seed(large - 1000, 1001);
    const at100k: Record<string, number> = {};
    for (const [name, run] of Object.entries(interactions)) at100k[name] = await countTrips(run);
    const ackLarge: LatencySamples = { button: [], submit: [] };
    for (const tag of laptopTags(large - 2 * approvals - 10, approvals)) {
      Object.assign(at100k, await approveFlow(tag, ackLarge));
    }
    const roundTrips = Object.fromEntries(
      Object.keys(at1k).map((name) => [name, { at1k: at1k[name]!, at100k: at100k[name]! }]),
    );
    return {
      roundTrips,
      approveAck: {
        buttonAt1k: summarize(ack1k.button, 0),
        submitAt1k: summarize(ack1k.submit, 0),
        buttonAtLarge: summarize(ackLarge.button, 0),
        submitAtLarge: summarize(ackLarge.submit, 0),
      },
    };
  } finally {
    await app.stop();
  }
}

export async function runSlackBench(
  options: { amount?: number; users?: number[]; large?: number; approvals?: number } = {},
): Promise<SlackBenchResult> {
  const amount = options.amount ?? 1000;
  const users = options.users ?? [1, 4];
  const large = options.large ?? 100_000;
  const approvals = options.approvals ?? 30;
  const mongo = await startEmbeddedMongo();
  const fake = await startFakeSlack({
    rateLimits: false,
    users: benchUsers,
    channels: [{ id: 'C0BENCHIT1', name: 'it-requests', botIsMember: true }],
  });
  const children: ChildProcess[] = [];
  try {
    const latencyDb = `${mongo.uri}custodian_bench_latency`;
    const seeder = new MongoClient(latencyDb);
    await seedAssets(seeder.db().collection('assets'), fake.teamId, 1000);
    await seeder.close();
    const env = {
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: fake.signingSecret,
      SLACK_API_URL: fake.apiUrl,
      IT_CHANNEL_ID: 'C0BENCHIT1',
      MONGODB_URI: latencyDb,
      LOG_LEVEL: 'silent',
    };
    const appPort = await freePort();
    const barePort = await freePort();
    children.push(await spawnServer('src/main.ts', env, appPort));
    children.push(await spawnServer('scripts/bench-bare-bolt.ts', env, barePort));
    const appUrl = `http://127.0.0.1:${appPort}/slack/events`;
    const bareUrl = `http://127.0.0.1:${barePort}/slack/events`;

    // Warm-up (JIT, the person cache), then both measured the same way at each concurrency.
    await load(appUrl, fake, 'U0BENCH001', 100, 4, true);
    await load(bareUrl, fake, 'U0BENCH001', 100, 4, false);
    const ack: AckComparison[] = [];
    for (const people of users) {
      const bareBolt = await load(bareUrl, fake, 'U0BENCH001', amount, people, false);
      const app = await load(appUrl, fake, 'U0BENCH001', amount, people, true);
      ack.push({ users: people, app, bareBolt, p99Ratio: app.p99 / bareBolt.p99 });
    }

    const { roundTrips, approveAck } = await measureRoundTrips(
      `${mongo.uri}custodian_bench_trips`,
      fake,
      large,
      approvals,
    );
    return {
      ack,
      roundTrips,
      approveAck,
      largeSize: large,
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await fake.stop();
    await mongo.stop();
  }
}

export function printSlackBench(result: SlackBenchResult): void {
  const row = (name: string, s: LatencySummary) =>
    `  ${name.padEnd(12)} n=${s.requests}  p50=${s.p50.toFixed(1)} ms  p95=${s.p95.toFixed(1)} ms  p99=${s.p99.toFixed(1)} ms  max=${s.max.toFixed(1)} ms  non-2xx=${s.non2xx}`;
  for (const run of result.ack) {
    console.log(
      `Slack ack latency: ${run.users} ${run.users === 1 ? 'person' : 'people'} at once sending signed \`/asset find\` (each waits for the answer); app and bare Bolt each in their own process`,
    );
    console.log(row('custodian', run.app));
    console.log(row('bare Bolt', run.bareBolt));
    const overDeadline = Math.max(run.app.max, run.bareBolt.max) > 3000;
    console.log(
      `  p99 ratio custodian/bare = ${run.p99Ratio.toFixed(2)} (goal <= 1.25: ${run.p99Ratio <= 1.25 ? 'met' : 'NOT met'}); any request over 3 s: ${overDeadline ? 'YES' : 'no'}`,
    );
  }
  const size = `${result.largeSize / 1000}k`;
  console.log('Approve flow ack latency (IT presses Approve on the channel message, then submits the modal)');
  console.log(row('button @1k', result.approveAck.buttonAt1k));
  console.log(row(`button @${size}`, result.approveAck.buttonAtLarge));
  console.log(row('submit @1k', result.approveAck.submitAt1k));
  console.log(row(`submit @${size}`, result.approveAck.submitAtLarge));
  console.log(
    'Database round trips per interaction, including work after the ack (goal: the same small number at both sizes)',
  );
  for (const [name, trips] of Object.entries(result.roundTrips)) {
    console.log(
      `  ${name.padEnd(22)} 1k assets: ${trips.at1k}   ${result.largeSize / 1000}k assets: ${trips.at100k}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printSlackBench(await runSlackBench());
  process.exit(0);
}
