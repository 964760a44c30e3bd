/**
 * Pure: custody transfers between two people. Custody moves only when the recipient accepts; like an
 * approval, acceptance is claim -> move the asset -> finish, so a crash in between is completed by the
 * next attempt.
 */
import { fail, ok, type Result } from './result.js';

export const transferStatuses = [
  'pending',
  'accepting',
  'accepted',
  'declined',
  'cancelled',
  'voided',
] as const;
export type TransferStatus = (typeof transferStatuses)[number];

export interface Transfer {
  id: string;
  teamId: string;
  assetId: string;
  assetTag: string;
  fromId: string;
  toId: string;
  note: string | undefined;
  status: TransferStatus;
  /** Why a transfer was voided (the asset changed state before it was accepted). */
  voidReason: string | undefined;
  /** The recipient's DM with Accept / Decline, updated in place when answered. */
  offerMessage: { channel: string; ts: string } | undefined;
  createdAt: Date;
  decidedAt: Date | undefined;
}

export function canAnswerTransfer(
  transfer: Pick<Transfer, 'status' | 'toId'>,
  actorId: string,
): Result<'fresh' | 'resume'> {
  if (transfer.toId !== actorId) return fail('transfer.not_recipient');
  if (transfer.status === 'pending') return ok('fresh');
  if (transfer.status === 'accepting') return ok('resume');
  return fail('transfer.not_pending', { status: transfer.status });
}

export function canCancelTransfer(
  transfer: Pick<Transfer, 'status' | 'fromId'>,
  actorId: string,
): Result<true> {
  if (transfer.fromId !== actorId) return fail('transfer.not_sender');
  if (transfer.status !== 'pending') return fail('transfer.not_pending', { status: transfer.status });
  return ok(true);
}
