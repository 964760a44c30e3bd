import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * A line of the request catalog with its stock, kept beside the assets so the typeahead and the homes
 * never group the inventory: one line per category (modelKey '') and one per model within it. Counts
 * move with every asset change ($inc by the change's own status delta); `rebuildDerivedData` recounts.
 */
export interface CatalogLineDoc {
  _id: Types.ObjectId;
  teamId: string;
  categoryKey: string;
  /** '' for the category line ("any laptop"). */
  modelKey: string;
  category: string;
  model?: string;
  /** Prefixes of the words of category, model, manufacturers and asset names of the line. */
  searchKeys: string[];
  /** In stock (status available). */
  available: number;
  /** Not retired. */
  total: number;
  updatedAt: Date;
}

const catalogLineSchema = new Schema<CatalogLineDoc>(
  {
    teamId: { type: String, required: true },
    categoryKey: { type: String, required: true },
    modelKey: { type: String, default: '' },
    category: { type: String, required: true },
    model: String,
    searchKeys: { type: [String], default: [] },
    available: { type: Number, default: 0 },
    total: { type: Number, default: 0 },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'catalog_lines', versionKey: false },
);

// One line per (category, model); listing in catalog order comes from the same index.
catalogLineSchema.index({ teamId: 1, categoryKey: 1, modelKey: 1 }, { unique: true });
// Category lines only (stock by category on IT's home), in category order.
catalogLineSchema.index({ teamId: 1, modelKey: 1, categoryKey: 1 });
// The typeahead: one equality per typed word on a multikey entry.
catalogLineSchema.index({ teamId: 1, searchKeys: 1, categoryKey: 1, modelKey: 1 });

export type CatalogLineModel = Model<CatalogLineDoc>;

export function catalogLineModel(connection: Connection): CatalogLineModel {
  return (
    (connection.models['CatalogLine'] as CatalogLineModel | undefined) ??
    connection.model<CatalogLineDoc>('CatalogLine', catalogLineSchema)
  );
}
