/**
 * What follows a decision on a request: the IT channel message is updated in place, the requester is
 * told by DM, and the homes that show the request are re-published. Each message is sent at most once
 * (NotificationService.once), so a replayed submission or a double click changes nothing twice.
 */
import type { WebClient } from '@slack/web-api';
import type { AssetRequest } from '../../domain/index.js';
import type { ShownAsset } from '../blocks/asset.blocks.js';
import { buildApprovedDm, buildDeniedDm, requesterNotToldDm } from '../blocks/it-decision.blocks.js';
import { buildItRequestMessage } from '../blocks/request.blocks.js';
import type { SlackDeps } from '../deps.js';
import { refreshHomes } from '../home-publisher.js';

async function settleAll(
  deps: SlackDeps,
  requestId: string,
  tasks: Array<Promise<unknown>>,
): Promise<Array<PromiseSettledResult<unknown>>> {
  const outcomes = await Promise.allSettled(tasks);
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') {
      deps.logger.error({ err: outcome.reason, requestId }, 'could not tell Slack about a decided request');
    }
  }
  return outcomes;
}

/**
 * The requester's DM failed (its claim was given back, so only a redelivered submission would resend it):
 * the decider must not believe the requester was told.
 */
async function tellDeciderRequesterNotTold(
  deps: SlackDeps,
  client: WebClient,
  request: AssetRequest,
  deciderId: string | undefined,
  decision: 'approved' | 'denied',
): Promise<void> {
  if (!deciderId) return;
  await deps.notifications
    .once(request.teamId, `request:${request.id}:requester-not-told-dm`, async () => {
      await client.chat.postMessage({ channel: deciderId, ...requesterNotToldDm(request, decision) });
    })
    .catch((err: unknown) =>
      deps.logger.error(
        { err, requestId: request.id },
        'could not tell the decider that the requester was not told',
      ),
    );
}

function updateItMessage(deps: SlackDeps, client: WebClient, request: AssetRequest): Promise<unknown> {
  const message = request.itMessage;
  if (!message) return postMissedItMessage(deps, client, request);
  return deps.notifications.once(request.teamId, `request:${request.id}:it-message-decided`, async () => {
    const ctx = { timeZone: deps.settings.timeZone, now: deps.clock.now(), inStock: undefined };
    await client.chat.update({
      channel: message.channel,
      ts: message.ts,
      ...buildItRequestMessage(request, ctx),
    });
  });
}

/**
 * The IT channel never got this request (Slack failed when it was submitted, and that claim was given back):
 * post it now, decided, under the same ledger key as the first post, so the channel has it exactly once.
 */
function postMissedItMessage(deps: SlackDeps, client: WebClient, request: AssetRequest): Promise<unknown> {
  const channel = deps.settings.itChannelId;
  if (!channel) return Promise.resolve();
  return deps.notifications.once(request.teamId, `request:${request.id}:it-posted`, async () => {
    const ctx = { timeZone: deps.settings.timeZone, now: deps.clock.now(), inStock: undefined };
    const posted = await client.chat.postMessage({ channel, ...buildItRequestMessage(request, ctx) });
    if (posted.channel && posted.ts) {
      await deps.requests.attachItMessage(request.teamId, request.id, {
        channel: posted.channel,
        ts: posted.ts,
      });
    }
  });
}

export async function announceApproval(
  deps: SlackDeps,
  client: WebClient,
  request: AssetRequest,
  asset: ShownAsset,
): Promise<void> {
  const ctx = { timeZone: deps.settings.timeZone, now: deps.clock.now() };
  const [, dm] = await settleAll(deps, request.id, [
    updateItMessage(deps, client, request),
    deps.notifications.once(request.teamId, `request:${request.id}:approved-dm`, async () => {
      await client.chat.postMessage({
        channel: request.requesterId,
        ...buildApprovedDm(request, asset, ctx),
      });
    }),
  ]);
  if (dm?.status === 'rejected') {
    await tellDeciderRequesterNotTold(deps, client, request, request.approval?.approverId, 'approved');
  }
  await refreshHomes(deps, client, request.teamId, [request.requesterId, request.approval?.approverId], {
    itQueueChanged: true,
  });
}

export async function announceDenial(
  deps: SlackDeps,
  client: WebClient,
  request: AssetRequest,
): Promise<void> {
  const [, dm] = await settleAll(deps, request.id, [
    updateItMessage(deps, client, request),
    deps.notifications.once(request.teamId, `request:${request.id}:denied-dm`, async () => {
      await client.chat.postMessage({ channel: request.requesterId, ...buildDeniedDm(request) });
    }),
  ]);
  if (dm?.status === 'rejected') {
    await tellDeciderRequesterNotTold(deps, client, request, request.denial?.deniedBy, 'denied');
  }
  await refreshHomes(deps, client, request.teamId, [request.requesterId, request.denial?.deniedBy], {
    itQueueChanged: true,
  });
}
