import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import type { Transfer } from '../../domain/index.js';
import { transferAcceptedReply } from '../blocks/transfer.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { describeError } from '../messages.js';
import { withUserFacingErrors } from '../user-facing-errors.js';
import { messageContextOf, replyToActor, requireCapability, teamOf } from './action-support.js';
import { announceAccepted, announceClosed, clickedMessage } from './transfer.effects.js';

const transferIdSchema = z.string().min(1).max(64);

/**
 * "Accept" (the offer DM or `/asset mine`): only the recipient; custody moves in TransferService.accept.
 * A replay finds it done and sends nothing new; the offer DM itself shows the outcome.
 */
export function registerAcceptTransferAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ActionIds.acceptTransfer, async ({ ack, body, action, respond, client }) => {
    await ack();
    const reply = replyToActor(body, respond, client);
    await withUserFacingErrors(reply, deps.logger, messageContextOf(deps), async () => {
      const teamId = teamOf(body);
      const userId = body.user.id;
      const transferId = transferIdSchema.parse(action.value);
      await requireCapability(deps, teamId, userId, 'asset.transfer', 'accept transfers');
      const clicked = clickedMessage(body);
      const result = await deps.transfers.accept(teamId, transferId, userId);
      if (!result.ok) {
        const voided = result.error.details['transfer'] as Transfer | undefined;
        if (result.error.code === 'transfer.voided' && voided) {
          await announceClosed(deps, client, voided, clicked);
        }
        await reply({ text: describeError(result.error, messageContextOf(deps)()) });
        return;
      }
      const { transfer, asset, alreadyDone } = result.value;
      const onOffer = clicked !== undefined && clicked.ts === transfer.offerMessage?.ts;
      if (!onOffer && !alreadyDone) await reply({ text: transferAcceptedReply(transfer) });
      await announceAccepted(deps, client, transfer, asset, clicked);
    });
  });
}
