/**
 * Work that runs after a person has been answered (DMs, channel posts, home refreshes). It is tracked so
 * tests, the sandbox and a graceful shutdown can wait until it is done, and it never throws at its caller.
 */
import type { Logger } from '../platform/logger.js';

export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();
  private waiters: Array<() => void> = [];

  constructor(private readonly logger: Logger) {}

  run(what: string, work: () => Promise<void>): void {
    const task = Promise.resolve()
      .then(work)
      .catch((err: unknown) => this.logger.error({ err, what }, 'background work failed'));
    this.running.add(task);
    void task.then(() => {
      this.running.delete(task);
      if (this.running.size > 0) return;
      const ready = this.waiters;
      this.waiters = [];
      ready.forEach((resolve) => resolve());
    });
  }

  busy(): boolean {
    return this.running.size > 0;
  }

  /** Resolves once nothing is running (including work started while waiting). */
  settle(): Promise<void> {
    return new Promise((resolve) => {
      if (this.running.size === 0) resolve();
      else this.waiters.push(resolve);
    });
  }
}
