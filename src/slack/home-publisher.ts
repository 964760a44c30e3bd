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
