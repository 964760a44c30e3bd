import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { expandSection, homeSectionKeys, parseHomeState } from '../blocks/home.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { messageContextOf, parseCarried, replyToActor, teamOf } from '../support/interaction.js';
import { withUserFacingErrors } from '../support/user-facing-errors.js';

const sectionSchema = z.enum(homeSectionKeys);

/** "Show more" on a home section: re-publishes the home with that section one step longer. */
export function registerHomeShowMore(app: App, deps: SlackDeps): void {
  // homeShowMoreHeld is still listened to for homes published before every section had a pager.
  for (const actionId of [ActionIds.homeShowMore, ActionIds.homeShowMoreHeld]) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, respond, client }) => {
      await ack();
      const reply = replyToActor(body, respond, client, deps.logger);
      await withUserFacingErrors(reply, deps.logger, messageContextOf(deps), async () => {
        const section = parseCarried(sectionSchema, action.value, 'home section');
        const state = expandSection(parseHomeState(body.view?.private_metadata), section);
        await deps.homes.publish(teamOf(body), body.user.id, state);
      });
    });
  }
}
