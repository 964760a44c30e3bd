import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { tagPattern } from '../../domain/index.js';
import { returnStartedReply } from '../blocks/employee-notices.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { withUserFacingErrors } from '../user-facing-errors.js';
import { messageContextOf, replyToActor, requireCapability, teamOf } from './action-support.js';
import { announceReturnStarted, describeReturnRefusal } from './return-asset.effects.js';

const tagSchema = z.string().regex(tagPattern);

/** "Return" (in `/asset mine` or on the App Home): the holder starts the return; IT confirms receipt later. */
export function registerReturnAssetAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ActionIds.returnAsset, async ({ ack, body, action, respond, client }) => {
    await ack();
    const reply = replyToActor(body, respond, client);
    await withUserFacingErrors(reply, deps.logger, messageContextOf(deps), async () => {
      const teamId = teamOf(body);
      const userId = body.user.id;
      const tag = tagSchema.parse(action.value);
      await requireCapability(deps, teamId, userId, 'asset.return', 'return assets');
      const result = await deps.assets.startReturn(teamId, tag, userId);
      if (!result.ok) {
        await reply({ text: describeReturnRefusal(deps, result.error, userId) });
        return;
      }
      await reply({ text: returnStartedReply(result.value) });
      await announceReturnStarted(deps, client, teamId, userId, result.value);
    });
  });
}
