import {
  cleanNewAsset,
  fail,
  normalizeTag,
  ok,
  planTransition,
  validateNewAsset,
  type AssetCommand,
  type AssetHistoryEntry,
  type AssetSearch,
  type AssetStatus,
  type CatalogChoice,
  type Clock,
  type NewAssetInput,
  type Page,
  type PageOf,
  type ProblemKind,
  type ReturnCondition,
  type Result,
} from '../domain/index.js';
import type { AssetRepository, AssetSummary, CatalogEntry } from './ports.js';

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

  catalog(teamId: string, text: string | undefined, limit = 50): Promise<CatalogEntry[]> {
    return this.deps.assets.catalog(teamId, text, limit);
  }

  /** In-stock assets for a typeahead, only those fitting `item` when given; matched on tag, serial, name or model. */
  available(
    teamId: string,
    item: CatalogChoice | undefined,
    text: string | undefined,
    limit = 50,
  ): Promise<AssetSummary[]> {
    return this.deps.assets.searchAvailable(teamId, item, text, limit);
  }

  async history(
    teamId: string,
    tag: string,
    page: Page,
  ): Promise<Result<{ tag: string; entries: PageOf<AssetHistoryEntry> }>> {
    const normalized = normalizeTag(tag);
    const entries = await this.deps.assets.historyPage(teamId, normalized, page);
    return entries ? ok({ tag: normalized, entries }) : fail('asset.not_found', { tag: normalized });
  }

  /** Registers an asset; field problems and duplicates come back keyed by field for inline errors. */
  async register(
    teamId: string,
    actorId: string,
    input: NewAssetInput,
    note?: string,
  ): Promise<Result<AssetSummary>> {
    const cleaned = cleanNewAsset(input);
    const errors = validateNewAsset(cleaned);
    if (Object.keys(errors).length > 0) return fail('input.invalid', { fields: errors });
    const outcome = await this.deps.assets.insert({
      teamId,
      ...cleaned,
      procurement: undefined,
      customFields: {},
      actorId,
      now: this.deps.clock.now(),
      note,
    });
    if (outcome.ok) return ok(outcome.asset);
    return outcome.duplicate === 'tag'
      ? fail('asset.duplicate_tag', { tag: cleaned.tag })
      : fail('asset.duplicate_serial', { serial: cleaned.serial });
  }

  checkOut(
    teamId: string,
    tag: string,
    actorId: string,
    holderId: string,
    dueBackAt: Date | undefined,
    note?: string,
  ): Promise<Result<AssetSummary>> {
    return this.apply(teamId, tag, { kind: 'check_out', holderId, dueBackAt }, { actorId, note });
  }

  checkIn(teamId: string, tag: string, actorId: string, condition: ReturnCondition, note?: string) {
    return this.apply(teamId, tag, { kind: 'check_in', condition }, { actorId, note });
  }

  startReturn(teamId: string, tag: string, actorId: string, note?: string) {
    return this.apply(teamId, tag, { kind: 'start_return' }, { actorId, note });
  }

  confirmReturn(teamId: string, tag: string, actorId: string, condition: ReturnCondition, note?: string) {
    return this.apply(teamId, tag, { kind: 'confirm_return', condition }, { actorId, note });
  }

  reportProblem(teamId: string, tag: string, actorId: string, problem: ProblemKind, note?: string) {
    return this.apply(teamId, tag, { kind: 'report_problem', problem }, { actorId, note });
  }

  /** What IT needs at a glance: returns to confirm, overdue assets and stock per category. */
  async itOverview(teamId: string, pages: { pendingReturns: Page; overdue: Page }) {
    const [pendingReturns, overdue, stock] = await Promise.all([
      this.deps.assets.listByStatus(teamId, ['pending_return'] satisfies AssetStatus[], pages.pendingReturns),
      this.deps.assets.listOverdue(teamId, this.deps.clock.now(), pages.overdue),
      this.deps.assets.stockByCategory(teamId),
    ]);
    return { pendingReturns, overdue, stock };
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
