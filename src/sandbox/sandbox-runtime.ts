/** What the sandbox's page, API and tests work with: the running app, the fake Slack, the driver and the clock. */
import type { RunningApplication } from '../application.js';
import type { FakeSlack, SlackRequestDriver } from '@custodian/fake-slack';
import type { AdjustableClock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { DemoPerson } from './demo-data.js';

export interface SandboxRuntime {
  app: RunningApplication;
  fake: FakeSlack;
  driver: SlackRequestDriver;
  clock: AdjustableClock;
  timeZone: string;
  logger: Logger;
  demoPeople: DemoPerson[];
  /** Whole days the clock has been moved forward since the last reset. */
  clockOffsetDays(): number;
  /** Moves the app's clock forward; returns the new time. */
  advanceClock(days: number): Date;
  /** Drops the database, resets the fake workspace and the clock, and seeds the demo data again. */
  reseed(): Promise<void>;
  /** Runs `work` after every earlier piece of work has finished (one person clicking, one effect at a time). */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /** Tells open pages that something changed. */
  changed(): void;
}

/** A queue of one: each piece of work starts when the previous one has settled. */
export function serialQueue(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}
