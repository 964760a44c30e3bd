/**
 * What services tell the outside world after a change, as facts. The notifier (src/notify/) turns each
 * notice into DMs, channel posts, message updates and home refreshes, each sent exactly once; services
 * never know how. `notify` returns at once: delivery runs after the caller has answered, and a failed
 * delivery is logged and, where a person would otherwise wait in vain, told to someone.
 */
import type { AssetRequest, ProblemKind, ReturnCondition, Transfer } from '../domain/index.js';
import type { AssetSummary } from './ports.js';

/** A message in Slack that a notice may update in place (where a button was pressed, or a remembered post). */
export interface MessageRef {
  channel: string;
  ts: string;
}

export type Notice =
  | { kind: 'asset.registered'; teamId: string; asset: AssetSummary }
  /** Stock changed without anyone to tell (repair, retirement): IT's homes refresh. */
  | { kind: 'asset.stock_changed'; teamId: string; asset: AssetSummary }
  | {
      kind: 'asset.checked_out';
      teamId: string;
      actorId: string;
      asset: AssetSummary;
      note: string | undefined;
    }
  | {
      kind: 'asset.custody_ended';
      teamId: string;
      actorId: string;
      asset: AssetSummary;
      formerHolderId: string | undefined;
      condition: ReturnCondition;
      via: 'checked_in' | 'return_confirmed';
      /** The IT channel's return message, replaced by the outcome. */
      returnMessage: MessageRef | undefined;
    }
  | { kind: 'asset.return_started'; teamId: string; holderId: string; asset: AssetSummary }
  | {
      kind: 'asset.problem_reported';
      teamId: string;
      reporterId: string;
      asset: AssetSummary;
      problem: ProblemKind;
      note: string | undefined;
    }
  | { kind: 'request.submitted'; request: AssetRequest; inStock: number | undefined }
  | { kind: 'request.approved'; request: AssetRequest; asset: AssetSummary }
  | { kind: 'request.denied'; request: AssetRequest }
  | { kind: 'request.cancelled'; request: AssetRequest }
  | { kind: 'transfer.offered'; transfer: Transfer; asset: AssetSummary }
  | {
      kind: 'transfer.accepted';
      transfer: Transfer;
      asset: AssetSummary | undefined;
      answeredOn: MessageRef | undefined;
    }
  | { kind: 'transfer.declined'; transfer: Transfer; answeredOn: MessageRef | undefined }
  /** Cancelled by the sender, or voided because the asset changed hands. */
  | { kind: 'transfer.closed'; transfer: Transfer; answeredOn: MessageRef | undefined };

export interface Notifier {
  notify(notice: Notice): void;
}
