import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { transferAcceptedReply } from '../blocks/transfer.blocks.js';
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

/**
 * "Accept" (the offer DM or `/asset mine`): TransferService.accept moves custody. A replay finds it done
 * and sends nothing new; the offer DM itself shows the outcome.
 */
export function registerAcceptTransferAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ActionIds.acceptTransfer, async ({ ack, body, action, respond, client }) => {
    await ack();
    const reply = replyToActor(body, respond, client, deps.logger);
    await withUserFacingErrors(reply, deps.logger, messageContextOf(deps), async () => {
      const transferId = parseCarried(transferIdSchema, action.value, 'transfer id');
      const actor = await actorOf(deps, teamOf(body), body.user.id);
      const clicked = clickedMessage(body);
      const result = await deps.transfers.accept(actor, transferId, clicked);
      if (!result.ok) {
        await reply({ text: describeError(result.error, messageContextOf(deps)()) });
        return;
      }
      const { transfer, alreadyDone } = result.value;
      const onOffer = clicked !== undefined && clicked.ts === transfer.offerMessage?.ts;
      if (!onOffer && !alreadyDone) await reply({ text: transferAcceptedReply(transfer) });
    });
  });
}
