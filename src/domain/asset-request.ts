/**
 * Pure: asset requests and their lifecycle. An approval touches two documents (the request and the
 * asset), so it runs as claim -> check out -> finish, each step a conditional single-document write:
 * a crash after any step leaves a state the next attempt recognises and completes.
 */
import { fail, ok, type Result } from './result.js';

export const requestStatuses = ['pending', 'approving', 'approved', 'denied', 'cancelled'] as const;
export type RequestStatus = (typeof requestStatuses)[number];

export const requestKinds = ['permanent', 'loan'] as const;
export type RequestKind = (typeof requestKinds)[number];

/** What is asked for: a whole category ("any laptop") or one model within it. */
export interface CatalogChoice {
  category: string;
  model: string | undefined;
}

export interface RequestApproval {
  approverId: string;
  assetId: string;
  assetTag: string;
  dueBackAt: Date | undefined;
  note: string | undefined;
  /** When the approver claimed the request; a stale claim may be taken over. */
  claimedAt: Date;
  approvedAt: Date | undefined;
}

export interface RequestDenial {
  deniedBy: string;
  reason: string;
  deniedAt: Date;
}

export interface AssetRequest {
  id: string;
  teamId: string;
  requesterId: string;
  kind: RequestKind;
  item: CatalogChoice;
  reason: string;
  neededBy: Date | undefined;
  returnBy: Date | undefined;
  status: RequestStatus;
  approval: RequestApproval | undefined;
  denial: RequestDenial | undefined;
  /** The IT channel post that carries the Approve / Deny buttons; updated in place when decided. */
  itMessage: { channel: string; ts: string } | undefined;
  createdAt: Date;
  updatedAt: Date;
}

/** A claim older than this is treated as abandoned (its approver crashed or gave up). */
export const approvalClaimTimeoutMs = 2 * 60 * 1000;

export const requestLimits = { reasonMax: 500, noteMax: 500, denialReasonMax: 500 } as const;

export interface NewRequestInput {
  kind: RequestKind;
  item: CatalogChoice;
  reason: string;
  neededBy: Date | undefined;
  returnBy: Date | undefined;
}

export type RequestFieldError = {
  field: 'item' | 'reason' | 'needed_by' | 'return_by' | 'kind';
  message: string;
};

/** Validates a request as a person filled it in; every problem is reported against its field. */
export function validateNewRequest(input: NewRequestInput, today: Date): RequestFieldError[] {
  const errors: RequestFieldError[] = [];
  const startOfToday = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  if (input.reason.trim().length < 3)
    errors.push({ field: 'reason', message: 'Tell IT briefly why you need it.' });
  if (input.reason.length > requestLimits.reasonMax) {
    errors.push({ field: 'reason', message: `Keep it under ${requestLimits.reasonMax} characters.` });
  }
  if (input.neededBy && input.neededBy.getTime() < startOfToday) {
    errors.push({ field: 'needed_by', message: 'The needed-by date is in the past.' });
  }
  if (input.kind === 'loan') {
    if (!input.returnBy) errors.push({ field: 'return_by', message: 'A loan needs a return-by date.' });
    else if (input.returnBy.getTime() <= startOfToday) {
      errors.push({ field: 'return_by', message: 'The return-by date must be in the future.' });
    } else if (input.neededBy && input.returnBy.getTime() < input.neededBy.getTime()) {
      errors.push({ field: 'return_by', message: 'The return-by date is before the needed-by date.' });
    }
  } else if (input.returnBy) {
    errors.push({
      field: 'return_by',
      message: 'Only loans have a return-by date; choose "Loan" or clear the date.',
    });
  }
  return errors;
}

export function fitsRequest(
  asset: { category: string; model: string | undefined },
  item: CatalogChoice,
): boolean {
  const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
  if (!same(asset.category, item.category)) return false;
  return item.model === undefined || (asset.model !== undefined && same(asset.model, item.model));
}

/** Whether `actorId` may start (or take over) the approval of this request now. */
export function canClaimApproval(
  request: Pick<AssetRequest, 'status' | 'requesterId' | 'approval' | 'denial'>,
  actorId: string,
  now: Date,
): Result<'fresh' | 'resume' | 'takeover'> {
  if (request.requesterId === actorId) return fail('request.self_approval');
  switch (request.status) {
    case 'pending':
      return ok('fresh');
    case 'approving': {
      const claim = request.approval;
      if (!claim) return ok('fresh');
      if (claim.approverId === actorId) return ok('resume');
      if (now.getTime() - claim.claimedAt.getTime() > approvalClaimTimeoutMs) return ok('takeover');
      return fail('request.not_pending', { status: 'being approved', by: claim.approverId });
    }
    case 'approved':
      return fail('request.not_pending', {
        status: 'approved',
        by: request.approval?.approverId,
        tag: request.approval?.assetTag,
      });
    case 'denied':
      return fail('request.not_pending', { status: 'denied', by: request.denial?.deniedBy });
    case 'cancelled':
      return fail('request.not_pending', { status: 'cancelled' });
  }
}

export function describeItem(item: CatalogChoice): string {
  return item.model ? `${item.model} (${item.category})` : `any ${item.category}`;
}
