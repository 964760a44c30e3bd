import type { WebClient } from '@slack/web-api';
import { can } from '../domain/index.js';
import type { SlackDeps } from './deps.js';
import { buildHome, requestedRows, type HomeSectionState, type ItQueue } from './blocks/home.blocks.js';

/** A page is never asked for more rows than a home can show. */
const maxRowsLoaded = 100;

async function loadItQueue(deps: SlackDeps, teamId: string, state: HomeSectionState): Promise<ItQueue> {
  const page = (key: 'queue' | 'returns' | 'overdue') => ({
    offset: 0,
    limit: Math.min(requestedRows(state, key), maxRowsLoaded),
  });
  const [pendingRequests, overview] = await Promise.all([
    deps.requests.pending(teamId, page('queue')),
    deps.assets.itOverview(teamId, { pendingReturns: page('returns'), overdue: page('overdue') }),
  ]);
  return {
    pendingRequests,
    pendingReturns: overview.pendingReturns,
    overdue: overview.overdue,
    stock: overview.stock,
  };
}

/** Builds and publishes one person's App Home from current data: IT's queue first for IT staff and admins. */
export async function publishHome(
  deps: SlackDeps,
  client: WebClient,
  teamId: string,
  userId: string,
  state: HomeSectionState = { shown: {} },
): Promise<void> {
  const person = await deps.people.resolve(teamId, userId);
  const seesItQueue = person !== undefined && can(person, 'request.decide');
  const [held, openRequests, it] = await Promise.all([
    deps.assets.heldBy(teamId, userId),
    deps.requests.openFor(teamId, userId),
    seesItQueue ? loadItQueue(deps, teamId, state) : Promise.resolve(undefined),
  ]);
  const view = buildHome(
    { viewerId: userId, displayName: person?.displayName || person?.name || 'there', held, openRequests, it },
    { timeZone: deps.settings.timeZone, now: deps.clock.now() },
    state,
  );
  await client.views.publish({ user_id: userId, view });
}

/**
 * Re-publishes the homes of everyone a change concerns, and of IT staff when the IT queue changed.
 * Failures are logged, never thrown: the change itself already happened.
 */
export async function refreshHomes(
  deps: SlackDeps,
  client: WebClient,
  teamId: string,
  userIds: Array<string | undefined>,
  options: { itQueueChanged: boolean },
): Promise<void> {
  const targets = new Set(userIds.filter((id): id is string => Boolean(id)));
  if (options.itQueueChanged) {
    try {
      for (const person of await deps.people.itStaff(teamId)) {
        if (!person.deactivated) targets.add(person.slackUserId);
      }
    } catch (err) {
      deps.logger.error({ err, teamId }, 'could not list IT staff to refresh their App Homes');
    }
  }
  await Promise.all(
    [...targets].map((userId) =>
      publishHome(deps, client, teamId, userId).catch((err: unknown) =>
        deps.logger.error({ err, teamId, userId }, 'could not refresh an App Home'),
      ),
    ),
  );
}
