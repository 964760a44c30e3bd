import { Types } from 'mongoose';
import {
  assetSearchKeys,
  equalityKey,
  isSingleWordSearch,
  normalizeTag,
  searchKeysVersion,
  searchTerms,
  type Asset,
  type AssetHistoryEntry,
  type AssetSearch,
  type AssetStatus,
  type CatalogChoice,
  type Page,
  type PageOf,
  type PlannedTransition,
  type SearchableAsset,
} from '../../domain/index.js';
import type {
  AssetRepository,
  AssetSummary,
  CatalogEntry,
  InsertAssetOutcome,
  NewAsset,
} from '../../services/ports.js';
import type { AssetDoc, AssetHistoryDoc, AssetModel } from '../models/asset.model.js';
import type { MongoCatalogLines } from './mongo-catalog-lines.js';

/** What a summary needs: neither the history nor the (long) search keys. */
const withoutHistory = { history: 0, searchKeys: 0 } as const;

/** Searches count at most this many matches (then say "1000+"), so a broad word never counts every asset. */
export const searchCountCap = 1000;
const heldStatuses: AssetStatus[] = ['checked_out', 'pending_return'];
const identityProjection = {
  tag: 1,
  serial: 1,
  name: 1,
  model: 1,
  manufacturer: 1,
  category: 1,
  location: 1,
} as const;

/** The stored fields derived from an asset's identity fields; written whenever one of those is. */
function derivedFields(asset: SearchableAsset): {
  $set: Pick<AssetDoc, 'categoryKey' | 'modelKey' | 'searchKeys' | 'searchKeysVersion'> & {
    locationKey?: string;
  };
  $unset: { locationKey?: 1 };
} {
  const location = asset.location ? equalityKey(asset.location) : '';
  return {
    $set: {
      categoryKey: equalityKey(asset.category ?? ''),
      modelKey: asset.model ? equalityKey(asset.model) : '',
      searchKeys: assetSearchKeys(asset),
      searchKeysVersion,
      ...(location ? { locationKey: location } : {}),
    },
    $unset: location ? {} : { locationKey: 1 },
  };
}

/** Older servers refuse an empty `$unset`. */
function withoutEmptyUnset<T extends { $unset: object }>(update: T): Omit<T, '$unset'> | T {
  if (Object.keys(update.$unset).length > 0) return update;
  const { $unset: _empty, ...rest } = update;
  return rest;
}

/** Every typed word must be a key of the asset; the longest (usually rarest) goes first, as the index bound. */
function termsFilter(terms: string[]): Record<string, unknown> {
  const [first, ...rest] = [...terms].sort((a, b) => b.length - a.length);
  if (first === undefined) return {};
  if (rest.length === 0) return { searchKeys: first };
  return { searchKeys: first, $and: rest.map((term) => ({ searchKeys: term })) };
}

/**
 * The filter `/asset find` runs (exported so tests can explain it): every part is an equality or
 * range on an indexed field — searchKeys, holderId, status, dueBackAt, categoryKey, locationKey.
 */
export function assetSearchFilter(teamId: string, search: AssetSearch): Record<string, unknown> {
  const filter: Record<string, unknown> = { teamId };
  if (search.holderId !== undefined) filter['holderId'] = search.holderId;
  if (search.status?.kind === 'status') filter['status'] = search.status.status;
  if (search.status?.kind === 'overdue') {
    filter['status'] = { $in: heldStatuses };
    filter['dueBackAt'] = { $lt: search.status.asOf };
  }
  if (search.category !== undefined) filter['categoryKey'] = equalityKey(search.category);
  if (search.location !== undefined) filter['locationKey'] = equalityKey(search.location);
  return { ...filter, ...termsFilter(search.terms) };
}

/**
 * Runs at every start (before the app serves): gives documents written before search keys existed (or
 * with keys of an older computation) their keys, a batch at a time. Idempotent.
 */
export async function backfillAssetSearchKeys(model: AssetModel, batchSize = 500): Promise<number> {
  const stale = { searchKeysVersion: { $ne: searchKeysVersion } };
  let updated = 0;
  for (;;) {
    const docs = await model.find(stale, identityProjection).limit(batchSize).lean<SearchableAsset[]>();
    if (docs.length === 0) return updated;
    const result = await model.bulkWrite(
      docs.map((doc) => ({
        updateOne: {
          filter: { _id: (doc as SearchableAsset & { _id: Types.ObjectId })._id, ...stale },
          update: withoutEmptyUnset(derivedFields(doc)),
        },
      })),
      { ordered: false },
    );
    updated += result.modifiedCount;
    // Nothing changed means someone else (another instance) is on it, or these cannot be written: stop.
    if (docs.length < batchSize || result.modifiedCount === 0) return updated;
  }
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

/** How many categories "stock by category" lists at most. */
const stockLinesMax = 200;

export class MongoAssetRepository implements AssetRepository {
  constructor(
    private readonly model: AssetModel,
    private readonly lines: MongoCatalogLines,
  ) {}

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
        ...derivedFields(asset).$set,
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
      // The catalog follows in a second write: a crash in between leaves a count short by one until
      // rebuildDerivedData; the asset itself is registered either way.
      await this.lines.added(asset, 'available', asset.now);
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
    if (isSingleWordSearch(search) && /\d/.test(search.text)) {
      // A word with a digit may be a tag or a serial number: one unique-index lookup each answers it exactly.
      const exact = await this.exactTagOrSerial(teamId, search.text);
      if (exact) {
        return { items: page.offset === 0 ? [exact] : [], total: 1, offset: page.offset, limit: page.limit };
      }
    }
    const filter = assetSearchFilter(teamId, search);
    const [docs, counted] = await Promise.all([
      this.model
        .find(filter, withoutHistory)
        .sort({ tag: 1 })
        .skip(page.offset)
        .limit(page.limit)
        .lean<LeanAsset[]>(),
      this.model.countDocuments(filter, { limit: searchCountCap + 1 }),
    ]);
    const capped = counted > searchCountCap;
    return {
      items: docs.map(toSummary),
      total: capped ? searchCountCap : counted,
      offset: page.offset,
      limit: page.limit,
      ...(capped ? { totalCapped: true } : {}),
    };
  }

  private async exactTagOrSerial(teamId: string, text: string): Promise<AssetSummary | undefined> {
    const [byTag, bySerial] = await Promise.all([
      this.model.findOne({ teamId, tag: normalizeTag(text) }, withoutHistory).lean<LeanAsset>(),
      this.model.findOne({ teamId, serial: text }, withoutHistory).lean<LeanAsset>(),
    ]);
    const doc = byTag ?? bySerial;
    return doc ? toSummary(doc) : undefined;
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
    const $unset: Record<string, 1> = Object.fromEntries(plan.unset.map((field) => [field, 1]));
    const $set: Record<string, unknown> = { ...plan.set, updatedAt: plan.entry.at };
    if (plan.set.location !== undefined) {
      // The search keys follow the location. The other identity fields are written only at insert.
      const current = await this.model
        .findOne({ _id: new Types.ObjectId(assetId), teamId }, identityProjection)
        .lean<SearchableAsset>();
      if (!current) return undefined;
      const derived = derivedFields({ ...current, location: plan.set.location });
      Object.assign($set, derived.$set);
      Object.assign($unset, derived.$unset);
    }
    const update: Record<string, unknown> = { $set, $push: { history: historyForStorage(plan.entry) } };
    if (Object.keys($unset).length > 0) update['$unset'] = $unset;
    const doc = await this.model
      .findOneAndUpdate(filter, update, { returnDocument: 'after', projection: withoutHistory })
      .lean<LeanAsset>();
    if (!doc) return undefined;
    const summary = toSummary(doc);
    if (summary.status !== plan.expect.status) {
      await this.lines.statusChanged(summary, plan.expect.status, summary.status, plan.entry.at);
    }
    return summary;
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

  /** Catalog lines (a category, or a model of it) with stock, from the maintained lines. */
  catalog(teamId: string, text: string | undefined, limit: number): Promise<CatalogEntry[]> {
    return this.lines.list(teamId, text, limit);
  }

  async searchAvailable(
    teamId: string,
    item: CatalogChoice | undefined,
    text: string | undefined,
    limit: number,
  ): Promise<AssetSummary[]> {
    const filter: Record<string, unknown> = { teamId, status: 'available' };
    if (item) {
      filter['categoryKey'] = equalityKey(item.category);
      if (item.model) filter['modelKey'] = equalityKey(item.model);
    }
    const docs = await this.model
      .find({ ...filter, ...termsFilter(searchTerms(text ?? '')) }, withoutHistory)
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

  /**
   * Held assets past their due date, most overdue first. Read per status from the index (status,
   * dueBackAt), each stopping at the page's end, then merged: never more than offset + limit per status.
   */
  async listOverdue(teamId: string, now: Date, page: Page): Promise<PageOf<AssetSummary>> {
    const perStatus = await Promise.all(
      heldStatuses.map(async (status) => {
        const filter = { teamId, status, dueBackAt: { $lt: now } };
        const [docs, total] = await Promise.all([
          this.model
            .find(filter, withoutHistory)
            .sort({ dueBackAt: 1 })
            .limit(page.offset + page.limit)
            .lean<LeanAsset[]>(),
          this.model.countDocuments(filter),
        ]);
        return { docs, total };
      }),
    );
    const merged = perStatus
      .flatMap((part) => part.docs)
      .sort((a, b) => (a.dueBackAt?.getTime() ?? 0) - (b.dueBackAt?.getTime() ?? 0));
    return {
      items: merged.slice(page.offset, page.offset + page.limit).map(toSummary),
      total: perStatus.reduce((sum, part) => sum + part.total, 0),
      offset: page.offset,
      limit: page.limit,
    };
  }

  stockByCategory(teamId: string): Promise<Array<{ category: string; available: number; total: number }>> {
    return this.lines.byCategory(teamId, stockLinesMax);
  }
}
