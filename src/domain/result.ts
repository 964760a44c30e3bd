/** Pure: expected outcomes are values with a stable code; unexpected ones are thrown. */

export type DomainErrorCode =
  | 'asset.not_found'
  | 'asset.transition_forbidden'
  | 'asset.not_holder'
  | 'asset.already_holder'
  | 'asset.duplicate_tag'
  | 'asset.duplicate_serial'
  | 'asset.concurrent_change'
  | 'input.invalid'
  | 'permission.denied'
  | 'person.not_found'
  | 'person.cannot_hold'
  | 'request.not_found'
  | 'request.not_pending'
  | 'request.self_approval'
  | 'request.asset_mismatch'
  | 'transfer.not_found'
  | 'transfer.not_pending'
  | 'transfer.not_recipient'
  | 'transfer.not_sender'
  | 'transfer.self'
  | 'transfer.already_open'
  | 'transfer.voided';

export interface DomainError {
  code: DomainErrorCode;
  /** Facts the message needs (tag, status, holder, since, field...), never pre-rendered text. */
  details: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: DomainErrorCode, details: Record<string, unknown> = {}): Result<T> => ({
  ok: false,
  error: { code, details },
});

/** Thrown when an expected failure must cross a layer that cannot return values (e.g. a listener). */
export class DomainFailure extends Error {
  readonly error: DomainError;
  constructor(error: DomainError) {
    super(error.code);
    this.name = 'DomainFailure';
    this.error = error;
  }
}
