import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { tagPattern } from '../../domain/index.js';
import { returnStartedReply } from '../blocks/employee-notices.blocks.js';
import type { SlackDeps } from '../deps.js';
import { ActionIds } from '../ids.js';
import { describeReturnRefusal } from '../messages.js';
import { actorOf, messageContextOf, parseCarried, replyToActor, teamOf } from '../support/interaction.js';
import { withUserFacingErrors } from '../support/user-facing-errors.js';

const tagSchema = z.string().regex(tagPattern);

/** "Return" (in `/asset mine` or on the App Home): the holder starts the return; IT confirms receipt later. */
export function registerReturnAssetAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ActionIds.returnAsset, async ({ ack, body, action, respond, client }) => {
    await ack();
    const reply = replyToActor(body, respond, client, deps.logger);
    await withUserFacingErrors(reply, deps.logger, messageContextOf(deps), async () => {
      const tag = parseCarried(tagSchema, action.value, 'asset tag');
      const actor = await actorOf(deps, teamOf(body), body.user.id);
      const result = await deps.assets.startReturn(actor, tag);
      await reply({
        text: result.ok
          ? returnStartedReply(result.value)
          : describeReturnRefusal(result.error, actor.slackUserId, messageContextOf(deps)()),
      });
    });
  });
}
