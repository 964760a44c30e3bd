import type { App, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { returnConditions } from '../../domain/index.js';
import { checkedInReply } from '../blocks/it-custody.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds, BlockIds, CallbackIds } from '../ids.js';
import { inputText } from '../messages.js';
import { actorOf, teamOf } from '../support/interaction.js';
import { answerSubmission, refusalUnderField } from '../support/modal-submission.js';
import { errorsByBlock, readViewValues } from '../support/view-values.js';

const noteMax = 500;

const checkinSchema = z.object({
  tag: z.string({ error: inputText.pickAsset }),
  condition: z.enum(returnConditions, { error: inputText.pickCondition }),
  note: z.string().max(noteMax, inputText.noteTooLong(noteMax)).optional(),
});

const fieldBlocks = {
  tag: BlockIds.checkinAsset,
  condition: BlockIds.checkinCondition,
  note: BlockIds.checkinNote,
};

/** Check-in modal submitted: the same AssetService.checkIn as the command; a refusal goes under the asset. */
export function registerCheckinView(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(CallbackIds.checkinModal, async ({ ack, body, view }) => {
    await answerSubmission(deps, ack, async () => {
      const values = readViewValues(view.state.values);
      const parsed = checkinSchema.safeParse({
        tag: values.option(BlockIds.checkinAsset, ActionIds.checkinAsset),
        condition: values.option(BlockIds.checkinCondition, ActionIds.checkinCondition),
        note: values.text(BlockIds.checkinNote, ActionIds.checkinNote)?.trim(),
      });
      if (!parsed.success) return { kind: 'errors', errors: errorsByBlock(parsed.error, fieldBlocks) };
      const actor = await actorOf(deps, teamOf(body), body.user.id);
      const result = await deps.assets.checkIn(actor, parsed.data);
      if (!result.ok) {
        const block = result.error.code === 'permission.denied' ? undefined : BlockIds.checkinAsset;
        return refusalUnderField(deps, actor.teamId, result.error, block, 'Not checked in');
      }
      const { asset, formerHolderId } = result.value;
      return {
        kind: 'notice',
        title: 'Checked in',
        text: checkedInReply(asset, parsed.data.condition, formerHolderId),
      };
    });
  });
}
