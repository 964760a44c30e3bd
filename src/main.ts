/** Composition root: config -> database -> services -> Slack app -> scheduler -> HTTP, and signals. */
import { startApplication, type RunningApplication } from './application.js';
import { ConfigError, loadConfig, loadEnvFile, type AppConfig } from './config/config.js';
import { resolveMongoBackend } from './db/backend.js';
import { systemClock } from './platform/clock.js';
import { createLogger, type Logger } from './platform/logger.js';
import { sandboxOffRoutes } from './sandbox/sandbox-off-routes.js';
import type * as Sandbox from './sandbox/sandbox.js';

const setupGuide = `Custodian needs Slack credentials to run against a workspace.

  1. Create the app: https://api.slack.com/apps -> Create New App -> From an app manifest,
     and paste manifest.yml from this repository.
  2. Install it to your workspace, then set:
       SLACK_BOT_TOKEN       OAuth & Permissions -> Bot User OAuth Token (xoxb-...)
       SLACK_SIGNING_SECRET  Basic Information -> Signing Secret
       SLACK_APP_TOKEN       Basic Information -> App-Level Tokens, scope connections:write (xapp-...)
                             (Socket Mode; leave unset to receive HTTP at POST /slack/events)
       IT_CHANNEL_ID         the channel where asset requests go for approval (C...)
       MONGODB_URI           optional: your MongoDB; without it a local mongod stores data under ./data
  3. Put them in your environment or a .env file (see .env.example) and run npm start again.
`;

async function runSlackMode(config: AppConfig, logger: Logger): Promise<RunningApplication> {
  const slack = config.slack!;
  const backend = await resolveMongoBackend({
    uri: config.mongodbUri,
    allowEmbedded: false,
    persistDir: './data',
    logger,
  });
  try {
    const app = await startApplication({
      slack,
      mongoUri: backend.uri,
      port: config.port,
      adminUserIds: config.adminUserIds,
      itChannelId: config.itChannelId,
      alertsChannelId: config.alertsChannelId,
      timeZone: config.timeZone,
      clock: systemClock,
      logger,
      extraRoutes: sandboxOffRoutes(),
    });
    logger.info(
      { port: config.port, socketMode: Boolean(slack.appToken), database: backend.kind },
      slack.appToken
        ? 'Custodian is running in Socket Mode'
        : `Custodian is listening on ${app.url}/slack/events`,
    );
    return {
      ...app,
      stop: async () => {
        await app.stop();
        await backend.stop();
      },
    };
  } catch (err) {
    await backend
      .stop()
      .catch((stopErr: unknown) => logger.warn({ err: stopErr }, 'the database backend did not stop'));
    throw err;
  }
}

/**
 * The sandbox needs the fake Slack and the embedded engine, development packages that a production
 * install (npm ci --omit=dev) leaves out; so it is loaded only when it runs.
 */
async function importSandbox(): Promise<typeof Sandbox> {
  try {
    return await import('./sandbox/sandbox.js');
  } catch (err) {
    const missing = (err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
    if (!missing) throw err;
    throw new Error(
      'No Slack credentials are set, so Custodian would start the sandbox, but the sandbox needs the ' +
        'development packages @custodian/fake-slack and @custodian/embedded-mongo, which this install ' +
        'does not have (a production install: npm ci --omit=dev). Set the Slack credentials to run ' +
        'against Slack (see README.md, Configuration), or install every dependency with npm ci to run ' +
        'the sandbox.',
      { cause: err },
    );
  }
}

/** Without Slack credentials: the sandbox, a Slack-like page over a fake workspace with demo data. */
async function runSandboxMode(config: AppConfig, logger: Logger): Promise<{ stop(): Promise<void> }> {
  const { startSandbox } = await importSandbox();
  const sandbox = await startSandbox({
    port: config.port,
    logger,
    mongodbUri: config.mongodbUri,
    timeZone: config.timeZone,
  });
  process.stdout.write(
    `\nCustodian is running in sandbox mode (no Slack credentials are set).\n\n` +
      `  Try it in your browser: ${sandbox.url}\n\n` +
      `  It is the real app with demo data, talking to a fake Slack workspace on this machine.\n\n` +
      `To run it against your own Slack workspace instead:\n\n` +
      setupGuide +
      `\nPress Ctrl-C to stop.\n\n`,
  );
  return sandbox;
}

async function main(): Promise<void> {
  let config: AppConfig;
  let fromFile: string[];
  try {
    fromFile = loadEnvFile('.env');
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n\nSee README.md (Configuration) and .env.example.\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel });
  if (fromFile.length > 0) logger.info({ variables: fromFile }, 'read settings from .env');
  // A stray rejection (a library's fire-and-forget promise) is a bug to log, not a reason to drop every
  // other request in flight; Node's default would end the process.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled promise rejection'));

  let app: { stop(): Promise<void> };
  try {
    app =
      config.mode === 'sandbox' ? await runSandboxMode(config, logger) : await runSlackMode(config, logger);
  } catch (err) {
    logger.fatal({ err }, 'Custodian could not start');
    process.exitCode = 1;
    return;
  }
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const forced = setTimeout(() => {
      logger.error('shutdown took longer than 20 s; exiting');
      process.exit(1);
    }, 20_000);
    forced.unref();
    app
      .stop()
      .then(() => logger.info('stopped cleanly'))
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exitCode = 1;
      })
      // Everything we own is closed; a library timer left behind (Agenda's lock checks) must not keep us up.
      .finally(() => logger.flush(() => process.exit()));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

await main();
