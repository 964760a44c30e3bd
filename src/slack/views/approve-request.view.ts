import type { App, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { requestLimits } from '../../domain/index.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds, BlockIds, CallbackIds } from '../ids.js';
import { inputText } from '../messages.js';
import { dueDateSchema } from '../support/dates.js';
import { actorOf, teamOf } from '../support/interaction.js';
import { answerSubmission, refusalUnderField } from '../support/modal-submission.js';
import { errorsByBlock, parseMetadata, readViewValues } from '../support/view-values.js';

const metadataSchema = z.object({ r: z.string().min(1).max(64) });

function approvalSchema(timeZone: string, now: Date) {
  return z.object({
    asset: z.string({ error: inputText.pickAssetToHandOut }).min(1, inputText.pickAssetToHandOut),
    dueBack: dueDateSchema(timeZone, now, 'picked'),
    note: z.string().max(requestLimits.noteMax, inputText.noteTooLong(requestLimits.noteMax)).optional(),
  });
}

const fieldBlocks = {
  asset: BlockIds.approveAsset,
  dueBack: BlockIds.approveDueBack,
  note: BlockIds.approveNote,
};

/** Approve modal submitted: one atomic check-out through RequestService.approve; everyone concerned is told. */
export function registerApproveRequestView(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(CallbackIds.approveModal, async ({ ack, body, view }) => {
    await answerSubmission(deps, ack, async () => {
      const { r: requestId } = parseMetadata(metadataSchema, view.private_metadata);
      const values = readViewValues(view.state.values);
      const parsed = approvalSchema(deps.settings.timeZone, deps.clock.now()).safeParse({
        asset: values.option(BlockIds.approveAsset, ActionIds.approveAsset),
        dueBack: values.date(BlockIds.approveDueBack, ActionIds.approveDueBack),
        note: values.text(BlockIds.approveNote, ActionIds.approveNote)?.trim(),
      });
      if (!parsed.success) return { kind: 'errors', errors: errorsByBlock(parsed.error, fieldBlocks) };
      const actor = await actorOf(deps, teamOf(body), body.user.id);
      const result = await deps.requests.approve(actor, requestId, {
        assetTag: parsed.data.asset,
        dueBackAt: parsed.data.dueBack,
        note: parsed.data.note,
      });
      if (!result.ok) {
        // Problems with the chosen asset or date go under that field; anything else replaces the modal.
        const { code, details } = result.error;
        const field =
          code === 'input.invalid' && details['field'] === 'due'
            ? BlockIds.approveDueBack
            : code.startsWith('asset.') || code === 'request.asset_mismatch'
              ? BlockIds.approveAsset
              : undefined;
        return refusalUnderField(deps, actor.teamId, result.error, field, 'Not approved');
      }
      return { kind: 'close' };
    });
  });
}
