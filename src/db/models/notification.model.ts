import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A ledger of messages already sent: inserting the key claims the send, the unique index makes a
 * second claim (a replayed request, a double click, a second job run) fail, so each goes out once.
 */
export interface NotificationDoc {
  teamId: string;
  key: string;
  claimedAt: Date;
}

const notificationSchema = new Schema<NotificationDoc>(
  {
    teamId: { type: String, required: true },
    key: { type: String, required: true },
    claimedAt: { type: Date, required: true },
  },
  { collection: 'notifications', versionKey: false },
);

notificationSchema.index({ teamId: 1, key: 1 }, { unique: true });

export type NotificationModel = Model<NotificationDoc>;

export function notificationModel(connection: Connection): NotificationModel {
  return (
    connection.models['Notification'] ?? connection.model<NotificationDoc>('Notification', notificationSchema)
  );
}
