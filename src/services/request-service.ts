import {
  authorize,
  canClaimApproval,
  fail,
  fitsRequest,
  normalizeTag,
  ok,
  planTransition,
  requestLimits,
  validateNewRequest,
  type AssetRequest,
  type Clock,
  type NewRequestInput,
  type Page,
  type PageOf,
  type Person,
  type Result,
} from '../domain/index.js';
import { catalogChoiceFingerprint, type CatalogChoiceInput } from './catalog-choice.js';
import type { Notifier } from './notifier.js';
import type { AssetRepository, AssetSummary, CatalogEntry, RequestRepository } from './ports.js';

export interface RequestServiceDeps {
  requests: RequestRepository;
  assets: AssetRepository;
  notifier: Notifier;
  clock: Clock;
}

export type RequestSubmission = Omit<NewRequestInput, 'item'> & { item: CatalogChoiceInput };

export interface SubmitOutcome {
  request: AssetRequest;
  /** False when the same submission (same once-only key) went through before: nothing new happened. */
  created: boolean;
}

export interface ApprovalChoice {
  assetTag: string;
  dueBackAt: Date | undefined;
  note: string | undefined;
}

export interface ApprovalOutcome {
  request: AssetRequest;
  asset: AssetSummary;
  /** True when this call found the work already done (a replay or a retry after a crash). */
  alreadyDone: boolean;
}

/**
 * Requests, approvals and denials. An approval writes the request and the asset, in this order:
 *   1. claim the request (pending -> approving, naming approver and asset),
 *   2. check the asset out to the requester, recording the request id in its history,
 *   3. finish the request (approving -> approved).
 * Each step is a conditional single-document update. A crash after 1 leaves a claim the same approver
 * resumes (or anyone takes over after a timeout); after 2, the asset's history shows the step is done
 * and only 3 is repeated. A claim whose asset cannot be checked out is released back to pending.
 */
export class RequestService {
  constructor(private readonly deps: RequestServiceDeps) {}

  /**
   * Files a request for something in the catalog. The choice is looked up in the catalog (a tampered or
   * outdated choice is refused); `onceKey` makes a retried or doubled submission create one request.
   */
  async submit(
    actor: Person,
    input: RequestSubmission,
    options: { onceKey?: string } = {},
  ): Promise<Result<SubmitOutcome>> {
    const allowed = authorize(actor, 'asset.request');
    if (!allowed.ok) return allowed;
    const now = this.deps.clock.now();
    const line = await this.catalogLine(actor.teamId, input.item);
    if (!line) {
      return fail('input.invalid', {
        fields: { item: 'That is not in the catalog (any more). Pick again from the list.' },
      });
    }
    const item = { category: line.category, model: line.model };
    const errors = validateNewRequest({ ...input, item }, now);
    if (errors.length > 0)
      return fail('input.invalid', { fields: Object.fromEntries(errors.map((e) => [e.field, e.message])) });
    const { request, created } = await this.deps.requests.create({
      teamId: actor.teamId,
      requesterId: actor.slackUserId,
      kind: input.kind,
      item,
      reason: input.reason.trim(),
      neededBy: input.neededBy,
      returnBy: input.kind === 'loan' ? input.returnBy : undefined,
      now,
      submissionKey: options.onceKey,
    });
    if (created) this.deps.notifier.notify({ kind: 'request.submitted', request, inStock: line.available });
    return ok({ request, created });
  }

  /** The catalog line a choice names, compared case-insensitively; undefined when there is none. */
  private async catalogLine(teamId: string, choice: CatalogChoiceInput): Promise<CatalogEntry | undefined> {
    const same = (a: string | undefined, b: string | undefined) =>
      (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();
    const search = 'fingerprint' in choice ? choice.search : (choice.model ?? choice.category);
    if (search.trim() === '') return undefined;
    const lines = await this.deps.assets.catalog(teamId, search.slice(0, 100), 100);
    return lines.find((line) =>
      'fingerprint' in choice
        ? catalogChoiceFingerprint(line) === choice.fingerprint
        : same(line.category, choice.category) && same(line.model, choice.model || undefined),
    );
  }

  async byId(teamId: string, requestId: string): Promise<Result<AssetRequest>> {
    const request = await this.deps.requests.findById(teamId, requestId);
    return request ? ok(request) : fail('request.not_found', { requestId });
  }

  /** The actor's own requests still waiting for a decision. */
  async openForMe(actor: Person): Promise<Result<AssetRequest[]>> {
    const allowed = authorize(actor, 'asset.request');
    if (!allowed.ok) return allowed;
    return ok(
      await this.deps.requests.listByRequester(actor.teamId, actor.slackUserId, ['pending', 'approving']),
    );
  }

  /** The IT queue: requests waiting for a decision. */
  async pending(actor: Person, page: Page): Promise<Result<PageOf<AssetRequest>>> {
    const allowed = authorize(actor, 'request.decide');
    if (!allowed.ok) return allowed;
    return ok(await this.deps.requests.listByStatus(actor.teamId, ['pending', 'approving'], page));
  }

  /** Remembers the IT channel post of a request, so its decision updates it in place. */
  attachItMessage(
    teamId: string,
    requestId: string,
    message: { channel: string; ts: string },
  ): Promise<void> {
    return this.deps.requests.setItMessage(teamId, requestId, message);
  }

  /** Checks, before a modal opens, that this person may decide this request now. */
  async prepareDecision(
    actor: Person,
    requestId: string,
    decision: 'approve' | 'deny',
  ): Promise<Result<AssetRequest>> {
    const allowed = authorize(actor, 'request.decide', `${decision} requests`);
    if (!allowed.ok) return allowed;
    const found = await this.byId(actor.teamId, requestId);
    if (!found.ok) return found;
    const claimable = canClaimApproval(found.value, actor.slackUserId, this.deps.clock.now());
    return claimable.ok ? found : claimable;
  }

  /** In-stock assets that fit a request, for the approver's typeahead. */
  async assetsFitting(
    actor: Person,
    requestId: string,
    text: string | undefined,
  ): Promise<Result<AssetSummary[]>> {
    const allowed = authorize(actor, 'request.decide');
    if (!allowed.ok) return allowed;
    const request = await this.byId(actor.teamId, requestId);
    if (!request.ok) return request;
    return ok(await this.deps.assets.searchAvailable(actor.teamId, request.value.item, text, 50));
  }

  /** Approves a request by checking a specific asset out to the requester; everyone concerned is told. */
  async approve(actor: Person, requestId: string, choice: ApprovalChoice): Promise<Result<ApprovalOutcome>> {
    const allowed = authorize(actor, 'request.decide', 'approve requests');
    if (!allowed.ok) return allowed;
    const result = await this.approveOnce(actor.teamId, requestId, actor.slackUserId, choice);
    // A replay still notifies: a crash may have come before the messages went out, and each goes out once.
    if (result.ok) {
      this.deps.notifier.notify({
        kind: 'request.approved',
        request: result.value.request,
        asset: result.value.asset,
      });
    }
    return result;
  }

  private async approveOnce(
    teamId: string,
    requestId: string,
    actorId: string,
    choice: ApprovalChoice,
  ): Promise<Result<ApprovalOutcome>> {
    const { requests, assets, clock } = this.deps;
    const tag = normalizeTag(choice.assetTag);
    const request = await requests.findById(teamId, requestId);
    if (!request) return fail('request.not_found', { requestId });

    // A replay of the approval that already went through: report it as done, change nothing.
    if (
      request.status === 'approved' &&
      request.approval?.approverId === actorId &&
      request.approval.assetTag === tag
    ) {
      const asset = await assets.findById(teamId, request.approval.assetId);
      if (asset) return ok({ request, asset, alreadyDone: true });
    }

    const now = clock.now();
    const decision = canClaimApproval(request, actorId, now);
    if (!decision.ok) return decision;

    if (decision.value !== 'fresh' && request.approval) {
      const finished = await this.finishIfCheckedOut(request, now);
      if (finished) return finished;
    }

    const asset = await assets.findByTag(teamId, tag);
    if (!asset) return fail('asset.not_found', { tag });
    if (!fitsRequest(asset, request.item)) {
      return fail('request.asset_mismatch', {
        tag,
        category: asset.model ? `${asset.model} (${asset.category})` : asset.category,
      });
    }
    const plan = planTransition(
      asset,
      {
        kind: 'check_out',
        holderId: request.requesterId,
        dueBackAt: choice.dueBackAt,
        requestId: request.id,
      },
      { actorId, now, note: choice.note },
    );
    if (!plan.ok) return plan;

    const approval = {
      approverId: actorId,
      assetId: asset.id,
      assetTag: asset.tag,
      dueBackAt: choice.dueBackAt,
      note: choice.note,
      claimedAt: now,
      approvedAt: undefined,
    };
    const takeover =
      decision.value !== 'fresh' && request.approval
        ? { approverId: request.approval.approverId, claimedAt: request.approval.claimedAt }
        : undefined;
    const claimed = await requests.claimApproval(teamId, request.id, approval, takeover);
    if (!claimed) return this.whyNotPending(teamId, request.id, actorId);

    const checkedOut = await assets.applyTransition(teamId, asset.id, plan.value);
    if (!checkedOut) {
      await requests.releaseClaim(teamId, request.id, actorId, clock.now());
      const fresh = await assets.findById(teamId, asset.id);
      const replanned = fresh
        ? planTransition(
            fresh,
            { kind: 'check_out', holderId: request.requesterId, dueBackAt: choice.dueBackAt },
            { actorId, now },
          )
        : undefined;
      return replanned && !replanned.ok ? replanned : fail('asset.concurrent_change', { tag: asset.tag });
    }

    const done = await requests.finishApproval(teamId, request.id, actorId, clock.now());
    if (done) return ok({ request: done, asset: checkedOut, alreadyDone: false });
    // Someone took over an expired claim and finished it from the asset's history: it is approved all the same.
    const after = await requests.findById(teamId, request.id);
    if (after?.status === 'approved') return ok({ request: after, asset: checkedOut, alreadyDone: false });
    return fail('asset.concurrent_change', { tag: asset.tag });
  }

  /** Step 3 only, when an earlier attempt already checked the claimed asset out for this request. */
  private async finishIfCheckedOut(
    request: AssetRequest,
    now: Date,
  ): Promise<Result<ApprovalOutcome> | undefined> {
    const claim = request.approval;
    if (!claim) return undefined;
    const asset = await this.deps.assets.findById(request.teamId, claim.assetId);
    if (!asset || asset.status !== 'checked_out' || asset.holderId !== request.requesterId) return undefined;
    const ref = await this.deps.assets.lastHistoryRef(request.teamId, asset.id);
    if (ref?.requestId !== request.id) return undefined;
    const done = await this.deps.requests.finishApproval(request.teamId, request.id, claim.approverId, now);
    const finalRequest = done ?? (await this.deps.requests.findById(request.teamId, request.id));
    if (finalRequest?.status !== 'approved') return undefined;
    return ok({ request: finalRequest, asset, alreadyDone: true });
  }

  private async whyNotPending(teamId: string, requestId: string, actorId: string): Promise<Result<never>> {
    const fresh = await this.deps.requests.findById(teamId, requestId);
    if (!fresh) return fail('request.not_found', { requestId });
    const decision = canClaimApproval(fresh, actorId, this.deps.clock.now());
    return decision.ok ? fail('request.not_pending', { status: 'being changed' }) : decision;
  }

  async deny(actor: Person, requestId: string, reason: string): Promise<Result<AssetRequest>> {
    const allowed = authorize(actor, 'request.decide', 'deny requests');
    if (!allowed.ok) return allowed;
    const result = await this.denyOnce(actor.teamId, requestId, actor.slackUserId, reason);
    if (result.ok) this.deps.notifier.notify({ kind: 'request.denied', request: result.value });
    return result;
  }

  private async denyOnce(
    teamId: string,
    requestId: string,
    actorId: string,
    reason: string,
  ): Promise<Result<AssetRequest>> {
    const trimmed = reason.trim();
    if (trimmed.length < 3 || trimmed.length > requestLimits.denialReasonMax) {
      return fail('input.invalid', {
        fields: { reason: `Give the requester a reason (3–${requestLimits.denialReasonMax} characters).` },
      });
    }
    const request = await this.deps.requests.findById(teamId, requestId);
    if (!request) return fail('request.not_found', { requestId });
    if (request.status === 'denied' && request.denial?.deniedBy === actorId) return ok(request);
    const decision = canClaimApproval(request, actorId, this.deps.clock.now());
    if (!decision.ok) return decision;
    if (request.status !== 'pending')
      return fail('request.not_pending', { status: 'being approved', by: request.approval?.approverId });
    const denied = await this.deps.requests.deny(teamId, requestId, {
      deniedBy: actorId,
      reason: trimmed,
      deniedAt: this.deps.clock.now(),
    });
    return denied ? ok(denied) : this.whyNotPending(teamId, requestId, actorId);
  }

  /** The requester withdraws a request nobody is deciding yet. */
  async cancel(actor: Person, requestId: string): Promise<Result<AssetRequest>> {
    const allowed = authorize(actor, 'asset.request', 'cancel requests');
    if (!allowed.ok) return allowed;
    const result = await this.cancelOnce(actor.teamId, requestId, actor.slackUserId);
    if (result.ok) this.deps.notifier.notify({ kind: 'request.cancelled', request: result.value });
    return result;
  }

  private async cancelOnce(
    teamId: string,
    requestId: string,
    requesterId: string,
  ): Promise<Result<AssetRequest>> {
    const request = await this.deps.requests.findById(teamId, requestId);
    if (!request || request.requesterId !== requesterId) return fail('request.not_found', { requestId });
    if (request.status === 'cancelled') return ok(request);
    if (request.status !== 'pending') return fail('request.not_pending', { status: request.status });
    const cancelled = await this.deps.requests.cancel(teamId, requestId, requesterId, this.deps.clock.now());
    return cancelled ? ok(cancelled) : fail('request.not_pending', { status: 'already decided' });
  }
}
