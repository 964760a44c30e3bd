import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { canApply, DomainFailure, tagPattern } from '../../domain/index.js';
import { buildTransferModal } from '../blocks/transfer.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { withUserFacingErrors } from '../user-facing-errors.js';
import { messageContextOf, replyToActor, requireCapability, teamOf } from './action-support.js';

const tagSchema = z.string().regex(tagPattern);

/** "Transfer" in `/asset mine`: the holder picks the recipient in a modal (refused at once when not theirs to hand on). */
export function registerStartTransferAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ActionIds.startTransfer, async ({ ack, body, action, respond, client }) => {
    await ack();
    const reply = replyToActor(body, respond, client);
    await withUserFacingErrors(reply, deps.logger, messageContextOf(deps), async () => {
      const teamId = teamOf(body);
      const userId = body.user.id;
      const tag = tagSchema.parse(action.value);
      await requireCapability(deps, teamId, userId, 'asset.transfer', 'transfer assets');
      const found = await deps.assets.byTag(teamId, tag);
      if (!found.ok) throw new DomainFailure(found.error);
      const asset = found.value;
      if (!canApply(asset.status, 'transfer')) {
        throw new DomainFailure({
          code: 'asset.transition_forbidden',
          details: {
            tag: asset.tag,
            status: asset.status,
            holderId: asset.holderId,
            since: asset.checkedOutAt,
            attempted: 'transfer',
          },
        });
      }
      if (asset.holderId !== userId) {
        throw new DomainFailure({
          code: 'asset.not_holder',
          details: { tag: asset.tag, holderId: asset.holderId },
        });
      }
      await client.views.open({
        trigger_id: body.trigger_id,
        view: buildTransferModal(asset, messageContextOf(deps)()),
      });
    });
  });
}
