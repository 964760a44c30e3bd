import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { requestKinds, requestStatuses } from '../../domain/index.js';

export interface RequestDoc {
  _id: Types.ObjectId;
  teamId: string;
  requesterId: string;
  kind: string;
  item: { category: string; model?: string };
  reason: string;
  neededBy?: Date;
  returnBy?: Date;
  status: string;
  approval?: {
    approverId: string;
    assetId: string;
    assetTag: string;
    dueBackAt?: Date;
    note?: string;
    claimedAt: Date;
    approvedAt?: Date;
  };
  denial?: { deniedBy: string; reason: string; deniedAt: Date };
  itMessage?: { channel: string; ts: string };
  submissionKey?: string;
  createdAt: Date;
  updatedAt: Date;
}

const requestSchema = new Schema<RequestDoc>(
  {
    teamId: { type: String, required: true },
    requesterId: { type: String, required: true },
    kind: { type: String, enum: requestKinds, required: true },
    item: { category: { type: String, required: true }, model: String },
    reason: { type: String, required: true },
    neededBy: Date,
    returnBy: Date,
    status: { type: String, enum: requestStatuses, required: true },
    approval: {
      type: new Schema(
        {
          approverId: { type: String, required: true },
          assetId: { type: String, required: true },
          assetTag: { type: String, required: true },
          dueBackAt: Date,
          note: String,
          claimedAt: { type: Date, required: true },
          approvedAt: Date,
        },
        { _id: false },
      ),
      default: undefined,
    },
    denial: {
      type: new Schema(
        {
          deniedBy: { type: String, required: true },
          reason: { type: String, required: true },
          deniedAt: Date,
        },
        { _id: false },
      ),
      default: undefined,
    },
    itMessage: {
      type: new Schema(
        { channel: { type: String, required: true }, ts: { type: String, required: true } },
        { _id: false },
      ),
      default: undefined,
    },
    /** The front door's once-only key (a modal's view id, an API idempotency key). */
    submissionKey: String,
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'requests', versionKey: false },
);

requestSchema.index({ teamId: 1, status: 1, createdAt: 1 });
requestSchema.index({ teamId: 1, requesterId: 1, createdAt: -1 });
// One request per submission: a retried or doubled form finds the first one.
requestSchema.index(
  { teamId: 1, submissionKey: 1 },
  { unique: true, partialFilterExpression: { submissionKey: { $type: 'string' } } },
);

export type RequestModel = Model<RequestDoc>;

export function requestModel(connection: Connection): RequestModel {
  return connection.models['AssetRequest'] ?? connection.model<RequestDoc>('AssetRequest', requestSchema);
}
