import { Agenda, type AgendaBackend } from 'agenda';
import type { Logger } from '../platform/logger.js';

export interface Scheduler {
  agenda: Agenda;
  start(): Promise<void>;
  /** Lets running jobs finish for up to `drainMs`, then releases remaining locks so another instance can take over. */
  stop(drainMs?: number): Promise<void>;
  isRunning(): boolean;
}

/** Agenda over the app's MongoDB; job definitions are registered on `agenda` before `start()`. */
export function createScheduler(backend: AgendaBackend, logger: Logger): Scheduler {
  // A number, not a string: Agenda's interval parser misreads some strings (e.g. '100 milliseconds').
  const agenda = new Agenda({ backend, processEvery: 30_000, name: 'custodian' });
  let running = false;
  agenda.on('error', (err: unknown) => logger.error({ err }, 'scheduler error'));
  return {
    agenda,
    async start() {
      await agenda.start();
      running = true;
    },
    async stop(drainMs = 10_000) {
      if (!running) return;
      running = false;
      try {
        await agenda.drain({ timeout: drainMs, closeConnection: false });
      } finally {
        await agenda.stop(false);
      }
    },
    isRunning: () => running,
  };
}
