import type { App } from '@slack/bolt';
import { catalogOptions } from '../blocks/request-modal.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { teamOf } from './action-support.js';

const queryMax = 100;
/** Slack shows at most 100 options in a select. */
const optionsMax = 100;

/** The request modal's typeahead: categories ("any Laptop") and models, each with how many are in stock. */
export function registerRequestCatalogOptions(app: App, deps: SlackDeps): void {
  app.options<'block_suggestion'>(ActionIds.requestCatalogItem, async ({ ack, body }) => {
    try {
      const text = body.value.trim().slice(0, queryMax) || undefined;
      const lines = await deps.assets.catalog(teamOf(body), text, optionsMax);
      await ack({ options: catalogOptions(lines) });
    } catch (err) {
      // A typeahead has no place for a message: an empty list, and the log says why.
      deps.logger.error({ err, teamId: teamOf(body) }, 'could not list the catalog for a request');
      await ack({ options: [] });
    }
  });
}
