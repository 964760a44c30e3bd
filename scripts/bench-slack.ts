/**
 * Ack latency of the real app against a bare Bolt app that only acks, under the same load: an open
 * loop of signed `/asset find <tag>` commands at a fixed rate (requests are sent on schedule whether or
 * not earlier ones were answered), each app in its own process. A benchmark: figures, not pass/fail.
 */
import type { ChildProcess } from 'node:child_process';
import { MongoClient } from 'mongodb';
import { signSlackRequest, slashCommandForm, startFakeSlack, type FakeSlack } from '@custodian/fake-slack';
import { openDatabase } from '../src/db/database.js';
import { scaleSlackUsers, seedScale } from '../test/support/scale-seed.js';
import {
  freePort,
  ms,
  spawnServer,
  startBenchDatabase,
  summarize,
  withDatabase,
  type LatencySummary,
} from './bench-support.js';

const itChannelId = 'C0BENCHIT1';

/** A fresh, signed slash command for each request: Slack never reuses trigger_id or response_url. */
function signedFind(
  fake: FakeSlack,
  userId: string,
  text: string,
): { body: string; headers: Record<string, string> } {
  const user = fake.user(userId)!;
  const channel = fake.channel(fake.generalChannelId)!;
  const form = slashCommandForm(
    { identity: fake.identity, user },
    {
      command: '/asset',
      text,
      channel,
      responseUrl: fake.issueResponseUrl({ channelId: channel.id, userId }),
      triggerId: fake.issueTriggerId(userId),
    },
  );
  const body = new URLSearchParams(form).toString();
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...signSlackRequest(fake.signingSecret, Math.floor(Date.now() / 1000), body),
    },
  };
}

/** Sends `rate` requests a second for `seconds`, on schedule, and times each HTTP acknowledgement. */
async function openLoop(
  url: string,
  fake: FakeSlack,
  userId: string,
  tags: string[],
  rate: number,
  seconds: number,
): Promise<LatencySummary> {
  const latencies: number[] = [];
  let non2xx = 0;
  const total = rate * seconds;
  const interval = 1000 / rate;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const signed = signedFind(fake, userId, `find ${tags[i % tags.length]}`);
    const sent = performance.now();
    inFlight.push(
      fetch(url, {
        method: 'POST',
        headers: signed.headers,
        body: signed.body,
        signal: AbortSignal.timeout(10_000),
      })
        .then(async (response) => {
          await response.arrayBuffer();
          latencies.push(performance.now() - sent);
          if (!response.ok) non2xx++;
        })
        .catch(() => {
          non2xx++;
        }),
    );
  }
  await Promise.all(inFlight);
  return summarize(latencies, non2xx);
}

export interface AckComparison {
  rate: number;
  seconds: number;
  app: LatencySummary;
  bareBolt: LatencySummary;
  p99Ratio: number;
}

export interface SlackBenchResult {
  database: string;
  assets: number;
  ack: AckComparison[];
}

export async function runSlackBench(
  options: { rates?: number[]; seconds?: number; assets?: number } = {},
): Promise<SlackBenchResult> {
  const rates = options.rates ?? [20, 50];
  const seconds = options.seconds ?? 10;
  const assets = options.assets ?? 1_000;
  const database = await startBenchDatabase();
  const fake = await startFakeSlack({
    rateLimits: false,
    users: scaleSlackUsers(),
    channels: [{ id: itChannelId, name: 'it-requests', botIsMember: true }],
  });
  const children: ChildProcess[] = [];
  try {
    const uri = withDatabase(database.uri, 'custodian_bench_open_loop');
    const seeder = new MongoClient(uri);
    let seed;
    try {
      await seeder.db().dropDatabase();
      seed = await seedScale(seeder.db(), { teamId: fake.teamId, assets, itStaff: 5, now: new Date() });
    } finally {
      await seeder.close();
    }
    // Derived data (search keys, catalog and stock summaries) for records written behind the app's back.
    const opened = await openDatabase(uri);
    await opened.rebuildDerivedData();
    await opened.close();
    const tags = await sampleTags(uri, fake.teamId);
    const env = {
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: fake.signingSecret,
      SLACK_API_URL: fake.apiUrl,
      IT_CHANNEL_ID: itChannelId,
      MONGODB_URI: uri,
      LOG_LEVEL: 'silent',
    };
    const appPort = await freePort();
    const barePort = await freePort();
    children.push(await spawnServer('src/main.ts', env, appPort));
    children.push(await spawnServer('scripts/bench-bare-bolt.ts', env, barePort));
    const appUrl = `http://127.0.0.1:${appPort}/slack/events`;
    const bareUrl = `http://127.0.0.1:${barePort}/slack/events`;
    const user = seed.employeeId;

    // Warm-up (JIT, the person's profile), then the same schedule against each.
    await openLoop(appUrl, fake, user, tags, 10, 3);
    await openLoop(bareUrl, fake, user, tags, 10, 3);
    const ack: AckComparison[] = [];
    for (const rate of rates) {
      const bareBolt = await openLoop(bareUrl, fake, user, tags, rate, seconds);
      const app = await openLoop(appUrl, fake, user, tags, rate, seconds);
      ack.push({ rate, seconds, app, bareBolt, p99Ratio: app.p99 / bareBolt.p99 });
    }
    return { database: database.description, assets, ack };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await fake.stop();
    await database.stop();
  }
}

async function sampleTags(uri: string, teamId: string): Promise<string[]> {
  const client = new MongoClient(uri);
  try {
    const docs = await client
      .db()
      .collection('assets')
      .find({ teamId }, { projection: { tag: 1 } })
      .limit(200)
      .toArray();
    return docs.map((d) => String(d['tag']));
  } finally {
    await client.close();
  }
}

export function printSlackBench(result: SlackBenchResult): void {
  const row = (name: string, s: LatencySummary) =>
    `  ${name.padEnd(10)} n=${s.requests}  p50=${ms(s.p50)} ms  p95=${ms(s.p95)} ms  p99=${ms(s.p99)} ms  max=${ms(s.max)} ms  non-2xx/failed=${s.non2xx}`;
  for (const run of result.ack) {
    console.log(
      `Ack latency, open loop: ${run.rate} signed \`/asset find <tag>\` a second for ${run.seconds} s, sent on schedule ` +
        `whether or not earlier ones were answered; the same load against each, each app in its own process ` +
        `(${result.assets / 1000}k assets on ${result.database})`,
    );
    console.log(row('custodian', run.app));
    console.log(row('bare Bolt', run.bareBolt));
    const overDeadline = Math.max(run.app.max, run.bareBolt.max) > 3000;
    console.log(
      `  ${run.p99Ratio <= 1.25 ? 'PASS' : 'FAIL'} p99 ratio custodian/bare = ${run.p99Ratio.toFixed(2)} (goal <= 1.25); any ack over 3 s: ${overDeadline ? 'YES' : 'no'}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printSlackBench(await runSlackBench());
  process.exit(0);
}
