import { Types } from 'mongoose';
import type {
  Asset,
  AssetHistoryEntry,
  AssetSearch,
  AssetStatus,
  CatalogChoice,
  Page,
  PageOf,
  PlannedTransition,
} from '../../domain/index.js';
import type {
  AssetRepository,
  AssetSummary,
  CatalogEntry,
  InsertAssetOutcome,
  NewAsset,
} from '../../services/ports.js';
import type { AssetDoc, AssetHistoryDoc, AssetModel } from '../models/asset.model.js';

const withoutHistory = { history: 0 } as const;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function toHistoryEntry(doc: AssetHistoryDoc): AssetHistoryEntry {
  return {
    at: doc.at,
    actorId: doc.actorId,
    action: doc.action as AssetHistoryEntry['action'],
    fromStatus: (doc.fromStatus ?? undefined) as AssetHistoryEntry['fromStatus'],
    toStatus: doc.toStatus as AssetHistoryEntry['toStatus'],
    fromHolderId: doc.fromHolderId ?? undefined,
    toHolderId: doc.toHolderId ?? undefined,
    note: doc.note ?? undefined,
    requestId: doc.requestId ?? undefined,
    transferId: doc.transferId ?? undefined,
    condition: (doc.condition ?? undefined) as AssetHistoryEntry['condition'],
    problem: (doc.problem ?? undefined) as AssetHistoryEntry['problem'],
  };
}

/** Drops undefined fields: the stored history has no explicit nulls. */
function historyForStorage(entry: AssetHistoryEntry): AssetHistoryDoc {
  return Object.fromEntries(
    Object.entries(entry).filter(([, v]) => v !== undefined),
  ) as unknown as AssetHistoryDoc;
}

type LeanAsset = Omit<AssetDoc, 'customFields' | 'history'> & {
  customFields?: Record<string, string> | Map<string, string>;
  history?: AssetHistoryDoc[];
};

function toSummary(doc: LeanAsset): AssetSummary {
  const custom =
    doc.customFields instanceof Map ? Object.fromEntries(doc.customFields) : (doc.customFields ?? {});
  const p = doc.procurement;
  return {
    id: String(doc._id),
    teamId: doc.teamId,
    tag: doc.tag,
    serial: doc.serial ?? undefined,
    name: doc.name,
    category: doc.category,
    model: doc.model ?? undefined,
    status: doc.status as Asset['status'],
    holderId: doc.holderId ?? undefined,
    location: doc.location ?? undefined,
    checkedOutAt: doc.checkedOutAt ?? undefined,
    dueBackAt: doc.dueBackAt ?? undefined,
    procurement: p
      ? {
          cost: p.cost ?? undefined,
          currency: p.currency ?? undefined,
          vendor: p.vendor ?? undefined,
          orderNumber: p.orderNumber ?? undefined,
          purchaseDate: p.purchaseDate ?? undefined,
          warrantyEndsAt: p.warrantyEndsAt ?? undefined,
          usefulLifeMonths: p.usefulLifeMonths ?? undefined,
        }
      : undefined,
    customFields: custom,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

function isDuplicateKey(err: unknown): err is { code: number; keyPattern?: Record<string, unknown> } {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

export class MongoAssetRepository implements AssetRepository {
  constructor(private readonly model: AssetModel) {}

  async insert(asset: NewAsset): Promise<InsertAssetOutcome> {
    const entry: AssetHistoryEntry = {
      at: asset.now,
      actorId: asset.actorId,
      action: 'registered',
      fromStatus: undefined,
      toStatus: 'available',
      fromHolderId: undefined,
      toHolderId: undefined,
      note: asset.note,
      requestId: undefined,
      transferId: undefined,
      condition: undefined,
      problem: undefined,
    };
    try {
      const created = await this.model.create({
        teamId: asset.teamId,
        tag: asset.tag,
        serial: asset.serial,
        name: asset.name,
        nameLower: asset.name.toLowerCase(),
        category: asset.category,
        model: asset.model,
        status: 'available',
        location: asset.location,
        procurement: asset.procurement,
        customFields: asset.customFields,
        history: [historyForStorage(entry)],
        createdAt: asset.now,
        updatedAt: asset.now,
      });
      return { ok: true, asset: toSummary(created.toObject() as LeanAsset) };
    } catch (err) {
      if (isDuplicateKey(err)) {
        return { ok: false, duplicate: err.keyPattern && 'serial' in err.keyPattern ? 'serial' : 'tag' };
      }
      throw err;
    }
  }

  async findByTag(teamId: string, tag: string): Promise<AssetSummary | undefined> {
    const doc = await this.model.findOne({ teamId, tag }, withoutHistory).lean<LeanAsset>();
    return doc ? toSummary(doc) : undefined;
  }

  async search(teamId: string, search: AssetSearch, page: Page): Promise<PageOf<AssetSummary>> {
    let filter: Record<string, unknown>;
    if (search.kind === 'holder') {
      filter = { teamId, holderId: search.holderId };
    } else {
      const text = search.text;
      const contains = new RegExp(escapeRegex(text.toLowerCase()));
      filter = {
        teamId,
        $or: [
          { tag: text.toUpperCase() },
          { serial: text },
          { nameLower: contains },
          { tag: new RegExp(`^${escapeRegex(text.toUpperCase())}`) },
        ],
      };
    }
    const [docs, total] = await Promise.all([
      this.model
        .find(filter, withoutHistory)
        .sort({ tag: 1 })
        .skip(page.offset)
        .limit(page.limit)
        .lean<LeanAsset[]>(),
      this.model.countDocuments(filter),
    ]);
    return { items: docs.map(toSummary), total, offset: page.offset, limit: page.limit };
  }

  async listHeldBy(teamId: string, holderId: string): Promise<AssetSummary[]> {
    const docs = await this.model
      .find({ teamId, holderId, status: { $in: ['checked_out', 'pending_return'] } }, withoutHistory)
      .sort({ checkedOutAt: 1 })
      .lean<LeanAsset[]>();
    return docs.map(toSummary);
  }

  async applyTransition(
    teamId: string,
    assetId: string,
    plan: PlannedTransition,
  ): Promise<AssetSummary | undefined> {
    const filter: Record<string, unknown> = {
      _id: new Types.ObjectId(assetId),
      teamId,
      status: plan.expect.status,
      holderId: plan.expect.holderId ?? null,
    };
    const $unset = Object.fromEntries(plan.unset.map((field) => [field, 1]));
    const update: Record<string, unknown> = {
      $set: { ...plan.set, updatedAt: plan.entry.at },
      $push: { history: historyForStorage(plan.entry) },
    };
    if (plan.unset.length > 0) update['$unset'] = $unset;
    const doc = await this.model
      .findOneAndUpdate(filter, update, { returnDocument: 'after', projection: withoutHistory })
      .lean<LeanAsset>();
    return doc ? toSummary(doc) : undefined;
  }

  async historyPage(teamId: string, tag: string, page: Page): Promise<PageOf<AssetHistoryEntry> | undefined> {
    // Stored oldest first; newest-first paging counts back from the end of the array.
    const counted = await this.model
      .aggregate<{ total: number }>([
        { $match: { teamId, tag } },
        { $project: { total: { $size: '$history' } } },
      ])
      .exec();
    const total = counted[0]?.total;
    if (total === undefined) return undefined;
    const end = Math.max(total - page.offset, 0);
    const start = Math.max(end - page.limit, 0);
    if (end === 0) return { items: [], total, offset: page.offset, limit: page.limit };
    const doc = await this.model
      .findOne({ teamId, tag }, { history: { $slice: [start, end - start] }, tag: 1 })
      .lean<{ history: AssetHistoryDoc[] }>();
    const items = (doc?.history ?? []).map(toHistoryEntry).reverse();
    return { items, total, offset: page.offset, limit: page.limit };
  }

  async findById(teamId: string, assetId: string): Promise<AssetSummary | undefined> {
    if (!Types.ObjectId.isValid(assetId)) return undefined;
    const doc = await this.model
      .findOne({ _id: new Types.ObjectId(assetId), teamId }, withoutHistory)
      .lean<LeanAsset>();
    return doc ? toSummary(doc) : undefined;
  }

  async lastHistoryRef(
    teamId: string,
    assetId: string,
  ): Promise<{ requestId?: string; transferId?: string } | undefined> {
    if (!Types.ObjectId.isValid(assetId)) return undefined;
    const doc = await this.model
      .findOne({ _id: new Types.ObjectId(assetId), teamId }, { history: { $slice: -1 } })
      .lean<{ history?: AssetHistoryDoc[] }>();
    const last = doc?.history?.[0];
    if (!last) return undefined;
    return { requestId: last.requestId ?? undefined, transferId: last.transferId ?? undefined };
  }

  async catalog(teamId: string, text: string | undefined, limit: number): Promise<CatalogEntry[]> {
    const match: Record<string, unknown> = { teamId, status: { $ne: 'retired' } };
    if (text && text.trim()) {
      const pattern = new RegExp(escapeRegex(text.trim()), 'i');
      match['$or'] = [{ category: pattern }, { model: pattern }];
    }
    const rows = await this.model
      .aggregate<{ _id: { category: string; model: string | null }; available: number; total: number }>([
        { $match: match },
        {
          $group: {
            _id: { category: '$category', model: { $ifNull: ['$model', null] } },
            available: { $sum: { $cond: [{ $eq: ['$status', 'available'] }, 1, 0] } },
            total: { $sum: 1 },
          },
        },
        { $sort: { '_id.category': 1, '_id.model': 1 } },
      ])
      .exec();
    // Each category also stands for "any model of it", listed first with the category's totals.
    const entries: CatalogEntry[] = [];
    const byCategory = new Map<string, CatalogEntry>();
    for (const row of rows) {
      let category = byCategory.get(row._id.category);
      if (!category) {
        category = { category: row._id.category, model: undefined, available: 0, total: 0 };
        byCategory.set(row._id.category, category);
        entries.push(category);
      }
      category.available += row.available;
      category.total += row.total;
      if (row._id.model) {
        entries.push({
          category: row._id.category,
          model: row._id.model,
          available: row.available,
          total: row.total,
        });
      }
    }
    return entries.slice(0, limit);
  }

  async searchAvailable(
    teamId: string,
    item: CatalogChoice | undefined,
    text: string | undefined,
    limit: number,
  ): Promise<AssetSummary[]> {
    const filter: Record<string, unknown> = { teamId, status: 'available' };
    if (item) {
      filter['category'] = new RegExp(`^${escapeRegex(item.category)}$`, 'i');
      if (item.model) filter['model'] = new RegExp(`^${escapeRegex(item.model)}$`, 'i');
    }
    if (text && text.trim()) {
      const pattern = new RegExp(escapeRegex(text.trim()), 'i');
      filter['$or'] = [{ tag: pattern }, { serial: pattern }, { nameLower: pattern }, { model: pattern }];
    }
    const docs = await this.model
      .find(filter, withoutHistory)
      .sort({ tag: 1 })
      .limit(limit)
      .lean<LeanAsset[]>();
    return docs.map(toSummary);
  }

  async listByStatus(teamId: string, statuses: AssetStatus[], page: Page): Promise<PageOf<AssetSummary>> {
    const filter = { teamId, status: { $in: statuses } };
    const [docs, total] = await Promise.all([
      this.model
        .find(filter, withoutHistory)
        .sort({ updatedAt: 1 })
        .skip(page.offset)
        .limit(page.limit)
        .lean<LeanAsset[]>(),
      this.model.countDocuments(filter),
    ]);
    return { items: docs.map(toSummary), total, offset: page.offset, limit: page.limit };
  }

  async listOverdue(teamId: string, now: Date, page: Page): Promise<PageOf<AssetSummary>> {
    const filter = { teamId, status: { $in: ['checked_out', 'pending_return'] }, dueBackAt: { $lt: now } };
    const [docs, total] = await Promise.all([
      this.model
        .find(filter, withoutHistory)
        .sort({ dueBackAt: 1 })
        .skip(page.offset)
        .limit(page.limit)
        .lean<LeanAsset[]>(),
      this.model.countDocuments(filter),
    ]);
    return { items: docs.map(toSummary), total, offset: page.offset, limit: page.limit };
  }

  async stockByCategory(
    teamId: string,
  ): Promise<Array<{ category: string; available: number; total: number }>> {
    const rows = await this.model
      .aggregate<{ _id: string; available: number; total: number }>([
        { $match: { teamId, status: { $ne: 'retired' } } },
        {
          $group: {
            _id: '$category',
            available: { $sum: { $cond: [{ $eq: ['$status', 'available'] }, 1, 0] } },
            total: { $sum: 1 },
          },
        },
        { $sort: { _id: 1 } },
      ])
      .exec();
    return rows.map((r) => ({ category: r._id, available: r.available, total: r.total }));
  }
}
