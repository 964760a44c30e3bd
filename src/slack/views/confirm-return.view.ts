import type { App, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { returnConditions, tagPattern } from '../../domain/index.js';
import { returnConfirmedReply, type ConfirmReturnMetadata } from '../blocks/it-custody.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds, BlockIds, CallbackIds } from '../ids.js';
import { describeError, inputText } from '../messages.js';
import { actorOf, messageContextOf, teamOf } from '../support/interaction.js';
import { answerSubmission } from '../support/modal-submission.js';
import { errorsByBlock, parseMetadata, readViewValues } from '../support/view-values.js';

const noteMax = 500;

const metadataSchema: z.ZodType<ConfirmReturnMetadata> = z.object({
  t: z.string().regex(tagPattern),
  c: z.string().min(1).max(40).optional(),
  m: z.string().min(1).max(40).optional(),
});

const confirmSchema = z.object({
  condition: z.enum(returnConditions, { error: inputText.pickReturnCondition }),
  note: z.string().max(noteMax, inputText.noteTooLong(noteMax)).optional(),
});

const fieldBlocks = { condition: BlockIds.returnCondition, note: BlockIds.returnNote };

/** Confirm-return modal submitted: AssetService.confirmReturn; the channel message, former holder and homes follow. */
export function registerConfirmReturnView(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(CallbackIds.confirmReturnModal, async ({ ack, body, view }) => {
    await answerSubmission(deps, ack, async () => {
      const metadata = parseMetadata(metadataSchema, view.private_metadata);
      const values = readViewValues(view.state.values);
      const parsed = confirmSchema.safeParse({
        condition: values.option(BlockIds.returnCondition, ActionIds.returnCondition),
        note: values.text(BlockIds.returnNote, ActionIds.returnNote)?.trim(),
      });
      if (!parsed.success) return { kind: 'errors', errors: errorsByBlock(parsed.error, fieldBlocks) };
      const { condition, note } = parsed.data;
      const actor = await actorOf(deps, teamOf(body), body.user.id);
      const result = await deps.assets.confirmReturn(actor, {
        tag: metadata.t,
        condition,
        note,
        returnMessage: metadata.c && metadata.m ? { channel: metadata.c, ts: metadata.m } : undefined,
      });
      if (!result.ok) {
        return {
          kind: 'notice',
          title: 'Not confirmed',
          text: describeError(result.error, messageContextOf(deps)()),
        };
      }
      return {
        kind: 'notice',
        title: 'Return confirmed',
        text: returnConfirmedReply(result.value.asset, condition),
      };
    });
  });
}
