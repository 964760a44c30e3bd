import type { App } from '@slack/bolt';
import { assetOptions } from '../blocks/it-decision.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { answerOptions } from '../support/options.js';

/** The check-out modal's typeahead: in-stock assets, matched on tag, serial, name or model. */
export function registerCheckoutAssetOptions(app: App, deps: SlackDeps): void {
  app.options<'block_suggestion'>(ActionIds.checkoutAsset, async ({ ack, body }) => {
    await answerOptions(deps, body, ack, 'assets to check out', async (actor, text) => {
      const assets = await deps.assets.availableToCheckOut(actor, text);
      return assets.ok ? assetOptions(assets.value) : assets;
    });
  });
}
