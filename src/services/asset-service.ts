import {
  authorize,
  canApply,
  canHoldAssets,
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
  type Capability,
  type Clock,
  type NewAssetInput,
  type Page,
  type PageOf,
  type Person,
  type ProblemKind,
  type ReturnCondition,
  type Result,
} from '../domain/index.js';
import type { MessageRef, Notifier } from './notifier.js';
import type { PeopleService } from './people-service.js';
import type { AssetRepository, AssetSummary, CatalogEntry } from './ports.js';

export interface AssetServiceDeps {
  assets: AssetRepository;
  people: PeopleService;
  notifier: Notifier;
  clock: Clock;
}

export interface CheckOutInput {
  tag: string;
  holderId: string;
  dueBackAt: Date | undefined;
  note?: string | undefined;
}

export interface CustodyEnded {
  asset: AssetSummary;
  /** Who held it before this change (from the history entry written with it). */
  formerHolderId: string | undefined;
}

/** Typeaheads never return more than a select can show. */
const optionsMax = 100;

/**
 * Use cases that read assets or move one asset through its state machine. Every method takes the
 * person acting and checks what they may do before anything else; every change tells the notifier.
 */
export class AssetService {
  constructor(private readonly deps: AssetServiceDeps) {}

  async find(actor: Person, search: AssetSearch, page: Page): Promise<Result<PageOf<AssetSummary>>> {
    const allowed = authorize(actor, 'asset.find');
    if (!allowed.ok) return allowed;
    return ok(await this.deps.assets.search(actor.teamId, search, page));
  }

  /** What the actor holds (checked out, returning or reported lost by them). */
  async heldByMe(actor: Person): Promise<Result<AssetSummary[]>> {
    const allowed = authorize(actor, 'asset.view_own');
    if (!allowed.ok) return allowed;
    return ok(await this.deps.assets.listHeldBy(actor.teamId, actor.slackUserId));
  }

  /** One asset by tag, for someone about to act on it with `capability`. */
  async byTag(
    actor: Person,
    tag: string,
    capability: Capability = 'asset.find',
  ): Promise<Result<AssetSummary>> {
    const allowed = authorize(actor, capability);
    if (!allowed.ok) return allowed;
    return this.lookup(actor.teamId, tag);
  }

  /** Categories and models with stock counts, for the request typeahead. */
  async catalog(
    actor: Person,
    text: string | undefined,
    limit = optionsMax,
  ): Promise<Result<CatalogEntry[]>> {
    const allowed = authorize(actor, 'asset.request');
    if (!allowed.ok) return allowed;
    return ok(await this.deps.assets.catalog(actor.teamId, text, Math.min(limit, optionsMax)));
  }

  /** In-stock assets for the check-out typeahead, matched on tag, serial, name or model. */
  async availableToCheckOut(actor: Person, text: string | undefined): Promise<Result<AssetSummary[]>> {
    const allowed = authorize(actor, 'asset.checkout');
    if (!allowed.ok) return allowed;
    return ok(await this.deps.assets.searchAvailable(actor.teamId, undefined, text, 50));
  }

  /** Assets that can be checked in (held, returning or lost) matching the search, for the check-in typeahead. */
  async checkInCandidates(actor: Person, search: AssetSearch): Promise<Result<AssetSummary[]>> {
    const allowed = authorize(actor, 'asset.checkin');
    if (!allowed.ok) return allowed;
    const page = await this.deps.assets.search(actor.teamId, search, { offset: 0, limit: optionsMax });
    return ok(page.items.filter((asset) => canApply(asset.status, 'check_in')).slice(0, 50));
  }

  async history(
    actor: Person,
    tag: string,
    page: Page,
  ): Promise<Result<{ tag: string; entries: PageOf<AssetHistoryEntry> }>> {
    const allowed = authorize(actor, 'asset.history');
    if (!allowed.ok) return allowed;
    const normalized = normalizeTag(tag);
    const entries = await this.deps.assets.historyPage(actor.teamId, normalized, page);
    return entries ? ok({ tag: normalized, entries }) : fail('asset.not_found', { tag: normalized });
  }

  /** Registers an asset; field problems and duplicates come back keyed by field for inline errors. */
  async register(actor: Person, input: NewAssetInput, note?: string): Promise<Result<AssetSummary>> {
    const allowed = authorize(actor, 'asset.add');
    if (!allowed.ok) return allowed;
    const cleaned = cleanNewAsset(input);
    const errors = validateNewAsset(cleaned);
    if (Object.keys(errors).length > 0) return fail('input.invalid', { fields: errors });
    const outcome = await this.deps.assets.insert({
      teamId: actor.teamId,
      ...cleaned,
      procurement: undefined,
      customFields: {},
      actorId: actor.slackUserId,
      now: this.deps.clock.now(),
      note,
    });
    if (!outcome.ok) {
      return outcome.duplicate === 'tag'
        ? fail('asset.duplicate_tag', { tag: cleaned.tag })
        : fail('asset.duplicate_serial', { serial: cleaned.serial });
    }
    this.deps.notifier.notify({ kind: 'asset.registered', teamId: actor.teamId, asset: outcome.asset });
    return ok(outcome.asset);
  }

  /** Hands an available asset to a known, active, human person; they are told by DM. */
  async checkOut(actor: Person, input: CheckOutInput): Promise<Result<AssetSummary>> {
    const allowed = authorize(actor, 'asset.checkout');
    if (!allowed.ok) return allowed;
    const holder = await this.deps.people.resolve(actor.teamId, input.holderId);
    const mayHold = canHoldAssets(holder, input.holderId);
    if (!mayHold.ok) return mayHold;
    const command = { kind: 'check_out' as const, holderId: input.holderId, dueBackAt: input.dueBackAt };
    const result = await this.apply(actor, input.tag, command, input.note);
    if (result.ok) {
      this.deps.notifier.notify({
        kind: 'asset.checked_out',
        teamId: actor.teamId,
        actorId: actor.slackUserId,
        asset: result.value,
        note: input.note,
      });
    }
    return result;
  }

  async checkIn(
    actor: Person,
    input: { tag: string; condition: ReturnCondition; note?: string | undefined },
  ): Promise<Result<CustodyEnded>> {
    const allowed = authorize(actor, 'asset.checkin');
    if (!allowed.ok) return allowed;
    return this.endCustody(actor, input, { kind: 'check_in', condition: input.condition }, undefined);
  }

  /** IT confirms it has a returned asset; `returnMessage` is the channel post announcing the return. */
  async confirmReturn(
    actor: Person,
    input: { tag: string; condition: ReturnCondition; note?: string | undefined; returnMessage?: MessageRef },
  ): Promise<Result<CustodyEnded>> {
    const allowed = authorize(actor, 'asset.checkin', 'confirm returns');
    if (!allowed.ok) return allowed;
    return this.endCustody(
      actor,
      input,
      { kind: 'confirm_return', condition: input.condition },
      input.returnMessage,
    );
  }

  /** Checks, before the condition form opens, that the asset still waits for its return. */
  async prepareConfirmReturn(actor: Person, tag: string): Promise<Result<AssetSummary>> {
    const allowed = authorize(actor, 'asset.checkin', 'confirm returns');
    if (!allowed.ok) return allowed;
    return this.precheck(actor, tag, { kind: 'confirm_return', condition: 'good' });
  }

  /** The holder starts returning an asset; IT is told and confirms receipt later. */
  async startReturn(actor: Person, tag: string): Promise<Result<AssetSummary>> {
    const allowed = authorize(actor, 'asset.return');
    if (!allowed.ok) return allowed;
    const result = await this.apply(actor, tag, { kind: 'start_return' }, undefined);
    if (result.ok) {
      this.deps.notifier.notify({
        kind: 'asset.return_started',
        teamId: actor.teamId,
        holderId: actor.slackUserId,
        asset: result.value,
      });
    }
    return result;
  }

  /** Checks, before the report form opens, that the actor may report a problem with this asset now. */
  async prepareProblemReport(actor: Person, tag: string): Promise<Result<AssetSummary>> {
    const allowed = authorize(actor, 'asset.report_problem');
    if (!allowed.ok) return allowed;
    return this.precheck(actor, tag, { kind: 'report_problem', problem: 'not_working' });
  }

  async reportProblem(
    actor: Person,
    input: { tag: string; problem: ProblemKind; note?: string | undefined },
  ): Promise<Result<AssetSummary>> {
    const allowed = authorize(actor, 'asset.report_problem');
    if (!allowed.ok) return allowed;
    const result = await this.apply(
      actor,
      input.tag,
      { kind: 'report_problem', problem: input.problem },
      input.note,
    );
    if (result.ok) {
      this.deps.notifier.notify({
        kind: 'asset.problem_reported',
        teamId: actor.teamId,
        reporterId: actor.slackUserId,
        asset: result.value,
        problem: input.problem,
        note: input.note,
      });
    }
    return result;
  }

  /** IT sends an asset to repair. */
  async sendToRepair(actor: Person, tag: string, note?: string): Promise<Result<AssetSummary>> {
    const allowed = authorize(actor, 'asset.checkin', 'send assets to repair');
    if (!allowed.ok) return allowed;
    return this.changedStock(actor, await this.apply(actor, tag, { kind: 'send_to_repair' }, note));
  }

  /** IT retires an asset from service (not a disposal: the record stays as it is). */
  async retire(actor: Person, tag: string, note?: string): Promise<Result<AssetSummary>> {
    const allowed = authorize(actor, 'asset.checkin', 'retire assets');
    if (!allowed.ok) return allowed;
    return this.changedStock(actor, await this.apply(actor, tag, { kind: 'retire' }, note));
  }

  private changedStock(actor: Person, result: Result<AssetSummary>): Result<AssetSummary> {
    if (result.ok)
      this.deps.notifier.notify({ kind: 'asset.stock_changed', teamId: actor.teamId, asset: result.value });
    return result;
  }

  /** Checks, before the recipient form opens, that the actor holds this asset and may hand it on. */
  async prepareTransfer(actor: Person, tag: string): Promise<Result<AssetSummary>> {
    const allowed = authorize(actor, 'asset.transfer');
    if (!allowed.ok) return allowed;
    const found = await this.lookup(actor.teamId, tag);
    if (!found.ok) return found;
    const asset = found.value;
    if (!canApply(asset.status, 'transfer'))
      return fail('asset.transition_forbidden', stateOf(asset, 'transfer'));
    if (asset.holderId !== actor.slackUserId) {
      return fail('asset.not_holder', { tag: asset.tag, holderId: asset.holderId });
    }
    return ok(asset);
  }

  /** What IT needs at a glance: returns to confirm, overdue assets and stock per category. */
  async itOverview(actor: Person, pages: { pendingReturns: Page; overdue: Page }) {
    const allowed = authorize(actor, 'request.decide');
    if (!allowed.ok) return allowed;
    const teamId = actor.teamId;
    const [pendingReturns, overdue, stock] = await Promise.all([
      this.deps.assets.listByStatus(teamId, ['pending_return'] satisfies AssetStatus[], pages.pendingReturns),
      this.deps.assets.listOverdue(teamId, this.deps.clock.now(), pages.overdue),
      this.deps.assets.stockByCategory(teamId),
    ]);
    return ok({ pendingReturns, overdue, stock });
  }

  private async lookup(teamId: string, tag: string): Promise<Result<AssetSummary>> {
    const asset = await this.deps.assets.findByTag(teamId, normalizeTag(tag));
    return asset ? ok(asset) : fail('asset.not_found', { tag: normalizeTag(tag) });
  }

  /** The same rule the change will be held to, checked before a person fills in a form. */
  private async precheck(actor: Person, tag: string, command: AssetCommand): Promise<Result<AssetSummary>> {
    const found = await this.lookup(actor.teamId, tag);
    if (!found.ok) return found;
    const plan = planTransition(found.value, command, {
      actorId: actor.slackUserId,
      now: this.deps.clock.now(),
    });
    return plan.ok ? found : plan;
  }

  private async endCustody(
    actor: Person,
    input: { tag: string; note?: string | undefined },
    command: Extract<AssetCommand, { kind: 'check_in' | 'confirm_return' }>,
    returnMessage: MessageRef | undefined,
  ): Promise<Result<CustodyEnded>> {
    const result = await this.apply(actor, input.tag, command, input.note);
    if (!result.ok) return result;
    const asset = result.value;
    const via = command.kind === 'check_in' ? 'checked_in' : 'return_confirmed';
    const formerHolderId = await this.formerHolderOf(actor, asset, via);
    this.deps.notifier.notify({
      kind: 'asset.custody_ended',
      teamId: actor.teamId,
      actorId: actor.slackUserId,
      asset,
      formerHolderId,
      condition: command.condition,
      via,
      returnMessage,
    });
    return ok({ asset, formerHolderId });
  }

  /**
   * Who held the asset before the actor's change, read from its newest history entry (written in the same
   * update as the change), so the DM goes to the right person even if the asset moved since it was shown.
   */
  private async formerHolderOf(
    actor: Person,
    asset: AssetSummary,
    action: 'checked_in' | 'return_confirmed',
  ): Promise<string | undefined> {
    const page = await this.deps.assets.historyPage(actor.teamId, asset.tag, { offset: 0, limit: 1 });
    const last = page?.items[0];
    return last && last.action === action && last.actorId === actor.slackUserId
      ? last.fromHolderId
      : undefined;
  }

  /**
   * Plans the command against the current state and writes it conditionally. When another change won
   * in between, the state is read again so the caller is told what actually happened.
   */
  private async apply(
    actor: Person,
    tag: string,
    command: AssetCommand,
    note: string | undefined,
  ): Promise<Result<AssetSummary>> {
    const { teamId } = actor;
    const ctx = { actorId: actor.slackUserId, note };
    const current = await this.lookup(teamId, tag);
    if (!current.ok) return current;
    const plan = planTransition(current.value, command, { ...ctx, now: this.deps.clock.now() });
    if (!plan.ok) return plan;
    const updated = await this.deps.assets.applyTransition(teamId, current.value.id, plan.value);
    if (updated) return ok(updated);
    const fresh = await this.lookup(teamId, tag);
    if (!fresh.ok) return fresh;
    const replanned = planTransition(fresh.value, command, { ...ctx, now: this.deps.clock.now() });
    return replanned.ok ? fail('asset.concurrent_change', { tag: fresh.value.tag }) : replanned;
  }
}

/** The facts a refusal of `attempted` needs to say what state the asset is in. */
export function stateOf(asset: AssetSummary, attempted: AssetCommand['kind']): Record<string, unknown> {
  return {
    tag: asset.tag,
    status: asset.status,
    holderId: asset.holderId,
    since: asset.checkedOutAt,
    attempted,
  };
}
