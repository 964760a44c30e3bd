/** Pure: `/asset history <tag>` — every movement and change, newest first, one page within the 50-block limit. */
import type { Button, KnownBlock } from '@slack/types';
import { hasNextPage, statusLabels, type AssetHistoryEntry, type PageOf } from '../../domain/index.js';
import { ActionIds, BlockIds } from '../ids.js';
import type { ViewContext } from './asset.blocks.js';
import { clip, escapeMrkdwn, mention } from './format.js';

/** 20 entries + header + pager stay far inside the 50-block message limit. */
export const historyPageSize = 20;

export interface HistoryPageValue {
  t: string;
  o: number;
}

const problemWords = { lost: 'lost', damaged: 'damaged', not_working: 'not working' } as const;
const conditionWords = { good: 'good condition', damaged: 'damaged', needs_repair: 'needs repair' } as const;

function who(userId: string | undefined): string {
  return userId ? mention(userId) : 'nobody';
}

export function describeHistoryAction(entry: AssetHistoryEntry): string {
  const condition = entry.condition ? ` (${conditionWords[entry.condition]})` : '';
  switch (entry.action) {
    case 'registered':
      return 'registered it';
    case 'checked_out':
      return `checked it out to ${who(entry.toHolderId)}${entry.requestId ? ' for their request' : ''}`;
    case 'return_started':
      return 'started returning it';
    case 'return_confirmed':
      return `confirmed its return from ${who(entry.fromHolderId)}${condition}`;
    case 'checked_in':
      return `checked it in from ${who(entry.fromHolderId)}${condition}`;
    case 'transferred':
      return `moved it from ${who(entry.fromHolderId)} to ${who(entry.toHolderId)} (transfer)`;
    case 'problem_reported':
      return `reported a problem: ${entry.problem ? problemWords[entry.problem] : 'unspecified'}`;
    case 'reported_lost':
      return 'reported it lost';
    case 'sent_to_repair':
      return 'sent it to repair';
    case 'repaired':
      return 'marked it repaired';
    case 'found':
      return 'marked it found';
    case 'retired':
      return 'retired it';
    case 'updated':
      return 'updated its details';
  }
}

function formatWhen(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone,
  }).format(date);
}

export function historyEntryText(entry: AssetHistoryEntry, ctx: ViewContext): string {
  const moved =
    entry.fromStatus && entry.fromStatus !== entry.toStatus
      ? ` · ${statusLabels[entry.fromStatus]} → ${statusLabels[entry.toStatus]}`
      : entry.fromStatus
        ? ''
        : ` · ${statusLabels[entry.toStatus]}`;
  const head = `*${formatWhen(entry.at, ctx.timeZone)}* · ${mention(entry.actorId)} ${describeHistoryAction(entry)}${moved}`;
  const note = entry.note ? `\n>${escapeMrkdwn(clip(entry.note, 500)).replace(/\n/g, '\n>')}` : '';
  return clip(`${head}${note}`, 3000);
}

export function buildHistoryMessage(
  tag: string,
  page: PageOf<AssetHistoryEntry>,
  ctx: ViewContext,
): { text: string; blocks: KnownBlock[] } {
  const first = page.offset + 1;
  const last = page.offset + page.items.length;
  const heading =
    page.total === 0
      ? `No history recorded for ${tag}`
      : page.total <= page.items.length && page.offset === 0
        ? `History of ${tag} (${page.total} entr${page.total === 1 ? 'y' : 'ies'}, newest first)`
        : `History of ${tag}: ${first}–${last} of ${page.total}, newest first`;
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      block_id: BlockIds.historyHeader,
      text: { type: 'mrkdwn', text: `*${escapeMrkdwn(heading)}*` },
    },
    ...page.items.map((entry, i): KnownBlock => ({
      type: 'section',
      block_id: `${BlockIds.historyEntryPrefix}${page.offset + i}`,
      text: { type: 'mrkdwn', text: historyEntryText(entry, ctx) },
    })),
  ];
  const buttons: Button[] = [];
  if (page.offset > 0) {
    const value: HistoryPageValue = { t: tag, o: Math.max(page.offset - page.limit, 0) };
    buttons.push({
      type: 'button',
      action_id: `${ActionIds.historyPage}:prev`,
      text: { type: 'plain_text', text: '‹ Previous (newer)' },
      value: JSON.stringify(value),
    });
  }
  if (hasNextPage(page)) {
    const value: HistoryPageValue = { t: tag, o: page.offset + page.limit };
    buttons.push({
      type: 'button',
      action_id: `${ActionIds.historyPage}:next`,
      text: { type: 'plain_text', text: 'Next (older) ›' },
      value: JSON.stringify(value),
    });
  }
  if (buttons.length > 0)
    blocks.push({ type: 'actions', block_id: BlockIds.historyPager, elements: buttons });
  return { text: heading, blocks };
}
