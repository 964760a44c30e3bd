import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { planTransition, type AssetCommand, type NewRequestInput } from '../../../src/domain/index.js';
import type { FakeView } from '@custodian/fake-slack';
import { people, startHarness, type Harness } from '../../support/app-harness.js';

let h: Harness;

const laptop: NewRequestInput = {
  kind: 'permanent',
  item: { category: 'Laptop', model: undefined },
  reason: 'Replacement',
  neededBy: undefined,
  returnBy: undefined,
};

const block = (view: FakeView | undefined, blockId: string) =>
  view?.blocks.find((b) => b.block_id === blockId);
const ids = (view: FakeView | undefined) => view?.blocks.map((b) => b.block_id) ?? [];
const rowsWithPrefix = (view: FakeView | undefined, prefix: string) =>
  (view?.blocks ?? []).filter((b) => b.block_id.startsWith(prefix) && b.type === 'section');

async function register(tag: string, category: string) {
  const added = await h.app.services.assets.register(await h.as(people.ivy.id), {
    tag,
    serial: undefined,
    name: `${category} ${tag}`,
    category,
    model: undefined,
    location: undefined,
  });
  if (!added.ok) throw new Error(JSON.stringify(added.error));
}

/**
 * A pending request written straight to the database: no IT channel post, DM or home refresh (the request
 * flow's messages are tested elsewhere; approving from the home below relies on no IT message existing).
 */
async function submit(requesterId: string, reason: string) {
  const { request } = await h.app.database.repositories.requests.create({
    teamId: h.teamId,
    requesterId,
    kind: laptop.kind,
    item: laptop.item,
    reason,
    neededBy: laptop.neededBy,
    returnBy: laptop.returnBy,
    now: h.clock.now(),
  });
  return request;
}

/**
 * Bulk set-up straight in the database (like h.seedRequest): through the services every asset would also
 * DM its holder, post to IT and refresh homes, which Slack's rate limits pace to about one a second.
 */
async function seedAsset(tag: string, category: string, commands: AssetCommand[]) {
  const { assets } = h.app.database.repositories;
  const inserted = await assets.insert({
    teamId: h.teamId,
    tag,
    serial: undefined,
    name: `${category} ${tag}`,
    category,
    model: undefined,
    location: undefined,
    procurement: undefined,
    customFields: {},
    actorId: people.ivy.id,
    now: h.clock.now(),
    note: undefined,
  });
  if (!inserted.ok) throw new Error(`could not seed ${tag}`);
  let asset = inserted.asset;
  for (const command of commands) {
    const actorId = command.kind === 'start_return' ? (asset.holderId ?? '') : people.ivy.id;
    const plan = planTransition(asset, command, { actorId, now: h.clock.now() });
    const moved = plan.ok ? await assets.applyTransition(h.teamId, asset.id, plan.value) : undefined;
    if (!moved) throw new Error(`could not ${command.kind} ${tag}`);
    asset = moved;
  }
}

beforeAll(async () => {
  h = await startHarness('home_it');
  await h.makeIt(people.ivy.id);
  await h.makeIt(people.ian.id);
  const { assets } = h.app.services;
  for (let i = 1; i <= 6; i++) await register(`LAP-${i}`, 'Laptop');
  await register('PHN-1', 'Phone');
  await register('MON-1', 'Monitor');
  // Ana holds LAP-1 (due 10 Nov, so overdue once the clock moves) and LAP-2 (permanent); Ben is returning MON-1.
  await assets.checkOut(await h.as(people.ivy.id), {
    tag: 'LAP-1',
    holderId: people.ana.id,
    dueBackAt: new Date('2026-11-10T23:59:59Z'),
  });
  await assets.checkOut(await h.as(people.ivy.id), {
    tag: 'LAP-2',
    holderId: people.ana.id,
    dueBackAt: undefined,
  });
  await assets.checkOut(await h.as(people.ivy.id), {
    tag: 'MON-1',
    holderId: people.ben.id,
    dueBackAt: undefined,
  });
  await assets.startReturn(await h.as(people.ben.id), 'MON-1');
  // The set-up's messages (check-out DMs, IT posts, home refreshes) go out before the tests count any.
  await h.app.settle();
  h.clock.set(new Date('2026-11-20T09:00:00Z'));
});

afterAll(async () => {
  await h?.stop();
});

describe('the employee view', () => {
  it('shows what they hold with overdue marked, their open requests, and buttons to request and return', async () => {
    const request = await submit(people.ana.id, 'Second screen for home');
    await h.driver.openHome(people.ana.id);
    const home = h.fake.home(people.ana.id);
    expect(block(home, 'home_it_header')).toBeUndefined();
    expect(JSON.stringify(block(home, 'home_held_header'))).toContain('(2, :rotating_light: 1 overdue)');
    // Overdue first.
    expect(ids(home).filter((id) => id.startsWith('asset:'))).toEqual(['asset:LAP-1', 'asset:LAP-2']);
    expect(JSON.stringify(block(home, 'asset:LAP-1'))).toContain('*overdue* (due 10 Nov)');
    expect(JSON.stringify(block(home, 'asset:LAP-1'))).toContain('"action_id":"return_asset"');
    expect(JSON.stringify(block(home, 'home_actions'))).toContain('"action_id":"home_request_asset"');
    expect(JSON.stringify(block(home, `request:${request.id}`))).toContain('any Laptop');
  });
});

describe('the IT view', () => {
  it('sits above their own view: requests to decide, returns to confirm, overdue assets, stock', async () => {
    await h.driver.openHome(people.ivy.id);
    const home = h.fake.home(people.ivy.id);
    const order = ids(home);
    expect(order.indexOf('home_it_header')).toBeLessThan(order.indexOf('home_held_header'));
    expect(JSON.stringify(block(home, 'home_it_header'))).toContain(
      '1 request to decide · 1 return to confirm · 1 overdue',
    );
    expect(rowsWithPrefix(home, 'it_request:')).toHaveLength(1);
    expect(block(home, 'it_return:MON-1')).toBeDefined();
    expect(block(home, 'it_overdue:LAP-1')).toBeDefined();
    const stock = JSON.stringify(block(home, 'home_stock_list'));
    expect(stock).toContain('*Laptop*: 4 of 6 in stock');
    expect(stock).toContain('*Monitor*: 0 of 1 in stock');
  });

  it('approving from the home updates both homes', async () => {
    const open = await h.app.services.requests.openForMe(await h.as(people.ana.id));
    const request = (open.ok ? open.value : [])[0]!;
    await h.driver.pressButton({
      user: people.ivy.id,
      actionId: 'approve_request',
      blockId: `it_request:${request.id}:actions`,
      view: 'home',
    });
    expect(h.fake.topModal(people.ivy.id)?.callback_id).toBe('approve_request_modal');
    await h.driver.suggest({ user: people.ivy.id, actionId: 'approve_asset', value: '' });
    const res = await h.driver.submitView({ user: people.ivy.id, values: { asset: 'LAP-3' } });
    expect(res.outcome).toBe('closed');
    // No IT channel message was attached, so nothing to update; the DM and homes still happen.
    expect(res.calls.filter((c) => c.method === 'chat.update')).toHaveLength(0);
    const published = res.calls.filter((c) => c.method === 'views.publish').map((c) => c.args['user_id']);
    expect(published).toEqual(expect.arrayContaining([people.ana.id, people.ivy.id, people.ian.id]));
    const anaHome = h.fake.home(people.ana.id);
    expect(block(anaHome, 'asset:LAP-3')).toBeDefined();
    expect(block(anaHome, `request:${request.id}`)).toBeUndefined();
    expect(rowsWithPrefix(h.fake.home(people.ian.id), 'it_request:')).toHaveLength(0);
  });

  it('a refusal on the home, where no ephemeral message exists, opens a small notice', async () => {
    const mine = await submit(people.ian.id, 'My own');
    await h.driver.openHome(people.ian.id);
    const ownRow = block(h.fake.home(people.ian.id), `it_request:${mine.id}:actions`);
    expect(ownRow?.type).toBe('context');

    // Ivy sees Ben's request on her home, then loses the IT role before pressing Deny.
    const other = await submit(people.ben.id, 'Stale home');
    await h.driver.openHome(people.ivy.id);
    await h.app.database.repositories.people.setRoles(h.teamId, people.ivy.id, ['employee']);
    try {
      const res = await h.driver.pressButton({
        user: people.ivy.id,
        actionId: 'deny_request',
        blockId: `it_request:${other.id}:actions`,
        view: 'home',
      });
      const opened = res.calls.filter((c) => c.method === 'views.open');
      expect(opened).toHaveLength(1);
      expect(h.fake.topModal(people.ivy.id)?.callback_id).toBe('notice_modal');
      expect(JSON.stringify(h.fake.topModal(people.ivy.id)?.blocks)).toContain(
        'Only IT staff can deny requests.',
      );
      const stored = await h.app.services.requests.byId(h.teamId, other.id);
      expect(stored.ok && stored.value.status).toBe('pending');
    } finally {
      await h.app.database.repositories.people.setRoles(h.teamId, people.ivy.id, ['employee', 'it']);
      await h.driver.closeView({ user: people.ivy.id });
    }
  });
});

describe('withdrawing a request from the home', () => {
  it('a pending request has Cancel; pressing it cancels the request and the home drops it', async () => {
    const request = await submit(people.ben.id, 'Spare charger for travel');
    await h.driver.openHome(people.ben.id);
    const row = JSON.stringify(block(h.fake.home(people.ben.id), `request:${request.id}`));
    expect(row).toContain('"action_id":"cancel_request"');
    await h.driver.pressButton({
      user: people.ben.id,
      actionId: 'cancel_request',
      blockId: `request:${request.id}`,
      view: 'home',
    });
    expect(
      (await h.app.services.requests.byId(h.teamId, request.id)).ok &&
        (await h.app.database.repositories.requests.findById(h.teamId, request.id))?.status,
    ).toBe('cancelled');
    expect(block(h.fake.home(people.ben.id), `request:${request.id}`)).toBeUndefined();
  });
});

describe('pagination and the 100-block limit', () => {
  it('pages every section with "Show more" and never publishes more than 100 blocks', async () => {
    for (let i = 0; i < 40; i++)
      await submit(i % 2 === 0 ? people.ana.id : people.ben.id, `Bulk request ${i}`);
    for (let i = 1; i <= 30; i++) {
      const checkOut: AssetCommand = { kind: 'check_out', holderId: people.ian.id, dueBackAt: undefined };
      await seedAsset(
        `BLK-${i}`,
        `Category ${String(i).padStart(2, '0')}`,
        i <= 20 ? [checkOut, { kind: 'start_return' }] : [checkOut],
      );
    }

    await h.driver.openHome(people.ian.id);
    let home = h.fake.home(people.ian.id);
    expect(home!.blocks.length).toBeLessThanOrEqual(100);
    const pending = await h.app.services.requests.pending(await h.as(people.ian.id), { offset: 0, limit: 1 });
    const total = pending.ok ? pending.value.total : undefined;
    expect(JSON.stringify(block(home, 'home_queue_header'))).toContain(`(${total})`);
    expect(rowsWithPrefix(home, 'it_request:')).toHaveLength(5);
    expect(rowsWithPrefix(home, 'it_return:')).toHaveLength(5);
    expect(block(home, 'home_queue_pager')?.type).toBe('actions');
    expect(block(home, 'home_returns_pager')?.type).toBe('actions');
    expect(block(home, 'home_held_pager')?.type).toBe('actions');

    // "Show more" on returns: it grows, the queue goes back to its default.
    await h.driver.pressButton({
      user: people.ian.id,
      actionId: 'home_show_more',
      blockId: 'home_returns_pager',
      view: 'home',
    });
    home = h.fake.home(people.ian.id);
    expect(rowsWithPrefix(home, 'it_return:')).toHaveLength(15);
    expect(home!.blocks.length).toBeLessThanOrEqual(100);

    // Keep pressing on the queue: it grows until the view is full, then says where the rest is.
    let previous = 0;
    for (let press = 0; press < 8; press++) {
      const pager = block(h.fake.home(people.ian.id), 'home_queue_pager');
      if (pager?.type !== 'actions') break;
      await h.driver.pressButton({
        user: people.ian.id,
        actionId: 'home_show_more',
        blockId: 'home_queue_pager',
        view: 'home',
      });
      home = h.fake.home(people.ian.id);
      expect(home!.blocks.length).toBeLessThanOrEqual(100);
      const shown = rowsWithPrefix(home, 'it_request:').length;
      expect(shown).toBeGreaterThan(previous);
      previous = shown;
    }
    const finalPager = block(h.fake.home(people.ian.id), 'home_queue_pager');
    expect(finalPager?.type).toBe('context');
    expect(JSON.stringify(finalPager)).toContain(`Showing ${previous} of ${total}. Decide some of these`);
    expect(previous).toBeGreaterThan(20);
  });
});
