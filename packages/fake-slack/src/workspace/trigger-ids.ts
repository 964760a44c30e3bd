/** trigger_ids: issued with an interaction, spent once by `views.open|push` within 3 seconds. */
import type { WorkspaceContext } from './context.js';
import { accept, refuse, type Outcome } from './outcome.js';

export const TRIGGER_LIFETIME_MS = 3000;

interface IssuedTrigger {
  userId: string;
  issuedAt: number;
  used: boolean;
}

export class TriggerIds {
  private readonly triggers = new Map<string, IssuedTrigger>();

  constructor(private readonly ctx: WorkspaceContext) {}

  issueTrigger(userId: string): string {
    const id = this.ctx.ids.triggerId();
    this.triggers.set(id, { userId, issuedAt: this.ctx.now(), used: false });
    return id;
  }

  /** Spends a trigger the way `views.open|push` do: once, within 3 seconds. */
  exchangeTrigger(triggerId: string): Outcome<{ userId: string }> {
    if (!/^\d+\.\d+\.[0-9a-f]+$/.test(triggerId)) return refuse('invalid_trigger_id');
    const trigger = this.triggers.get(triggerId);
    if (trigger === undefined) return refuse('invalid_trigger_id');
    if (trigger.used) return refuse('exchanged_trigger_id');
    if (this.ctx.now() - trigger.issuedAt > TRIGGER_LIFETIME_MS) return refuse('expired_trigger_id');
    trigger.used = true;
    return accept({ userId: trigger.userId });
  }

  clear(): void {
    this.triggers.clear();
  }
}
