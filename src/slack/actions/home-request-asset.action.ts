import type { App, BlockButtonAction } from '@slack/bolt';
import { buildRequestModal } from '../blocks/request-modal.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { messageContextOf, replyToActor } from '../support/interaction.js';
import { withUserFacingErrors } from '../support/user-facing-errors.js';

/** "Request an asset" on the App Home: opens the request modal (nothing is read first; the trigger lasts 3 s). */
export function registerHomeRequestAssetAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ActionIds.homeRequestAsset, async ({ ack, body, respond, client }) => {
    await ack();
    const reply = replyToActor(body, respond, client, deps.logger);
    await withUserFacingErrors(reply, deps.logger, messageContextOf(deps), async () => {
      await client.views.open({ trigger_id: body.trigger_id, view: buildRequestModal() });
    });
  });
}
