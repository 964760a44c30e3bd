/**
 * Injected failures: the next call(s) of a Web API method fail the way Slack fails (an error code, a
 * 500 or a 429 with Retry-After), after authentication and before any effect.
 */
import type { JsonObject } from './types.js';
import { isKnownMethod, rateLimited, type ApiReply } from './web-api.js';

/** How an injected failure answers: Slack's `{ ok: false, error }`, an HTTP 500, or a 429 with Retry-After. */
export interface InjectedFault {
  /** Slack's error code (default `internal_error`, or `ratelimited` for status 429). */
  error?: string;
  /** 200 (default: Slack's usual refusal), 500 (server error) or 429 (rate limited). */
  status?: 200 | 429 | 500 | 503;
  /** How many of the next calls fail (default 1). */
  times?: number;
  /** Retry-After for a 429, in seconds (default 1). */
  retryAfterSeconds?: number;
  /** Only calls whose arguments pass fail (e.g. one channel, while DMs still go out); default all. */
  match?: (args: JsonObject) => boolean;
}

export const faultReply = (fault: Required<InjectedFault>): ApiReply => {
  if (fault.status === 429) {
    const limited = rateLimited(fault.retryAfterSeconds);
    return { ...limited, body: { ok: false, error: fault.error } };
  }
  return { status: fault.status, body: { ok: false, error: fault.error } };
};

/** Queued faults per method, taken in order by the first call whose arguments match. */
export class FaultQueue {
  private readonly faults = new Map<string, Array<Required<InjectedFault>>>();

  add(method: string, fault: InjectedFault): void {
    if (!isKnownMethod(method)) throw new Error(`fake Slack: cannot fail unknown method ${method}`);
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1)
      throw new Error('fake Slack: failNext times must be 1 or more');
    const status = fault.status ?? 200;
    const complete: Required<InjectedFault> = {
      status,
      error: fault.error ?? (status === 429 ? 'ratelimited' : 'internal_error'),
      times: 1,
      retryAfterSeconds: fault.retryAfterSeconds ?? 1,
      match: fault.match ?? (() => true),
    };
    const queue = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(complete);
    this.faults.set(method, queue);
  }

  pending(method?: string): number {
    if (method !== undefined) return this.faults.get(method)?.length ?? 0;
    return [...this.faults.values()].reduce((sum, queue) => sum + queue.length, 0);
  }

  clear(): void {
    this.faults.clear();
  }

  take(method: string, args: JsonObject): Required<InjectedFault> | undefined {
    const queue = this.faults.get(method);
    const index = queue?.findIndex((f) => f.match(args)) ?? -1;
    if (queue === undefined || index < 0) return undefined;
    const [fault] = queue.splice(index, 1);
    if (queue.length === 0) this.faults.delete(method);
    return fault;
  }
}
