/**
 * Pure: the App Home. Sections are built separately and each paginates ("Show more") so the whole view
 * stays inside Slack's 100-block limit instead of being cut silently.
 */
import type { HomeView, KnownBlock } from '@slack/types';
import { isOverdue } from '../../domain/index.js';
import { ActionIds, BlockIds } from '../ids.js';
import { assetSection, type ShownAsset, type ViewContext } from './asset.blocks.js';

/** How many rows each home section shows before "Show more"; raised by the button, up to the block budget. */
export const homeSectionStep = 10;

export interface HomeSectionState {
  /** Rows shown per section key, carried in the view's private_metadata. */
  shown: Record<string, number>;
}

export interface EmployeeHome {
  displayName: string;
  held: ShownAsset[];
}

export function parseHomeState(privateMetadata: string | undefined): HomeSectionState {
  try {
    const parsed = JSON.parse(privateMetadata ?? '{}') as { shown?: unknown };
    const shown: Record<string, number> = {};
    if (parsed.shown && typeof parsed.shown === 'object') {
      for (const [key, value] of Object.entries(parsed.shown)) {
        if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 1000)
          shown[key] = value;
      }
    }
    return { shown };
  } catch {
    return { shown: {} };
  }
}

function heldSection(home: EmployeeHome, ctx: ViewContext, state: HomeSectionState): KnownBlock[] {
  const overdue = home.held.filter((a) => isOverdue(a, ctx.now)).length;
  const title =
    home.held.length === 0
      ? '*What you hold*'
      : `*What you hold* (${home.held.length}${overdue > 0 ? `, :rotating_light: ${overdue} overdue` : ''})`;
  const blocks: KnownBlock[] = [
    { type: 'section', block_id: BlockIds.homeHeldHeader, text: { type: 'mrkdwn', text: title } },
  ];
  if (home.held.length === 0) {
    blocks.push({
      type: 'section',
      block_id: BlockIds.homeHeldEmpty,
      text: {
        type: 'mrkdwn',
        text: 'You hold no assets. Need a laptop, phone or monitor? Type `/asset request` in any channel, or `/asset help` to see everything you can do.',
      },
    });
    return blocks;
  }
  const limit = state.shown['held'] ?? homeSectionStep;
  // Overdue first, then by due date, so what needs action is on top.
  const ordered = [...home.held].sort((a, b) => {
    const ao = isOverdue(a, ctx.now) ? 0 : 1;
    const bo = isOverdue(b, ctx.now) ? 0 : 1;
    if (ao !== bo) return ao - bo;
    return (a.dueBackAt?.getTime() ?? Infinity) - (b.dueBackAt?.getTime() ?? Infinity);
  });
  blocks.push(...ordered.slice(0, limit).map((asset) => assetSection(asset, ctx)));
  if (ordered.length > limit) {
    blocks.push({
      type: 'actions',
      block_id: BlockIds.homeHeldPager,
      elements: [
        {
          type: 'button',
          action_id: ActionIds.homeShowMoreHeld,
          text: { type: 'plain_text', text: `Show more (${ordered.length - limit} more)` },
          value: 'held',
        },
      ],
    });
  }
  return blocks;
}

export function buildEmployeeHome(home: EmployeeHome, ctx: ViewContext, state: HomeSectionState): HomeView {
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      block_id: BlockIds.homeHeader,
      text: { type: 'plain_text', text: `Hi ${home.displayName.slice(0, 100)} — your IT assets` },
    },
    ...heldSection(home, ctx, state),
  ];
  return { type: 'home', blocks, private_metadata: JSON.stringify(state) };
}
