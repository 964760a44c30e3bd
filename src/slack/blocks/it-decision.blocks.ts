/** Pure: what IT sees and sends when deciding a request — the approve and deny modals, and the requester's DMs. */
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { describeItem, requestLimits, statusLabels, type AssetRequest } from '../../domain/index.js';
import { ActionIds, BlockIds, CallbackIds } from '../ids.js';
import type { ShownAsset, ViewContext } from './asset.blocks.js';
import { clip, escapeMrkdwn, formatShortDate, isoDay, mention } from './format.js';
import { requestSummaryLines } from './request.blocks.js';

/** What a decision modal carries back to its submission. */
export interface DecisionMetadata {
  /** The request id. */
  r: string;
}

function requestSummary(request: AssetRequest, ctx: ViewContext): KnownBlock {
  return {
    type: 'section',
    block_id: BlockIds.requestDetails,
    text: { type: 'mrkdwn', text: clip(requestSummaryLines(request, ctx).join('\n'), 3000) },
  };
}

/**
 * The approve modal: a specific in-stock asset (typeahead), a due-back date pre-filled with a loan's
 * return-by date (empty = permanent) and a note for the requester.
 */
export function buildApproveModal(request: AssetRequest, ctx: ViewContext): ModalView {
  const returnBy =
    request.returnBy && request.returnBy.getTime() > ctx.now.getTime() ? request.returnBy : undefined;
  const metadata: DecisionMetadata = { r: request.id };
  return {
    type: 'modal',
    callback_id: CallbackIds.approveModal,
    title: { type: 'plain_text', text: 'Approve request' },
    submit: { type: 'plain_text', text: 'Approve' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify(metadata),
    blocks: [
      requestSummary(request, ctx),
      {
        type: 'input',
        block_id: BlockIds.approveAsset,
        label: { type: 'plain_text', text: 'Asset to hand out' },
        hint: {
          type: 'plain_text',
          text: `In-stock assets that fit “${clip(describeItem(request.item), 80)}”. Type a tag, serial, name or model.`,
        },
        element: {
          type: 'external_select',
          action_id: ActionIds.approveAsset,
          min_query_length: 0,
          placeholder: { type: 'plain_text', text: 'Search in-stock assets' },
        },
      },
      {
        type: 'input',
        block_id: BlockIds.approveDueBack,
        optional: true,
        label: { type: 'plain_text', text: 'Due back' },
        hint: { type: 'plain_text', text: 'Leave empty for a permanent assignment.' },
        element: {
          type: 'datepicker',
          action_id: ActionIds.approveDueBack,
          ...(returnBy ? { initial_date: isoDay(returnBy, ctx.timeZone) } : {}),
        },
      },
      {
        type: 'input',
        block_id: BlockIds.approveNote,
        optional: true,
        label: { type: 'plain_text', text: 'Note for the requester' },
        element: {
          type: 'plain_text_input',
          action_id: ActionIds.approveNote,
          multiline: true,
          max_length: requestLimits.noteMax,
        },
      },
    ],
  };
}

export function buildDenyModal(request: AssetRequest, ctx: ViewContext): ModalView {
  const metadata: DecisionMetadata = { r: request.id };
  return {
    type: 'modal',
    callback_id: CallbackIds.denyModal,
    title: { type: 'plain_text', text: 'Deny request' },
    submit: { type: 'plain_text', text: 'Deny' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify(metadata),
    blocks: [
      requestSummary(request, ctx),
      {
        type: 'input',
        block_id: BlockIds.denyReason,
        label: { type: 'plain_text', text: 'Reason (the requester sees it)' },
        element: {
          type: 'plain_text_input',
          action_id: ActionIds.denyReason,
          multiline: true,
          max_length: requestLimits.denialReasonMax,
        },
      },
    ],
  };
}

/** Typeahead options for assets: the tag is the value; model, serial and status help tell them apart. */
export function assetOptions(assets: ShownAsset[]): PlainTextOption[] {
  return assets.slice(0, 100).map((asset) => {
    const details = [
      asset.model ?? asset.category,
      asset.serial ? `S/N ${asset.serial}` : undefined,
      asset.status === 'available' ? undefined : statusLabels[asset.status],
      asset.location,
    ].filter(Boolean);
    return {
      text: { type: 'plain_text', text: clip(`${asset.tag} · ${asset.name}`, 75) },
      value: asset.tag,
      ...(details.length > 0
        ? { description: { type: 'plain_text', text: clip(details.join(' · '), 75) } }
        : {}),
    };
  });
}

export function buildApprovedDm(
  request: AssetRequest,
  asset: ShownAsset,
  ctx: ViewContext,
): { text: string; blocks: KnownBlock[] } {
  const approval = request.approval;
  const by = approval ? mention(approval.approverId) : 'IT';
  const due = asset.dueBackAt
    ? `It is a loan: please bring it back by *${formatShortDate(asset.dueBackAt, ctx.timeZone, ctx.now)}*.`
    : 'It is yours to keep (a permanent assignment).';
  const lines = [
    `:white_check_mark: ${by} approved your request for *${escapeMrkdwn(describeItem(request.item))}*.`,
    `You get *${escapeMrkdwn(asset.tag)}* · ${escapeMrkdwn(clip(asset.name, 200))}${asset.serial ? ` (S/N ${escapeMrkdwn(asset.serial)})` : ''}. ${due}`,
  ];
  if (asset.location) lines.push(`Pick it up at: ${escapeMrkdwn(clip(asset.location, 200))}`);
  if (approval?.note) lines.push(`Note from ${by}: ${escapeMrkdwn(clip(approval.note, 500))}`);
  const text = lines.join('\n');
  return {
    text: `${by} approved your request: you get ${escapeMrkdwn(asset.tag)}`,
    blocks: [{ type: 'section', block_id: BlockIds.requestOutcome, text: { type: 'mrkdwn', text } }],
  };
}

export function buildDeniedDm(request: AssetRequest): { text: string; blocks: KnownBlock[] } {
  const denial = request.denial;
  const by = denial ? mention(denial.deniedBy) : 'IT';
  const text = [
    `:x: ${by} denied your request for *${escapeMrkdwn(describeItem(request.item))}*.`,
    `Reason: ${escapeMrkdwn(clip(denial?.reason ?? '', 500))}`,
    'Reply to IT in their channel if you want to discuss it, or send a new request with `/asset request`.',
  ].join('\n');
  return {
    text: `${by} denied your request for ${escapeMrkdwn(describeItem(request.item))}`,
    blocks: [{ type: 'section', block_id: BlockIds.requestOutcome, text: { type: 'mrkdwn', text } }],
  };
}

/** The decider's DM when the requester's DM could not be sent: the decision stands, the requester has not heard. */
export function requesterNotToldDm(
  request: AssetRequest,
  decision: 'approved' | 'denied',
): { text: string; blocks: KnownBlock[] } {
  const item = describeItem(request.item);
  const text = `Your decision stands (${decision}), but I could not DM ${mention(request.requesterId)} about their request for ${escapeMrkdwn(item)} (Slack had a problem).`;
  const lines = [
    `:warning: The request for *${escapeMrkdwn(item)}* is ${decision}, but I could not DM ${mention(request.requesterId)} about it (Slack had a problem).`,
    'Their Custodian Home shows the outcome; please let them know yourself.',
  ];
  return {
    text,
    blocks: [
      {
        type: 'section',
        block_id: BlockIds.requestOutcome,
        text: { type: 'mrkdwn', text: lines.join('\n') },
      },
    ],
  };
}

/** What the approver reads when the approval went through (ephemeral or notice). */
export function approvedConfirmation(request: AssetRequest, asset: ShownAsset): string {
  return `Approved: ${mention(request.requesterId)} gets *${escapeMrkdwn(asset.tag)}*.`;
}
