import { describe, expect, it } from '@jest/globals';
import { RateLimiter } from '../../src/rate-limiter.js';

describe('chat.postMessage per channel', () => {
  it('allows one message per second per channel by default', () => {
    const limiter = new RateLimiter();
    expect(limiter.takeChannelPost('C1', 0)).toEqual({ allowed: true });
    expect(limiter.takeChannelPost('C1', 400)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.takeChannelPost('C2', 400)).toEqual({ allowed: true });
    expect(limiter.takeChannelPost('C1', 1000)).toEqual({ allowed: true });
  });

  it('can allow a burst that refills at the configured rate', () => {
    const limiter = new RateLimiter({ postMessagePerChannel: { burst: 3, perSecond: 1 } });
    expect([0, 1, 2].map((t) => limiter.takeChannelPost('C1', t).allowed)).toEqual([true, true, true]);
    expect(limiter.takeChannelPost('C1', 3).allowed).toBe(false);
    expect(limiter.takeChannelPost('C1', 1010).allowed).toBe(true);
    expect(limiter.takeChannelPost('C1', 1020).allowed).toBe(false);
  });

  it('can be turned off', () => {
    const limiter = new RateLimiter(false);
    expect(
      Array.from({ length: 50 }, (_, i) => limiter.takeChannelPost('C1', i).allowed).every(Boolean),
    ).toBe(true);
  });
});

describe('per-method tiers', () => {
  it('refuses the 21st users.list call within a minute and says when to retry', () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 20; i += 1) expect(limiter.takeMethodCall('users.list', i * 1000).allowed).toBe(true);
    expect(limiter.takeMethodCall('users.list', 30_000)).toEqual({ allowed: false, retryAfterSeconds: 30 });
    expect(limiter.takeMethodCall('users.list', 60_001).allowed).toBe(true);
  });

  it('accepts overrides and leaves methods without a tier unlimited', () => {
    const limiter = new RateLimiter({ perMinute: { 'views.publish': 2 } });
    expect(limiter.takeMethodCall('views.publish', 0).allowed).toBe(true);
    expect(limiter.takeMethodCall('views.publish', 1).allowed).toBe(true);
    expect(limiter.takeMethodCall('views.publish', 2).allowed).toBe(false);
    expect(limiter.takeMethodCall('chat.postMessage', 2).allowed).toBe(true);
  });
});
