import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { startFakeSlack, type FakeSlack } from '@custodian/fake-slack';
import { freePort, startMain as startMainProcess, waitFor } from '../../support/processes.js';

const startMain = (env: Record<string, string>) => startMainProcess({ LOG_LEVEL: 'warn', ...env });

/** `npm start` as a separate process: the sandbox without Slack credentials, and /sandbox off with them. */

let db: TestDatabase;
let fake: FakeSlack;

beforeAll(async () => {
  db = await createTestDatabase('sandbox_entry');
  fake = await startFakeSlack({ channels: [{ id: 'C0ITREQ01', name: 'it-requests', botIsMember: true }] });
});

afterAll(async () => {
  await fake?.stop();
  await db?.stop();
});

describe('npm start', () => {
  it('without Slack credentials runs the sandbox, prints its URL and how to connect Slack, and stops on SIGTERM', async () => {
    const port = await freePort();
    // The sandbox keeps to its own database on the MongoDB it is given.
    const run = startMain({ PORT: String(port), MONGODB_URI: db.uri });
    try {
      // The page is served at once; its API answers 503 until the demo data is in.
      const state = await waitFor(`http://localhost:${port}/sandbox/api/state`);
      expect(state.status).toBe(200);
      const page = await fetch(`http://localhost:${port}/sandbox`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('sandbox.js');
      const snapshot = (await state.json()) as { people: unknown[] };
      expect(snapshot.people.length).toBeGreaterThan(3);
      const out = run.output();
      expect(out).toContain(`http://localhost:${port}/sandbox`);
      expect(out).toContain('manifest.yml');
      expect(out).toContain('SLACK_BOT_TOKEN');
    } finally {
      run.child.kill('SIGTERM');
    }
    expect(await run.exited).toBe(0);
  }, 60_000);

  it('with Slack credentials answers /sandbox with a 404 page saying the sandbox is off', async () => {
    const port = await freePort();
    const run = startMain({
      PORT: String(port),
      MONGODB_URI: db.uri,
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: fake.signingSecret,
      SLACK_API_URL: fake.apiUrl,
      IT_CHANNEL_ID: 'C0ITREQ01',
    });
    try {
      await waitFor(`http://127.0.0.1:${port}/healthz`);
      for (const path of ['/sandbox', '/sandbox/api/state']) {
        const response = await fetch(`http://127.0.0.1:${port}${path}`);
        expect(response.status).toBe(404);
        expect(await response.text()).toMatch(/the sandbox is off because Slack credentials are set/i);
      }
    } finally {
      run.child.kill('SIGTERM');
    }
    expect(await run.exited).toBe(0);
  }, 60_000);
});
