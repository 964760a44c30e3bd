/**
 * App Homes: each is built from current data read as its viewer (so it shows only what they may see)
 * and published with views.publish. A refresh after a change re-publishes the homes it concerns.
 */
import type { WebClient } from '@slack/web-api';
import { can, type Clock, type Person } from '../domain/index.js';
import type { Logger } from '../platform/logger.js';
import type { AssetService } from '../services/asset-service.js';
import type { PeopleService } from '../services/people-service.js';
import type { RequestService } from '../services/request-service.js';
import {
  buildHome,
  requestedRows,
  type HomeSectionState,
  type ItQueue,
} from '../slack/blocks/home.blocks.js';

/** A page is never asked for more rows than a home can show. */
const maxRowsLoaded = 100;

export interface HomePublisherDeps {
  client: () => WebClient;
  people: PeopleService;
  assets: AssetService;
  requests: RequestService;
  clock: Clock;
  timeZone: string;
  logger: Logger;
}

function unwrap<T>(result: { ok: true; value: T } | { ok: false }, fallback: T): T {
  return result.ok ? result.value : fallback;
}

export class HomePublisher {
  constructor(private readonly deps: HomePublisherDeps) {}

  private async itQueue(viewer: Person, state: HomeSectionState): Promise<ItQueue | undefined> {
    if (!can(viewer, 'request.decide')) return undefined;
    const page = (key: 'queue' | 'returns' | 'overdue') => ({
      offset: 0,
      limit: Math.min(requestedRows(state, key), maxRowsLoaded),
    });
    const [pendingRequests, overview] = await Promise.all([
      this.deps.requests.pending(viewer, page('queue')),
      this.deps.assets.itOverview(viewer, { pendingReturns: page('returns'), overdue: page('overdue') }),
    ]);
    if (!pendingRequests.ok || !overview.ok) return undefined;
    return { pendingRequests: pendingRequests.value, ...overview.value };
  }

  /** Builds and publishes one person's home: IT's queue first for IT staff and admins. */
  async publish(teamId: string, userId: string, state: HomeSectionState = { shown: {} }): Promise<void> {
    const { people, assets, requests, clock, timeZone } = this.deps;
    const viewer = await people.resolve(teamId, userId);
    if (!viewer) {
      this.deps.logger.warn({ teamId, userId }, 'no App Home for a person Slack does not know');
      return;
    }
    const [held, openRequests, it] = await Promise.all([
      assets.heldByMe(viewer),
      requests.openForMe(viewer),
      this.itQueue(viewer, state),
    ]);
    const view = buildHome(
      {
        viewerId: userId,
        // Greet by real name; the handle is what Slack shows elsewhere.
        displayName: viewer.name || viewer.displayName || 'there',
        held: unwrap(held, []),
        openRequests: unwrap(openRequests, []),
        it,
      },
      { timeZone, now: clock.now() },
      state,
    );
    await this.deps.client().views.publish({ user_id: userId, view });
  }

  /**
   * Re-publishes the homes of everyone a change concerns, and of IT staff when the IT queue changed.
   * Failures are logged, never thrown: the change itself already happened.
   */
  async refresh(teamId: string, userIds: Array<string | undefined>, itQueueChanged: boolean): Promise<void> {
    const { logger } = this.deps;
    const targets = new Set(userIds.filter((id): id is string => Boolean(id)));
    if (itQueueChanged) {
      try {
        for (const person of await this.deps.people.itStaff(teamId)) {
          if (!person.deactivated) targets.add(person.slackUserId);
        }
      } catch (err) {
        logger.error({ err, teamId }, 'could not list IT staff to refresh their App Homes');
      }
    }
    await Promise.all(
      [...targets].map((userId) =>
        this.publish(teamId, userId).catch((err: unknown) =>
          logger.error({ err, teamId, userId }, 'could not refresh an App Home'),
        ),
      ),
    );
  }
}
