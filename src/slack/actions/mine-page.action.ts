import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { answerMine } from '../commands/subcommands/mine.subcommand.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { withUserFacingErrors } from '../user-facing-errors.js';
import { messageContextOf, teamOf } from './action-support.js';

const pageValueSchema = z.object({ p: z.number().int().min(0).max(10_000) });

/** "Previous" / "Next" under `/asset mine`: the presser's own list, another page, replacing the message in place. */
export function registerMinePageAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(
    new RegExp(`^${ActionIds.minePage}:`),
    async ({ ack, body, action, respond }) => {
      await ack();
      await withUserFacingErrors(respond, deps.logger, messageContextOf(deps), async () => {
        const { p } = pageValueSchema.parse(JSON.parse(action.value ?? ''));
        await answerMine(deps, teamOf(body), body.user.id, p, (message) =>
          respond({ response_type: 'ephemeral', replace_original: true, ...message } as Parameters<
            typeof respond
          >[0]),
        );
      });
    },
  );
}
