import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { canApply, DomainFailure, tagPattern } from '../../domain/index.js';
import { buildConfirmReturnModal, type ConfirmReturnMetadata } from '../blocks/it-custody.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { withUserFacingErrors } from '../user-facing-errors.js';
import { messageContextOf, replyToActor, requireCapability, teamOf } from './action-support.js';

const tagSchema = z.string().regex(tagPattern);

/**
 * "Confirm return" (IT channel or IT home): an asset still waiting for its return opens the condition
 * modal; when pressed on the channel message, that message is remembered so it can be updated after.
 */
export function registerConfirmReturnAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ActionIds.confirmReturn, async ({ ack, body, action, respond, client }) => {
    await ack();
    const reply = replyToActor(body, respond, client);
    await withUserFacingErrors(reply, deps.logger, messageContextOf(deps), async () => {
      const teamId = teamOf(body);
      const tag = tagSchema.parse(action.value);
      await requireCapability(deps, teamId, body.user.id, 'asset.checkin', 'confirm returns');
      const found = await deps.assets.byTag(teamId, tag);
      if (!found.ok) throw new DomainFailure(found.error);
      const asset = found.value;
      if (!canApply(asset.status, 'confirm_return')) {
        throw new DomainFailure({
          code: 'asset.transition_forbidden',
          details: {
            tag: asset.tag,
            status: asset.status,
            holderId: asset.holderId,
            since: asset.checkedOutAt,
            attempted: 'confirm_return',
          },
        });
      }
      const container = body.container as { type?: string; is_ephemeral?: boolean } | undefined;
      const onChannelMessage =
        container?.type === 'message' && !container.is_ephemeral && body.channel && body.message;
      const metadata: ConfirmReturnMetadata = {
        t: asset.tag,
        ...(onChannelMessage && body.channel && body.message
          ? { c: body.channel.id, m: body.message.ts }
          : {}),
      };
      const ctx = messageContextOf(deps)();
      await client.views.open({
        trigger_id: body.trigger_id,
        view: buildConfirmReturnModal(asset, ctx, metadata),
      });
    });
  });
}
