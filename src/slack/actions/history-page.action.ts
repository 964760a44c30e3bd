import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { tagPattern } from '../../domain/index.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { answerHistory } from '../support/answers.js';
import {
  actorOf,
  carriedJson,
  messageContextOf,
  parseCarried,
  replyToActor,
  teamOf,
} from '../support/interaction.js';
import { withUserFacingErrors } from '../support/user-facing-errors.js';

const pageValueSchema = z.object({
  t: z.string().regex(tagPattern),
  o: z.number().int().min(0).max(1_000_000),
});

/** "Previous" / "Next" under an asset's history: another page, replacing the message in place. */
export function registerHistoryPageAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(
    new RegExp(`^${ActionIds.historyPage}:`),
    async ({ ack, body, action, respond, client }) => {
      await ack();
      const reply = replyToActor(body, respond, client, deps.logger);
      await withUserFacingErrors(reply, deps.logger, messageContextOf(deps), async () => {
        const value = parseCarried(pageValueSchema, carriedJson(action.value), 'history page');
        const actor = await actorOf(deps, teamOf(body), body.user.id);
        await answerHistory(deps, actor, value.t, value.o, (message) =>
          respond({ response_type: 'ephemeral', replace_original: true, ...message } as Parameters<
            typeof respond
          >[0]),
        );
      });
    },
  );
}
