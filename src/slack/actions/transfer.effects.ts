/**
 * Custody transfers, shared by `/asset transfer`, the transfer modal and the Accept / Decline / Cancel
 * buttons: who may receive an asset, the recipient's offer DM (updated in place to its outcome) and who
 * is told what. Every message goes through NotificationService.once, so replays and double clicks send nothing twice.
 */
import type { WebClient } from '@slack/web-api';
import { canHoldAssets, fail, isOverdue, type Result, type Transfer } from '../../domain/index.js';
import type { ShownAsset } from '../blocks/asset.blocks.js';
import {
  offerNotDeliveredDm,
  transferAcceptedItMessage,
  transferAnsweredSenderDm,
  transferOfferClosed,
  transferOfferDm,
} from '../blocks/transfer.blocks.js';
import type { SlackDeps } from '../deps.js';
import { refreshHomes } from '../home-publisher.js';

type MessageRef = { channel: string; ts: string };

function viewContext(deps: SlackDeps) {
  return { timeZone: deps.settings.timeZone, now: deps.clock.now() };
}

/** A recipient must be someone else, known to Slack, active and human. */
async function checkRecipient(
  deps: SlackDeps,
  client: WebClient,
  teamId: string,
  fromId: string,
  toId: string,
): Promise<Result<true>> {
  if (fromId === toId) return fail('transfer.self');
  return canHoldAssets(await deps.people.resolve(teamId, toId), toId);
}

/** Sends the recipient their Accept / Decline DM (once) and remembers it so it can be updated in place. */
export async function sendOffer(
  deps: SlackDeps,
  client: WebClient,
  transfer: Transfer,
  asset: ShownAsset | undefined,
): Promise<void> {
  if (!asset) return;
  await deps.notifications
    .once(transfer.teamId, `transfer:${transfer.id}:offer-dm`, async () => {
      const posted = await client.chat.postMessage({
        channel: transfer.toId,
        ...transferOfferDm(transfer, asset, viewContext(deps)),
      });
      if (posted.channel && posted.ts) {
        await deps.transfers.attachOfferMessage(transfer.teamId, transfer.id, {
          channel: posted.channel,
          ts: posted.ts,
        });
      }
    })
    .catch(async (err: unknown) => {
      deps.logger.error({ err, transferId: transfer.id }, 'could not DM the transfer offer');
      // The sender was told the offer went out; without this they would wait for an answer that cannot come.
      await deps.notifications
        .once(transfer.teamId, `transfer:${transfer.id}:offer-not-delivered-dm`, async () => {
          await client.chat.postMessage({ channel: transfer.fromId, ...offerNotDeliveredDm(transfer) });
        })
        .catch((notToldErr: unknown) =>
          deps.logger.error(
            { err: notToldErr, transferId: transfer.id },
            'could not tell the sender the offer was not delivered',
          ),
        );
    });
}

/** Checks the recipient and opens the transfer (TransferService.offer); `sendOffer` then DMs the recipient. */
export async function offerTransfer(
  deps: SlackDeps,
  client: WebClient,
  input: {
    teamId: string;
    fromId: string;
    toId: string;
    tag: string;
    note: string | undefined;
  },
): Promise<Result<{ transfer: Transfer; asset: ShownAsset | undefined }>> {
  const { teamId, fromId, toId } = input;
  const recipient = await checkRecipient(deps, client, teamId, fromId, toId);
  if (!recipient.ok) return recipient;
  return deps.transfers.offer(teamId, input.tag, fromId, toId, input.note);
}

/** Replaces the recipient's offer DM with the transfer's outcome, once. */
async function closeOffer(
  deps: SlackDeps,
  client: WebClient,
  transfer: Transfer,
  clicked: MessageRef | undefined,
): Promise<void> {
  const message = transfer.offerMessage ?? clicked;
  if (!message) return;
  await deps.notifications.once(transfer.teamId, `transfer:${transfer.id}:offer-closed`, async () => {
    await client.chat.update({ channel: message.channel, ts: message.ts, ...transferOfferClosed(transfer) });
  });
}

async function settle(deps: SlackDeps, transferId: string, tasks: Array<Promise<unknown>>): Promise<void> {
  for (const outcome of await Promise.allSettled(tasks)) {
    if (outcome.status === 'rejected') {
      deps.logger.error({ err: outcome.reason, transferId }, 'could not tell Slack about a transfer');
    }
  }
}

function tellSender(deps: SlackDeps, client: WebClient, transfer: Transfer): Promise<unknown> {
  return deps.notifications.once(transfer.teamId, `transfer:${transfer.id}:sender-told`, async () => {
    await client.chat.postMessage({ channel: transfer.fromId, ...transferAnsweredSenderDm(transfer) });
  });
}

/** Custody moved: the offer DM shows it, the sender and IT are told, both homes change. */
export async function announceAccepted(
  deps: SlackDeps,
  client: WebClient,
  transfer: Transfer,
  asset: ShownAsset | undefined,
  clicked: MessageRef | undefined,
): Promise<void> {
  const tasks = [closeOffer(deps, client, transfer, clicked), tellSender(deps, client, transfer)];
  const channel = deps.settings.itChannelId;
  if (channel) {
    tasks.push(
      deps.notifications.once(transfer.teamId, `transfer:${transfer.id}:it-told`, async () => {
        await client.chat.postMessage({
          channel,
          ...transferAcceptedItMessage(transfer, asset, viewContext(deps)),
        });
      }),
    );
  }
  await settle(deps, transfer.id, tasks);
  const overdue = asset !== undefined && isOverdue(asset, deps.clock.now());
  await refreshHomes(deps, client, transfer.teamId, [transfer.fromId, transfer.toId], {
    itQueueChanged: overdue,
  });
}

export async function announceDeclined(
  deps: SlackDeps,
  client: WebClient,
  transfer: Transfer,
  clicked: MessageRef | undefined,
): Promise<void> {
  await settle(deps, transfer.id, [
    closeOffer(deps, client, transfer, clicked),
    tellSender(deps, client, transfer),
  ]);
}

/** Cancelled by the sender, or voided because the asset changed hands: the offer DM says so. */
export async function announceClosed(
  deps: SlackDeps,
  client: WebClient,
  transfer: Transfer,
  clicked: MessageRef | undefined,
): Promise<void> {
  await settle(deps, transfer.id, [closeOffer(deps, client, transfer, clicked)]);
}

/** The message a button was pressed on, when it was a channel or DM message (not ephemeral, not a view). */
export function clickedMessage(body: {
  container?: { type?: string; is_ephemeral?: boolean };
  channel?: { id: string };
  message?: { ts: string };
}): MessageRef | undefined {
  if (body.container?.type !== 'message' || body.container.is_ephemeral) return undefined;
  return body.channel && body.message ? { channel: body.channel.id, ts: body.message.ts } : undefined;
}
