import {
  canAnswerTransfer,
  canCancelTransfer,
  fail,
  normalizeTag,
  ok,
  planTransition,
  type Clock,
  type Result,
  type Transfer,
} from '../domain/index.js';
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
    private readonly deps: { transfers: TransferRepository; assets: AssetRepository; clock: Clock },
  ) {}

  async byId(teamId: string, transferId: string): Promise<Result<Transfer>> {
    const transfer = await this.deps.transfers.findById(teamId, transferId);
    return transfer ? ok(transfer) : fail('transfer.not_found', { transferId });
  }

  openInvolving(teamId: string, userId: string): Promise<Transfer[]> {
    return this.deps.transfers.listOpenInvolving(teamId, userId);
  }

  attachOfferMessage(
    teamId: string,
    transferId: string,
    message: { channel: string; ts: string },
  ): Promise<void> {
    return this.deps.transfers.setOfferMessage(teamId, transferId, message);
  }

  async offer(
    teamId: string,
    tag: string,
    fromId: string,
    toId: string,
    note: string | undefined,
  ): Promise<Result<TransferOutcome>> {
    const { assets, transfers, clock } = this.deps;
    if (fromId === toId) return fail('transfer.self');
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

  async accept(
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

  async decline(teamId: string, transferId: string, actorId: string): Promise<Result<Transfer>> {
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

  async cancel(teamId: string, transferId: string, actorId: string): Promise<Result<Transfer>> {
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
