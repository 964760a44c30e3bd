/**
 * The local sandbox: the real app on PORT with the backend resolver's database, the fake Slack Web API
 * the tests use, demo data, and a Slack-like web page at /sandbox on the app's own HTTP server.
 * It never runs when Slack credentials are configured.
 */
import { startApplication, type RunningApplication } from '../application.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { resolveMongoBackend, withDatabaseName, type MongoBackend } from '../db/backend.js';
import { SlackRequestDriver, startFakeSlack, type FakeSlack } from '@custodian/fake-slack';
import { AdjustableClock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import {
  demoAdminIds,
  demoChannels,
  demoPeople,
  demoSlackUsers,
  seedDemoData,
  type DemoPerson,
} from './demo-data.js';
import { sandboxRoutes } from './sandbox-routes.js';
import { serialQueue, type SandboxRuntime } from './sandbox-runtime.js';

export interface SandboxOptions {
  /** HTTP port of the app and the page (0 picks a free one). */
  port: number;
  logger: Logger;
  /** A MongoDB to use; the sandbox keeps to its own database there (`custodian_sandbox`). */
  mongodbUri?: string;
  timeZone?: string;
  /** The environment to check for Slack credentials (default: the process's). */
  env?: NodeJS.ProcessEnv;
  /** Whether mongodb-memory-server may download a mongod (default true; tests say false). */
  allowDownload?: boolean;
}

export interface RunningSandbox extends SandboxRuntime {
  /** The page: http://localhost:PORT/sandbox */
  url: string;
  /** Which database the resolver chose. */
  databaseKind: MongoBackend['kind'];
  stop(): Promise<void>;
}

/** Thrown instead of starting when Slack credentials are set (or the configuration is invalid). */
export class SandboxRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxRefusedError';
  }
}

export const SANDBOX_DATABASE = 'custodian_sandbox';
const dayMs = 24 * 60 * 60 * 1000;

function refuseWithSlackCredentials(env: NodeJS.ProcessEnv | undefined): void {
  let mode: 'slack' | 'sandbox';
  try {
    mode = loadConfig(env).mode;
  } catch (err) {
    if (err instanceof ConfigError)
      throw new SandboxRefusedError(`The sandbox does not start: ${err.message}`);
    throw err;
  }
  if (mode === 'slack') {
    throw new SandboxRefusedError(
      'The sandbox is off because Slack credentials are set (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET or ' +
        'SLACK_APP_TOKEN). Unset them to try Custodian locally without Slack.',
    );
  }
}

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  refuseWithSlackCredentials(options.env);
  const { logger } = options;
  const timeZone = options.timeZone ?? 'UTC';
  // Real time, moved forward on request; the fake Slack shares it so message times match the app's.
  const clock = new AdjustableClock();
  let offsetDays = 0;
  const backend = await resolveMongoBackend({
    uri: options.mongodbUri,
    allowEmbedded: true,
    allowDownload: options.allowDownload ?? true,
    logger,
  });
  const cleanup: Array<() => Promise<void>> = [() => backend.stop()];
  const undo = async () => {
    for (const step of cleanup.reverse()) {
      await step().catch((err: unknown) => logger.warn({ err }, 'a sandbox part did not stop cleanly'));
    }
  };
  try {
    const fake: FakeSlack = await startFakeSlack({
      teamName: 'Custodian Sandbox',
      teamDomain: 'custodian-sandbox',
      now: () => clock.now().getTime(),
      users: demoSlackUsers(),
      channels: Object.values(demoChannels),
      // Slack allows short bursts per channel; one per second on average.
      rateLimits: { postMessagePerChannel: { burst: 5, perSecond: 1 } },
    });
    cleanup.push(() => fake.stop());
    const routes = sandboxRoutes();
    const app: RunningApplication = await startApplication({
      slack: {
        botToken: fake.botToken,
        signingSecret: fake.signingSecret,
        appToken: undefined,
        apiUrl: fake.apiUrl,
      },
      mongoUri: withDatabaseName(backend.uri, SANDBOX_DATABASE),
      port: options.port,
      // Anyone who reaches the page can act as any demo person: keep it on this machine.
      host: '127.0.0.1',
      adminUserIds: demoAdminIds,
      itChannelId: demoChannels.it.id,
      alertsChannelId: demoChannels.alerts.id,
      timeZone,
      clock,
      logger,
      webApiRetries: 2,
      extraRoutes: routes.routes,
    });
    cleanup.push(() => app.stop());
    const driver = new SlackRequestDriver({
      fake,
      appUrl: `${app.url}/slack/events`,
      signingSecret: fake.signingSecret,
      settle: () => app.settle(),
    });
    const exclusive = serialQueue();
    const runtime: SandboxRuntime = {
      app,
      fake,
      driver,
      clock,
      timeZone,
      logger,
      demoPeople: Object.values(demoPeople as Record<string, DemoPerson>),
      clockOffsetDays: () => offsetDays,
      advanceClock(days) {
        clock.advance(days * dayMs);
        offsetDays += days;
        return clock.now();
      },
      async reseed() {
        await app.settle();
        // The sandbox owns its database; a previous run's (or this run's) records go entirely.
        await app.eraseAllData();
        fake.reset({ directory: true });
        clock.advance(-offsetDays * dayMs);
        offsetDays = 0;
        await seedDemoData({ app, fake, driver, clock, timeZone, logger });
      },
      exclusive,
      changed: () => routes.notify(),
    };
    const unsubscribe = fake.onCall(() => routes.notify());
    await exclusive(() => runtime.reseed());
    routes.attach(runtime);
    const port = new URL(app.url).port;
    const url = `http://localhost:${port}/sandbox`;
    logger.info({ url, database: backend.kind }, `Custodian sandbox is running at ${url}`);
    let stopping: Promise<void> | undefined;
    return {
      ...runtime,
      url,
      databaseKind: backend.kind,
      stop: () => {
        stopping ??= (async () => {
          unsubscribe();
          routes.closeStreams();
          await undo();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await undo();
    throw err;
  }
}
