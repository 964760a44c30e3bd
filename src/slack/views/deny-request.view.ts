import type { App, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { requestLimits } from '../../domain/index.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds, BlockIds, CallbackIds } from '../ids.js';
import { inputText } from '../messages.js';
import { actorOf, teamOf } from '../support/interaction.js';
import { answerSubmission, fieldErrors } from '../support/modal-submission.js';
import { errorsByBlock, parseMetadata, readViewValues } from '../support/view-values.js';

const metadataSchema = z.object({ r: z.string().min(1).max(64) });

const reasonMessage = inputText.denialReason(requestLimits.denialReasonMax);
const denialSchema = z.object({
  reason: z
    .string({ error: reasonMessage })
    .trim()
    .min(3, reasonMessage)
    .max(requestLimits.denialReasonMax, reasonMessage),
});

const fieldBlocks = { reason: BlockIds.denyReason };

/** Deny modal submitted: RequestService.deny; the channel message, the requester's DM and the homes follow. */
export function registerDenyRequestView(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(CallbackIds.denyModal, async ({ ack, body, view }) => {
    await answerSubmission(deps, ack, async () => {
      const { r: requestId } = parseMetadata(metadataSchema, view.private_metadata);
      const values = readViewValues(view.state.values);
      const parsed = denialSchema.safeParse({
        reason: values.text(BlockIds.denyReason, ActionIds.denyReason),
      });
      if (!parsed.success) return { kind: 'errors', errors: errorsByBlock(parsed.error, fieldBlocks) };
      const actor = await actorOf(deps, teamOf(body), body.user.id);
      const result = await deps.requests.deny(actor, requestId, parsed.data.reason);
      if (!result.ok) return fieldErrors(deps, result.error, fieldBlocks, 'Not denied');
      return { kind: 'close' };
    });
  });
}
