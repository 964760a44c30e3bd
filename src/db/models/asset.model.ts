import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { assetStatuses, problemKinds, returnConditions } from '../../domain/index.js';

export interface AssetHistoryDoc {
  at: Date;
  actorId: string;
  action: string;
  fromStatus?: string;
  toStatus: string;
  fromHolderId?: string;
  toHolderId?: string;
  note?: string;
  requestId?: string;
  transferId?: string;
  condition?: string;
  problem?: string;
}

export interface AssetDoc {
  _id: Types.ObjectId;
  teamId: string;
  tag: string;
  serial?: string;
  name: string;
  /** Lower-cased name for case-insensitive search without a regex flag on every query. */
  nameLower: string;
  category: string;
  /** Lower-cased, accent-folded category for case-insensitive equality through an index. */
  categoryKey: string;
  model?: string;
  /** Like categoryKey, for the model ('' without one): the catalog line an asset belongs to. */
  modelKey: string;
  manufacturer?: string;
  status: string;
  holderId?: string;
  location?: string;
  locationKey?: string;
  /** Every prefix of every word of tag, serial, name, model, manufacturer, category and location (see assetSearchKeys). */
  searchKeys: string[];
  /** Which computation produced searchKeys; older or missing versions are recomputed at start. */
  searchKeysVersion: number;
  checkedOutAt?: Date;
  dueBackAt?: Date;
  procurement?: {
    cost?: number;
    currency?: string;
    vendor?: string;
    orderNumber?: string;
    purchaseDate?: Date;
    warrantyEndsAt?: Date;
    usefulLifeMonths?: number;
  };
  customFields: Map<string, string>;
  history: AssetHistoryDoc[];
  createdAt: Date;
  updatedAt: Date;
}

const historySchema = new Schema<AssetHistoryDoc>(
  {
    at: { type: Date, required: true },
    actorId: { type: String, required: true },
    action: { type: String, required: true },
    fromStatus: { type: String, enum: assetStatuses },
    toStatus: { type: String, enum: assetStatuses, required: true },
    fromHolderId: String,
    toHolderId: String,
    note: String,
    requestId: String,
    transferId: String,
    condition: { type: String, enum: returnConditions },
    problem: { type: String, enum: problemKinds },
  },
  { _id: false },
);

const assetSchema = new Schema<AssetDoc>(
  {
    teamId: { type: String, required: true },
    tag: { type: String, required: true },
    serial: String,
    name: { type: String, required: true },
    nameLower: { type: String, required: true },
    category: { type: String, required: true },
    categoryKey: { type: String, required: true },
    modelKey: { type: String, default: '' },
    model: String,
    manufacturer: String,
    status: { type: String, enum: assetStatuses, required: true },
    holderId: String,
    location: String,
    locationKey: String,
    searchKeys: { type: [String], required: true },
    searchKeysVersion: { type: Number, required: true },
    checkedOutAt: Date,
    dueBackAt: Date,
    procurement: {
      cost: Number,
      currency: String,
      vendor: String,
      orderNumber: String,
      purchaseDate: Date,
      warrantyEndsAt: Date,
      usefulLifeMonths: Number,
    },
    customFields: { type: Map, of: String, default: () => new Map() },
    history: { type: [historySchema], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'assets', versionKey: false },
);

// Every query is scoped by workspace; tag and serial are unique within one.
assetSchema.index({ teamId: 1, tag: 1 }, { unique: true });
assetSchema.index(
  { teamId: 1, serial: 1 },
  { unique: true, partialFilterExpression: { serial: { $type: 'string' } } },
);
assetSchema.index({ teamId: 1, holderId: 1 });
// Lists by status in tag order (`status:` filter, typeaheads of stock) and by last change (IT's queues),
// each read a page at a time from the index; counts by status come from the same keys.
assetSchema.index({ teamId: 1, status: 1, tag: 1 });
assetSchema.index({ teamId: 1, status: 1, updatedAt: 1 });
// Overdue: held statuses with a due date before now, oldest first.
assetSchema.index({ teamId: 1, status: 1, dueBackAt: 1 });
// Text search: one equality on a multikey entry per typed word; tag order comes from the index.
assetSchema.index({ teamId: 1, searchKeys: 1, tag: 1 });
// `category:` / `location:` filters, and assets fitting a request (a category, or a model of it) in tag order.
assetSchema.index({ teamId: 1, categoryKey: 1, status: 1, tag: 1 });
assetSchema.index({ teamId: 1, categoryKey: 1, modelKey: 1, status: 1, tag: 1 });
assetSchema.index({ teamId: 1, locationKey: 1, status: 1 });
// The start-up backfill finds documents whose keys are missing or stale without a scan.
assetSchema.index({ searchKeysVersion: 1 });

export type AssetModel = Model<AssetDoc>;

export function assetModel(connection: Connection): AssetModel {
  return connection.models['Asset'] ?? connection.model<AssetDoc>('Asset', assetSchema);
}
