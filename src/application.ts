/**
 * Composition of the running product: database -> services -> Slack app -> scheduler -> HTTP.
 * Used by main.ts, by the integration tests and by the sandbox, so all three run the same wiring.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Clock } from './domain/index.js';
import { openDatabase, type Database } from './db/database.js';
import { healthRoutes } from './http/health-routes.js';
import { createScheduler, type Scheduler } from './jobs/scheduler.js';
import type { Logger } from './platform/logger.js';
import { BackgroundWork } from './notify/background-work.js';
import { HomePublisher } from './notify/home-publisher.js';
import { SlackNotifier } from './notify/slack-notifier.js';
import { AssetService } from './services/asset-service.js';
import { NotificationService } from './services/notification-service.js';
import { PeopleService } from './services/people-service.js';
import { RequestService } from './services/request-service.js';
import { TransferService } from './services/transfer-service.js';
import { createSlackApp, type SlackApp } from './slack/app.js';
import { SlackWebDirectory } from './slack/slack-directory.js';
import type { SlackDeps } from './slack/deps.js';

export interface ApplicationOptions {
  slack: {
    botToken: string;
    signingSecret: string;
    appToken: string | undefined;
    apiUrl: string | undefined;
  };
  mongoUri: string;
  port: number;
  /** Interface to listen on; all of them when undefined (the sandbox keeps to loopback). */
  host?: string;
  adminUserIds: string[];
  itChannelId: string | undefined;
  alertsChannelId: string | undefined;
  timeZone: string;
  clock: Clock;
  logger: Logger;
  webApiRetries?: number;
  /** Emit driver command events (benchmarks count round trips with them). */
  monitorCommands?: boolean;
  /** More HTTP routes on the same server (the sandbox page, or the note that it is off). */
  extraRoutes?: CustomRoute[];
}

export interface RunningApplication {
  /** Base URL of the HTTP server (health, Slack events) when running in HTTP mode. */
  url: string;
  slack: SlackApp;
  database: Database;
  scheduler: Scheduler;
  services: {
    people: PeopleService;
    assets: AssetService;
    requests: RequestService;
    transfers: TransferService;
    notifications: NotificationService;
  };
  /** The messages that follow changes (DMs, channel posts, home refreshes), sent after each answer. */
  notifier: SlackNotifier;
  homes: HomePublisher;
  /** Drops every record and rebuilds the indexes (the sandbox's reset; never called in production). */
  eraseAllData(): Promise<void>;
  /** Resolves once every request received so far and the messages it caused are done. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startApplication(options: ApplicationOptions): Promise<RunningApplication> {
  const { logger, clock } = options;
  const database = await openDatabase(options.mongoUri, { monitorCommands: options.monitorCommands });
  let slack: SlackApp | undefined;
  const scheduler = createScheduler(database.agendaBackend, logger);
  try {
    const directory = new SlackWebDirectory(() => {
      if (!slack) throw new Error('Slack app not created yet');
      return slack.app.client;
    });
    const people = new PeopleService({
      people: database.repositories.people,
      directory,
      clock,
      adminUserIds: options.adminUserIds,
      logger,
    });
    const repos = database.repositories;
    const client = () => {
      if (!slack) throw new Error('Slack app not created yet');
      return slack.app.client;
    };
    const work = new BackgroundWork(logger);
    // The notifier is created before the services that tell it things and learns about homes after.
    const notifications = new NotificationService({ ledger: repos.notifications, clock });
    const late: { homes?: HomePublisher } = {};
    const notifier = new SlackNotifier({
      client,
      ledger: notifications,
      get homes() {
        if (!late.homes) throw new Error('home publisher not created yet');
        return late.homes;
      },
      work,
      remember: {
        requestItMessage: (teamId, requestId, message) =>
          repos.requests.setItMessage(teamId, requestId, message),
        transferOfferMessage: (teamId, transferId, message) =>
          repos.transfers.setOfferMessage(teamId, transferId, message),
      },
      settings: { timeZone: options.timeZone, itChannelId: options.itChannelId },
      clock,
      logger,
    });
    const assets = new AssetService({ assets: repos.assets, people, notifier, clock });
    const requests = new RequestService({ requests: repos.requests, assets: repos.assets, notifier, clock });
    const transfers = new TransferService({
      transfers: repos.transfers,
      assets: repos.assets,
      people,
      notifier,
      clock,
    });
    const homes = new HomePublisher({
      client,
      people,
      assets,
      requests,
      clock,
      timeZone: options.timeZone,
      logger,
    });
    late.homes = homes;
    const deps: SlackDeps = {
      people,
      assets,
      requests,
      transfers,
      homes,
      clock,
      settings: {
        timeZone: options.timeZone,
        itChannelId: options.itChannelId,
        alertsChannelId: options.alertsChannelId,
      },
      logger,
    };
    slack = createSlackApp(
      {
        ...options.slack,
        customRoutes: [
          ...healthRoutes({
            checks: { database: () => database.ping(), scheduler: () => scheduler.isRunning() },
          }),
          ...(options.extraRoutes ?? []),
        ],
        logger,
        port: options.port,
        webApiRetries: options.webApiRetries,
      },
      deps,
    );
    await scheduler.start();
    const started = (await (options.host && !options.slack.appToken
      ? slack.app.start({ port: options.port, host: options.host })
      : slack.app.start(options.port))) as unknown;
    const server = started as Server | undefined;
    const address =
      server && typeof server.address === 'function' ? (server.address() as AddressInfo | null) : null;
    const url = `http://127.0.0.1:${address?.port ?? options.port}`;
    const running = slack;
    let stopping: Promise<void> | undefined;
    return {
      url,
      slack: running,
      database,
      scheduler,
      services: { people, assets, requests, transfers, notifications },
      notifier,
      homes,
      eraseAllData: async () => {
        await database.connection.dropDatabase();
        await database.connection.syncIndexes();
      },
      settle: async () => {
        // A request may start background work and background work never starts requests: two rounds suffice,
        // but loop until both are idle in case a late request arrived meanwhile.
        do {
          await running.settle();
          await work.settle();
        } while (running.inFlight() > 0 || work.busy());
      },
      stop: () => {
        stopping ??= (async () => {
          // Stop taking requests, let in-flight listeners finish, release job locks, then close the pool.
          await running.app
            .stop()
            .catch((err: unknown) => logger.warn({ err }, 'stopping the Slack receiver failed'));
          await running.settle();
          await work.settle();
          await scheduler.stop();
          await database.close();
        })();
        return stopping;
      },
    };
  } catch (err) {
    // The start failed: clean up what started, log what could not be cleaned, report the first failure.
    await scheduler
      .stop()
      .catch((stopErr: unknown) => logger.warn({ err: stopErr }, 'scheduler did not stop'));
    await database
      .close()
      .catch((closeErr: unknown) => logger.warn({ err: closeErr }, 'database did not close'));
    throw err;
  }
}
