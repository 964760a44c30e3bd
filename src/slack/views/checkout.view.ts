import type { App, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { checkedOutReply } from '../blocks/it-custody.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds, BlockIds, CallbackIds } from '../ids.js';
import { inputText } from '../messages.js';
import { dueDateSchema } from '../support/dates.js';
import { actorOf, messageContextOf, teamOf } from '../support/interaction.js';
import { answerSubmission, refusalUnderField } from '../support/modal-submission.js';
import { errorsByBlock, readViewValues } from '../support/view-values.js';

const noteMax = 500;

const fieldBlocks = {
  tag: BlockIds.checkoutAsset,
  holderId: BlockIds.checkoutPerson,
  dueBackAt: BlockIds.checkoutDueBack,
  note: BlockIds.checkoutNote,
};

/** Check-out modal submitted: the same AssetService.checkOut as the command; refusals go under their field. */
export function registerCheckoutView(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(CallbackIds.checkoutModal, async ({ ack, body, view }) => {
    await answerSubmission(deps, ack, async () => {
      const values = readViewValues(view.state.values);
      const schema = z.object({
        tag: z.string({ error: inputText.pickAsset }),
        holderId: z.string({ error: inputText.pickPerson }),
        dueBackAt: dueDateSchema(deps.settings.timeZone, deps.clock.now(), 'picked'),
        note: z.string().max(noteMax, inputText.noteTooLong(noteMax)).optional(),
      });
      const parsed = schema.safeParse({
        tag: values.option(BlockIds.checkoutAsset, ActionIds.checkoutAsset),
        holderId: values.user(BlockIds.checkoutPerson, ActionIds.checkoutPerson),
        dueBackAt: values.date(BlockIds.checkoutDueBack, ActionIds.checkoutDueBack),
        note: values.text(BlockIds.checkoutNote, ActionIds.checkoutNote)?.trim(),
      });
      if (!parsed.success) return { kind: 'errors', errors: errorsByBlock(parsed.error, fieldBlocks) };
      const actor = await actorOf(deps, teamOf(body), body.user.id);
      const result = await deps.assets.checkOut(actor, parsed.data);
      if (!result.ok) {
        const { code, details } = result.error;
        const block =
          code === 'person.not_found' || code === 'person.cannot_hold' || details['field'] === 'person'
            ? BlockIds.checkoutPerson
            : details['field'] === 'due'
              ? BlockIds.checkoutDueBack
              : code === 'permission.denied'
                ? undefined
                : BlockIds.checkoutAsset;
        return refusalUnderField(deps, actor.teamId, result.error, block, 'Not checked out');
      }
      return {
        kind: 'notice',
        title: 'Checked out',
        text: checkedOutReply(result.value, messageContextOf(deps)()),
      };
    });
  });
}
