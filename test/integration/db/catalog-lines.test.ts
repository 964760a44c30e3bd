/**
 * Catalog lines move with every change the application makes, and match what a recount from the
 * assets gives; the typeahead and stock by category read them instead of grouping the inventory.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { planTransition, type AssetCommand } from '../../../src/domain/index.js';
import type { AssetRepository } from '../../../src/services/ports.js';

const teamId = 'T0LINES01';
const now = new Date('2026-11-03T09:00:00Z');
let testDb: TestDatabase;
let db: Database;
let assets: AssetRepository;

async function register(
  tag: string,
  category: string,
  model: string | undefined,
  name = `${model ?? category} ${tag}`,
) {
  const outcome = await assets.insert({
    teamId,
    tag,
    serial: undefined,
    name,
    category,
    model,
    location: undefined,
    procurement: undefined,
    customFields: {},
    actorId: 'U0IVY0001',
    now,
    note: undefined,
  });
  if (!outcome.ok) throw new Error(outcome.duplicate);
}

async function move(tag: string, command: AssetCommand) {
  const asset = await assets.findByTag(teamId, tag);
  const plan = planTransition(asset!, command, { actorId: 'U0IVY0001', now });
  if (!plan.ok) throw new Error(plan.error.code);
  expect(await assets.applyTransition(teamId, asset!.id, plan.value)).toBeDefined();
}

const lines = () =>
  db.connection
    .collection('catalog_lines')
    .find({ teamId }, { projection: { _id: 0, categoryKey: 1, modelKey: 1, available: 1, total: 1 } })
    .sort({ categoryKey: 1, modelKey: 1 })
    .toArray();

beforeAll(async () => {
  testDb = await createTestDatabase('catalog_lines');
  db = await openDatabase(testDb.uri);
  assets = db.repositories.assets;
  for (const n of [1, 2, 3]) await register(`LAP-${n}`, 'Laptop', 'ThinkPad X1');
  await register('LAP-4', 'laptop', 'MacBook Air', 'Air for design');
  await register('MON-1', 'Monitor', undefined);
  await move('LAP-1', { kind: 'check_out', holderId: 'U0ANA0001', dueBackAt: undefined });
  await move('LAP-2', { kind: 'retire' });
  await move('LAP-4', { kind: 'check_out', holderId: 'U0BEN0001', dueBackAt: undefined });
  await move('LAP-4', { kind: 'check_in', condition: 'good' });
  await move('MON-1', { kind: 'send_to_repair' });
});

afterAll(async () => {
  await db?.close();
  await testDb?.stop();
});

describe('catalog lines', () => {
  it('count stock per model and per category as the changes happened', async () => {
    expect(await lines()).toEqual([
      { categoryKey: 'laptop', modelKey: '', available: 2, total: 3 },
      { categoryKey: 'laptop', modelKey: 'macbook air', available: 1, total: 1 },
      { categoryKey: 'laptop', modelKey: 'thinkpad x1', available: 1, total: 2 },
      { categoryKey: 'monitor', modelKey: '', available: 0, total: 1 },
    ]);
    expect(await assets.stockByCategory(teamId)).toEqual([
      { category: 'Laptop', available: 2, total: 3 },
      { category: 'Monitor', available: 0, total: 1 },
    ]);
  });

  it('equal a recount from the assets', async () => {
    const maintained = await lines();
    await db.rebuildDerivedData();
    expect(await lines()).toEqual(maintained);
  });

  it('are found by the names of their assets, and list their category first', async () => {
    expect(await assets.catalog(teamId, 'design', 10)).toEqual([
      { category: 'Laptop', model: undefined, available: 2, total: 3 },
      { category: 'laptop', model: 'MacBook Air', available: 1, total: 1 },
    ]);
  });
});
