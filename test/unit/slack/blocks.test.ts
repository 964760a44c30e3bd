import { describe, expect, it } from '@jest/globals';
import type { KnownBlock } from '@slack/types';
import { buildFindResults, findPageSize } from '../../../src/slack/blocks/find.blocks.js';
import type { HomeView } from '@slack/types';
import type { AssetHistoryEntry, AssetRequest, PageOf } from '../../../src/domain/index.js';
import { textSearch } from '../../../src/domain/index.js';
import {
  buildHome,
  expandSection,
  homeSectionDefaults,
  homeSectionStep,
  parseHomeState,
  requestedRows,
  type HomeData,
  type HomeSectionState,
  type ItQueue,
} from '../../../src/slack/blocks/home.blocks.js';
import {
  buildHistoryMessage,
  historyEntryText,
  historyPageSize,
} from '../../../src/slack/blocks/history.blocks.js';
import { assetOptions, buildApproveModal } from '../../../src/slack/blocks/it-decision.blocks.js';
import { buildHelpMessage } from '../../../src/slack/blocks/help.blocks.js';
import type { ShownAsset } from '../../../src/slack/blocks/asset.blocks.js';

const now = new Date('2026-11-25T12:00:00Z');
const ctx = { timeZone: 'UTC', now };

function makeAsset(n: number, overrides: Partial<ShownAsset> = {}): ShownAsset {
  return {
    id: `id${n}`,
    teamId: 'T1',
    tag: `LAP-${String(n).padStart(4, '0')}`,
    serial: `SN${n}`,
    name: `MacBook Pro ${n}`,
    category: 'Laptop',
    model: 'MBP 14',
    status: 'available',
    holderId: undefined,
    location: 'Berlin office',
    checkedOutAt: undefined,
    dueBackAt: undefined,
    procurement: undefined,
    customFields: {},
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

const text = (block: KnownBlock | undefined): string =>
  block && 'text' in block && block.text && typeof block.text === 'object' ? block.text.text : '';
const byId = (blocks: KnownBlock[], id: string) => blocks.find((b) => b.block_id === id);

describe('find results', () => {
  it('shows status, holder with since-date, due date and location of each asset', () => {
    const held = makeAsset(1, {
      status: 'checked_out',
      holderId: 'U1',
      checkedOutAt: new Date('2026-11-03T09:00:00Z'),
      dueBackAt: new Date('2026-11-20T00:00:00Z'),
    });
    const { blocks } = buildFindResults(
      'LAP',
      textSearch('LAP'),
      { items: [held], total: 1, offset: 0, limit: 20 },
      ctx,
    );
    const line = text(byId(blocks, 'asset:LAP-0001'));
    expect(line).toContain('*LAP-0001* · MacBook Pro 1');
    expect(line).toContain('Checked out');
    expect(line).toContain('held by <@U1> since 3 Nov');
    expect(line).toContain('*overdue* (due 20 Nov)');
    expect(line).toContain('Berlin office');
  });

  it('says clearly when nothing was found', () => {
    const { blocks, text: fallback } = buildFindResults(
      'zzz',
      textSearch('zzz'),
      { items: [], total: 0, offset: 0, limit: 20 },
      ctx,
    );
    expect(blocks).toHaveLength(1);
    expect(fallback).toMatch(/^Nothing found for “zzz”/);
  });

  it('paginates with Previous/Next buttons that carry the query and offset, inside the 50-block limit', () => {
    const items = Array.from({ length: findPageSize }, (_, i) => makeAsset(i + 21));
    const { blocks } = buildFindResults(
      'mac',
      textSearch('mac'),
      { items, total: 75, offset: 20, limit: findPageSize },
      ctx,
    );
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(text(byId(blocks, 'find_header'))).toBe('*Results 21–40 of 75 for “mac”*');
    const pager = byId(blocks, 'find_pager');
    expect(pager?.type).toBe('actions');
    const buttons = pager && pager.type === 'actions' ? pager.elements : [];
    expect(buttons.map((b) => ('action_id' in b ? b.action_id : ''))).toEqual([
      'find_page:prev',
      'find_page:next',
    ]);
    expect(buttons.map((b) => JSON.parse(('value' in b && b.value) || '{}'))).toEqual([
      { q: 'mac', o: 0 },
      { q: 'mac', o: 40 },
    ]);
  });
});

function makeRequest(n: number, overrides: Partial<AssetRequest> = {}): AssetRequest {
  return {
    id: `req${n}`,
    teamId: 'T1',
    requesterId: `U${n}`,
    kind: 'permanent',
    item: { category: 'Laptop', model: undefined },
    reason: `Needed for project ${n}`,
    neededBy: undefined,
    returnBy: undefined,
    status: 'pending',
    approval: undefined,
    denial: undefined,
    itMessage: undefined,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

const pageOf = <T>(items: T[], total = items.length): PageOf<T> => ({
  items,
  total,
  offset: 0,
  limit: items.length,
});

function home(overrides: Partial<HomeData> = {}): HomeData {
  return { viewerId: 'U1', displayName: 'Ana', held: [], openRequests: [], it: undefined, ...overrides };
}

function itQueue(sizes: { requests: number; returns: number; overdue: number; stock: number }): ItQueue {
  return {
    pendingRequests: pageOf(
      Array.from({ length: sizes.requests }, (_, i) => makeRequest(i + 100)),
      sizes.requests,
    ),
    pendingReturns: pageOf(
      Array.from({ length: sizes.returns }, (_, i) =>
        makeAsset(i + 200, { status: 'pending_return', holderId: 'U7', checkedOutAt: now }),
      ),
    ),
    overdue: pageOf(
      Array.from({ length: sizes.overdue }, (_, i) =>
        makeAsset(i + 300, {
          status: 'checked_out',
          holderId: 'U8',
          checkedOutAt: now,
          dueBackAt: new Date('2026-11-01T00:00:00Z'),
        }),
      ),
    ),
    stock: Array.from({ length: sizes.stock }, (_, i) => ({
      category: `Cat ${i}`,
      available: i % 3,
      total: 5,
    })),
  };
}

/** A queue page as publishHome loads it: only as many rows as the section asks for, with the full total. */
function loadedAs(queue: ItQueue, state: HomeSectionState): ItQueue {
  const cut = <T>(page: PageOf<T>, key: 'queue' | 'returns' | 'overdue'): PageOf<T> => ({
    ...page,
    items: page.items.slice(0, requestedRows(state, key)),
  });
  return {
    ...queue,
    pendingRequests: cut(queue.pendingRequests, 'queue'),
    pendingReturns: cut(queue.pendingReturns, 'returns'),
    overdue: cut(queue.overdue, 'overdue'),
  };
}

const blocksOf = (view: HomeView) => view.blocks as KnownBlock[];
const showMoreButtons = (blocks: KnownBlock[]) =>
  blocks.flatMap((b) =>
    b.type === 'actions'
      ? b.elements
          .filter((e) => 'action_id' in e && e.action_id === 'home_show_more')
          .map((e) => ('value' in e ? e.value : ''))
      : [],
  );

describe('App Home', () => {
  it('tells someone who holds nothing what to do', () => {
    const view = buildHome(home(), ctx, { shown: {} });
    expect(text(byId(blocksOf(view), 'home_held_empty'))).toContain('/asset request');
    expect(byId(blocksOf(view), 'home_it_header')).toBeUndefined();
  });

  it('lists overdue assets first and offers "Show more" instead of cutting the list', () => {
    const held = Array.from({ length: 25 }, (_, i) =>
      makeAsset(i, {
        status: 'checked_out',
        holderId: 'U1',
        checkedOutAt: now,
        dueBackAt: new Date(now.getTime() + (i + 1) * 86_400_000),
      }),
    );
    held.push(
      makeAsset(99, {
        status: 'checked_out',
        holderId: 'U1',
        checkedOutAt: now,
        dueBackAt: new Date('2026-11-01T00:00:00Z'),
      }),
    );
    const view = buildHome(home({ held }), ctx, { shown: {} });
    const blocks = blocksOf(view);
    const assetBlocks = blocks.filter((b) => b.block_id?.startsWith('asset:'));
    expect(assetBlocks).toHaveLength(homeSectionStep);
    expect(assetBlocks[0]?.block_id).toBe('asset:LAP-0099');
    expect(text(byId(blocks, 'home_held_header'))).toContain('26, :rotating_light: 1 overdue');
    expect(showMoreButtons(blocks)).toEqual(['held']);
    const more = buildHome(home({ held }), ctx, parseHomeState(JSON.stringify({ shown: { held: 30 } })));
    expect(blocksOf(more).filter((b) => b.block_id?.startsWith('asset:'))).toHaveLength(26);
    expect(byId(blocksOf(more), 'home_held_pager')).toBeUndefined();
  });

  it('offers Return on what the person holds, and a button to request an asset', () => {
    const held = [makeAsset(1, { status: 'checked_out', holderId: 'U1', checkedOutAt: now })];
    const blocks = blocksOf(buildHome(home({ held }), ctx, { shown: {} }));
    const row = byId(blocks, 'asset:LAP-0001');
    expect(row && 'accessory' in row ? row.accessory : undefined).toMatchObject({
      action_id: 'return_asset',
      value: 'LAP-0001',
    });
    expect(JSON.stringify(byId(blocks, 'home_actions'))).toContain('home_request_asset');
  });

  it("shows the IT queue above the person's own view, with Approve / Deny and Confirm return", () => {
    const queue = itQueue({ requests: 2, returns: 1, overdue: 1, stock: 2 });
    const blocks = blocksOf(buildHome(home({ it: queue }), ctx, { shown: {} }));
    const ids = blocks.map((b) => b.block_id);
    expect(ids.indexOf('home_it_header')).toBeLessThan(ids.indexOf('home_held_header'));
    expect(text(byId(blocks, 'home_it_header'))).toContain(
      '2 requests to decide · 1 return to confirm · 1 overdue',
    );
    const actions = byId(blocks, 'it_request:req100:actions');
    expect(
      actions?.type === 'actions' ? actions.elements.map((e) => ('value' in e ? e.value : '')) : [],
    ).toEqual(['req100', 'req100']);
    const returnRow = byId(blocks, 'it_return:LAP-0200');
    expect(returnRow && 'accessory' in returnRow ? returnRow.accessory : undefined).toMatchObject({
      action_id: 'confirm_return',
      value: 'LAP-0200',
    });
    expect(text(byId(blocks, 'it_overdue:LAP-0300'))).toContain('*overdue*');
    expect(text(byId(blocks, 'home_stock_list'))).toContain('*Cat 0*: 0 of 5 in stock');
  });

  it('does not offer IT staff Approve on their own request', () => {
    const queue = itQueue({ requests: 0, returns: 0, overdue: 0, stock: 0 });
    queue.pendingRequests = pageOf([makeRequest(1, { requesterId: 'U1' })]);
    const blocks = blocksOf(buildHome(home({ it: queue }), ctx, { shown: {} }));
    expect(byId(blocks, 'it_request:req1:actions')?.type).toBe('context');
  });

  it('never exceeds 100 blocks, and says so when a section cannot grow any further', () => {
    const queue = itQueue({ requests: 300, returns: 300, overdue: 300, stock: 80 });
    const held = Array.from({ length: 200 }, (_, i) =>
      makeAsset(i + 1000, { status: 'checked_out', holderId: 'U1', checkedOutAt: now }),
    );
    const openRequests = Array.from({ length: 20 }, (_, i) => makeRequest(i + 500));
    let state: HomeSectionState = { shown: {} };
    const first = buildHome(home({ held, openRequests, it: loadedAs(queue, state) }), ctx, state);
    expect(first.blocks.length).toBeLessThanOrEqual(100);
    expect(showMoreButtons(blocksOf(first)).sort()).toEqual([
      'held',
      'overdue',
      'queue',
      'requests',
      'returns',
      'stock',
    ]);

    // Pressing "Show more" on the queue again and again: it grows while it fits, then tells where the rest is.
    let shownRequests = 0;
    for (let press = 0; press < 20; press++) {
      state = expandSection(state, 'queue');
      const view = buildHome(home({ held, openRequests, it: loadedAs(queue, state) }), ctx, state);
      const blocks = blocksOf(view);
      expect(blocks.length).toBeLessThanOrEqual(100);
      const rows = blocks.filter((b) => b.block_id?.startsWith('it_request:') && b.type === 'section').length;
      expect(rows).toBeGreaterThanOrEqual(shownRequests);
      shownRequests = rows;
      state = parseHomeState(view.private_metadata);
    }
    expect(shownRequests).toBeGreaterThan(homeSectionDefaults.queue + homeSectionStep);
    const last = blocksOf(buildHome(home({ held, openRequests, it: loadedAs(queue, state) }), ctx, state));
    const pager = byId(last, 'home_queue_pager');
    expect(pager?.type).toBe('context');
    expect(JSON.stringify(pager)).toContain(`Showing ${shownRequests} of 300`);
  });

  it('expanding one section puts the others back to their defaults', () => {
    const state = expandSection({ shown: { held: 30, queue: 15 } }, 'returns');
    expect(state).toEqual({ shown: { returns: homeSectionDefaults.returns + homeSectionStep } });
  });

  it('ignores tampered private metadata', () => {
    expect(parseHomeState('not json')).toEqual({ shown: {} });
    expect(parseHomeState(JSON.stringify({ shown: { held: -5, other: 'x', bogus: 3 } }))).toEqual({
      shown: {},
    });
  });
});

describe('history', () => {
  const entry = (n: number): AssetHistoryEntry => ({
    at: new Date(Date.UTC(2026, 10, 3, 9, n)),
    actorId: 'UIT',
    action: n % 2 === 0 ? 'checked_out' : 'checked_in',
    fromStatus: n % 2 === 0 ? 'available' : 'checked_out',
    toStatus: n % 2 === 0 ? 'checked_out' : 'available',
    fromHolderId: n % 2 === 0 ? undefined : 'U1',
    toHolderId: n % 2 === 0 ? 'U1' : undefined,
    note: n === 0 ? 'first <one>' : undefined,
    requestId: undefined,
    transferId: undefined,
    condition: n % 2 === 0 ? undefined : 'damaged',
    problem: undefined,
  });

  it('says who did what, when, from which status to which, with notes', () => {
    expect(historyEntryText(entry(0), ctx)).toBe(
      '*3 Nov 2026, 09:00* · <@UIT> checked it out to <@U1> · Available → Checked out\n>first &lt;one&gt;',
    );
    expect(historyEntryText(entry(1), ctx)).toContain('checked it in from <@U1> (damaged)');
  });

  it('pages with Previous/Next buttons that carry the tag and offset, inside the 50-block limit', () => {
    const items = Array.from({ length: historyPageSize }, (_, i) => entry(i));
    const { blocks, text: heading } = buildHistoryMessage(
      'LAP-0001',
      { items, total: 45, offset: 20, limit: historyPageSize },
      ctx,
    );
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(heading).toBe('History of LAP-0001: 21–40 of 45, newest first');
    const pager = byId(blocks, 'history_pager');
    const buttons = pager && pager.type === 'actions' ? pager.elements : [];
    expect(buttons.map((b) => ('action_id' in b ? b.action_id : ''))).toEqual([
      'history_page:prev',
      'history_page:next',
    ]);
    expect(buttons.map((b) => JSON.parse(('value' in b && b.value) || '{}'))).toEqual([
      { t: 'LAP-0001', o: 0 },
      { t: 'LAP-0001', o: 40 },
    ]);
  });
});

describe('IT decision modals', () => {
  it("pre-fills a loan's due-back date with its return-by date", () => {
    const loan = makeRequest(1, { kind: 'loan', returnBy: new Date('2026-12-15T23:59:59Z') });
    const modal = buildApproveModal(loan, ctx);
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
    const due = (modal.blocks as KnownBlock[]).find((b) => b.block_id === 'due_back');
    expect(due && due.type === 'input' ? due.element : undefined).toMatchObject({
      initial_date: '2026-12-15',
    });
    const permanent = buildApproveModal(makeRequest(2), ctx);
    const empty = (permanent.blocks as KnownBlock[]).find((b) => b.block_id === 'due_back');
    expect(empty && empty.type === 'input' ? empty.element : undefined).not.toHaveProperty('initial_date');
    expect(JSON.parse(permanent.private_metadata ?? '')).toEqual({ r: 'req2' });
  });

  it('keeps typeahead options within 75 characters, with the tag as the value', () => {
    const options = assetOptions([makeAsset(1, { name: 'x'.repeat(200), serial: 'S'.repeat(100) })]);
    expect(options[0]?.value).toBe('LAP-0001');
    expect(options[0]?.text.text.length).toBeLessThanOrEqual(75);
    expect(options[0]?.description?.text.length).toBeLessThanOrEqual(75);
  });
});

describe('help', () => {
  it('lists exactly the entries it is given', () => {
    const { blocks } = buildHelpMessage([{ usage: '/asset find <q>', description: 'look up' }], 'employee');
    expect(text(byId(blocks, 'help_commands'))).toBe('• `/asset find <q>` — look up');
  });
});
