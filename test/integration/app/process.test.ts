import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { startFakeSlack, type FakeSlack } from '@custodian/fake-slack';
import { freePort, startMain as startMainProcess, waitFor } from '../../support/processes.js';

/** The real entry point as a separate process: configuration, health, readiness and graceful shutdown. */

const startMain = startMainProcess;

let db: TestDatabase;
let fake: FakeSlack;

beforeAll(async () => {
  db = await createTestDatabase('process');
  fake = await startFakeSlack({ channels: [{ id: 'C0ITREQ01', name: 'it-requests', botIsMember: true }] });
});

afterAll(async () => {
  await fake?.stop();
  await db?.stop();
});

describe('the entry point', () => {
  it('with an invalid environment lists every problem and exits 1', async () => {
    const run = startMain({ SLACK_BOT_TOKEN: 'xoxb-1', PORT: '99999', APP_TIMEZONE: 'Nowhere/City' });
    expect(await run.exited).toBe(1);
    const out = run.output();
    expect(out).toContain('PORT must be a whole number between 1 and 65535');
    expect(out).toContain('APP_TIMEZONE must be an IANA time zone');
    expect(out).toContain('SLACK_SIGNING_SECRET is missing');
    expect(out).toContain('IT_CHANNEL_ID is missing');
  });

  it('serves health and readiness, logs redacted JSON, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const run = startMain({
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: fake.signingSecret,
      SLACK_API_URL: fake.apiUrl,
      IT_CHANNEL_ID: 'C0ITREQ01',
      MONGODB_URI: db.uri,
      PORT: String(port),
      LOG_LEVEL: 'info',
    });
    try {
      const health = await waitFor(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', checks: { database: true, scheduler: true } });
      const unsigned = await fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'command=%2Fasset&text=help',
      });
      expect(unsigned.status).toBe(401);
    } finally {
      run.child.kill('SIGTERM');
    }
    expect(await run.exited).toBe(0);
    const lines = run
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string });
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped cleanly']));
    expect(run.output()).not.toContain(fake.botToken);
    expect(run.output()).not.toContain(fake.signingSecret);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
