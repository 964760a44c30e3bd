import type { App, BlockButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { AssetRequest } from '../../domain/index.js';
import { requestCancelledReply } from '../blocks/employee-notices.blocks.js';
import { buildItRequestMessage } from '../blocks/request.blocks.js';
import type { SlackDeps } from '../deps.js';
import { refreshHomes } from '../home-publisher.js';
import { ActionIds } from '../ids.js';
import { describeError } from '../messages.js';
import { withUserFacingErrors } from '../user-facing-errors.js';
import { messageContextOf, replyToActor, requireCapability, teamOf } from './action-support.js';

const requestIdSchema = z.string().min(1).max(64);

/** The IT channel message loses its Approve / Deny buttons (once), and IT's queue and the requester's home refresh. */
async function announceCancelled(deps: SlackDeps, client: WebClient, request: AssetRequest): Promise<void> {
  const message = request.itMessage;
  if (message) {
    await deps.notifications
      .once(request.teamId, `request:${request.id}:it-message-cancelled`, async () => {
        const ctx = { ...messageContextOf(deps)(), inStock: undefined };
        await client.chat.update({
          channel: message.channel,
          ts: message.ts,
          ...buildItRequestMessage(request, ctx),
        });
      })
      .catch((err: unknown) =>
        deps.logger.error({ err, requestId: request.id }, 'could not mark the IT message cancelled'),
      );
  }
  await refreshHomes(deps, client, request.teamId, [request.requesterId], { itQueueChanged: true });
}

/** "Cancel" on a pending request in `/asset mine`: only its requester, only while nobody is deciding it. */
export function registerCancelRequestAction(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ActionIds.cancelRequest, async ({ ack, body, action, respond, client }) => {
    await ack();
    const reply = replyToActor(body, respond, client);
    await withUserFacingErrors(reply, deps.logger, messageContextOf(deps), async () => {
      const teamId = teamOf(body);
      const userId = body.user.id;
      const requestId = requestIdSchema.parse(action.value);
      await requireCapability(deps, teamId, userId, 'asset.request', 'cancel requests');
      const result = await deps.requests.cancel(teamId, requestId, userId);
      if (!result.ok) {
        await reply({ text: describeError(result.error, messageContextOf(deps)()) });
        return;
      }
      await reply({ text: requestCancelledReply(result.value) });
      await announceCancelled(deps, client, result.value);
    });
  });
}
