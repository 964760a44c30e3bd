import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { buildNoticeModal } from '../blocks/notice.blocks.js';
import { transferCancelledReply } from '../blocks/transfer.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds, BlockIds } from '../ids.js';
import { describeError } from '../messages.js';
import { actorOf, messageContextOf, parseCarried, replyToActor, teamOf } from '../support/interaction.js';
import { withUserFacingErrors } from '../support/user-facing-errors.js';

const transferIdSchema = z.string().min(1).max(64);

/**
 * "Cancel transfer" (the sender's confirmation or `/asset mine`): only the sender, only while unanswered.
 * The confirmation it was pressed on is replaced by the outcome; elsewhere the outcome is a reply.
 */
export function registerCancelTransferAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ActionIds.cancelTransfer, async ({ ack, body, action, respond, client }) => {
    await ack();
    const actorReply = replyToActor(body, respond, client, deps.logger);
    const onConfirmation = action.block_id === BlockIds.transferOffered;
    const inModal = body.container?.type === 'view' && body.view?.type === 'modal' && body.view.id;
    const reply = async (text: string) => {
      if (onConfirmation && inModal && body.view) {
        await client.views.update({ view_id: body.view.id, view: buildNoticeModal('Transfer', text) });
      } else if (onConfirmation && body.response_url) {
        await respond({ response_type: 'ephemeral', replace_original: true, text });
      } else {
        await actorReply({ text });
      }
    };
    await withUserFacingErrors(actorReply, deps.logger, messageContextOf(deps), async () => {
      const transferId = parseCarried(transferIdSchema, action.value, 'transfer id');
      const actor = await actorOf(deps, teamOf(body), body.user.id);
      const result = await deps.transfers.cancel(actor, transferId);
      await reply(
        result.ok
          ? transferCancelledReply(result.value)
          : describeError(result.error, messageContextOf(deps)()),
      );
    });
  });
}
