/**
 * The catalog lines beside the assets: what the request typeahead lists and what "stock by category"
 * shows, read a page at a time through indexes instead of grouping the inventory on every view.
 */
import {
  assetStatuses,
  catalogLineKeys,
  equalityKey,
  searchTerms,
  type AssetStatus,
} from '../../domain/index.js';
import type { CatalogEntry } from '../../services/ports.js';
import type { AssetModel } from '../models/asset.model.js';
import type { CatalogLineDoc, CatalogLineModel } from '../models/catalog-line.model.js';

/** Statuses that count towards a line's total (everything but retired); lines with none are not listed. */
const counted = assetStatuses.filter((status) => status !== 'retired');
/** The typeahead looks at this many matching lines at most (a select shows 100). */
const linesMax = 200;

export interface LineIdentity {
  teamId: string;
  category: string;
  model: string | undefined;
}

function keysOf(line: LineIdentity): { categoryKey: string; modelKey: string } {
  return { categoryKey: equalityKey(line.category), modelKey: line.model ? equalityKey(line.model) : '' };
}

function toEntry(doc: Pick<CatalogLineDoc, 'category' | 'model' | 'available' | 'total'>): CatalogEntry {
  return {
    category: doc.category,
    model: doc.model ?? undefined,
    available: doc.available,
    total: doc.total,
  };
}

/** Stock deltas of one status change: in stock is `available`; the total is everything not retired. */
export function stockDelta(from: AssetStatus | undefined, to: AssetStatus | undefined) {
  const weight = (status: AssetStatus | undefined, of: (s: AssetStatus) => boolean) =>
    status !== undefined && of(status) ? 1 : 0;
  const inStock = (s: AssetStatus) => s === 'available';
  const inTotal = (s: AssetStatus) => s !== 'retired';
  return {
    available: weight(to, inStock) - weight(from, inStock),
    total: weight(to, inTotal) - weight(from, inTotal),
  };
}

type SortableLine = Pick<
  CatalogLineDoc,
  'categoryKey' | 'modelKey' | 'category' | 'model' | 'available' | 'total'
>;
const lineProjection = {
  categoryKey: 1,
  modelKey: 1,
  category: 1,
  model: 1,
  available: 1,
  total: 1,
} as const;
const byLine = (a: SortableLine, b: SortableLine) =>
  a.categoryKey.localeCompare(b.categoryKey) || a.modelKey.localeCompare(b.modelKey);

export class MongoCatalogLines {
  constructor(
    private readonly lines: CatalogLineModel,
    private readonly assets: AssetModel,
  ) {}

  /**
   * A registered asset joins its model line and its category line (created on first use), adding the
   * words of its name and manufacturer to what finds them.
   */
  async added(
    asset: LineIdentity & { name: string; manufacturer?: string | undefined },
    status: AssetStatus,
    now: Date,
  ): Promise<void> {
    const { categoryKey, modelKey } = keysOf(asset);
    const delta = stockDelta(undefined, status);
    const words = catalogLineKeys(asset);
    const writes = [
      {
        filter: { teamId: asset.teamId, categoryKey, modelKey },
        category: asset.category,
        model: asset.model,
        keys: words,
      },
    ];
    if (modelKey !== '') {
      writes.push({
        filter: { teamId: asset.teamId, categoryKey, modelKey: '' },
        category: asset.category,
        model: undefined,
        keys: catalogLineKeys({ category: asset.category }),
      });
    }
    await this.lines.bulkWrite(
      writes.map((write) => ({
        updateOne: {
          filter: write.filter,
          update: {
            $setOnInsert: { category: write.category, ...(write.model ? { model: write.model } : {}) },
            $addToSet: { searchKeys: { $each: write.keys } },
            $inc: delta,
            $set: { updatedAt: now },
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }

  /** An asset changed status: its model line and its category line move by the same delta. */
  async statusChanged(line: LineIdentity, from: AssetStatus, to: AssetStatus, now: Date): Promise<void> {
    const delta = stockDelta(from, to);
    if (delta.available === 0 && delta.total === 0) return;
    const { categoryKey, modelKey } = keysOf(line);
    await this.lines.updateMany(
      { teamId: line.teamId, categoryKey, modelKey: { $in: [...new Set([modelKey, ''])] } },
      { $inc: delta, $set: { updatedAt: now } },
    );
  }

  /**
   * Lines for the typeahead: without text the first `limit` in catalog order; with text, the lines
   * whose category, model, manufacturer or asset names have every typed word, each preceded by its
   * category's own line ("any laptop", counting the whole category).
   */
  async list(teamId: string, text: string | undefined, limit: number): Promise<CatalogEntry[]> {
    const terms = searchTerms(text ?? '');
    if (terms.length === 0) {
      const docs = await this.lines
        .find({ teamId, total: { $gt: 0 } }, lineProjection)
        .sort({ categoryKey: 1, modelKey: 1 })
        .limit(limit)
        .lean<SortableLine[]>();
      return docs.map(toEntry);
    }
    const [first, ...rest] = terms;
    const matched = await this.lines
      .find(
        {
          teamId,
          searchKeys: first,
          total: { $gt: 0 },
          ...(rest.length > 0 ? { $and: rest.map((term) => ({ searchKeys: term })) } : {}),
        },
        lineProjection,
      )
      .sort({ categoryKey: 1, modelKey: 1 })
      .limit(linesMax)
      .lean<SortableLine[]>();
    if (matched.length === 0) return [];
    const categoryKeys = [...new Set(matched.map((line) => line.categoryKey))];
    const missing = categoryKeys.filter(
      (key) => !matched.some((line) => line.categoryKey === key && line.modelKey === ''),
    );
    const categoryLines =
      missing.length === 0
        ? []
        : await this.lines
            .find({ teamId, categoryKey: { $in: missing }, modelKey: '', total: { $gt: 0 } }, lineProjection)
            .lean<SortableLine[]>();
    return [...matched, ...categoryLines].sort(byLine).slice(0, limit).map(toEntry);
  }

  /** Category lines in category order: stock by category. */
  async byCategory(teamId: string, limit: number) {
    const docs = await this.lines
      .find({ teamId, modelKey: '', total: { $gt: 0 } }, lineProjection)
      .sort({ categoryKey: 1 })
      .limit(limit)
      .lean<SortableLine[]>();
    return docs.map((doc) => ({ category: doc.category, available: doc.available, total: doc.total }));
  }

  /** Whether any line exists (a database from before the lines existed has assets but none). */
  async isEmpty(): Promise<boolean> {
    return (await this.lines.findOne({}, { _id: 1 }).lean()) === null;
  }

  /**
   * Recounts every line from the assets themselves: after bulk writes behind the application's back,
   * or the first start after an upgrade. Reads the whole inventory, so it is never on a person's path.
   */
  async rebuild(now: Date): Promise<void> {
    type Row = {
      _id: { teamId: string; categoryKey: string; modelKey: string };
      category: string;
      model: string | null;
      names: string[];
      manufacturers: Array<string | null>;
      available: number;
      total: number;
    };
    const rows = await this.assets
      .aggregate<Row>([
        {
          $group: {
            _id: { teamId: '$teamId', categoryKey: '$categoryKey', modelKey: { $ifNull: ['$modelKey', ''] } },
            category: { $first: '$category' },
            model: { $first: '$model' },
            names: { $addToSet: '$name' },
            manufacturers: { $addToSet: '$manufacturer' },
            available: { $sum: { $cond: [{ $eq: ['$status', 'available'] }, 1, 0] } },
            total: { $sum: { $cond: [{ $in: ['$status', counted] }, 1, 0] } },
          },
        },
      ])
      .allowDiskUse(true)
      .exec();
    type Line = {
      teamId: string;
      categoryKey: string;
      modelKey: string;
      category: string;
      model?: string;
      keys: Set<string>;
      available: number;
      total: number;
    };
    const lines = new Map<string, Line>();
    const lineFor = (
      teamId: string,
      categoryKey: string,
      modelKey: string,
      category: string,
      model?: string,
    ) => {
      const key = `${teamId}\u0000${categoryKey}\u0000${modelKey}`;
      let line = lines.get(key);
      if (!line) {
        line = {
          teamId,
          categoryKey,
          modelKey,
          category,
          ...(model ? { model } : {}),
          keys: new Set(catalogLineKeys({ category, model })),
          available: 0,
          total: 0,
        };
        lines.set(key, line);
      }
      return line;
    };
    for (const row of rows) {
      const { teamId, categoryKey, modelKey } = row._id;
      const { available, total } = row;
      const modelLine = lineFor(
        teamId,
        categoryKey,
        modelKey,
        row.category,
        modelKey ? (row.model ?? undefined) : undefined,
      );
      for (const name of row.names)
        for (const key of catalogLineKeys({ category: row.category, name })) modelLine.keys.add(key);
      for (const manufacturer of row.manufacturers) {
        if (manufacturer)
          for (const key of catalogLineKeys({ category: row.category, manufacturer }))
            modelLine.keys.add(key);
      }
      modelLine.available += available;
      modelLine.total += total;
      if (modelKey !== '') {
        const categoryLine = lineFor(teamId, categoryKey, '', row.category);
        categoryLine.available += available;
        categoryLine.total += total;
      }
    }
    await this.lines.deleteMany({});
    const docs = [...lines.values()].map(({ keys, ...line }) => ({
      ...line,
      searchKeys: [...keys].sort(),
      updatedAt: now,
    }));
    for (let i = 0; i < docs.length; i += 1000) {
      await this.lines.insertMany(docs.slice(i, i + 1000), { ordered: false });
    }
  }
}
