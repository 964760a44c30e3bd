/** Pure: the IT channel message for one asset request, in each of its states. */
import type { KnownBlock } from '@slack/types';
import { describeItem, type AssetRequest } from '../../domain/index.js';
import { ActionIds, BlockIds } from '../ids.js';
import type { ViewContext } from './asset.blocks.js';
import { clip, escapeMrkdwn, formatShortDate, mention } from './format.js';

export function requestSummaryLines(request: AssetRequest, ctx: ViewContext): string[] {
  const lines = [`${mention(request.requesterId)} requests *${escapeMrkdwn(describeItem(request.item))}*`];
  const when: string[] = [];
  when.push(request.kind === 'loan' ? 'Loan' : 'Permanent');
  if (request.neededBy) when.push(`needed by ${formatShortDate(request.neededBy, ctx.timeZone, ctx.now)}`);
  if (request.returnBy) when.push(`back by ${formatShortDate(request.returnBy, ctx.timeZone, ctx.now)}`);
  lines.push(when.join(' · '));
  lines.push(`>${escapeMrkdwn(clip(request.reason, 500)).replace(/\n/g, '\n>')}`);
  return lines;
}

export function buildItRequestMessage(
  request: AssetRequest,
  ctx: ViewContext & { inStock: number | undefined },
): { text: string; blocks: KnownBlock[] } {
  const lines = requestSummaryLines(request, ctx);
  const blocks: KnownBlock[] = [
    { type: 'section', block_id: BlockIds.requestDetails, text: { type: 'mrkdwn', text: lines.join('\n') } },
  ];
  const fallback = `${escapeMrkdwn(describeItem(request.item))} requested by ${mention(request.requesterId)}`;
  switch (request.status) {
    case 'pending':
    case 'approving': {
      const stock =
        ctx.inStock === undefined
          ? 'Stock unknown'
          : ctx.inStock === 0
            ? ':warning: None in stock'
            : `${ctx.inStock} in stock`;
      const claim =
        request.status === 'approving' && request.approval
          ? ` · :hourglass_flowing_sand: being approved by ${mention(request.approval.approverId)}`
          : '';
      blocks.push({
        type: 'context',
        block_id: 'request_stock',
        elements: [{ type: 'mrkdwn', text: `${stock}${claim}` }],
      });
      blocks.push({
        type: 'actions',
        block_id: BlockIds.requestActions,
        elements: [
          {
            type: 'button',
            action_id: ActionIds.approveRequest,
            style: 'primary',
            text: { type: 'plain_text', text: 'Approve' },
            value: request.id,
          },
          {
            type: 'button',
            action_id: ActionIds.denyRequest,
            style: 'danger',
            text: { type: 'plain_text', text: 'Deny' },
            value: request.id,
          },
        ],
      });
      return { text: `New request: ${fallback}`, blocks };
    }
    case 'approved': {
      const a = request.approval;
      const due = a?.dueBackAt ? `, due back ${formatShortDate(a.dueBackAt, ctx.timeZone, ctx.now)}` : '';
      const outcome = `:white_check_mark: Approved by ${a ? mention(a.approverId) : 'IT'}, assigned *${escapeMrkdwn(a?.assetTag ?? '?')}*${due}`;
      blocks.push({
        type: 'section',
        block_id: BlockIds.requestOutcome,
        text: { type: 'mrkdwn', text: outcome },
      });
      return { text: `Approved: ${fallback}`, blocks };
    }
    case 'denied': {
      const d = request.denial;
      const outcome = `:x: Denied by ${d ? mention(d.deniedBy) : 'IT'}: ${escapeMrkdwn(clip(d?.reason ?? '', 500))}`;
      blocks.push({
        type: 'section',
        block_id: BlockIds.requestOutcome,
        text: { type: 'mrkdwn', text: outcome },
      });
      return { text: `Denied: ${fallback}`, blocks };
    }
    case 'cancelled':
      blocks.push({
        type: 'section',
        block_id: BlockIds.requestOutcome,
        text: { type: 'mrkdwn', text: ':no_entry_sign: Cancelled by the requester' },
      });
      return { text: `Cancelled: ${fallback}`, blocks };
  }
}
