import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { answerFind } from '../commands/subcommands/find.subcommand.js';
import { withUserFacingErrors } from '../user-facing-errors.js';

const pageValueSchema = z.object({ q: z.string().min(1).max(200), o: z.number().int().min(0).max(100_000) });

/** "Previous" / "Next" under find results: the same search, another page, replacing the message in place. */
export function registerFindPageAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(
    new RegExp(`^${ActionIds.findPage}:`),
    async ({ ack, body, action, respond }) => {
      await ack();
      const messageContext = () => ({ timeZone: deps.settings.timeZone, now: deps.clock.now() });
      await withUserFacingErrors(respond, deps.logger, messageContext, async () => {
        const value = pageValueSchema.parse(JSON.parse(action.value ?? ''));
        const teamId = body.team?.id ?? body.user.team_id ?? '';
        await answerFind(deps, teamId, value.q, value.o, (message) =>
          respond({ response_type: 'ephemeral', replace_original: true, ...message } as Parameters<
            typeof respond
          >[0]),
        );
      });
    },
  );
}
