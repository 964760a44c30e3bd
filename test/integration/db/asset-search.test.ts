/** The asset repository's search against a real database: search keys, filters, the count cap, the catalog. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Document } from 'mongodb';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { assetModel } from '../../../src/db/models/asset.model.js';
import {
  assetSearchFilter,
  backfillAssetSearchKeys,
  searchCountCap,
} from '../../../src/db/repositories/mongo-asset-repository.js';
import { parseAssetSearch, planTransition, type AssetSearch } from '../../../src/domain/index.js';
import type { AssetRepository, NewAsset } from '../../../src/services/ports.js';

const teamId = 'T0SEARCH1';
const now = new Date('2026-11-03T09:00:00Z');
let testDb: TestDatabase;
let db: Database;
let assets: AssetRepository;

function newAsset(overrides: Partial<NewAsset> & Pick<NewAsset, 'tag' | 'name' | 'category'>): NewAsset {
  return {
    teamId,
    serial: undefined,
    model: undefined,
    location: undefined,
    procurement: undefined,
    customFields: {},
    actorId: 'U0IVY0001',
    now,
    note: undefined,
    ...overrides,
  };
}

async function register(overrides: Parameters<typeof newAsset>[0]): Promise<void> {
  const outcome = await assets.insert(newAsset(overrides));
  if (!outcome.ok) throw new Error(`duplicate ${outcome.duplicate}`);
}

function query(text: string): AssetSearch {
  const parsed = parseAssetSearch(text, now);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.search;
}

async function tagsFound(text: string): Promise<string[]> {
  const page = await assets.search(teamId, query(text), { offset: 0, limit: 50 });
  return page.items.map((asset) => asset.tag);
}

async function move(tag: string, command: Parameters<typeof planTransition>[1]): Promise<void> {
  const asset = await assets.findByTag(teamId, tag);
  const plan = planTransition(asset!, command, { actorId: 'U0IVY0001', now });
  if (!plan.ok) throw new Error(plan.error.code);
  expect(await assets.applyTransition(teamId, asset!.id, plan.value)).toBeDefined();
}

beforeAll(async () => {
  testDb = await createTestDatabase('asset_search');
  db = await openDatabase(testDb.uri);
  assets = db.repositories.assets;
  await register({
    tag: 'LAP-0001',
    serial: 'PF-3X1AB',
    name: 'ThinkPad X1 Carbon',
    category: 'Laptop',
    model: 'ThinkPad X1 Carbon Gen 11',
    location: 'Berlin office',
  });
  await register({
    tag: 'LAP-0002',
    name: 'ThinkPad T14',
    category: 'Laptop',
    model: 'ThinkPad T14',
    location: 'Berlin office',
  });
  await register({
    tag: 'LAP-0003',
    name: 'MacBook Pro 14',
    category: 'Laptop',
    model: 'MacBook Pro 14',
    location: 'Lisbon',
  });
  await register({
    tag: 'LAP-0004',
    name: 'Latitude 7440',
    category: 'Laptop',
    model: 'Latitude 7440',
    location: 'Lisbon',
  });
  await register({
    tag: 'DOC-0001',
    name: 'WD19 dock',
    category: 'Docking Station',
    model: 'WD19',
    location: 'Zürich',
  });
  await register({ tag: 'MON-0001', serial: 'DELL-77', name: 'Dell U2723QE', category: 'Monitor' });
  await move('LAP-0003', { kind: 'retire' });
  await move('LAP-0002', {
    kind: 'check_out',
    holderId: 'U0ANA0001',
    dueBackAt: new Date(now.getTime() + 86_400_000),
  });
  // The Latitude's manufacturer comes from an import that predates search keys: the backfill keys it.
  const model = assetModel(db.connection);
  await model.collection.updateOne(
    { teamId, tag: 'LAP-0004' },
    { $set: { manufacturer: 'Dell' }, $unset: { searchKeys: '', searchKeysVersion: '', categoryKey: '' } },
  );
  await model.collection.insertOne({
    teamId,
    tag: 'OLD-0001',
    name: 'Legacy Projector',
    nameLower: 'legacy projector',
    category: 'Projector',
    status: 'available',
    customFields: {},
    history: [],
    createdAt: now,
    updatedAt: now,
  });
  expect(await backfillAssetSearchKeys(model)).toBe(2);
  expect(await backfillAssetSearchKeys(model)).toBe(0);
  // Catalog lines are maintained by the application's own writes; these two came from behind its back.
  await db.rebuildDerivedData();
});

afterAll(async () => {
  await db?.close();
  await testDb?.stop();
});

describe('text search through search keys', () => {
  it('needs every word, each as the start of some word of the asset', async () => {
    expect(await tagsFound('thinkpad')).toEqual(['LAP-0001', 'LAP-0002']);
    expect(await tagsFound('thinkpad x1')).toEqual(['LAP-0001']);
    expect(await tagsFound('x1 thinkpad')).toEqual(['LAP-0001']);
    expect(await tagsFound('thinkpad dell')).toEqual([]);
  });

  it('matches word prefixes, not the middle of words', async () => {
    expect(await tagsFound('think carb')).toEqual(['LAP-0001']);
    expect(await tagsFound('lap-000')).toEqual(['LAP-0001', 'LAP-0002', 'LAP-0003', 'LAP-0004']);
    expect(await tagsFound('inkpad')).toEqual([]);
  });

  it('ignores case and accents', async () => {
    expect(await tagsFound('THINKPAD X1')).toEqual(['LAP-0001']);
    expect(await tagsFound('zurich')).toEqual(['DOC-0001']);
    expect(await tagsFound('ZÜRICH')).toEqual(['DOC-0001']);
  });

  it('finds by manufacturer and assets stored before search keys existed', async () => {
    expect(await tagsFound('dell')).toEqual(['LAP-0004', 'MON-0001']);
    expect(await tagsFound('legacy proj')).toEqual(['OLD-0001']);
  });

  it('answers an exact tag or serial number with that asset alone', async () => {
    expect(await tagsFound('lap-0001')).toEqual(['LAP-0001']);
    expect(await tagsFound('DELL-77')).toEqual(['MON-0001']);
    expect(await tagsFound('pf-3x1ab')).toEqual(['LAP-0001']);
  });
});

describe('filters', () => {
  it('narrows by status, category and location, case-insensitively, with or without text', async () => {
    expect(await tagsFound('status:retired')).toEqual(['LAP-0003']);
    expect(await tagsFound('status:available category:LAPTOP')).toEqual(['LAP-0001', 'LAP-0004']);
    expect(await tagsFound('status:available category:laptop thinkpad')).toEqual(['LAP-0001']);
    expect(await tagsFound('category:"docking station"')).toEqual(['DOC-0001']);
    expect(await tagsFound('location:"BERLIN office"')).toEqual(['LAP-0001', 'LAP-0002']);
    expect(await tagsFound('location:berlin')).toEqual([]);
  });

  it('finds overdue assets as of the time asked', async () => {
    expect(await tagsFound('status:checked-out')).toEqual(['LAP-0002']);
    expect(await tagsFound('status:overdue')).toEqual([]);
    const later = parseAssetSearch('status:overdue thinkpad', new Date(now.getTime() + 2 * 86_400_000));
    if (!later.ok) throw new Error(later.reason);
    const page = await assets.search(teamId, later.search, { offset: 0, limit: 10 });
    expect(page.items.map((asset) => asset.tag)).toEqual(['LAP-0002']);
  });

  it('combines a holder with filters', async () => {
    expect(await tagsFound('<@U0ANA0001> category:laptop')).toEqual(['LAP-0002']);
    expect(await tagsFound('<@U0ANA0001> category:monitor')).toEqual([]);
  });
});

describe('a location change', () => {
  it('keeps the search keys and location filter in step', async () => {
    const asset = await assets.findByTag(teamId, 'MON-0001');
    const moved = await assets.applyTransition(teamId, asset!.id, {
      expect: { status: 'available', holderId: undefined },
      set: { location: 'Porto' },
      unset: [],
      entry: {
        at: now,
        actorId: 'U0IVY0001',
        action: 'updated',
        fromStatus: 'available',
        toStatus: 'available',
        fromHolderId: undefined,
        toHolderId: undefined,
        note: undefined,
        requestId: undefined,
        transferId: undefined,
        condition: undefined,
        problem: undefined,
      },
    });
    expect(moved?.location).toBe('Porto');
    expect(await tagsFound('porto')).toEqual(['MON-0001']);
    expect(await tagsFound('location:porto')).toEqual(['MON-0001']);
    expect(await tagsFound('dell u27')).toEqual(['MON-0001']);
  });
});

describe('the request catalog typeahead', () => {
  it('matches model words, case-insensitively and word by word', async () => {
    const lines = await assets.catalog(teamId, 'ThinkPad', 50);
    expect(lines).toEqual([
      { category: 'Laptop', model: undefined, available: 2, total: 3 },
      { category: 'Laptop', model: 'ThinkPad T14', available: 0, total: 1 },
      { category: 'Laptop', model: 'ThinkPad X1 Carbon Gen 11', available: 1, total: 1 },
    ]);
    expect((await assets.catalog(teamId, 'thinkpad x1', 50)).map((line) => line.model)).toEqual([
      undefined,
      'ThinkPad X1 Carbon Gen 11',
    ]);
  });

  it('matches the manufacturer and the category', async () => {
    expect((await assets.catalog(teamId, 'Dell', 50)).map((line) => line.model)).toEqual([
      undefined,
      'Latitude 7440',
    ]);
    expect((await assets.catalog(teamId, 'dock', 50)).map((line) => line.model)).toEqual([undefined, 'WD19']);
    expect((await assets.catalog(teamId, 'laptop', 50)).map((line) => line.model)).toEqual([
      undefined,
      'Latitude 7440',
      'ThinkPad T14',
      'ThinkPad X1 Carbon Gen 11',
    ]);
  });

  it('does not match on tags, serial numbers or locations', async () => {
    expect(await assets.catalog(teamId, 'berlin', 50)).toEqual([]);
    expect(await assets.catalog(teamId, 'DELL-77', 50)).toEqual([]);
  });

  it('offers in-stock assets for an approval word by word', async () => {
    const found = await assets.searchAvailable(
      teamId,
      { category: 'laptop', model: undefined },
      'thinkpad',
      10,
    );
    expect(found.map((asset) => asset.tag)).toEqual(['LAP-0001']);
    const any = await assets.searchAvailable(teamId, undefined, 'dell', 10);
    expect(any.map((asset) => asset.tag)).toEqual(['LAP-0004', 'MON-0001']);
  });
});

describe('the query plan', () => {
  it('text and filters are answered through an index, examining only matching documents', async () => {
    const filter = assetSearchFilter(teamId, query('thinkpad category:laptop'));
    const collection = db.connection.getClient().db(testDb.dbName).collection('assets');
    const explained: Document = await collection.find(filter).sort({ tag: 1 }).explain('executionStats');
    const plan = JSON.stringify(explained.queryPlanner.winningPlan);
    expect(plan).toContain('IXSCAN');
    expect(plan).not.toContain('COLLSCAN');
    expect(explained.executionStats.nReturned).toBe(2);
    expect(explained.executionStats.totalDocsExamined).toBeLessThanOrEqual(2);
  });
});

describe('counting', () => {
  it('stops at the cap and says the total is a lower bound', async () => {
    const many = Array.from({ length: searchCountCap + 5 }, (_, i) => i);
    for (let start = 0; start < many.length; start += 100) {
      await Promise.all(
        many
          .slice(start, start + 100)
          .map((i) =>
            register({ tag: `CBL-${String(i).padStart(4, '0')}`, name: 'USB-C cable', category: 'Cable' }),
          ),
      );
    }
    const page = await assets.search(teamId, query('usb cable'), { offset: 0, limit: 20 });
    expect(page.total).toBe(searchCountCap);
    expect(page.totalCapped).toBe(true);
    expect(page.items[0]?.tag).toBe('CBL-0000');
    const exact = await assets.search(teamId, query('thinkpad'), { offset: 0, limit: 20 });
    expect(exact.total).toBe(2);
    expect(exact.totalCapped).toBeUndefined();
  });
});
