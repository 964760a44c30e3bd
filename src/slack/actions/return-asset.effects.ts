/**
 * Starting a return, shared by the Return button (mine, App Home) and `/asset return <tag>`: the holder's
 * asset becomes pending return, IT is told once in its channel with a Confirm receipt button, homes refresh.
 */
import type { WebClient } from '@slack/web-api';
import type { DomainError } from '../../domain/index.js';
import type { ShownAsset } from '../blocks/asset.blocks.js';
import { alreadyReturningReply, returnStartedItMessage } from '../blocks/employee-notices.blocks.js';
import type { SlackDeps } from '../deps.js';
import { refreshHomes } from '../home-publisher.js';
import { describeError } from '../messages.js';

/** A second click finds the asset already pending return from this person: say so rather than "cannot". */
export function describeReturnRefusal(deps: SlackDeps, error: DomainError, actorId: string): string {
  const d = error.details;
  if (
    error.code === 'asset.transition_forbidden' &&
    d['status'] === 'pending_return' &&
    d['holderId'] === actorId &&
    typeof d['tag'] === 'string'
  ) {
    return alreadyReturningReply(d['tag']);
  }
  return describeError(error, { timeZone: deps.settings.timeZone, now: deps.clock.now() });
}

/** Tells IT (once per return) and refreshes the holder's home and IT's queue. Failures are logged: the return stands. */
export async function announceReturnStarted(
  deps: SlackDeps,
  client: WebClient,
  teamId: string,
  holderId: string,
  asset: ShownAsset,
): Promise<void> {
  const channel = deps.settings.itChannelId;
  if (channel) {
    const ctx = { timeZone: deps.settings.timeZone, now: deps.clock.now() };
    await deps.notifications
      .once(teamId, `asset:${asset.id}:return-started:${asset.updatedAt.getTime()}`, async () => {
        await client.chat.postMessage({ channel, ...returnStartedItMessage(asset, holderId, ctx) });
      })
      .catch((err: unknown) =>
        deps.logger.error({ err, teamId, tag: asset.tag }, 'could not tell IT about a return'),
      );
  } else {
    deps.logger.warn(
      { teamId, tag: asset.tag },
      'no IT channel configured; IT sees the return on its home only',
    );
  }
  await refreshHomes(deps, client, teamId, [holderId], { itQueueChanged: true });
}
