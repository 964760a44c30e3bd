import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../platform/logger.js';

/** Bolt logs through the app's pino logger so every line is JSON with the same redaction rules. */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'bolt' });
  const join = (msgs: unknown[]) =>
    msgs.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...msgs) => child.debug(join(msgs)),
    info: (...msgs) => child.info(join(msgs)),
    warn: (...msgs) => child.warn(join(msgs)),
    error: (...msgs) => {
      const err = msgs.find((m) => m instanceof Error);
      child.error(
        { err },
        join(msgs.filter((m) => !(m instanceof Error))) || (err as Error | undefined)?.message,
      );
    },
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}
