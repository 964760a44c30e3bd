import {
  fail,
  normalizeTag,
  ok,
  planTransition,
  type AssetCommand,
  type AssetSearch,
  type Clock,
  type Page,
  type PageOf,
  type Result,
} from '../domain/index.js';
import type { AssetRepository, AssetSummary } from './ports.js';

export interface AssetServiceDeps {
  assets: AssetRepository;
  clock: Clock;
}

/** Use cases that read assets or move one asset through its state machine. */
export class AssetService {
  constructor(private readonly deps: AssetServiceDeps) {}

  find(teamId: string, search: AssetSearch, page: Page): Promise<PageOf<AssetSummary>> {
    return this.deps.assets.search(teamId, search, page);
  }

  heldBy(teamId: string, holderId: string): Promise<AssetSummary[]> {
    return this.deps.assets.listHeldBy(teamId, holderId);
  }

  async byTag(teamId: string, tag: string): Promise<Result<AssetSummary>> {
    const asset = await this.deps.assets.findByTag(teamId, normalizeTag(tag));
    return asset ? ok(asset) : fail('asset.not_found', { tag: normalizeTag(tag) });
  }

  /**
   * Plans the command against the current state and writes it conditionally. When another change won
   * in between, the state is read again so the caller is told what actually happened.
   */
  async apply(
    teamId: string,
    tag: string,
    command: AssetCommand,
    ctx: { actorId: string; note?: string },
  ): Promise<Result<AssetSummary>> {
    const current = await this.byTag(teamId, tag);
    if (!current.ok) return current;
    const plan = planTransition(current.value, command, { ...ctx, now: this.deps.clock.now() });
    if (!plan.ok) return plan;
    const updated = await this.deps.assets.applyTransition(teamId, current.value.id, plan.value);
    if (updated) return ok(updated);
    const fresh = await this.byTag(teamId, tag);
    if (!fresh.ok) return fresh;
    const replanned = planTransition(fresh.value, command, { ...ctx, now: this.deps.clock.now() });
    return replanned.ok ? fail('asset.concurrent_change', { tag: fresh.value.tag }) : replanned;
  }
}
