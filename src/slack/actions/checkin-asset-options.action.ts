import type { App } from '@slack/bolt';
import { can, canApply, minSearchLength, parseAssetSearch } from '../../domain/index.js';
import { assetOptions } from '../blocks/it-decision.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { teamOf } from './action-support.js';

/** The check-in modal's typeahead: assets that can be checked in (held, returning or lost) matching the text. */
export function registerCheckinAssetOptions(app: App, deps: SlackDeps): void {
  app.options<'block_suggestion'>(ActionIds.checkinAsset, async ({ ack, body }) => {
    try {
      const teamId = teamOf(body);
      const person = await deps.people.resolve(teamId, body.user.id);
      const parsed = parseAssetSearch(body.value);
      if (
        !person ||
        !can(person, 'asset.checkin') ||
        !parsed.ok ||
        body.value.trim().length < minSearchLength
      ) {
        await ack({ options: [] });
        return;
      }
      const page = await deps.assets.find(teamId, parsed.search, { offset: 0, limit: 100 });
      const candidates = page.items.filter((asset) => canApply(asset.status, 'check_in')).slice(0, 50);
      await ack({ options: assetOptions(candidates) });
    } catch (err) {
      // A typeahead has no place for a message: an empty list, and the log says why.
      deps.logger.error({ err, teamId: teamOf(body) }, 'could not list assets to check in');
      await ack({ options: [] });
    }
  });
}
