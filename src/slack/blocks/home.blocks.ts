/**
 * Pure: the App Home — IT's queue (for IT staff and admins) above the person's own view. Every section
 * paginates ("Show more"), and the whole view is fitted inside Slack's 100-block limit: a section that
 * cannot grow any further says how many rows it shows and where the rest is, instead of being cut silently.
 */
import type { ActionsBlock, ContextBlock, HomeView, KnownBlock } from '@slack/types';
import { describeItem, isOverdue, type AssetRequest, type PageOf } from '../../domain/index.js';
import { ActionIds, BlockIds } from '../ids.js';
import { assetSection, type ShownAsset, type ViewContext } from './asset.blocks.js';
import { clip, escapeMrkdwn, formatShortDate, mention } from './format.js';
import { requestSummaryLines } from './request.blocks.js';
import { button, textSection } from './elements.js';

export const homeSectionKeys = ['queue', 'returns', 'overdue', 'stock', 'held', 'requests'] as const;
export type HomeSectionKey = (typeof homeSectionKeys)[number];

/** How many more rows one "Show more" adds (also the default for what you hold). */
export const homeSectionStep = 10;
export const homeBlockLimit = 100;

/** Rows each section shows before "Show more". */
export const homeSectionDefaults: Record<HomeSectionKey, number> = {
  queue: 5,
  returns: 5,
  overdue: 5,
  stock: 10,
  held: homeSectionStep,
  requests: 5,
};

/** Stock lines share one section block, whose text is limited to 3000 characters. */
const stockLineLimit = 30;

export interface HomeSectionState {
  /** Rows shown per section, carried in the view's private_metadata. */
  shown: Partial<Record<HomeSectionKey, number>>;
}

export interface StockLine {
  category: string;
  available: number;
  total: number;
}

export interface ItQueue {
  pendingRequests: PageOf<AssetRequest>;
  pendingReturns: PageOf<ShownAsset>;
  overdue: PageOf<ShownAsset>;
  stock: StockLine[];
}

export interface HomeData {
  viewerId: string;
  displayName: string;
  held: ShownAsset[];
  openRequests: AssetRequest[];
  /** Present for IT staff and admins only. */
  it: ItQueue | undefined;
}

/** `home_<section>_<part>`: the held section's ids in ids.ts follow the same pattern. */
export function homeSectionBlockId(key: HomeSectionKey, part: 'header' | 'empty' | 'pager'): string {
  return `home_${key}_${part}`;
}

export function parseHomeState(privateMetadata: string | undefined): HomeSectionState {
  try {
    const parsed = JSON.parse(privateMetadata ?? '{}') as { shown?: unknown };
    const shown: HomeSectionState['shown'] = {};
    if (parsed.shown && typeof parsed.shown === 'object') {
      for (const [key, value] of Object.entries(parsed.shown)) {
        if (
          (homeSectionKeys as readonly string[]).includes(key) &&
          typeof value === 'number' &&
          Number.isInteger(value) &&
          value > 0 &&
          value <= 1000
        )
          shown[key as HomeSectionKey] = value;
      }
    }
    return { shown };
  } catch {
    // Metadata from an older home (or none): start from the default sections.
    return { shown: {} };
  }
}

/** Rows a section asks to show (before fitting the view into the block limit). */
export function requestedRows(state: HomeSectionState, key: HomeSectionKey): number {
  return state.shown[key] ?? homeSectionDefaults[key];
}

/**
 * "Show more" on one section: that section grows by a step and every other section goes back to its
 * default, so the expanded one always has room to grow inside the block limit.
 */
export function expandSection(state: HomeSectionState, key: HomeSectionKey): HomeSectionState {
  return { shown: { [key]: requestedRows(state, key) + homeSectionStep } };
}

interface Section {
  key: HomeSectionKey;
  header: string;
  total: number;
  /** Rows loaded and ready to show (at most `total`). */
  available: number;
  /** The blocks of the first `rows` rows. */
  render(rows: number): KnownBlock[];
  /** How many blocks `render(rows)` takes. */
  cost(rows: number): number;
  empty: string;
  /** Where to find the rest when the section cannot grow any further. */
  rest: string;
}

function sectionCost(section: Section, rows: number): number {
  const body = section.total === 0 ? 1 : section.cost(rows);
  return 1 + body + (rows < section.total ? 1 : 0);
}

function requestStatusWords(request: AssetRequest, ctx: ViewContext): string {
  const since = `since ${formatShortDate(request.createdAt, ctx.timeZone, ctx.now)}`;
  return request.status === 'approving' && request.approval
    ? `:hourglass_flowing_sand: being approved by ${mention(request.approval.approverId)}`
    : `:hourglass: pending ${since}`;
}

function queueSection(queue: ItQueue, data: HomeData, ctx: ViewContext): Section {
  const page = queue.pendingRequests;
  return {
    key: 'queue',
    header: `*Requests to decide* (${page.total})`,
    total: page.total,
    available: page.items.length,
    cost: (rows) => rows * 2,
    render: (rows) =>
      page.items.slice(0, rows).flatMap((request): KnownBlock[] => {
        const details = textSection(
          `${BlockIds.itRequestPrefix}${request.id}`,
          [...requestSummaryLines(request, ctx), requestStatusWords(request, ctx)].join('\n'),
        );
        const actionsId = `${BlockIds.itRequestPrefix}${request.id}:actions`;
        if (request.requesterId === data.viewerId) {
          const own: ContextBlock = {
            type: 'context',
            block_id: actionsId,
            elements: [{ type: 'mrkdwn', text: 'Your own request: another IT person decides it.' }],
          };
          return [details, own];
        }
        const actions: ActionsBlock = {
          type: 'actions',
          block_id: actionsId,
          elements: [
            button(ActionIds.approveRequest, 'Approve', request.id, 'primary'),
            button(ActionIds.denyRequest, 'Deny', request.id, 'danger'),
          ],
        };
        return [details, actions];
      }),
    empty: 'No requests are waiting. :tada:',
    rest: 'Decide some of these to see the rest.',
  };
}

function assetListSection(key: 'returns' | 'overdue', page: PageOf<ShownAsset>, ctx: ViewContext): Section {
  const isReturns = key === 'returns';
  return {
    key,
    header: isReturns ? `*Returns to confirm* (${page.total})` : `*Overdue* (${page.total})`,
    total: page.total,
    available: page.items.length,
    cost: (rows) => rows,
    render: (rows) =>
      page.items.slice(0, rows).map((asset): KnownBlock => {
        const accessory = isReturns
          ? button(ActionIds.confirmReturn, 'Confirm return', asset.tag, 'primary')
          : undefined;
        const prefix = isReturns ? BlockIds.itReturnPrefix : BlockIds.itOverduePrefix;
        return { ...assetSection(asset, ctx, accessory), block_id: `${prefix}${asset.tag}` } as KnownBlock;
      }),
    empty: isReturns ? 'No returns are waiting for confirmation.' : 'Nothing is overdue.',
    rest: isReturns
      ? 'Confirm some of these to see the rest.'
      : 'Look the others up with `/asset find @person` or `/asset find <tag>`.',
  };
}

function stockSection(stock: StockLine[]): Section {
  const ordered = [...stock].sort(
    (a, b) =>
      (a.available === 0 ? 0 : 1) - (b.available === 0 ? 0 : 1) || a.category.localeCompare(b.category),
  );
  return {
    key: 'stock',
    header: '*Stock by category*',
    total: ordered.length,
    available: Math.min(ordered.length, stockLineLimit),
    cost: (rows) => (rows > 0 ? 1 : 0),
    render: (rows) =>
      rows === 0
        ? []
        : [
            textSection(
              BlockIds.homeStockList,
              ordered
                .slice(0, rows)
                .map(
                  (line) =>
                    `${line.available === 0 ? ':warning:' : '•'} *${escapeMrkdwn(clip(line.category, 60))}*: ${line.available} of ${line.total} in stock`,
                )
                .join('\n'),
            ),
          ],
    empty: 'No assets are registered yet. Add one with `/asset add`.',
    rest: 'Type `/asset find <category>` to look at a category.',
  };
}

function heldSection(data: HomeData, ctx: ViewContext): Section {
  const overdue = data.held.filter((a) => isOverdue(a, ctx.now)).length;
  // Overdue first, then by due date, so what needs action is on top.
  const ordered = [...data.held].sort((a, b) => {
    const ao = isOverdue(a, ctx.now) ? 0 : 1;
    const bo = isOverdue(b, ctx.now) ? 0 : 1;
    if (ao !== bo) return ao - bo;
    // Without a due date sorts last; two without one keep their order (Infinity - Infinity is NaN).
    const ad = a.dueBackAt?.getTime() ?? Number.MAX_SAFE_INTEGER;
    const bd = b.dueBackAt?.getTime() ?? Number.MAX_SAFE_INTEGER;
    return ad - bd;
  });
  return {
    key: 'held',
    header:
      data.held.length === 0
        ? '*What you hold*'
        : `*What you hold* (${data.held.length}${overdue > 0 ? `, :rotating_light: ${overdue} overdue` : ''})`,
    total: ordered.length,
    available: ordered.length,
    cost: (rows) => rows,
    render: (rows) =>
      ordered
        .slice(0, rows)
        .map((asset) =>
          assetSection(
            asset,
            ctx,
            asset.status === 'checked_out' ? button(ActionIds.returnAsset, 'Return', asset.tag) : undefined,
          ),
        ),
    empty:
      'You hold no assets. Need a laptop, phone or monitor? Press *Request an asset*, or type `/asset request` in any channel (`/asset help` shows everything you can do).',
    rest: 'Type `/asset mine` to see everything you hold.',
  };
}

function myRequestsSection(data: HomeData, ctx: ViewContext): Section {
  const requests = data.openRequests;
  return {
    key: 'requests',
    header: `*Your open requests* (${requests.length})`,
    total: requests.length,
    available: requests.length,
    cost: (rows) => rows,
    render: (rows) =>
      requests.slice(0, rows).map((request) => {
        const kind = request.kind === 'loan' ? 'Loan' : 'Permanent';
        const needed = request.neededBy
          ? ` · needed by ${formatShortDate(request.neededBy, ctx.timeZone, ctx.now)}`
          : '';
        const section = textSection(
          `${BlockIds.requestPrefix}${request.id}`,
          `*${escapeMrkdwn(describeItem(request.item))}* · ${kind}${needed}\n${requestStatusWords(request, ctx)}`,
        );
        // Only a request nobody is deciding yet can be withdrawn.
        return request.status === 'pending'
          ? { ...section, accessory: button(ActionIds.cancelRequest, 'Cancel', request.id, 'danger') }
          : section;
      }),
    empty: 'No open requests.',
    rest: 'Type `/asset mine` to see all of them.',
  };
}

function pager(section: Section, rows: number, canGrow: boolean): KnownBlock {
  const blockId = homeSectionBlockId(section.key, 'pager');
  if (canGrow) {
    return {
      type: 'actions',
      block_id: blockId,
      elements: [button(ActionIds.homeShowMore, `Show more (${section.total - rows} more)`, section.key)],
    };
  }
  return {
    type: 'context',
    block_id: blockId,
    elements: [{ type: 'mrkdwn', text: `Showing ${rows} of ${section.total}. ${section.rest}` }],
  };
}

function renderSection(section: Section, rows: number, canGrow: boolean): KnownBlock[] {
  const blocks: KnownBlock[] = [textSection(homeSectionBlockId(section.key, 'header'), section.header)];
  if (section.total === 0) {
    blocks.push(textSection(homeSectionBlockId(section.key, 'empty'), section.empty));
    return blocks;
  }
  blocks.push(...section.render(rows));
  if (rows < section.total) blocks.push(pager(section, rows, canGrow));
  return blocks;
}

/**
 * Chooses how many rows each section shows: what was asked for, then — while the view is over the
 * block limit — one row less from the section using the most blocks.
 */
function fitRows(sections: Section[], state: HomeSectionState, fixedBlocks: number): number[] {
  const rows = sections.map((s) => Math.min(requestedRows(state, s.key), s.available));
  const total = () => fixedBlocks + sections.reduce((sum, s, i) => sum + sectionCost(s, rows[i] ?? 0), 0);
  while (total() > homeBlockLimit) {
    let widest = -1;
    sections.forEach((s, i) => {
      const r = rows[i] ?? 0;
      if (r > 1 && (widest === -1 || s.cost(r) > (sections[widest]?.cost(rows[widest] ?? 0) ?? 0)))
        widest = i;
    });
    if (widest === -1) break;
    rows[widest] = (rows[widest] ?? 1) - 1;
  }
  return rows;
}

/** Whether "Show more" on this section would show more (the others return to their defaults). */
function canGrow(sections: Section[], index: number, rows: number, fixedBlocks: number): boolean {
  const section = sections[index];
  if (!section || rows >= section.total || rows >= stockCap(section)) return false;
  const others = sections.reduce(
    (sum, s, i) => (i === index ? sum : sum + sectionCost(s, Math.min(homeSectionDefaults[s.key], s.total))),
    0,
  );
  return fixedBlocks + others + sectionCost(section, rows + 1) <= homeBlockLimit;
}

function stockCap(section: Section): number {
  return section.key === 'stock' ? stockLineLimit : Infinity;
}

export function buildHome(data: HomeData, ctx: ViewContext, state: HomeSectionState): HomeView {
  const header: KnownBlock = {
    type: 'header',
    block_id: BlockIds.homeHeader,
    text: { type: 'plain_text', text: clip(`Hi ${data.displayName} — your IT assets`, 150) },
  };
  const actions: ActionsBlock = {
    type: 'actions',
    block_id: BlockIds.homeActions,
    elements: [button(ActionIds.homeRequestAsset, 'Request an asset', 'home', 'primary')],
  };
  const itSections = data.it
    ? [
        queueSection(data.it, data, ctx),
        assetListSection('returns', data.it.pendingReturns, ctx),
        assetListSection('overdue', data.it.overdue, ctx),
        stockSection(data.it.stock),
      ]
    : [];
  const ownSections = [heldSection(data, ctx), myRequestsSection(data, ctx)];
  const sections = [...itSections, ...ownSections];
  // The greeting, the request button, and for IT the queue's title and the divider below it.
  const fixedBlocks = 2 + (data.it ? 2 : 0);
  const rows = fitRows(sections, state, fixedBlocks);
  const rendered = sections.map((section, i) =>
    renderSection(section, rows[i] ?? 0, canGrow(sections, i, rows[i] ?? 0, fixedBlocks)),
  );

  const blocks: KnownBlock[] = [header];
  if (data.it) {
    const queue = data.it;
    const summary = [
      `${queue.pendingRequests.total} request${queue.pendingRequests.total === 1 ? '' : 's'} to decide`,
      `${queue.pendingReturns.total} return${queue.pendingReturns.total === 1 ? '' : 's'} to confirm`,
      `${queue.overdue.total} overdue`,
    ].join(' · ');
    blocks.push(textSection(BlockIds.homeItHeader, `:office: *IT queue* — ${summary}`));
    blocks.push(...rendered.slice(0, itSections.length).flat());
    blocks.push({ type: 'divider', block_id: 'home_it_divider' });
  }
  blocks.push(actions);
  blocks.push(...rendered.slice(itSections.length).flat());
  return { type: 'home', blocks, private_metadata: JSON.stringify(state) };
}
