import type { NotificationLedger } from '../../services/ports.js';
import type { NotificationModel } from '../models/notification.model.js';

export class MongoNotificationLedger implements NotificationLedger {
  constructor(private readonly model: NotificationModel) {}

  async claim(teamId: string, key: string, now: Date): Promise<boolean> {
    try {
      await this.model.create({ teamId, key, claimedAt: now });
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return false;
      throw err;
    }
  }

  async release(teamId: string, key: string): Promise<void> {
    await this.model.deleteOne({ teamId, key });
  }
}
