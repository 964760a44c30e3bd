import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { transferDeclinedReply } from '../blocks/transfer.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { describeError } from '../messages.js';
import { withUserFacingErrors } from '../user-facing-errors.js';
import { messageContextOf, replyToActor, requireCapability, teamOf } from './action-support.js';
import { announceDeclined, clickedMessage } from './transfer.effects.js';

const transferIdSchema = z.string().min(1).max(64);

/** "Decline" (the offer DM or `/asset mine`): only the recipient; the asset stays with the sender, who is told. */
export function registerDeclineTransferAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ActionIds.declineTransfer, async ({ ack, body, action, respond, client }) => {
    await ack();
    const reply = replyToActor(body, respond, client);
    await withUserFacingErrors(reply, deps.logger, messageContextOf(deps), async () => {
      const teamId = teamOf(body);
      const userId = body.user.id;
      const transferId = transferIdSchema.parse(action.value);
      await requireCapability(deps, teamId, userId, 'asset.transfer', 'answer transfers');
      const result = await deps.transfers.decline(teamId, transferId, userId);
      if (!result.ok) {
        await reply({ text: describeError(result.error, messageContextOf(deps)()) });
        return;
      }
      const transfer = result.value;
      const clicked = clickedMessage(body);
      const onOffer = clicked !== undefined && clicked.ts === transfer.offerMessage?.ts;
      if (!onOffer) await reply({ text: transferDeclinedReply(transfer) });
      await announceDeclined(deps, client, transfer, clicked);
    });
  });
}
