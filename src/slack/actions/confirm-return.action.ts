import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { tagPattern } from '../../domain/index.js';
import { buildConfirmReturnModal, type ConfirmReturnMetadata } from '../blocks/it-custody.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import {
  actorOf,
  clickedMessage,
  messageContextOf,
  parseCarried,
  replyToActor,
  teamOf,
  valueOf,
} from '../support/interaction.js';
import { withUserFacingErrors } from '../support/user-facing-errors.js';

const tagSchema = z.string().regex(tagPattern);

/**
 * "Confirm return" (IT channel or IT home): an asset still waiting for its return opens the condition
 * modal; when pressed on the channel message, that message is remembered so it can be updated after.
 */
export function registerConfirmReturnAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ActionIds.confirmReturn, async ({ ack, body, action, respond, client }) => {
    await ack();
    const reply = replyToActor(body, respond, client, deps.logger);
    await withUserFacingErrors(reply, deps.logger, messageContextOf(deps), async () => {
      const tag = parseCarried(tagSchema, action.value, 'asset tag');
      const actor = await actorOf(deps, teamOf(body), body.user.id);
      const asset = valueOf(await deps.assets.prepareConfirmReturn(actor, tag));
      const onMessage = clickedMessage(body);
      const metadata: ConfirmReturnMetadata = {
        t: asset.tag,
        ...(onMessage ? { c: onMessage.channel, m: onMessage.ts } : {}),
      };
      await client.views.open({
        trigger_id: body.trigger_id,
        view: buildConfirmReturnModal(asset, messageContextOf(deps)(), metadata),
      });
    });
  });
}
