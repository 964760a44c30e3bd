/**
 * Pure: what an asset is and the status state machine. No I/O; time comes in as `now`.
 * Services turn a planned transition into ONE conditional single-document update whose filter is
 * `expect` and whose change also appends `history` — so a change and its history never disagree.
 */
import { fail, ok, type Result } from './result.js';

export const assetStatuses = [
  'available',
  'checked_out',
  'pending_return',
  'in_repair',
  'lost',
  'retired',
] as const;
export type AssetStatus = (typeof assetStatuses)[number];

export const statusLabels: Record<AssetStatus, string> = {
  available: 'Available',
  checked_out: 'Checked out',
  pending_return: 'Pending return',
  in_repair: 'In repair',
  lost: 'Lost',
  retired: 'Retired',
};

export const returnConditions = ['good', 'damaged', 'needs_repair'] as const;
export type ReturnCondition = (typeof returnConditions)[number];

export const problemKinds = ['lost', 'damaged', 'not_working'] as const;
export type ProblemKind = (typeof problemKinds)[number];

/** Procurement facts; all optional so today's assets and tomorrow's imports share one shape. */
export interface Procurement {
  cost: number | undefined;
  currency: string | undefined;
  vendor: string | undefined;
  orderNumber: string | undefined;
  purchaseDate: Date | undefined;
  warrantyEndsAt: Date | undefined;
  usefulLifeMonths: number | undefined;
}

export type AssetAction =
  | 'registered'
  | 'checked_out'
  | 'return_started'
  | 'return_confirmed'
  | 'checked_in'
  | 'transferred'
  | 'problem_reported'
  | 'reported_lost'
  | 'sent_to_repair'
  | 'repaired'
  | 'found'
  | 'retired'
  | 'updated';

export interface AssetHistoryEntry {
  at: Date;
  actorId: string;
  action: AssetAction;
  fromStatus: AssetStatus | undefined;
  toStatus: AssetStatus;
  fromHolderId: string | undefined;
  toHolderId: string | undefined;
  note: string | undefined;
  requestId: string | undefined;
  transferId: string | undefined;
  condition: ReturnCondition | undefined;
  problem: ProblemKind | undefined;
}

export interface Asset {
  id: string;
  teamId: string;
  tag: string;
  serial: string | undefined;
  name: string;
  category: string;
  model: string | undefined;
  status: AssetStatus;
  holderId: string | undefined;
  location: string | undefined;
  checkedOutAt: Date | undefined;
  dueBackAt: Date | undefined;
  procurement: Procurement | undefined;
  customFields: Record<string, string>;
  /** Newest last, as appended; readers page it newest first. */
  history: AssetHistoryEntry[];
  createdAt: Date;
  updatedAt: Date;
}

/** What a transition writes: the fields that change, and the history entry appended with them. */
export interface PlannedTransition {
  /** The state the asset must still be in for the write to apply (the conditional update's filter). */
  expect: { status: AssetStatus; holderId: string | undefined };
  set: Partial<Pick<Asset, 'status' | 'holderId' | 'checkedOutAt' | 'dueBackAt' | 'location'>>;
  /** Fields cleared by the transition. */
  unset: Array<'holderId' | 'checkedOutAt' | 'dueBackAt'>;
  entry: AssetHistoryEntry;
}

export type AssetCommand =
  | { kind: 'check_out'; holderId: string; dueBackAt: Date | undefined; requestId?: string }
  | { kind: 'start_return' }
  | { kind: 'confirm_return'; condition: ReturnCondition }
  | { kind: 'check_in'; condition: ReturnCondition }
  | { kind: 'transfer'; toHolderId: string; transferId?: string }
  | { kind: 'report_problem'; problem: ProblemKind }
  | { kind: 'send_to_repair' }
  | { kind: 'complete_repair' }
  | { kind: 'mark_found' }
  | { kind: 'retire' };

export interface CommandContext {
  actorId: string;
  now: Date;
  note?: string;
}

/** Which statuses each command may start from. The one table the whole product obeys. */
export const allowedFrom: Record<AssetCommand['kind'], readonly AssetStatus[]> = {
  check_out: ['available'],
  start_return: ['checked_out'],
  confirm_return: ['pending_return'],
  check_in: ['checked_out', 'pending_return', 'lost'],
  transfer: ['checked_out'],
  report_problem: ['checked_out', 'pending_return'],
  send_to_repair: ['available'],
  complete_repair: ['in_repair'],
  mark_found: ['lost'],
  retire: ['available', 'in_repair', 'lost'],
};

export function canApply(status: AssetStatus, kind: AssetCommand['kind']): boolean {
  return allowedFrom[kind].includes(status);
}

function conditionTarget(condition: ReturnCondition): AssetStatus {
  return condition === 'good' ? 'available' : 'in_repair';
}

/**
 * Plans a command against the asset's current state. A forbidden transition comes back as
 * `asset.transition_forbidden` with the facts a person needs to understand why.
 */
export function planTransition(
  asset: Pick<Asset, 'tag' | 'status' | 'holderId' | 'checkedOutAt' | 'dueBackAt'>,
  command: AssetCommand,
  ctx: CommandContext,
): Result<PlannedTransition> {
  if (!canApply(asset.status, command.kind)) {
    return fail('asset.transition_forbidden', {
      tag: asset.tag,
      status: asset.status,
      holderId: asset.holderId,
      since: asset.checkedOutAt,
      attempted: command.kind,
    });
  }
  const expect = { status: asset.status, holderId: asset.holderId };
  const entry = (
    action: AssetAction,
    toStatus: AssetStatus,
    toHolderId: string | undefined,
    extra: Partial<AssetHistoryEntry> = {},
  ): AssetHistoryEntry => ({
    at: ctx.now,
    actorId: ctx.actorId,
    action,
    fromStatus: asset.status,
    toStatus,
    fromHolderId: asset.holderId,
    toHolderId,
    note: ctx.note,
    requestId: undefined,
    transferId: undefined,
    condition: undefined,
    problem: undefined,
    ...extra,
  });

  switch (command.kind) {
    case 'check_out': {
      if (command.dueBackAt && command.dueBackAt.getTime() <= ctx.now.getTime()) {
        return fail('input.invalid', { field: 'due', reason: 'due_in_past' });
      }
      return ok({
        expect,
        set: {
          status: 'checked_out',
          holderId: command.holderId,
          checkedOutAt: ctx.now,
          ...(command.dueBackAt ? { dueBackAt: command.dueBackAt } : {}),
        },
        unset: command.dueBackAt ? [] : ['dueBackAt'],
        entry: entry('checked_out', 'checked_out', command.holderId, { requestId: command.requestId }),
      });
    }
    case 'start_return': {
      if (asset.holderId !== ctx.actorId) {
        return fail('asset.not_holder', { tag: asset.tag, holderId: asset.holderId });
      }
      return ok({
        expect,
        set: { status: 'pending_return' },
        unset: [],
        entry: entry('return_started', 'pending_return', asset.holderId),
      });
    }
    case 'confirm_return':
    case 'check_in': {
      const to = conditionTarget(command.condition);
      return ok({
        expect,
        set: { status: to },
        unset: ['holderId', 'checkedOutAt', 'dueBackAt'],
        entry: entry(command.kind === 'check_in' ? 'checked_in' : 'return_confirmed', to, undefined, {
          condition: command.condition,
        }),
      });
    }
    case 'transfer': {
      if (command.toHolderId === asset.holderId) {
        return fail('asset.already_holder', { tag: asset.tag, holderId: asset.holderId });
      }
      return ok({
        expect,
        set: { holderId: command.toHolderId, checkedOutAt: ctx.now },
        unset: [],
        entry: entry('transferred', 'checked_out', command.toHolderId, { transferId: command.transferId }),
      });
    }
    case 'report_problem': {
      if (asset.holderId !== ctx.actorId) {
        return fail('asset.not_holder', { tag: asset.tag, holderId: asset.holderId });
      }
      if (command.problem === 'lost') {
        // The last holder stays on record so IT knows whom to ask.
        return ok({
          expect,
          set: { status: 'lost' },
          unset: ['dueBackAt'],
          entry: entry('reported_lost', 'lost', asset.holderId, { problem: 'lost' }),
        });
      }
      return ok({
        expect,
        set: {},
        unset: [],
        entry: entry('problem_reported', asset.status, asset.holderId, { problem: command.problem }),
      });
    }
    case 'send_to_repair':
      return ok({
        expect,
        set: { status: 'in_repair' },
        unset: [],
        entry: entry('sent_to_repair', 'in_repair', undefined),
      });
    case 'complete_repair':
      return ok({
        expect,
        set: { status: 'available' },
        unset: [],
        entry: entry('repaired', 'available', undefined),
      });
    case 'mark_found':
      return ok({
        expect,
        set: { status: 'available' },
        unset: ['holderId', 'checkedOutAt', 'dueBackAt'],
        entry: entry('found', 'available', undefined),
      });
    case 'retire':
      return ok({
        expect,
        set: { status: 'retired' },
        unset: ['holderId', 'checkedOutAt', 'dueBackAt'],
        entry: entry('retired', 'retired', undefined),
      });
  }
}

/** Overdue means a due date has passed while someone still holds the asset. */
export function isOverdue(asset: Pick<Asset, 'status' | 'dueBackAt'>, now: Date): boolean {
  return (
    asset.dueBackAt !== undefined &&
    (asset.status === 'checked_out' || asset.status === 'pending_return') &&
    asset.dueBackAt.getTime() < now.getTime()
  );
}

export function daysOverdue(asset: Pick<Asset, 'status' | 'dueBackAt'>, now: Date): number {
  if (!isOverdue(asset, now) || !asset.dueBackAt) return 0;
  return Math.floor((now.getTime() - asset.dueBackAt.getTime()) / 86_400_000);
}

/** Tags are matched case-insensitively and stored upper-case: "lap-0042" and "LAP-0042" are one asset. */
export function normalizeTag(tag: string): string {
  return tag.trim().toUpperCase();
}

export const tagPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
