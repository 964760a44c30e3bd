import type { App, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { tagPattern, type DomainError } from '../../domain/index.js';
import { messageContextOf, requireCapability, teamOf } from '../actions/action-support.js';
import { offerTransfer, sendOffer } from '../actions/transfer.effects.js';
import {
  transferNoteMax,
  transferOfferedModal,
  type TransferModalMetadata,
} from '../blocks/transfer.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds, BlockIds, CallbackIds } from '../ids.js';
import { describeError } from '../messages.js';
import { answerSubmission, noticeView, type SubmissionOutcome } from './modal-submission.js';
import { plainFieldText } from './modal-submission.js';
import { errorsByBlock, parseMetadata, readViewValues } from './view-values.js';

const metadataSchema: z.ZodType<TransferModalMetadata> = z.object({ t: z.string().regex(tagPattern) });

const transferSchema = z.object({
  toId: z.string({ error: 'Pick the person to hand it to.' }).min(1, 'Pick the person to hand it to.'),
  note: z.string().max(transferNoteMax, `Keep the note under ${transferNoteMax} characters.`).optional(),
});

const fieldBlocks = { toId: BlockIds.transferRecipient, note: BlockIds.transferNote };

const recipientCodes = new Set([
  'transfer.self',
  'person.not_found',
  'person.cannot_hold',
  'input.invalid',
  'asset.already_holder',
]);

/** Problems with the chosen person go under that field; problems with the asset replace the modal. */
async function refusal(deps: SlackDeps, teamId: string, error: DomainError): Promise<SubmissionOutcome> {
  const text = describeError(error, messageContextOf(deps)());
  if (recipientCodes.has(error.code)) {
    return {
      kind: 'errors',
      errors: { [BlockIds.transferRecipient]: await plainFieldText(deps, teamId, text) },
    };
  }
  return { kind: 'view', view: noticeView('Not transferred', text) };
}

/** Transfer modal submitted: the same checks and offer as `/asset transfer`, then a confirmation with Cancel. */
export function registerTransferView(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(CallbackIds.transferModal, async ({ ack, body, view, client }) => {
    await answerSubmission(deps, ack, async () => {
      const teamId = teamOf(body);
      const userId = body.user.id;
      await requireCapability(deps, teamId, userId, 'asset.transfer', 'transfer assets');
      const { t: tag } = parseMetadata(metadataSchema, view.private_metadata);
      const values = readViewValues(view.state.values);
      const parsed = transferSchema.safeParse({
        toId: values.user(BlockIds.transferRecipient, ActionIds.transferRecipient),
        note: values.text(BlockIds.transferNote, ActionIds.transferNote)?.trim(),
      });
      if (!parsed.success) return { kind: 'errors', errors: errorsByBlock(parsed.error, fieldBlocks) };
      const result = await offerTransfer(deps, client, {
        teamId,
        fromId: userId,
        toId: parsed.data.toId,
        tag,
        note: parsed.data.note,
      });
      if (!result.ok) return refusal(deps, teamId, result.error);
      const { transfer, asset } = result.value;
      return {
        kind: 'view',
        view: transferOfferedModal(transfer),
        after: () => sendOffer(deps, client, transfer, asset),
      };
    });
  });
}
