import type { Clock } from '../domain/clock.js';

export const systemClock: Clock = { now: () => new Date() };

/** A clock that runs with real time but can be moved forward (sandbox "advance 1 day") or pinned (tests). */
export class AdjustableClock implements Clock {
  private offsetMs = 0;
  private pinned: Date | undefined;

  constructor(start?: Date) {
    this.pinned = start;
  }

  now(): Date {
    const base = this.pinned ? this.pinned.getTime() : Date.now();
    return new Date(base + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  set(date: Date): void {
    this.pinned = date;
    this.offsetMs = 0;
  }
}
