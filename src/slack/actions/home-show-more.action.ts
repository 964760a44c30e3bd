import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { homeSectionStep, parseHomeState } from '../blocks/home.blocks.js';
import { publishHome } from '../home-publisher.js';

const sectionSchema = z.enum(['held']);

/** "Show more" on a home section: re-publishes the home with that section one step longer. */
export function registerHomeShowMore(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ActionIds.homeShowMoreHeld, async ({ ack, body, action, client }) => {
    await ack();
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    try {
      const section = sectionSchema.parse(action.value);
      const state = parseHomeState(body.view?.private_metadata);
      state.shown[section] = (state.shown[section] ?? homeSectionStep) + homeSectionStep;
      await publishHome(deps, client, teamId, body.user.id, state);
    } catch (err) {
      deps.logger.error({ err, teamId, userId: body.user.id }, 'could not show more on the App Home');
    }
  });
}
