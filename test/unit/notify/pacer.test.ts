import { describe, expect, it } from '@jest/globals';
import { Pacer } from '../../../src/notify/pacer.js';

describe('Pacer', () => {
  it('starts at most perMinute calls in a sliding minute and at most `concurrency` at once', async () => {
    let now = 0;
    const pacer = new Pacer({ perMinute: 3, concurrency: 2, now: () => now });
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const task = (n: number) =>
      pacer.run(async () => {
        running += 1;
        peak = Math.max(peak, running);
        started.push(n);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
      });
    const all = [1, 2, 3, 4].map(task);
    await Promise.all(all.slice(0, 3));
    expect(started).toEqual([1, 2, 3]);
    expect(peak).toBe(2);
    // The fourth waits for the first start to leave the window.
    now = 60_001;
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(started).toEqual([1, 2, 3]);
    // Its timer was set for the real remainder; a later call re-checks the window with the new time.
    const fifth = task(5);
    await Promise.all([all[3], fifth]);
    expect(started).toEqual([1, 2, 3, 4, 5]);
  });

  it('counts calls noted without waiting', async () => {
    const now = 0;
    const pacer = new Pacer({ perMinute: 1, concurrency: 1, now: () => now });
    pacer.note();
    let ran = false;
    void pacer.run(async () => {
      ran = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ran).toBe(false);
  });
});
