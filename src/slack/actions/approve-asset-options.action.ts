import type { App } from '@slack/bolt';
import { z } from 'zod';
import { can } from '../../domain/index.js';
import { assetOptions } from '../blocks/it-decision.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { parseMetadata } from '../views/view-values.js';
import { teamOf } from './action-support.js';

const metadataSchema = z.object({ r: z.string().min(1).max(64) });
const queryMax = 100;

/** The approve modal's typeahead: in-stock assets that fit the request, matched on tag, serial, name or model. */
export function registerApproveAssetOptions(app: App, deps: SlackDeps): void {
  app.options<'block_suggestion'>(ActionIds.approveAsset, async ({ ack, body }) => {
    try {
      const teamId = teamOf(body);
      const person = await deps.people.resolve(teamId, body.user.id);
      if (!person || !can(person, 'request.decide')) {
        await ack({ options: [] });
        return;
      }
      const { r: requestId } = parseMetadata(metadataSchema, body.view?.private_metadata);
      const request = await deps.requests.byId(teamId, requestId);
      const text = body.value.trim().slice(0, queryMax) || undefined;
      const assets = request.ok ? await deps.assets.available(teamId, request.value.item, text, 50) : [];
      await ack({ options: assetOptions(assets) });
    } catch (err) {
      // A typeahead has no place for a message: an empty list, and the log says why.
      deps.logger.error({ err, teamId: teamOf(body) }, 'could not list assets for an approval');
      await ack({ options: [] });
    }
  });
}
