/** Pure: `/asset find` results, one page at a time within Slack's 50-block message limit. */
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { hasNextPage, statusLabels, type AssetSearch, type PageOf } from '../../domain/index.js';
import { ActionIds, BlockIds } from '../ids.js';
import { assetSection, type ShownAsset, type ViewContext } from './asset.blocks.js';
import { escapeMrkdwn, mention } from './format.js';

/** 20 results -> at most 20 + header + pager blocks, far inside the 50-block limit. */
export const findPageSize = 20;

export interface FindPageValue {
  q: string;
  o: number;
}

function isTextOnly(search: AssetSearch): search is AssetSearch & { text: string } {
  return (
    search.text !== undefined &&
    search.holderId === undefined &&
    search.status === undefined &&
    search.category === undefined &&
    search.location === undefined
  );
}

/** “dell” for plain text; otherwise "assets held by @ana with status retired in category Laptop matching “dell”". */
export function describeSearch(search: AssetSearch): string {
  const quoted = search.text !== undefined ? `“${escapeMrkdwn(search.text)}”` : '';
  if (isTextOnly(search)) return quoted;
  const parts = ['assets'];
  if (search.holderId !== undefined) parts.push(`held by ${mention(search.holderId)}`);
  if (search.status?.kind === 'status') {
    parts.push(`with status ${statusLabels[search.status.status].toLowerCase()}`);
  }
  if (search.status?.kind === 'overdue') parts.push('that are overdue');
  if (search.category !== undefined) parts.push(`in category ${escapeMrkdwn(search.category)}`);
  if (search.location !== undefined) parts.push(`at location ${escapeMrkdwn(search.location)}`);
  if (search.text !== undefined) parts.push(`matching ${quoted}`);
  return parts.join(' ');
}

function nothingFound(search: AssetSearch): string {
  if (isTextOnly(search)) {
    return (
      `Nothing found for ${describeSearch(search)}. Search by tag (LAP-0042), serial number, name, ` +
      'or @person, and narrow with `status:`, `category:` or `location:`.'
    );
  }
  const { holderId, text, status, category, location } = search;
  if (holderId !== undefined && [text, status, category, location].every((part) => part === undefined)) {
    return `${mention(holderId)} holds no assets.`;
  }
  return `No ${describeSearch(search)}.`;
}

export function buildFindResults(
  query: string,
  search: AssetSearch,
  page: PageOf<ShownAsset>,
  ctx: ViewContext,
): { text: string; blocks: KnownBlock[] } {
  if (page.total === 0) {
    const text = nothingFound(search);
    return {
      text,
      blocks: [{ type: 'section', block_id: BlockIds.findHeader, text: { type: 'mrkdwn', text } }],
    };
  }
  const first = page.offset + 1;
  const last = page.offset + page.items.length;
  const described = describeSearch(search);
  const heading =
    page.total <= page.items.length && page.offset === 0 && !page.totalCapped
      ? `${page.total} result${page.total === 1 ? '' : 's'} for ${described}`
      : `Results ${first}–${last} of ${page.total}${page.totalCapped ? '+' : ''} for ${described}`;
  const blocks: KnownBlock[] = [
    { type: 'section', block_id: BlockIds.findHeader, text: { type: 'mrkdwn', text: `*${heading}*` } },
    ...page.items.map((asset) => assetSection(asset, ctx)),
  ];
  const buttons: Button[] = [];
  if (page.offset > 0) {
    const value: FindPageValue = { q: query, o: Math.max(page.offset - page.limit, 0) };
    buttons.push({
      type: 'button',
      action_id: `${ActionIds.findPage}:prev`,
      text: { type: 'plain_text', text: '‹ Previous' },
      value: JSON.stringify(value),
    });
  }
  if (hasNextPage(page)) {
    const value: FindPageValue = { q: query, o: page.offset + page.limit };
    buttons.push({
      type: 'button',
      action_id: `${ActionIds.findPage}:next`,
      text: { type: 'plain_text', text: 'Next ›' },
      value: JSON.stringify(value),
    });
  }
  if (buttons.length > 0) {
    const pager: ActionsBlock = { type: 'actions', block_id: BlockIds.findPager, elements: buttons };
    blocks.push(pager);
  }
  return { text: heading, blocks };
}
