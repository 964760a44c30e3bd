import {
  authorize,
  canAnswerTransfer,
  canHoldAssets,
  canCancelTransfer,
  fail,
  normalizeTag,
  ok,
  planTransition,
  type Clock,
  type Person,
  type Result,
  type Transfer,
} from '../domain/index.js';
import type { MessageRef, Notifier } from './notifier.js';
import type { PeopleService } from './people-service.js';
import type { AssetRepository, AssetSummary, TransferRepository } from './ports.js';

export interface TransferOutcome {
  transfer: Transfer;
  asset: AssetSummary | undefined;
}

/**
 * Custody transfers. Acceptance writes the transfer and the asset as claim (pending -> accepting) ->
 * move the asset (history carries the transfer id) -> finish (accepting -> accepted); a retry after a
 * crash sees which step is done. A transfer whose asset changed state in the meantime is voided.
 */
export class TransferService {
  constructor(
    private readonly deps: {
      transfers: TransferRepository;
      assets: AssetRepository;
      people: PeopleService;
      notifier: Notifier;
      clock: Clock;
    },
  ) {}

  async byId(teamId: string, transferId: string): Promise<Result<Transfer>> {
    const transfer = await this.deps.transfers.findById(teamId, transferId);
    return transfer ? ok(transfer) : fail('transfer.not_found', { transferId });
  }

  /** Open transfers the actor sent or is asked to accept. */
  async openForMe(actor: Person): Promise<Result<Transfer[]>> {
    const allowed = authorize(actor, 'asset.transfer');
    if (!allowed.ok) return allowed;
    return ok(await this.deps.transfers.listOpenInvolving(actor.teamId, actor.slackUserId));
  }

  attachOfferMessage(
    teamId: string,
    transferId: string,
    message: { channel: string; ts: string },
  ): Promise<void> {
    return this.deps.transfers.setOfferMessage(teamId, transferId, message);
  }

  /**
   * The holder offers an asset to a colleague, who must be someone else, known, active and human; custody
   * moves only when they accept.
   */
  async offer(
    actor: Person,
    input: { tag: string; toId: string; note?: string | undefined },
  ): Promise<Result<TransferOutcome>> {
    const allowed = authorize(actor, 'asset.transfer');
    if (!allowed.ok) return allowed;
    const { teamId } = actor;
    const fromId = actor.slackUserId;
    const { tag, toId, note } = input;
    if (fromId === toId) return fail('transfer.self');
    const recipient = canHoldAssets(await this.deps.people.resolve(teamId, toId), toId);
    if (!recipient.ok) return recipient;
    const result = await this.open(teamId, tag, fromId, toId, note);
    if (result.ok && result.value.asset) {
      this.deps.notifier.notify({
        kind: 'transfer.offered',
        transfer: result.value.transfer,
        asset: result.value.asset,
      });
    }
    return result;
  }

  private async open(
    teamId: string,
    tag: string,
    fromId: string,
    toId: string,
    note: string | undefined,
  ): Promise<Result<TransferOutcome>> {
    const { assets, transfers, clock } = this.deps;
    const asset = await assets.findByTag(teamId, normalizeTag(tag));
    if (!asset) return fail('asset.not_found', { tag: normalizeTag(tag) });
    const now = clock.now();
    if (asset.status === 'checked_out' && asset.holderId !== fromId) {
      return fail('asset.not_holder', { tag: asset.tag, holderId: asset.holderId });
    }
    const plan = planTransition(asset, { kind: 'transfer', toHolderId: toId }, { actorId: fromId, now });
    if (!plan.ok) return plan;
    let created = await transfers.create({
      teamId,
      assetId: asset.id,
      assetTag: asset.tag,
      fromId,
      toId,
      note,
      now,
    });
    if (!created) {
      const open = await transfers.findOpenForAsset(teamId, asset.id);
      // An offer left over from an earlier holder no longer applies: void it and make the new one.
      if (open && open.fromId !== fromId && open.status === 'pending') {
        await transfers.changeStatus(teamId, open.id, ['pending'], 'voided', now, 'the asset changed hands');
        created = await transfers.create({
          teamId,
          assetId: asset.id,
          assetTag: asset.tag,
          fromId,
          toId,
          note,
          now,
        });
      }
      if (!created) return fail('transfer.already_open', { tag: asset.tag, toId: open?.toId });
    }
    return ok({ transfer: created, asset });
  }

  /** The recipient accepts: custody moves. `answeredOn` is the message the answer came from, if any. */
  async accept(
    actor: Person,
    transferId: string,
    answeredOn?: MessageRef,
  ): Promise<Result<TransferOutcome & { alreadyDone: boolean }>> {
    const allowed = authorize(actor, 'asset.transfer', 'accept transfers');
    if (!allowed.ok) return allowed;
    const result = await this.acceptOnce(actor.teamId, transferId, actor.slackUserId);
    if (result.ok) {
      const { transfer, asset } = result.value;
      this.deps.notifier.notify({ kind: 'transfer.accepted', transfer, asset, answeredOn });
    } else if (result.error.code === 'transfer.voided') {
      const voided = result.error.details['transfer'] as Transfer | undefined;
      if (voided) this.deps.notifier.notify({ kind: 'transfer.closed', transfer: voided, answeredOn });
    }
    return result;
  }

  private async acceptOnce(
    teamId: string,
    transferId: string,
    actorId: string,
  ): Promise<Result<TransferOutcome & { alreadyDone: boolean }>> {
    const { assets, transfers, clock } = this.deps;
    const transfer = await transfers.findById(teamId, transferId);
    if (!transfer) return fail('transfer.not_found', { transferId });
    if (transfer.status === 'accepted' && transfer.toId === actorId) {
      return ok({ transfer, asset: await assets.findById(teamId, transfer.assetId), alreadyDone: true });
    }
    const decision = canAnswerTransfer(transfer, actorId);
    if (!decision.ok) return decision;
    const now = clock.now();
    let claimed: Transfer | undefined = transfer;
    if (decision.value === 'fresh') {
      claimed = await transfers.changeStatus(teamId, transfer.id, ['pending'], 'accepting', now);
      if (!claimed) return this.notPending(teamId, transfer.id);
    }
    const asset = await assets.findById(teamId, transfer.assetId);
    const ref = asset ? await assets.lastHistoryRef(teamId, asset.id) : undefined;
    let moved: AssetSummary | undefined;
    if (asset && asset.holderId === transfer.toId && ref?.transferId === transfer.id) {
      moved = asset; // the asset moved in an earlier attempt; only finishing is left
    } else {
      const reason = !asset
        ? 'the asset no longer exists'
        : asset.status !== 'checked_out' || asset.holderId !== transfer.fromId
          ? 'the asset is no longer held by the sender'
          : undefined;
      const plan =
        !reason && asset
          ? planTransition(
              asset,
              { kind: 'transfer', toHolderId: transfer.toId, transferId: transfer.id },
              { actorId, now, note: transfer.note },
            )
          : undefined;
      moved = plan?.ok && asset ? await assets.applyTransition(teamId, asset.id, plan.value) : undefined;
      if (!moved) {
        const why = reason ?? 'the asset changed state';
        const voided = await transfers.changeStatus(
          teamId,
          transfer.id,
          ['accepting'],
          'voided',
          clock.now(),
          why,
        );
        return fail('transfer.voided', { tag: transfer.assetTag, reason: why, transfer: voided ?? transfer });
      }
    }
    const done = await transfers.changeStatus(teamId, transfer.id, ['accepting'], 'accepted', clock.now());
    if (!done) return this.notPending(teamId, transfer.id);
    return ok({ transfer: done, asset: moved, alreadyDone: decision.value === 'resume' });
  }

  async decline(actor: Person, transferId: string, answeredOn?: MessageRef): Promise<Result<Transfer>> {
    const allowed = authorize(actor, 'asset.transfer', 'decline transfers');
    if (!allowed.ok) return allowed;
    const result = await this.declineOnce(actor.teamId, transferId, actor.slackUserId);
    if (result.ok)
      this.deps.notifier.notify({ kind: 'transfer.declined', transfer: result.value, answeredOn });
    return result;
  }

  private async declineOnce(teamId: string, transferId: string, actorId: string): Promise<Result<Transfer>> {
    const transfer = await this.deps.transfers.findById(teamId, transferId);
    if (!transfer) return fail('transfer.not_found', { transferId });
    if (transfer.status === 'declined' && transfer.toId === actorId) return ok(transfer);
    const decision = canAnswerTransfer(transfer, actorId);
    if (!decision.ok) return decision;
    if (decision.value !== 'fresh') return fail('transfer.not_pending', { status: 'being accepted' });
    const declined = await this.deps.transfers.changeStatus(
      teamId,
      transferId,
      ['pending'],
      'declined',
      this.deps.clock.now(),
    );
    return declined ? ok(declined) : this.notPending(teamId, transferId);
  }

  /** The sender withdraws an unanswered offer. */
  async cancel(actor: Person, transferId: string): Promise<Result<Transfer>> {
    const allowed = authorize(actor, 'asset.transfer', 'cancel transfers');
    if (!allowed.ok) return allowed;
    const result = await this.cancelOnce(actor.teamId, transferId, actor.slackUserId);
    if (result.ok)
      this.deps.notifier.notify({ kind: 'transfer.closed', transfer: result.value, answeredOn: undefined });
    return result;
  }

  private async cancelOnce(teamId: string, transferId: string, actorId: string): Promise<Result<Transfer>> {
    const transfer = await this.deps.transfers.findById(teamId, transferId);
    if (!transfer) return fail('transfer.not_found', { transferId });
    if (transfer.status === 'cancelled' && transfer.fromId === actorId) return ok(transfer);
    const allowed = canCancelTransfer(transfer, actorId);
    if (!allowed.ok) return allowed;
    const cancelled = await this.deps.transfers.changeStatus(
      teamId,
      transferId,
      ['pending'],
      'cancelled',
      this.deps.clock.now(),
    );
    return cancelled ? ok(cancelled) : this.notPending(teamId, transferId);
  }

  private async notPending(teamId: string, transferId: string): Promise<Result<never>> {
    const fresh = await this.deps.transfers.findById(teamId, transferId);
    return fail('transfer.not_pending', { status: fresh?.status ?? 'gone' });
  }
}
