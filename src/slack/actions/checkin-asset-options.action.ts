import type { App } from '@slack/bolt';
import { parseAssetSearch } from '../../domain/index.js';
import { assetOptions } from '../blocks/it-decision.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { answerOptions } from '../support/options.js';

/** The check-in modal's typeahead: assets that can be checked in (held, returning or lost) matching the text. */
export function registerCheckinAssetOptions(app: App, deps: SlackDeps): void {
  app.options<'block_suggestion'>(ActionIds.checkinAsset, async ({ ack, body }) => {
    await answerOptions(deps, body, ack, 'assets to check in', async (actor, text) => {
      const parsed = parseAssetSearch(text ?? '', deps.clock.now());
      if (!parsed.ok) return []; // too short or not a search yet: nothing to offer
      const assets = await deps.assets.checkInCandidates(actor, parsed.search);
      return assets.ok ? assetOptions(assets.value) : assets;
    });
  });
}
