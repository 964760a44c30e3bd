import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { expandSection, homeSectionKeys, parseHomeState } from '../blocks/home.blocks.js';
import type { SlackDeps } from '../deps.js';
import { publishHome } from '../home-publisher.js';
import { ActionIds } from '../ids.js';
import { withUserFacingErrors } from '../user-facing-errors.js';
import { messageContextOf, replyToActor, teamOf } from './action-support.js';

const sectionSchema = z.enum(homeSectionKeys);

/** "Show more" on a home section: re-publishes the home with that section one step longer. */
export function registerHomeShowMore(app: App, deps: SlackDeps): void {
  // homeShowMoreHeld is still listened to for homes published before every section had a pager.
  for (const actionId of [ActionIds.homeShowMore, ActionIds.homeShowMoreHeld]) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, respond, client }) => {
      await ack();
      const reply = replyToActor(body, respond, client);
      await withUserFacingErrors(reply, deps.logger, messageContextOf(deps), async () => {
        const section = sectionSchema.parse(action.value);
        const state = expandSection(parseHomeState(body.view?.private_metadata), section);
        await publishHome(deps, client, teamOf(body), body.user.id, state);
      });
    });
  }
}
