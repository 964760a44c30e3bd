import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { buildApproveModal } from '../blocks/it-decision.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import {
  actorOf,
  messageContextOf,
  parseCarried,
  replyToActor,
  teamOf,
  valueOf,
} from '../support/interaction.js';
import { withUserFacingErrors } from '../support/user-facing-errors.js';

const requestIdSchema = z.string().min(1).max(64);

/** "Approve" on a request (IT channel or IT home): checks who may decide it now, then opens the approve modal. */
export function registerApproveRequestAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ActionIds.approveRequest, async ({ ack, body, action, respond, client }) => {
    await ack();
    const reply = replyToActor(body, respond, client, deps.logger);
    await withUserFacingErrors(reply, deps.logger, messageContextOf(deps), async () => {
      const requestId = parseCarried(requestIdSchema, action.value, 'request id');
      const actor = await actorOf(deps, teamOf(body), body.user.id);
      const request = valueOf(await deps.requests.prepareDecision(actor, requestId, 'approve'));
      await client.views.open({
        trigger_id: body.trigger_id,
        view: buildApproveModal(request, messageContextOf(deps)()),
      });
    });
  });
}
