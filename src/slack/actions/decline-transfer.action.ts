import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { transferDeclinedReply } from '../blocks/transfer.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { describeError } from '../messages.js';
import {
  actorOf,
  clickedMessage,
  messageContextOf,
  parseCarried,
  replyToActor,
  teamOf,
} from '../support/interaction.js';
import { withUserFacingErrors } from '../support/user-facing-errors.js';

const transferIdSchema = z.string().min(1).max(64);

/** "Decline" (the offer DM or `/asset mine`): only the recipient; the asset stays with the sender, who is told. */
export function registerDeclineTransferAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ActionIds.declineTransfer, async ({ ack, body, action, respond, client }) => {
    await ack();
    const reply = replyToActor(body, respond, client, deps.logger);
    await withUserFacingErrors(reply, deps.logger, messageContextOf(deps), async () => {
      const transferId = parseCarried(transferIdSchema, action.value, 'transfer id');
      const actor = await actorOf(deps, teamOf(body), body.user.id);
      const clicked = clickedMessage(body);
      const result = await deps.transfers.decline(actor, transferId, clicked);
      if (!result.ok) {
        await reply({ text: describeError(result.error, messageContextOf(deps)()) });
        return;
      }
      const transfer = result.value;
      const onOffer = clicked !== undefined && clicked.ts === transfer.offerMessage?.ts;
      if (!onOffer) await reply({ text: transferDeclinedReply(transfer) });
    });
  });
}
