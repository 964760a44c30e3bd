/** Pure: what the employee flows tell people — the requester's DM, IT channel notices and short replies. */
import type { KnownBlock } from '@slack/types';
import { describeItem, type AssetRequest, type ProblemKind } from '../../domain/index.js';
import { ActionIds, BlockIds } from '../ids.js';
import { assetSection, type ShownAsset, type ViewContext } from './asset.blocks.js';
import { clip, escapeMrkdwn, formatShortDate, mention } from './format.js';
import { requestSummaryLines } from './request.blocks.js';
import { textSection } from './elements.js';

export const problemLabels: Record<ProblemKind, string> = {
  lost: 'Lost: I cannot find it',
  damaged: 'Damaged',
  not_working: 'Not working',
};

const problemWords: Record<ProblemKind, string> = {
  lost: 'lost',
  damaged: 'damaged',
  not_working: 'not working',
};

function quote(note: string | undefined): string {
  return note ? `\n>${escapeMrkdwn(clip(note, 500)).replace(/\n/g, '\n>')}` : '';
}

/** The requester's DM once a request is in: what they asked for and what happens next. */
export function requestReceivedDm(
  request: AssetRequest,
  ctx: ViewContext,
): { text: string; blocks: KnownBlock[] } {
  const item = escapeMrkdwn(describeItem(request.item));
  const lines = [
    `:inbox_tray: IT received your request for *${item}*.`,
    requestSummaryLines(request, ctx).slice(1).join('\n'),
    'You will hear from me as soon as someone approves or denies it. Type `/asset mine` to see it, or cancel it while it is pending.',
  ];
  return {
    text: `IT received your request for ${escapeMrkdwn(describeItem(request.item))}.`,
    blocks: [textSection(`${BlockIds.requestPrefix}${request.id}`, lines.join('\n'))],
  };
}

/** The requester's DM when the IT channel could not be told: the request stands, IT still sees it on its home. */
export function itNotNotifiedDm(request: AssetRequest): { text: string; blocks: KnownBlock[] } {
  const item = describeItem(request.item);
  const text = `I could not post your request for ${escapeMrkdwn(item)} to the IT channel just now (Slack had a problem).`;
  const lines = [
    `:warning: I could not post your request for *${escapeMrkdwn(item)}* to the IT channel just now (Slack had a problem).`,
    'Your request is saved and IT sees it in their queue on the Custodian Home, so there is nothing you need to do. You will still hear from me when it is decided.',
  ];
  return {
    text,
    blocks: [textSection(`${BlockIds.requestPrefix}${request.id}:it-not-notified`, lines.join('\n'))],
  };
}

export function requestCancelledReply(request: AssetRequest): string {
  return `Cancelled your request for *${escapeMrkdwn(describeItem(request.item))}*. IT has been told.`;
}

/** The IT channel's notice that a holder is bringing an asset back, with the button IT presses on receipt. */
export function returnStartedItMessage(
  asset: ShownAsset,
  holderId: string,
  ctx: ViewContext,
): { text: string; blocks: KnownBlock[] } {
  const due = asset.dueBackAt ? ` (due back ${formatShortDate(asset.dueBackAt, ctx.timeZone, ctx.now)})` : '';
  return {
    text: `${escapeMrkdwn(asset.tag)} is being returned by ${mention(holderId)}`,
    blocks: [
      textSection(
        BlockIds.employeeNotice,
        `:leftwards_arrow_with_hook: ${mention(holderId)} is returning *${escapeMrkdwn(asset.tag)}*${due}. Confirm when you have it.`,
      ),
      assetSection(asset, ctx, {
        type: 'button',
        action_id: ActionIds.confirmReturn,
        style: 'primary',
        text: { type: 'plain_text', text: 'Confirm receipt' },
        value: asset.tag,
      }),
    ],
  };
}

export function returnStartedReply(asset: ShownAsset): string {
  return `:leftwards_arrow_with_hook: *${escapeMrkdwn(asset.tag)}* is now pending return. Bring it to IT; it stays with you until they confirm they have it.`;
}

export function alreadyReturningReply(tag: string): string {
  return `You already started returning *${escapeMrkdwn(tag)}*; it is pending return until IT confirms they have it.`;
}

export function problemReportedItMessage(
  asset: ShownAsset,
  reporterId: string,
  problem: ProblemKind,
  note: string | undefined,
  ctx: ViewContext,
): { text: string; blocks: KnownBlock[] } {
  const icon = problem === 'lost' ? ':warning:' : ':wrench:';
  const what = problem === 'lost' ? 'reported *lost*' : `reports it is *${problemWords[problem]}*`;
  return {
    text: `${escapeMrkdwn(asset.tag)}: ${problemWords[problem]}, reported by ${mention(reporterId)}`,
    blocks: [
      textSection(
        BlockIds.employeeNotice,
        `${icon} *${escapeMrkdwn(asset.tag)}*: ${mention(reporterId)} ${what}.${quote(note)}`,
      ),
      assetSection(asset, ctx),
    ],
  };
}

export function problemReportedReply(asset: ShownAsset, problem: ProblemKind): string {
  const tag = escapeMrkdwn(asset.tag);
  return problem === 'lost'
    ? `Recorded *${tag}* as lost and told IT. If it turns up, tell IT so they can mark it found.`
    : `Told IT that *${tag}* is ${problemWords[problem]}. They will get in touch about a repair or a replacement.`;
}
