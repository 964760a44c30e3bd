/**
 * Runs the real product for a test: its own database, the fake Slack on loopback, the real Bolt app
 * over HTTP, and a driver that sends signed requests the way Slack does.
 */
import { startApplication, type RunningApplication } from '../../src/application.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { startFakeSlack, SlackRequestDriver, type FakeSlack, type NewFakeUser } from '@custodian/fake-slack';
import type { AssetRequest, NewRequestInput, Person } from '../../src/domain/index.js';
import { buildItRequestMessage } from '../../src/slack/blocks/request.blocks.js';
import { AdjustableClock } from '../../src/platform/clock.js';
import { createLogger } from '../../src/platform/logger.js';
import { findUnescapedSequences } from './unescaped-scan.js';

export const people = {
  ana: { id: 'U0ANA0001', name: 'ana', real_name: 'Ana Employee', email: 'ana@example.com' },
  ben: { id: 'U0BEN0001', name: 'ben', real_name: 'Ben Employee', email: 'ben@example.com' },
  ivy: { id: 'U0IVY0001', name: 'ivy', real_name: 'Ivy IT', email: 'ivy@example.com', title: 'IT Support' },
  ian: { id: 'U0IAN0001', name: 'ian', real_name: 'Ian IT', email: 'ian@example.com', title: 'IT Support' },
  ada: { id: 'U0ADA0001', name: 'ada', real_name: 'Ada Admin', email: 'ada@example.com' },
} satisfies Record<string, NewFakeUser & { id: string }>;

export const channels = {
  it: { id: 'C0ITREQ01', name: 'it-requests' },
  alerts: { id: 'C0ALERT01', name: 'it-alerts' },
};

/** A permanent request for any laptop, as an employee typically files it. */
export const laptopRequest: NewRequestInput = {
  kind: 'permanent',
  item: { category: 'Laptop', model: undefined },
  reason: 'New starter in the data team',
  neededBy: undefined,
  returnBy: undefined,
};

export interface Harness {
  fake: FakeSlack;
  app: RunningApplication;
  driver: SlackRequestDriver;
  clock: AdjustableClock;
  db: TestDatabase;
  teamId: string;
  /** Gives a person the IT role (people start as employees; ADMIN_USER_IDS makes admins). */
  makeIt(userId: string): Promise<void>;
  /** The person behind a Slack user id, as services take the acting person. */
  as(userId: string): Promise<Person>;
  /** A pending request with its IT channel message, as the employee request flow leaves it. */
  seedRequest(
    requesterId: string,
    input?: Partial<NewRequestInput>,
  ): Promise<{ request: AssetRequest; itMessage: { channel: string; ts: string } }>;
  stop(): Promise<void>;
}

export async function startHarness(
  name: string,
  options: { now?: Date; admins?: string[]; users?: Array<NewFakeUser & { id: string }> } = {},
): Promise<Harness> {
  const clock = new AdjustableClock(options.now ?? new Date('2026-11-03T09:00:00Z'));
  const db = await createTestDatabase(name);
  const fake = await startFakeSlack({
    users: options.users ?? Object.values(people),
    channels: [
      { ...channels.it, botIsMember: true },
      { ...channels.alerts, botIsMember: true },
    ],
  });
  let app: RunningApplication;
  try {
    app = await startApplication({
      slack: {
        botToken: fake.botToken,
        signingSecret: fake.signingSecret,
        appToken: undefined,
        apiUrl: fake.apiUrl,
      },
      mongoUri: db.uri,
      port: 0,
      adminUserIds: options.admins ?? [people.ada.id],
      itChannelId: channels.it.id,
      alertsChannelId: channels.alerts.id,
      timeZone: 'UTC',
      clock,
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      webApiRetries: 2,
    });
  } catch (err) {
    await fake.stop();
    await db.stop();
    throw err;
  }
  const driver = new SlackRequestDriver({
    fake,
    appUrl: `${app.url}/slack/events`,
    signingSecret: fake.signingSecret,
    settle: () => app.settle(),
  });
  const teamId = fake.teamId;
  return {
    fake,
    app,
    driver,
    clock,
    db,
    teamId,
    async as(userId: string) {
      const person = await app.services.people.resolve(teamId, userId);
      if (!person) throw new Error(`the fake workspace does not know ${userId}`);
      return person;
    },
    async makeIt(userId: string) {
      await app.services.people.resolve(teamId, userId);
      await app.database.repositories.people.setRoles(teamId, userId, ['employee', 'it']);
    },
    async seedRequest(requesterId, input = {}) {
      // Written straight to the database: no catalog check and no notices, only the IT post made below.
      const wanted = { ...laptopRequest, ...input };
      const { request } = await app.database.repositories.requests.create({
        teamId,
        requesterId,
        kind: wanted.kind,
        item: wanted.item,
        reason: wanted.reason,
        neededBy: wanted.neededBy,
        returnBy: wanted.returnBy,
        now: clock.now(),
      });
      const message = buildItRequestMessage(request, { timeZone: 'UTC', now: clock.now(), inStock: 3 });
      const posted = await app.slack.app.client.chat.postMessage({ channel: channels.it.id, ...message });
      const itMessage = { channel: String(posted.channel), ts: String(posted.ts) };
      await app.services.requests.attachItMessage(teamId, request.id, itMessage);
      return { request, itMessage };
    },
    async stop() {
      // Every integration test doubles as a scan: no user string may reach Slack as a live control sequence.
      const findings = findUnescapedSequences(fake.calls);
      await app.stop();
      await fake.stop();
      await db.stop();
      if (findings.length > 0) {
        throw new Error(`unescaped Slack control sequences were sent:\n${JSON.stringify(findings, null, 2)}`);
      }
    },
  };
}
