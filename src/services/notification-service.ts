import type { Clock } from '../domain/index.js';
import type { NotificationLedger } from './ports.js';

/**
 * Sends a message at most once per key: a replayed request, a double click or a second job run finds
 * the key claimed and sends nothing. A failed send gives the claim back so a retry can send it.
 */
export class NotificationService {
  constructor(private readonly deps: { ledger: NotificationLedger; clock: Clock }) {}

  async once(teamId: string, key: string, send: () => Promise<void>): Promise<boolean> {
    const claimed = await this.deps.ledger.claim(teamId, key, this.deps.clock.now());
    if (!claimed) return false;
    try {
      await send();
      return true;
    } catch (err) {
      await this.deps.ledger.release(teamId, key);
      throw err;
    }
  }
}
