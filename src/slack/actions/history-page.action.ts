import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { tagPattern } from '../../domain/index.js';
import { answerHistory } from '../commands/subcommands/history.subcommand.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { withUserFacingErrors } from '../user-facing-errors.js';
import { messageContextOf, replyToActor, requireCapability, teamOf } from './action-support.js';

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
      const reply = replyToActor(body, respond, client);
      await withUserFacingErrors(reply, deps.logger, messageContextOf(deps), async () => {
        const teamId = teamOf(body);
        await requireCapability(deps, teamId, body.user.id, 'asset.history', 'see asset history');
        const value = pageValueSchema.parse(JSON.parse(action.value ?? ''));
        await answerHistory(deps, teamId, value.t, value.o, (message) =>
          respond({ response_type: 'ephemeral', replace_original: true, ...message } as Parameters<
            typeof respond
          >[0]),
        );
      });
    },
  );
}
