import type { App, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import type { AssetField } from '../../domain/index.js';
import { messageContextOf, requireCapability, teamOf } from '../actions/action-support.js';
import { addAssetBlockIds, assetAddedText } from '../blocks/it-add.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds, CallbackIds } from '../ids.js';
import { describeError } from '../messages.js';
import { refreshHomes } from '../home-publisher.js';
import { answerSubmission, plainFieldText } from './modal-submission.js';
import { errorsByBlock, readViewValues } from './view-values.js';

const required = (what: string) => z.string({ error: `Enter the ${what}.` });
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
  app.view<ViewSubmitAction>(CallbackIds.addAssetModal, async ({ ack, body, view, client }) => {
    await answerSubmission(deps, ack, async () => {
      const teamId = teamOf(body);
      const actorId = body.user.id;
      await requireCapability(deps, teamId, actorId, 'asset.add', 'add assets');
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
      const result = await deps.assets.register(teamId, actorId, {
        tag: input.tag,
        serial: input.serial,
        name: input.name,
        category: input.category,
        model: input.model,
        location: input.location,
      });
      if (!result.ok) {
        const { code, details } = result.error;
        if (code === 'input.invalid') {
          const fields = (details['fields'] ?? {}) as Partial<Record<AssetField, string>>;
          const errors = Object.fromEntries(
            Object.entries(fields).map(([name, message]) => [addAssetBlockIds[name as AssetField], message]),
          );
          return { kind: 'errors', errors };
        }
        const text = await plainFieldText(
          deps,
          teamId,
          describeError(result.error, messageContextOf(deps)()),
        );
        if (code === 'asset.duplicate_tag')
          return { kind: 'errors', errors: { [addAssetBlockIds.tag]: text } };
        if (code === 'asset.duplicate_serial') {
          return { kind: 'errors', errors: { [addAssetBlockIds.serial]: text } };
        }
        return { kind: 'notice', title: 'Not added', text };
      }
      const asset = result.value;
      // Stock by category is on every IT home.
      return {
        kind: 'notice',
        title: 'Asset added',
        text: assetAddedText(asset),
        after: () => refreshHomes(deps, client, teamId, [], { itQueueChanged: true }),
      };
    });
  });
}
