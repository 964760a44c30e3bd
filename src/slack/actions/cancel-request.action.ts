import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { requestCancelledReply } from '../blocks/employee-notices.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { describeError } from '../messages.js';
import { actorOf, messageContextOf, parseCarried, replyToActor, teamOf } from '../support/interaction.js';
import { withUserFacingErrors } from '../support/user-facing-errors.js';

const requestIdSchema = z.string().min(1).max(64);

/** "Cancel" on a pending request in `/asset mine` or the Home: only its requester, only while nobody decides it. */
export function registerCancelRequestAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ActionIds.cancelRequest, async ({ ack, body, action, respond, client }) => {
    await ack();
    const reply = replyToActor(body, respond, client, deps.logger);
    await withUserFacingErrors(reply, deps.logger, messageContextOf(deps), async () => {
      const requestId = parseCarried(requestIdSchema, action.value, 'request id');
      const actor = await actorOf(deps, teamOf(body), body.user.id);
      const result = await deps.requests.cancel(actor, requestId);
      await reply({
        text: result.ok
          ? requestCancelledReply(result.value)
          : describeError(result.error, messageContextOf(deps)()),
      });
    });
  });
}
