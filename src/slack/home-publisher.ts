import type { WebClient } from '@slack/web-api';
import type { SlackDeps } from './deps.js';
import { buildEmployeeHome, type HomeSectionState } from './blocks/home.blocks.js';

/** Builds and publishes one person's App Home from current data. */
export async function publishHome(
  deps: SlackDeps,
  client: WebClient,
  teamId: string,
  userId: string,
  state: HomeSectionState = { shown: {} },
): Promise<void> {
  const person = await deps.people.resolve(teamId, userId);
  const held = await deps.assets.heldBy(teamId, userId);
  const view = buildEmployeeHome(
    { displayName: person?.displayName ?? 'there', held },
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
    for (const person of await deps.people.itStaff(teamId)) targets.add(person.slackUserId);
  }
  await Promise.all(
    [...targets].map((userId) =>
      publishHome(deps, client, teamId, userId).catch((err: unknown) =>
        deps.logger.error({ err, teamId, userId }, 'could not refresh an App Home'),
      ),
    ),
  );
}
