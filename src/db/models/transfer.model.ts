import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { transferStatuses } from '../../domain/index.js';

export interface TransferDoc {
  _id: Types.ObjectId;
  teamId: string;
  assetId: string;
  assetTag: string;
  fromId: string;
  toId: string;
  note?: string;
  status: string;
  voidReason?: string;
  offerMessage?: { channel: string; ts: string };
  createdAt: Date;
  decidedAt?: Date;
}

const transferSchema = new Schema<TransferDoc>(
  {
    teamId: { type: String, required: true },
    assetId: { type: String, required: true },
    assetTag: { type: String, required: true },
    fromId: { type: String, required: true },
    toId: { type: String, required: true },
    note: String,
    status: { type: String, enum: transferStatuses, required: true },
    voidReason: String,
    offerMessage: {
      type: new Schema(
        { channel: { type: String, required: true }, ts: { type: String, required: true } },
        { _id: false },
      ),
      default: undefined,
    },
    createdAt: { type: Date, required: true },
    decidedAt: Date,
  },
  { collection: 'transfers', versionKey: false },
);

transferSchema.index({ teamId: 1, assetId: 1, status: 1 });
transferSchema.index({ teamId: 1, toId: 1, status: 1 });
transferSchema.index({ teamId: 1, fromId: 1, status: 1 });
// At most one open offer per asset: a second "transfer" while one is pending is refused by the database itself.
transferSchema.index(
  { teamId: 1, assetId: 1 },
  {
    unique: true,
    partialFilterExpression: { status: { $in: ['pending', 'accepting'] } },
    name: 'one_open_transfer_per_asset',
  },
);

export type TransferModel = Model<TransferDoc>;

export function transferModel(connection: Connection): TransferModel {
  return connection.models['Transfer'] ?? connection.model<TransferDoc>('Transfer', transferSchema);
}
