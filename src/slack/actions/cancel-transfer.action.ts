import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { transferCancelledReply } from '../blocks/transfer.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds, BlockIds } from '../ids.js';
import { describeError } from '../messages.js';
import { withUserFacingErrors } from '../user-facing-errors.js';
import { noticeView } from '../views/modal-submission.js';
import { messageContextOf, replyToActor, requireCapability, teamOf } from './action-support.js';
import { announceClosed } from './transfer.effects.js';

const transferIdSchema = z.string().min(1).max(64);

/**
 * "Cancel transfer" (the sender's confirmation or `/asset mine`): only the sender, only while unanswered.
 * The confirmation it was pressed on is replaced by the outcome; elsewhere the outcome is a reply.
 */
export function registerCancelTransferAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ActionIds.cancelTransfer, async ({ ack, body, action, respond, client }) => {
    await ack();
    const actorReply = replyToActor(body, respond, client);
    const onConfirmation = action.block_id === BlockIds.transferOffered;
    const inModal = body.container?.type === 'view' && body.view?.type === 'modal' && body.view.id;
    const reply = async (text: string) => {
      if (onConfirmation && inModal && body.view) {
        await client.views.update({ view_id: body.view.id, view: noticeView('Transfer', text) });
      } else if (onConfirmation && body.response_url) {
        await respond({ response_type: 'ephemeral', replace_original: true, text });
      } else {
        await actorReply({ text });
      }
    };
    await withUserFacingErrors(actorReply, deps.logger, messageContextOf(deps), async () => {
      const teamId = teamOf(body);
      const userId = body.user.id;
      const transferId = transferIdSchema.parse(action.value);
      await requireCapability(deps, teamId, userId, 'asset.transfer', 'cancel transfers');
      const result = await deps.transfers.cancel(teamId, transferId, userId);
      if (!result.ok) {
        await reply(describeError(result.error, messageContextOf(deps)()));
        return;
      }
      await reply(transferCancelledReply(result.value));
      await announceClosed(deps, client, result.value, undefined);
    });
  });
}
