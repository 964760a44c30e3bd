import type { App, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { returnConditions } from '../../domain/index.js';
import { messageContextOf, requireCapability, teamOf } from '../actions/action-support.js';
import { checkedInReply } from '../blocks/it-custody.blocks.js';
import { announceCustodyEnded, checkInAsset } from '../commands/subcommands/checkin.subcommand.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds, BlockIds, CallbackIds } from '../ids.js';
import { describeError } from '../messages.js';
import { answerSubmission, plainFieldText } from './modal-submission.js';
import { errorsByBlock, readViewValues } from './view-values.js';

const noteMax = 500;

const checkinSchema = z.object({
  tag: z.string({ error: 'Pick the asset.' }),
  condition: z.enum(returnConditions, { error: 'Pick the condition.' }),
  note: z.string().max(noteMax, `Keep the note under ${noteMax} characters.`).optional(),
});

const fieldBlocks = {
  tag: BlockIds.checkinAsset,
  condition: BlockIds.checkinCondition,
  note: BlockIds.checkinNote,
};

/** Check-in modal submitted: the same check-in as the command; a refusal goes under the asset. */
export function registerCheckinView(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(CallbackIds.checkinModal, async ({ ack, body, view, client }) => {
    await answerSubmission(deps, ack, async () => {
      const teamId = teamOf(body);
      const actorId = body.user.id;
      await requireCapability(deps, teamId, actorId, 'asset.checkin', 'check assets in');
      const values = readViewValues(view.state.values);
      const parsed = checkinSchema.safeParse({
        tag: values.option(BlockIds.checkinAsset, ActionIds.checkinAsset),
        condition: values.option(BlockIds.checkinCondition, ActionIds.checkinCondition),
        note: values.text(BlockIds.checkinNote, ActionIds.checkinNote)?.trim(),
      });
      if (!parsed.success) return { kind: 'errors', errors: errorsByBlock(parsed.error, fieldBlocks) };
      const { condition } = parsed.data;
      const result = await checkInAsset(deps, teamId, actorId, parsed.data);
      if (!result.ok) {
        const text = await plainFieldText(
          deps,
          teamId,
          describeError(result.error, messageContextOf(deps)()),
        );
        return { kind: 'errors', errors: { [BlockIds.checkinAsset]: text } };
      }
      const ended = result.value;
      return {
        kind: 'notice',
        title: 'Checked in',
        text: checkedInReply(ended.asset, condition, ended.formerHolderId),
        after: () => announceCustodyEnded(deps, client, teamId, actorId, ended, condition, 'checked_in'),
      };
    });
  });
}
