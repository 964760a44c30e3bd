/** Pure: `/asset find` results, one page at a time within Slack's 50-block message limit. */
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { hasNextPage, type AssetSearch, type PageOf } from '../../domain/index.js';
import { ActionIds, BlockIds } from '../ids.js';
import { assetSection, type ShownAsset, type ViewContext } from './asset.blocks.js';
import { escapeMrkdwn, mention } from './format.js';

/** 20 results -> at most 20 + header + pager blocks, far inside the 50-block limit. */
export const findPageSize = 20;

export interface FindPageValue {
  q: string;
  o: number;
}

export function describeSearch(search: AssetSearch): string {
  return search.kind === 'holder'
    ? `assets held by ${mention(search.holderId)}`
    : `“${escapeMrkdwn(search.text)}”`;
}

export function buildFindResults(
  query: string,
  search: AssetSearch,
  page: PageOf<ShownAsset>,
  ctx: ViewContext,
): { text: string; blocks: KnownBlock[] } {
  if (page.total === 0) {
    const text =
      search.kind === 'holder'
        ? `${mention(search.holderId)} holds no assets.`
        : `Nothing found for ${describeSearch(search)}. Search by tag (LAP-0042), serial number, name, or @person.`;
    return {
      text,
      blocks: [{ type: 'section', block_id: BlockIds.findHeader, text: { type: 'mrkdwn', text } }],
    };
  }
  const first = page.offset + 1;
  const last = page.offset + page.items.length;
  const heading =
    page.total <= page.items.length
      ? `${page.total} result${page.total === 1 ? '' : 's'} for ${describeSearch(search)}`
      : `Results ${first}–${last} of ${page.total} for ${describeSearch(search)}`;
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
