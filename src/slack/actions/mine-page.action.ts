import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { answerMine } from '../support/answers.js';
import { actorOf, carriedJson, messageContextOf, parseCarried, teamOf } from '../support/interaction.js';
import { withUserFacingErrors } from '../support/user-facing-errors.js';

const pageValueSchema = z.object({ p: z.number().int().min(0).max(10_000) });

/** "Previous" / "Next" under `/asset mine`: the presser's own list, another page, replacing the message in place. */
export function registerMinePageAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(
    new RegExp(`^${ActionIds.minePage}:`),
    async ({ ack, body, action, respond }) => {
      await ack();
      await withUserFacingErrors(respond, deps.logger, messageContextOf(deps), async () => {
        const { p } = parseCarried(pageValueSchema, carriedJson(action.value), 'mine page');
        const actor = await actorOf(deps, teamOf(body), body.user.id);
        await answerMine(deps, actor, p, (message) =>
          respond({ response_type: 'ephemeral', replace_original: true, ...message } as Parameters<
            typeof respond
          >[0]),
        );
      });
    },
  );
}
