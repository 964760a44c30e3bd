/**
 * App Homes: each is built from current data read as its viewer (so it shows only what they may see)
 * and published with views.publish. After a change, homes are refreshed in batches: changes within a
 * short window are coalesced, IT's shared queue is read once per batch rather than once per viewer, and
 * the publishes are paced within Slack's rate limit for views.publish.
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
import { Pacer } from './pacer.js';

/** A page is never asked for more rows than a home can show. */
const maxRowsLoaded = 100;
/**
 * A queue change refreshes every IT home while the IT team is small enough to cost a fraction of the
 * views.publish budget. A larger team gets only the homes opened within the viewing window refreshed;
 * the others are rebuilt from current data when next opened (Slack sends app_home_opened each time), so
 * the budget is not spent on homes nobody is looking at.
 */
const refreshEveryItHomeUpTo = 20;
const viewingWindowMs = 30 * 60 * 1000;
/** Slack's Tier 4 (views.publish): 100+ per minute per workspace; we keep under it. */
const publishesPerMinute = 90;
const publishConcurrency = 4;

export interface HomePublisherDeps {
  client: () => WebClient;
  people: PeopleService;
  assets: AssetService;
  requests: RequestService;
  clock: Clock;
  timeZone: string;
  logger: Logger;
  /** How long changes are gathered before their homes are refreshed together. */
  coalesceMs?: number;
}

interface PendingRefresh {
  userIds: Set<string>;
  itQueueChanged: boolean;
  done: Promise<void>;
}

function unwrap<T>(result: { ok: true; value: T } | { ok: false }, fallback: T): T {
  return result.ok ? result.value : fallback;
}

export class HomePublisher {
  private readonly pending = new Map<string, PendingRefresh>();
  private readonly pacers = new Map<string, Pacer>();

  constructor(private readonly deps: HomePublisherDeps) {}

  private pacerFor(teamId: string): Pacer {
    let pacer = this.pacers.get(teamId);
    if (!pacer) {
      pacer = new Pacer({ perMinute: publishesPerMinute, concurrency: publishConcurrency });
      this.pacers.set(teamId, pacer);
    }
    return pacer;
  }

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

  /** Builds one viewer's home from their own data and, for IT, the queue given (or read now). */
  private async render(
    viewer: Person,
    state: HomeSectionState,
    sharedQueue: ItQueue | undefined,
    paced: boolean,
  ): Promise<void> {
    const { assets, requests, clock, timeZone } = this.deps;
    const seesQueue = can(viewer, 'request.decide');
    const [held, openRequests, it] = await Promise.all([
      assets.heldByMe(viewer),
      requests.openForMe(viewer),
      seesQueue ? (sharedQueue ?? this.itQueue(viewer, state)) : Promise.resolve(undefined),
    ]);
    const view = buildHome(
      {
        viewerId: viewer.slackUserId,
        // Greet by real name; the handle is what Slack shows elsewhere.
        displayName: viewer.name || viewer.displayName || 'there',
        held: unwrap(held, []),
        openRequests: unwrap(openRequests, []),
        it,
      },
      { timeZone, now: clock.now() },
      state,
    );
    const send = () => this.deps.client().views.publish({ user_id: viewer.slackUserId, view });
    const pacer = this.pacerFor(viewer.teamId);
    if (paced) {
      await pacer.run(send);
    } else {
      // Someone is waiting for this home: publish now and let the background refreshes make room.
      pacer.note();
      await send();
    }
  }

  /** Publishes one person's home now (they opened it, or asked for more of a section). */
  async publish(teamId: string, userId: string, state: HomeSectionState = { shown: {} }): Promise<void> {
    const viewer = await this.deps.people.resolve(teamId, userId);
    if (!viewer) {
      this.deps.logger.warn({ teamId, userId }, 'no App Home for a person Slack does not know');
      return;
    }
    await Promise.all([
      this.deps.people.homeOpened(teamId, userId),
      this.render(viewer, state, undefined, false),
    ]);
  }

  /**
   * Re-publishes the homes of everyone a change concerns, and of IT staff when the IT queue changed.
   * Changes arriving within the coalescing window share one batch; the promise settles when the batch
   * is published. Failures are logged, never thrown: the change itself already happened.
   */
  refresh(teamId: string, userIds: Array<string | undefined>, itQueueChanged: boolean): Promise<void> {
    let batch = this.pending.get(teamId);
    if (!batch) {
      const created: PendingRefresh = {
        userIds: new Set(),
        itQueueChanged: false,
        done: new Promise<void>((resolve) => {
          setTimeout(() => {
            this.pending.delete(teamId);
            this.flush(teamId, created).finally(resolve);
          }, this.deps.coalesceMs ?? 200);
        }),
      };
      batch = created;
      this.pending.set(teamId, batch);
    }
    for (const id of userIds) if (id) batch.userIds.add(id);
    batch.itQueueChanged ||= itQueueChanged;
    return batch.done;
  }

  private async flush(teamId: string, batch: PendingRefresh): Promise<void> {
    const { logger, people } = this.deps;
    const byId = new Map<string, Person>();
    if (batch.itQueueChanged) {
      try {
        const staff = await people.itStaff(teamId);
        const refreshed =
          staff.length <= refreshEveryItHomeUpTo
            ? staff
            : await people.itStaffViewingHome(teamId, viewingWindowMs);
        for (const person of refreshed) if (!person.deactivated) byId.set(person.slackUserId, person);
      } catch (err) {
        logger.error({ err, teamId }, 'could not list IT staff to refresh their App Homes');
      }
    }
    for (const userId of batch.userIds) {
      if (byId.has(userId)) continue;
      const viewer = await people.resolve(teamId, userId).catch((err: unknown) => {
        logger.error({ err, teamId, userId }, 'could not resolve a person to refresh their App Home');
        return undefined;
      });
      if (viewer) byId.set(userId, viewer);
    }
    const viewers = [...byId.values()];
    // IT's queue is the same for every IT viewer: read it once for the whole batch.
    const firstIt = viewers.find((viewer) => can(viewer, 'request.decide'));
    const state: HomeSectionState = { shown: {} };
    const shared = firstIt
      ? await this.itQueue(firstIt, state).catch((err: unknown) => {
          logger.error({ err, teamId }, 'could not read the IT queue for App Homes');
          return undefined;
        })
      : undefined;
    await Promise.all(
      viewers.map((viewer) =>
        this.render(viewer, state, shared, true).catch((err: unknown) =>
          logger.error({ err, teamId, userId: viewer.slackUserId }, 'could not refresh an App Home'),
        ),
      ),
    );
  }
}
