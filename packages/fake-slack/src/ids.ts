/**
 * Identifier factory for one fake workspace. Ids are deterministic per instance (counters) so
 * test failures are reproducible; only trigger ids and URL secrets carry randomness, because
 * Slack makes them unguessable and several fakes may run side by side.
 */
import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function toBase62(n: number): string {
  let out = '';
  let rest = n;
  do {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return out;
}

export type IdKind = 'user' | 'bot' | 'channel' | 'im' | 'mpim' | 'view' | 'file' | 'event';

const PREFIX: Record<IdKind, string> = {
  user: 'U',
  bot: 'B',
  channel: 'C',
  im: 'D',
  mpim: 'G',
  view: 'V',
  file: 'F',
  event: 'Ev',
};

export class IdFactory {
  private readonly counters = new Map<string, number>();
  private lastTsMicros = 0;

  constructor(private readonly now: () => number) {}

  private next(key: string): number {
    const n = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, n);
    return n;
  }

  /** Slack-style id: a type letter and uppercase base-36 digits (e.g. `U00000000A1`). */
  id(kind: IdKind): string {
    const n = this.next(kind);
    return PREFIX[kind] + n.toString(36).toUpperCase().padStart(10, '0');
  }

  /** Message timestamps are unique, increasing and in Slack's `seconds.micros` format. */
  messageTs(): string {
    const micros = Math.max(Math.floor(this.now() * 1000), this.lastTsMicros + 1);
    this.lastTsMicros = micros;
    const seconds = Math.floor(micros / 1_000_000);
    const fraction = String(micros % 1_000_000).padStart(6, '0');
    return `${seconds}.${fraction}`;
  }

  /** Views carry an opaque hash that changes on every update (`views.update` compares it). */
  viewHash(): string {
    return `${Math.floor(this.now() / 1000)}.${toBase62(this.next('hash') * 7919).padStart(8, '0')}`;
  }

  /** Slack generates short block ids for blocks sent without one. */
  blockId(): string {
    return toBase62(this.next('block') + 3843).slice(-5);
  }

  /** Slack generates action ids for interactive elements sent without one. */
  actionId(): string {
    return toBase62(this.next('action') + 238327).slice(-6);
  }

  /** Trigger ids look like `12345.98765.abcd2358fdea`. */
  triggerId(): string {
    return `${this.next('trigger')}.${Math.floor(this.now() / 1000)}.${randomBytes(16).toString('hex')}`;
  }

  /** Unguessable path segment for response URLs and upload URLs. */
  secret(): string {
    return randomBytes(12).toString('hex');
  }

  sequence(key: string): number {
    return this.next(key);
  }
}
