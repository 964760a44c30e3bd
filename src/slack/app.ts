import {
  App,
  HTTPReceiver,
  SocketModeReceiver,
  type CustomRoute,
  type Logger as BoltLogger,
  type Receiver,
} from '@slack/bolt';
import type { Logger } from '../platform/logger.js';
import { registerFindPageAction } from './actions/find-page.action.js';
import { registerHomeShowMore } from './actions/home-show-more.action.js';
import { boltLogger } from './bolt-logger.js';
import { registerAssetCommand } from './commands/asset.command.js';
import type { SlackDeps } from './deps.js';
import { registerAppHomeOpened } from './events/app-home-opened.event.js';
import { requestIds } from './request-log.js';
import { registerEmployeeFlows } from './register-employee-flows.js';
import { registerItFlows } from './register-it-flows.js';
import { guardSlackRequests, slackBodyLimit } from './http-guard.js';
import { answerUnknownInteractions } from './unknown-interactions.js';

export interface SlackAppOptions {
  botToken: string;
  signingSecret: string;
  /** Socket Mode when given (xapp-...); HTTP at POST /slack/events otherwise. */
  appToken: string | undefined;
  /** Web API base URL; Slack's own when undefined. */
  apiUrl: string | undefined;
  customRoutes: CustomRoute[];
  logger: Logger;
  /** HTTP port; in Socket Mode it serves only the custom routes (health). */
  port: number;
  /** How often a failed Web API call is retried (429s wait for Retry-After first). */
  webApiRetries?: number;
}

export interface SlackApp {
  app: App;
  receiver: Receiver;
  /** Resolves once every request received so far has been fully handled (tests and the sandbox wait on it). */
  settle(): Promise<void>;
  /** Requests whose listeners are still running. */
  inFlight(): number;
}

export function createSlackApp(options: SlackAppOptions, deps: SlackDeps): SlackApp {
  const logger = boltLogger(options.logger);
  const receiver: Receiver = options.appToken
    ? new SocketModeReceiver({
        appToken: options.appToken,
        logger,
        customRoutes: options.customRoutes,
        installerOptions: { port: options.port },
      })
    : guardedHttpReceiver(options, logger);
  const app = new App({
    token: options.botToken,
    receiver,
    logger,
    clientOptions: {
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
      retryConfig: { retries: options.webApiRetries ?? 3, factor: 2, minTimeout: 250, maxTimeout: 5_000 },
    },
  });

  const running = new Set<Promise<void>>();
  let waiters: Array<() => void> = [];
  const wakeWaiters = () => {
    if (running.size > 0) return;
    const ready = waiters;
    waiters = [];
    ready.forEach((resolve) => resolve());
  };

  // Track every request from the moment the receiver hands it over, so settle() also covers events,
  // which Bolt acknowledges before any middleware runs.
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event) => {
    const handled = processEvent(event);
    const tracked = handled.then(
      () => undefined,
      () => undefined,
    );
    running.add(tracked);
    void tracked.then(() => {
      running.delete(tracked);
      wakeWaiters();
    });
    return handled;
  };

  app.use(async ({ body, next }) => {
    const started = performance.now();
    let outcome = 'ok';
    try {
      await next();
    } catch (err) {
      outcome = 'error';
      throw err;
    } finally {
      options.logger.info(
        { slack: requestIds(body), durationMs: Math.round(performance.now() - started), outcome },
        'slack request handled',
      );
    }
  });

  // Before any listener: buttons, forms and shortcuts this version no longer has are still answered.
  app.use(answerUnknownInteractions(options.logger));

  app.error(async (error) => {
    options.logger.error(
      { err: error, code: (error as { code?: string }).code },
      'unhandled error in a Slack listener',
    );
  });

  registerAssetCommand(app, deps);
  registerFindPageAction(app, deps);
  registerAppHomeOpened(app, deps);
  registerHomeShowMore(app, deps);
  registerEmployeeFlows(app, deps);
  registerItFlows(app, deps);

  return {
    app,
    receiver,
    inFlight: () => running.size,
    settle: () =>
      new Promise<void>((resolve) => {
        if (running.size === 0) resolve();
        else waiters.push(resolve);
      }),
  };
}

/** HTTP mode: Bolt's receiver behind the guard that refuses malformed or future-dated signed requests. */
function guardedHttpReceiver(options: SlackAppOptions, logger: BoltLogger): HTTPReceiver {
  const endpoint = '/slack/events';
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: endpoint,
    customRoutes: options.customRoutes,
    logger,
    processBeforeResponse: false,
    bodyLimit: slackBodyLimit,
  });
  receiver.requestListener = guardSlackRequests(receiver.requestListener, {
    signingSecret: options.signingSecret,
    endpoints: [endpoint],
    logger: options.logger,
    bodyLimit: slackBodyLimit,
  });
  return receiver;
}
