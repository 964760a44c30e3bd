/** Pure: how one asset is shown wherever assets are listed. */
import type { KnownBlock, SectionBlock } from '@slack/types';
import { isOverdue, type Asset } from '../../domain/index.js';
import { BlockIds } from '../ids.js';
import { clip, escapeMrkdwn, formatShortDate, mention, statusText } from './format.js';

export type ShownAsset = Omit<Asset, 'history'>;

export interface ViewContext {
  timeZone: string;
  now: Date;
}

export function assetTitle(asset: ShownAsset): string {
  return `*${escapeMrkdwn(asset.tag)}* · ${escapeMrkdwn(clip(asset.name, 200))}`;
}

/** The status line: who holds it since when, due date and an overdue mark. */
export function custodyLine(asset: ShownAsset, ctx: ViewContext): string {
  const parts = [statusText(asset.status)];
  if (asset.holderId) {
    const since = asset.checkedOutAt
      ? ` since ${formatShortDate(asset.checkedOutAt, ctx.timeZone, ctx.now)}`
      : '';
    parts.push(`${asset.status === 'lost' ? 'last held by' : 'held by'} ${mention(asset.holderId)}${since}`);
  }
  if (asset.dueBackAt) {
    const due = formatShortDate(asset.dueBackAt, ctx.timeZone, ctx.now);
    parts.push(isOverdue(asset, ctx.now) ? `:rotating_light: *overdue* (due ${due})` : `due back ${due}`);
  }
  return parts.join(' · ');
}

export function assetSection(
  asset: ShownAsset,
  ctx: ViewContext,
  accessory?: SectionBlock['accessory'],
): KnownBlock {
  const details = [
    asset.category
      ? `${escapeMrkdwn(asset.category)}${asset.model ? ` · ${escapeMrkdwn(asset.model)}` : ''}`
      : '',
    asset.serial ? `S/N ${escapeMrkdwn(asset.serial)}` : '',
    asset.location ? `:round_pushpin: ${escapeMrkdwn(clip(asset.location, 200))}` : '',
  ].filter(Boolean);
  const text = [assetTitle(asset), custodyLine(asset, ctx), details.join(' · ')].filter(Boolean).join('\n');
  return {
    type: 'section',
    block_id: `${BlockIds.assetPrefix}${asset.tag}`,
    text: { type: 'mrkdwn', text: clip(text, 3000) },
    ...(accessory ? { accessory } : {}),
  };
}
