import type { App, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { messageContextOf, requireCapability, teamOf } from '../actions/action-support.js';
import { checkedOutReply } from '../blocks/it-custody.blocks.js';
import {
  announceCheckout,
  checkOutToPerson,
  describeCheckoutError,
} from '../commands/subcommands/checkout.subcommand.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds, BlockIds, CallbackIds } from '../ids.js';
import { dueBackSchema } from './approve-request.view.js';
import { answerSubmission, plainFieldText } from './modal-submission.js';
import { errorsByBlock, readViewValues } from './view-values.js';

const noteMax = 500;

const fieldBlocks = {
  tag: BlockIds.checkoutAsset,
  holderId: BlockIds.checkoutPerson,
  dueBackAt: BlockIds.checkoutDueBack,
  note: BlockIds.checkoutNote,
};

/** Check-out modal submitted: the same check-out as the command; refusals go under the field they concern. */
export function registerCheckoutView(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(CallbackIds.checkoutModal, async ({ ack, body, view, client }) => {
    await answerSubmission(deps, ack, async () => {
      const teamId = teamOf(body);
      const actorId = body.user.id;
      await requireCapability(deps, teamId, actorId, 'asset.checkout', 'check assets out');
      const values = readViewValues(view.state.values);
      const schema = z.object({
        tag: z.string({ error: 'Pick the asset.' }),
        holderId: z.string({ error: 'Pick the person.' }),
        dueBackAt: dueBackSchema(deps.settings.timeZone, deps.clock.now()),
        note: z.string().max(noteMax, `Keep the note under ${noteMax} characters.`).optional(),
      });
      const parsed = schema.safeParse({
        tag: values.option(BlockIds.checkoutAsset, ActionIds.checkoutAsset),
        holderId: values.user(BlockIds.checkoutPerson, ActionIds.checkoutPerson),
        dueBackAt: values.date(BlockIds.checkoutDueBack, ActionIds.checkoutDueBack),
        note: values.text(BlockIds.checkoutNote, ActionIds.checkoutNote)?.trim(),
      });
      if (!parsed.success) return { kind: 'errors', errors: errorsByBlock(parsed.error, fieldBlocks) };
      const result = await checkOutToPerson(deps, teamId, actorId, parsed.data);
      if (!result.ok) {
        const { code, details } = result.error;
        const block =
          code === 'person.not_found' || code === 'person.cannot_hold' || details['field'] === 'person'
            ? BlockIds.checkoutPerson
            : details['field'] === 'due'
              ? BlockIds.checkoutDueBack
              : BlockIds.checkoutAsset;
        const text = await plainFieldText(deps, teamId, describeCheckoutError(deps, result.error));
        return { kind: 'errors', errors: { [block]: text } };
      }
      const asset = result.value;
      return {
        kind: 'notice',
        title: 'Checked out',
        text: checkedOutReply(asset, messageContextOf(deps)()),
        after: () => announceCheckout(deps, client, teamId, actorId, asset, parsed.data.note),
      };
    });
  });
}
