import type { App, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { tagPattern } from '../../domain/index.js';
import { buildNoticeModal } from '../blocks/notice.blocks.js';
import {
  transferNoteMax,
  transferOfferedModal,
  type TransferModalMetadata,
} from '../blocks/transfer.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds, BlockIds, CallbackIds } from '../ids.js';
import { describeError, inputText } from '../messages.js';
import { actorOf, messageContextOf, teamOf } from '../support/interaction.js';
import { answerSubmission, refusalUnderField } from '../support/modal-submission.js';
import { errorsByBlock, parseMetadata, readViewValues } from '../support/view-values.js';

const metadataSchema: z.ZodType<TransferModalMetadata> = z.object({ t: z.string().regex(tagPattern) });

const transferSchema = z.object({
  toId: z.string({ error: inputText.pickRecipient }).min(1, inputText.pickRecipient),
  note: z.string().max(transferNoteMax, inputText.noteTooLong(transferNoteMax)).optional(),
});

const fieldBlocks = { toId: BlockIds.transferRecipient, note: BlockIds.transferNote };

/** Refusals about the chosen person go under that field; refusals about the asset replace the modal. */
const recipientCodes = new Set([
  'transfer.self',
  'person.not_found',
  'person.cannot_hold',
  'input.invalid',
  'asset.already_holder',
]);

/** Transfer modal submitted: the same TransferService.offer as `/asset transfer`, then a confirmation with Cancel. */
export function registerTransferView(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(CallbackIds.transferModal, async ({ ack, body, view }) => {
    await answerSubmission(deps, ack, async () => {
      const { t: tag } = parseMetadata(metadataSchema, view.private_metadata);
      const values = readViewValues(view.state.values);
      const parsed = transferSchema.safeParse({
        toId: values.user(BlockIds.transferRecipient, ActionIds.transferRecipient),
        note: values.text(BlockIds.transferNote, ActionIds.transferNote)?.trim(),
      });
      if (!parsed.success) return { kind: 'errors', errors: errorsByBlock(parsed.error, fieldBlocks) };
      const actor = await actorOf(deps, teamOf(body), body.user.id);
      const result = await deps.transfers.offer(actor, { tag, ...parsed.data });
      if (!result.ok) {
        if (recipientCodes.has(result.error.code)) {
          return refusalUnderField(
            deps,
            actor.teamId,
            result.error,
            BlockIds.transferRecipient,
            'Not transferred',
          );
        }
        return {
          kind: 'view',
          view: buildNoticeModal('Not transferred', describeError(result.error, messageContextOf(deps)())),
        };
      }
      return { kind: 'view', view: transferOfferedModal(result.value.transfer) };
    });
  });
}
