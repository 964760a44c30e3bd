import type { App } from '@slack/bolt';
import { can } from '../../domain/index.js';
import { assetOptions } from '../blocks/it-decision.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { teamOf } from './action-support.js';

const queryMax = 100;

/** The check-out modal's typeahead: in-stock assets, matched on tag, serial, name or model. */
export function registerCheckoutAssetOptions(app: App, deps: SlackDeps): void {
  app.options<'block_suggestion'>(ActionIds.checkoutAsset, async ({ ack, body }) => {
    try {
      const teamId = teamOf(body);
      const person = await deps.people.resolve(teamId, body.user.id);
      if (!person || !can(person, 'asset.checkout')) {
        await ack({ options: [] });
        return;
      }
      const text = body.value.trim().slice(0, queryMax) || undefined;
      await ack({ options: assetOptions(await deps.assets.available(teamId, undefined, text, 50)) });
    } catch (err) {
      // A typeahead has no place for a message: an empty list, and the log says why.
      deps.logger.error({ err, teamId: teamOf(body) }, 'could not list assets to check out');
      await ack({ options: [] });
    }
  });
}
