/**
 * Turns the services' notices into Slack messages: DMs, IT channel posts, in-place updates and home
 * refreshes. Every message goes through the once-only ledger (NotificationService.once), so a replayed
 * request, a double click or a retried job sends nothing twice; a failed send gives its claim back so a
 * later attempt can send it, and when a person would otherwise wait in vain, someone is told.
 */
import type { WebClient } from '@slack/web-api';
import { isOverdue, type AssetRequest, type Clock, type Transfer } from '../domain/index.js';
import type { Logger } from '../platform/logger.js';
import type { MessageRef, Notice, Notifier } from '../services/notifier.js';
import type { NotificationService } from '../services/notification-service.js';
import type { AssetSummary } from '../services/ports.js';
import {
  itNotNotifiedDm,
  problemReportedItMessage,
  requestReceivedDm,
  returnStartedItMessage,
} from '../slack/blocks/employee-notices.blocks.js';
import { checkedOutDm, custodyEndedDm, returnConfirmedMessage } from '../slack/blocks/it-custody.blocks.js';
import { buildApprovedDm, buildDeniedDm, requesterNotToldDm } from '../slack/blocks/it-decision.blocks.js';
import { buildItRequestMessage } from '../slack/blocks/request.blocks.js';
import {
  offerNotDeliveredDm,
  transferAcceptedItMessage,
  transferAnsweredSenderDm,
  transferOfferClosed,
  transferOfferDm,
} from '../slack/blocks/transfer.blocks.js';
import type { BackgroundWork } from './background-work.js';
import type { HomePublisher } from './home-publisher.js';

export interface SlackNotifierDeps {
  client: () => WebClient;
  ledger: NotificationService;
  homes: HomePublisher;
  work: BackgroundWork;
  /** Where posts are remembered so a later decision can update them in place. */
  remember: {
    requestItMessage(teamId: string, requestId: string, message: MessageRef): Promise<void>;
    transferOfferMessage(teamId: string, transferId: string, message: MessageRef): Promise<void>;
  };
  settings: { timeZone: string; itChannelId: string | undefined };
  clock: Clock;
  logger: Logger;
}

type Task = Promise<unknown>;

export class SlackNotifier implements Notifier {
  constructor(private readonly deps: SlackNotifierDeps) {}

  notify(notice: Notice): void {
    this.deps.work.run(notice.kind, () => this.deliver(notice));
  }

  /** Delivers one notice now; resolves when every message was sent or its failure handled. */
  async deliver(notice: Notice): Promise<void> {
    switch (notice.kind) {
      case 'asset.registered':
      case 'asset.stock_changed':
        // Stock by category is on every IT home.
        return this.deps.homes.refresh(notice.teamId, [], true);
      case 'asset.checked_out':
        return this.checkedOut(notice);
      case 'asset.custody_ended':
        return this.custodyEnded(notice);
      case 'asset.return_started':
        return this.returnStarted(notice);
      case 'asset.problem_reported':
        return this.problemReported(notice);
      case 'request.submitted':
        return this.requestSubmitted(notice.request, notice.inStock);
      case 'request.approved':
        return this.requestDecided(notice.request, 'approved', notice.asset);
      case 'request.denied':
        return this.requestDecided(notice.request, 'denied', undefined);
      case 'request.cancelled':
        return this.requestCancelled(notice.request);
      case 'transfer.offered':
        return this.transferOffered(notice.transfer, notice.asset);
      case 'transfer.accepted':
        return this.transferAccepted(notice.transfer, notice.asset, notice.answeredOn);
      case 'transfer.declined':
        await this.settle(notice.transfer.id, [
          this.closeOffer(notice.transfer, notice.answeredOn),
          this.tellSender(notice.transfer),
        ]);
        return;
      case 'transfer.closed':
        await this.settle(notice.transfer.id, [this.closeOffer(notice.transfer, notice.answeredOn)]);
        return;
    }
  }

  private get client(): WebClient {
    return this.deps.client();
  }

  private context() {
    return { timeZone: this.deps.settings.timeZone, now: this.deps.clock.now() };
  }

  private once(teamId: string, key: string, send: () => Promise<void>): Promise<boolean> {
    return this.deps.ledger.once(teamId, key, send);
  }

  /** Runs the sends side by side and logs each failure; returns the outcomes in order. */
  private async settle(ref: string, tasks: Task[]): Promise<Array<PromiseSettledResult<unknown>>> {
    const outcomes = await Promise.allSettled(tasks);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        this.deps.logger.error({ err: outcome.reason, ref }, 'could not send a Slack message');
      }
    }
    return outcomes;
  }

  private itChannel(teamId: string, about: string): string | undefined {
    const channel = this.deps.settings.itChannelId;
    if (!channel) {
      this.deps.logger.warn({ teamId, about }, 'no IT channel configured; IT sees this on its home only');
    }
    return channel;
  }

  // Assets

  private async checkedOut(notice: Extract<Notice, { kind: 'asset.checked_out' }>): Promise<void> {
    const { teamId, asset, actorId, note } = notice;
    const holderId = asset.holderId;
    if (!holderId) return;
    const key = `asset:${asset.id}:checked-out:${asset.checkedOutAt?.getTime() ?? 0}`;
    await this.settle(asset.tag, [
      this.once(teamId, key, async () => {
        await this.client.chat.postMessage({
          channel: holderId,
          ...checkedOutDm(asset, actorId, this.context(), note),
        });
      }),
    ]);
    await this.deps.homes.refresh(teamId, [holderId], true);
  }

  private async custodyEnded(notice: Extract<Notice, { kind: 'asset.custody_ended' }>): Promise<void> {
    const { teamId, asset, actorId, formerHolderId, condition, via, returnMessage } = notice;
    const stamp = asset.updatedAt.getTime();
    const tasks: Task[] = [];
    if (returnMessage) {
      tasks.push(
        this.once(teamId, `asset:${asset.id}:return-confirmed-message:${stamp}`, async () => {
          await this.client.chat.update({
            channel: returnMessage.channel,
            ts: returnMessage.ts,
            ...returnConfirmedMessage(asset, actorId, formerHolderId, condition),
          });
        }),
      );
    }
    if (formerHolderId && formerHolderId !== actorId) {
      tasks.push(
        this.once(teamId, `asset:${asset.id}:${via}:${stamp}`, async () => {
          await this.client.chat.postMessage({
            channel: formerHolderId,
            ...custodyEndedDm(asset, actorId, condition, via),
          });
        }),
      );
    }
    await this.settle(asset.tag, tasks);
    await this.deps.homes.refresh(teamId, [formerHolderId], true);
  }

  private async returnStarted(notice: Extract<Notice, { kind: 'asset.return_started' }>): Promise<void> {
    const { teamId, asset, holderId } = notice;
    const channel = this.itChannel(teamId, `return of ${asset.tag}`);
    if (channel) {
      await this.settle(asset.tag, [
        this.once(teamId, `asset:${asset.id}:return-started:${asset.updatedAt.getTime()}`, async () => {
          await this.client.chat.postMessage({
            channel,
            ...returnStartedItMessage(asset, holderId, this.context()),
          });
        }),
      ]);
    }
    await this.deps.homes.refresh(teamId, [holderId], true);
  }

  private async problemReported(notice: Extract<Notice, { kind: 'asset.problem_reported' }>): Promise<void> {
    const { teamId, asset, reporterId, problem, note } = notice;
    const channel = this.itChannel(teamId, `problem with ${asset.tag}`);
    if (channel) {
      const key = `asset:${asset.id}:problem:${problem}:${asset.updatedAt.getTime()}`;
      await this.settle(asset.tag, [
        this.once(teamId, key, async () => {
          await this.client.chat.postMessage({
            channel,
            ...problemReportedItMessage(asset, reporterId, problem, note, this.context()),
          });
        }),
      ]);
    }
    // A lost asset leaves the holder's home and changes IT's queue.
    await this.deps.homes.refresh(teamId, [reporterId], problem === 'lost');
  }

  // Requests

  private postItRequest(request: AssetRequest, inStock: number | undefined, channel: string): Task {
    return this.once(request.teamId, `request:${request.id}:it-posted`, async () => {
      const posted = await this.client.chat.postMessage({
        channel,
        ...buildItRequestMessage(request, { ...this.context(), inStock }),
      });
      if (posted.channel && posted.ts) {
        await this.deps.remember.requestItMessage(request.teamId, request.id, {
          channel: posted.channel,
          ts: posted.ts,
        });
      }
    });
  }

  /** The requester hears it arrived, IT gets the message with Approve / Deny, homes refresh. */
  private async requestSubmitted(request: AssetRequest, inStock: number | undefined): Promise<void> {
    const { teamId } = request;
    const received = this.once(teamId, `request:${request.id}:received-dm`, async () => {
      await this.client.chat.postMessage({
        channel: request.requesterId,
        ...requestReceivedDm(request, this.context()),
      });
    });
    const channel = this.itChannel(teamId, `request ${request.id}`);
    const outcomes = await this.settle(request.id, [
      received,
      channel ? this.postItRequest(request, inStock, channel) : Promise.resolve(),
    ]);
    // The IT post failed and its claim was given back: the requester must not believe IT was pinged in
    // the channel. The decision posts the missed message, so it is not lost for good.
    if (outcomes[1]?.status === 'rejected') {
      await this.settle(request.id, [
        this.once(teamId, `request:${request.id}:it-not-notified-dm`, async () => {
          await this.client.chat.postMessage({ channel: request.requesterId, ...itNotNotifiedDm(request) });
        }),
      ]);
    }
    await this.deps.homes.refresh(teamId, [request.requesterId], true);
  }

  /** The IT message shows the request's current state; when it was never posted, it is posted now. */
  private updateItMessage(request: AssetRequest, key: string): Task {
    const message = request.itMessage;
    if (!message) {
      const channel = this.deps.settings.itChannelId;
      return channel ? this.postItRequest(request, undefined, channel) : Promise.resolve();
    }
    return this.once(request.teamId, key, async () => {
      await this.client.chat.update({
        channel: message.channel,
        ts: message.ts,
        ...buildItRequestMessage(request, { ...this.context(), inStock: undefined }),
      });
    });
  }

  private async requestDecided(
    request: AssetRequest,
    decision: 'approved' | 'denied',
    asset: AssetSummary | undefined,
  ): Promise<void> {
    const deciderId = decision === 'approved' ? request.approval?.approverId : request.denial?.deniedBy;
    const dm = this.once(request.teamId, `request:${request.id}:${decision}-dm`, async () => {
      await this.client.chat.postMessage({
        channel: request.requesterId,
        ...(decision === 'approved' && asset
          ? buildApprovedDm(request, asset, this.context())
          : buildDeniedDm(request)),
      });
    });
    const [, told] = await this.settle(request.id, [
      this.updateItMessage(request, `request:${request.id}:it-message-decided`),
      dm,
    ]);
    // The requester's DM failed (its claim was given back): the decider must not believe they were told.
    if (told?.status === 'rejected' && deciderId) {
      await this.settle(request.id, [
        this.once(request.teamId, `request:${request.id}:requester-not-told-dm`, async () => {
          await this.client.chat.postMessage({
            channel: deciderId,
            ...requesterNotToldDm(request, decision),
          });
        }),
      ]);
    }
    await this.deps.homes.refresh(request.teamId, [request.requesterId, deciderId], true);
  }

  /** The IT channel message loses its Approve / Deny buttons, and the queue refreshes. */
  private async requestCancelled(request: AssetRequest): Promise<void> {
    if (request.itMessage) {
      await this.settle(request.id, [
        this.updateItMessage(request, `request:${request.id}:it-message-cancelled`),
      ]);
    }
    await this.deps.homes.refresh(request.teamId, [request.requesterId], true);
  }

  // Transfers

  /** The recipient's Accept / Decline DM, remembered so it can be updated in place. */
  private async transferOffered(transfer: Transfer, asset: AssetSummary): Promise<void> {
    try {
      await this.once(transfer.teamId, `transfer:${transfer.id}:offer-dm`, async () => {
        const posted = await this.client.chat.postMessage({
          channel: transfer.toId,
          ...transferOfferDm(transfer, asset, this.context()),
        });
        if (posted.channel && posted.ts) {
          await this.deps.remember.transferOfferMessage(transfer.teamId, transfer.id, {
            channel: posted.channel,
            ts: posted.ts,
          });
        }
      });
    } catch (err) {
      this.deps.logger.error({ err, transferId: transfer.id }, 'could not DM the transfer offer');
      // The sender was told the offer went out; without this they would wait for an answer that cannot come.
      await this.settle(transfer.id, [
        this.once(transfer.teamId, `transfer:${transfer.id}:offer-not-delivered-dm`, async () => {
          await this.client.chat.postMessage({ channel: transfer.fromId, ...offerNotDeliveredDm(transfer) });
        }),
      ]);
    }
  }

  /** Replaces the recipient's offer DM with the transfer's outcome, once. */
  private closeOffer(transfer: Transfer, answeredOn: MessageRef | undefined): Task {
    const message = transfer.offerMessage ?? answeredOn;
    if (!message) return Promise.resolve();
    return this.once(transfer.teamId, `transfer:${transfer.id}:offer-closed`, async () => {
      await this.client.chat.update({
        channel: message.channel,
        ts: message.ts,
        ...transferOfferClosed(transfer),
      });
    });
  }

  private tellSender(transfer: Transfer): Task {
    return this.once(transfer.teamId, `transfer:${transfer.id}:sender-told`, async () => {
      await this.client.chat.postMessage({ channel: transfer.fromId, ...transferAnsweredSenderDm(transfer) });
    });
  }

  /** Custody moved: the offer DM shows it, the sender and IT are told, both homes change. */
  private async transferAccepted(
    transfer: Transfer,
    asset: AssetSummary | undefined,
    answeredOn: MessageRef | undefined,
  ): Promise<void> {
    const tasks = [this.closeOffer(transfer, answeredOn), this.tellSender(transfer)];
    const channel = this.deps.settings.itChannelId;
    if (channel) {
      tasks.push(
        this.once(transfer.teamId, `transfer:${transfer.id}:it-told`, async () => {
          await this.client.chat.postMessage({
            channel,
            ...transferAcceptedItMessage(transfer, asset, this.context()),
          });
        }),
      );
    }
    await this.settle(transfer.id, tasks);
    const overdue = asset !== undefined && isOverdue(asset, this.deps.clock.now());
    await this.deps.homes.refresh(transfer.teamId, [transfer.fromId, transfer.toId], overdue);
  }
}
