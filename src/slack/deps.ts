import type { Clock } from '../domain/index.js';
import type { HomePublisher } from '../notify/home-publisher.js';
import type { Logger } from '../platform/logger.js';
import type { AssetService } from '../services/asset-service.js';
import type { PeopleService } from '../services/people-service.js';
import type { RequestService } from '../services/request-service.js';
import type { TransferService } from '../services/transfer-service.js';

/** What the Slack transport may call: services, the home publisher and settings, never the database. */
export interface SlackDeps {
  people: PeopleService;
  assets: AssetService;
  requests: RequestService;
  transfers: TransferService;
  homes: HomePublisher;
  clock: Clock;
  settings: { timeZone: string; itChannelId: string | undefined; alertsChannelId: string | undefined };
  logger: Logger;
}
