import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { tagPattern } from '../../domain/index.js';
import { buildTransferModal } from '../blocks/transfer.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import {
  actorOf,
  messageContextOf,
  parseCarried,
  replyToActor,
  teamOf,
  valueOf,
} from '../support/interaction.js';
import { withUserFacingErrors } from '../support/user-facing-errors.js';

const tagSchema = z.string().regex(tagPattern);

/** "Transfer" in `/asset mine`: the holder picks the recipient in a modal (refused at once when not theirs to hand on). */
export function registerStartTransferAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ActionIds.startTransfer, async ({ ack, body, action, respond, client }) => {
    await ack();
    const reply = replyToActor(body, respond, client, deps.logger);
    await withUserFacingErrors(reply, deps.logger, messageContextOf(deps), async () => {
      const tag = parseCarried(tagSchema, action.value, 'asset tag');
      const actor = await actorOf(deps, teamOf(body), body.user.id);
      const asset = valueOf(await deps.assets.prepareTransfer(actor, tag));
      await client.views.open({
        trigger_id: body.trigger_id,
        view: buildTransferModal(asset, messageContextOf(deps)()),
      });
    });
  });
}
