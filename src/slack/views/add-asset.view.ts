import type { App, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import type { AssetField } from '../../domain/index.js';
import { addAssetBlockIds, assetAddedText } from '../blocks/it-add.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds, CallbackIds } from '../ids.js';
import { inputText } from '../messages.js';
import { actorOf, teamOf } from '../support/interaction.js';
import { answerSubmission, fieldErrors, refusalUnderField } from '../support/modal-submission.js';
import { errorsByBlock, readViewValues } from '../support/view-values.js';

const required = (what: string) => z.string({ error: inputText.enterField(what) });
const newAssetSchema = z.object({
  tag: required('asset tag'),
  name: required('name'),
  category: required('category'),
  serial: z.string().optional(),
  model: z.string().optional(),
  location: z.string().optional(),
});

/** Add-asset modal submitted: AssetService.register; field problems and duplicates go under their field. */
export function registerAddAssetView(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(CallbackIds.addAssetModal, async ({ ack, body, view }) => {
    await answerSubmission(deps, ack, async () => {
      const values = readViewValues(view.state.values);
      const field = (name: AssetField) => values.text(addAssetBlockIds[name], ActionIds.addAssetField);
      const parsed = newAssetSchema.safeParse({
        tag: field('tag'),
        serial: field('serial'),
        name: field('name'),
        category: field('category'),
        model: field('model'),
        location: field('location'),
      });
      if (!parsed.success) return { kind: 'errors', errors: errorsByBlock(parsed.error, addAssetBlockIds) };
      const input = parsed.data;
      const actor = await actorOf(deps, teamOf(body), body.user.id);
      const result = await deps.assets.register(actor, {
        tag: input.tag,
        serial: input.serial,
        name: input.name,
        category: input.category,
        model: input.model,
        location: input.location,
      });
      if (!result.ok) {
        const { code } = result.error;
        if (code === 'asset.duplicate_tag' || code === 'asset.duplicate_serial') {
          const block = code === 'asset.duplicate_tag' ? addAssetBlockIds.tag : addAssetBlockIds.serial;
          return refusalUnderField(deps, actor.teamId, result.error, block, 'Not added');
        }
        return fieldErrors(deps, result.error, addAssetBlockIds, 'Not added');
      }
      return { kind: 'notice', title: 'Asset added', text: assetAddedText(result.value) };
    });
  });
}
