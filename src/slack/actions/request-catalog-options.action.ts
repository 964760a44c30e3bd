import type { App } from '@slack/bolt';
import { catalogOptions } from '../blocks/request-modal.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { answerOptions } from '../support/options.js';

/** The request modal's typeahead: categories ("any Laptop") and models, each with how many are in stock. */
export function registerRequestCatalogOptions(app: App, deps: SlackDeps): void {
  app.options<'block_suggestion'>(ActionIds.requestCatalogItem, async ({ ack, body }) => {
    await answerOptions(deps, body, ack, 'the request catalog', async (actor, text) => {
      const lines = await deps.assets.catalog(actor, text);
      return lines.ok ? catalogOptions(lines.value) : lines;
    });
  });
}
