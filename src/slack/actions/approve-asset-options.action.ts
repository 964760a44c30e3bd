import type { App } from '@slack/bolt';
import { z } from 'zod';
import { assetOptions } from '../blocks/it-decision.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { answerOptions } from '../support/options.js';
import { parseMetadata } from '../support/view-values.js';

const metadataSchema = z.object({ r: z.string().min(1).max(64) });

/** The approve modal's typeahead: in-stock assets that fit the request, matched on tag, serial, name or model. */
export function registerApproveAssetOptions(app: App, deps: SlackDeps): void {
  app.options<'block_suggestion'>(ActionIds.approveAsset, async ({ ack, body }) => {
    await answerOptions(deps, body, ack, 'assets fitting a request', async (actor, text) => {
      const { r: requestId } = parseMetadata(metadataSchema, body.view?.private_metadata);
      const assets = await deps.requests.assetsFitting(actor, requestId, text);
      return assets.ok ? assetOptions(assets.value) : assets;
    });
  });
}
