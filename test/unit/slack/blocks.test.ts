import { describe, expect, it } from '@jest/globals';
import type { KnownBlock } from '@slack/types';
import { buildFindResults, findPageSize } from '../../../src/slack/blocks/find.blocks.js';
import { buildEmployeeHome, homeSectionStep, parseHomeState } from '../../../src/slack/blocks/home.blocks.js';
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
      { kind: 'text', text: 'LAP' },
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
      { kind: 'text', text: 'zzz' },
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
      { kind: 'text', text: 'mac' },
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

describe('App Home', () => {
  it('tells someone who holds nothing what to do', () => {
    const view = buildEmployeeHome({ displayName: 'Ana', held: [] }, ctx, { shown: {} });
    expect(text(byId(view.blocks as KnownBlock[], 'home_held_empty'))).toContain('/asset request');
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
    const view = buildEmployeeHome({ displayName: 'Ana', held }, ctx, { shown: {} });
    const blocks = view.blocks as KnownBlock[];
    const assetBlocks = blocks.filter((b) => b.block_id?.startsWith('asset:'));
    expect(assetBlocks).toHaveLength(homeSectionStep);
    expect(assetBlocks[0]?.block_id).toBe('asset:LAP-0099');
    expect(text(byId(blocks, 'home_held_header'))).toContain('26, :rotating_light: 1 overdue');
    expect(byId(blocks, 'home_held_pager')).toBeDefined();
    const more = buildEmployeeHome(
      { displayName: 'Ana', held },
      ctx,
      parseHomeState(JSON.stringify({ shown: { held: 30 } })),
    );
    expect((more.blocks as KnownBlock[]).filter((b) => b.block_id?.startsWith('asset:'))).toHaveLength(26);
    expect(byId(more.blocks as KnownBlock[], 'home_held_pager')).toBeUndefined();
  });

  it('ignores tampered private metadata', () => {
    expect(parseHomeState('not json')).toEqual({ shown: {} });
    expect(parseHomeState(JSON.stringify({ shown: { held: -5, other: 'x' } }))).toEqual({ shown: {} });
  });
});

describe('help', () => {
  it('lists exactly the entries it is given', () => {
    const { blocks } = buildHelpMessage([{ usage: '/asset find <q>', description: 'look up' }], false);
    expect(text(byId(blocks, 'help_commands'))).toBe('• `/asset find <q>` — look up');
  });
});
