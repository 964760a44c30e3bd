import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { answerFind } from '../support/answers.js';
import { actorOf, carriedJson, messageContextOf, parseCarried, teamOf } from '../support/interaction.js';
import { withUserFacingErrors } from '../support/user-facing-errors.js';

const pageValueSchema = z.object({ q: z.string().min(1).max(200), o: z.number().int().min(0).max(100_000) });

/** "Previous" / "Next" under find results: the same search, another page, replacing the message in place. */
export function registerFindPageAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(
    new RegExp(`^${ActionIds.findPage}:`),
    async ({ ack, body, action, respond }) => {
      await ack();
      await withUserFacingErrors(respond, deps.logger, messageContextOf(deps), async () => {
        const value = parseCarried(pageValueSchema, carriedJson(action.value), 'find page');
        const actor = await actorOf(deps, teamOf(body), body.user.id);
        await answerFind(deps, actor, value.q, value.o, (message) =>
          respond({ response_type: 'ephemeral', replace_original: true, ...message } as Parameters<
            typeof respond
          >[0]),
        );
      });
    },
  );
}
