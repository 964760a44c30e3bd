/**
 * Slack's rate limits as the fake enforces them (pure; time comes from the caller's clock):
 * `chat.postMessage` about one message per second per channel (a token bucket, so a burst
 * allowance can be configured) and per-method, per-workspace limits per minute (Slack's tiers).
 */

export interface PostMessageLimit {
  /** Messages that may be posted back to back to one channel (Slack: 1). */
  burst: number;
  /** Messages per second regained per channel (Slack: 1). */
  perSecond: number;
}

export interface RateLimitSettings {
  /** `false` turns the per-channel limit of `chat.postMessage` off. */
  postMessagePerChannel?: PostMessageLimit | false;
  /** Per-method calls per minute; `false` turns the tiers off; entries override the defaults. */
  perMinute?: Partial<Record<string, number>> | false;
}

/** Slack's documented tiers: Tier 2 = 20/min, Tier 3 = 50/min, Tier 4 = 100/min. */
export const DEFAULT_PER_MINUTE: Readonly<Record<string, number>> = {
  'auth.test': 100,
  'chat.postEphemeral': 100,
  'chat.update': 50,
  'chat.delete': 50,
  'views.open': 100,
  'views.push': 100,
  'views.update': 100,
  'views.publish': 100,
  'users.info': 100,
  'users.lookupByEmail': 50,
  'users.list': 20,
  'conversations.open': 50,
  'conversations.info': 50,
  'files.getUploadURLExternal': 100,
  'files.completeUploadExternal': 100,
};

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly windows = new Map<string, number[]>();
  private readonly postLimit: PostMessageLimit | false;
  private readonly perMinute: Readonly<Record<string, number>> | false;

  constructor(settings: RateLimitSettings | false = {}) {
    this.postLimit =
      settings === false || settings.postMessagePerChannel === false
        ? false
        : (settings.postMessagePerChannel ?? { burst: 1, perSecond: 1 });
    if (settings === false || settings.perMinute === false) {
      this.perMinute = false;
    } else {
      const merged: Record<string, number> = { ...DEFAULT_PER_MINUTE };
      for (const [method, limit] of Object.entries(settings.perMinute ?? {})) {
        if (limit !== undefined) merged[method] = limit;
      }
      this.perMinute = merged;
    }
  }

  /** Counts a call of `method` at `now` if allowed. */
  takeMethodCall(method: string, now: number): RateDecision {
    if (this.perMinute === false) return { allowed: true };
    const limit = this.perMinute[method];
    if (limit === undefined) return { allowed: true };
    const recent = (this.windows.get(method) ?? []).filter((t) => t > now - 60_000);
    if (recent.length >= limit) {
      this.windows.set(method, recent);
      const oldest = recent[0] ?? now;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + 60_000 - now) / 1000)) };
    }
    recent.push(now);
    this.windows.set(method, recent);
    return { allowed: true };
  }

  /** Counts a `chat.postMessage` to `channel` at `now` if allowed. */
  takeChannelPost(channel: string, now: number): RateDecision {
    if (this.postLimit === false) return { allowed: true };
    const { burst, perSecond } = this.postLimit;
    const bucket = this.buckets.get(channel) ?? { tokens: burst, at: now };
    const refilled = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    if (refilled < 1) {
      this.buckets.set(channel, { tokens: refilled, at: now });
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - refilled) / perSecond)) };
    }
    this.buckets.set(channel, { tokens: refilled - 1, at: now });
    return { allowed: true };
  }

  reset(): void {
    this.buckets.clear();
    this.windows.clear();
  }
}
