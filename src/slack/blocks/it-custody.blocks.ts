/** Pure: IT's direct custody changes — check-out, check-in and return confirmation modals, replies and DMs. */
import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { returnConditions, type ReturnCondition } from '../../domain/index.js';
import { ActionIds, BlockIds, CallbackIds } from '../ids.js';
import { assetSection, type ShownAsset, type ViewContext } from './asset.blocks.js';
import { clip, escapeMrkdwn, formatShortDate, mention, statusText } from './format.js';

export const conditionLabels: Record<ReturnCondition, string> = {
  good: 'Good: back in stock',
  damaged: 'Damaged: send to repair',
  needs_repair: 'Needs repair',
};

const conditionWords: Record<ReturnCondition, string> = {
  good: 'good condition',
  damaged: 'damaged',
  needs_repair: 'needs repair',
};

const noteMax = 500;

/** What the confirm-return modal carries back: the tag and, when opened from it, the IT channel message. */
export interface ConfirmReturnMetadata {
  t: string;
  c?: string;
  m?: string;
}

function conditionOption(condition: ReturnCondition): PlainTextOption {
  return { text: { type: 'plain_text', text: conditionLabels[condition] }, value: condition };
}

function conditionInput(blockId: string, actionId: string): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: { type: 'plain_text', text: 'Condition' },
    element: {
      type: 'radio_buttons',
      action_id: actionId,
      options: returnConditions.map(conditionOption),
      initial_option: conditionOption('good'),
    },
  };
}

function noteInput(blockId: string, actionId: string, label: string): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: true,
    label: { type: 'plain_text', text: label },
    element: { type: 'plain_text_input', action_id: actionId, multiline: true, max_length: noteMax },
  };
}

export function buildCheckoutModal(): ModalView {
  return {
    type: 'modal',
    callback_id: CallbackIds.checkoutModal,
    title: { type: 'plain_text', text: 'Check out an asset' },
    submit: { type: 'plain_text', text: 'Check out' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: BlockIds.checkoutAsset,
        label: { type: 'plain_text', text: 'Asset' },
        hint: { type: 'plain_text', text: 'In-stock assets; type a tag, serial, name or model.' },
        element: {
          type: 'external_select',
          action_id: ActionIds.checkoutAsset,
          min_query_length: 0,
          placeholder: { type: 'plain_text', text: 'Search in-stock assets' },
        },
      },
      {
        type: 'input',
        block_id: BlockIds.checkoutPerson,
        label: { type: 'plain_text', text: 'Check out to' },
        element: { type: 'users_select', action_id: ActionIds.checkoutPerson },
      },
      {
        type: 'input',
        block_id: BlockIds.checkoutDueBack,
        optional: true,
        label: { type: 'plain_text', text: 'Due back' },
        hint: { type: 'plain_text', text: 'Leave empty for a permanent assignment.' },
        element: { type: 'datepicker', action_id: ActionIds.checkoutDueBack },
      },
      noteInput(BlockIds.checkoutNote, ActionIds.checkoutNote, 'Note'),
    ],
  };
}

export function buildCheckinModal(): ModalView {
  return {
    type: 'modal',
    callback_id: CallbackIds.checkinModal,
    title: { type: 'plain_text', text: 'Check in an asset' },
    submit: { type: 'plain_text', text: 'Check in' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: BlockIds.checkinAsset,
        label: { type: 'plain_text', text: 'Asset' },
        hint: {
          type: 'plain_text',
          text: 'Checked-out, returning or lost assets; type a tag, serial or name.',
        },
        element: {
          type: 'external_select',
          action_id: ActionIds.checkinAsset,
          min_query_length: 2,
          placeholder: { type: 'plain_text', text: 'Search assets' },
        },
      },
      conditionInput(BlockIds.checkinCondition, ActionIds.checkinCondition),
      noteInput(BlockIds.checkinNote, ActionIds.checkinNote, 'Note'),
    ],
  };
}

export function buildConfirmReturnModal(
  asset: ShownAsset,
  ctx: ViewContext,
  metadata: ConfirmReturnMetadata,
): ModalView {
  return {
    type: 'modal',
    callback_id: CallbackIds.confirmReturnModal,
    title: { type: 'plain_text', text: 'Confirm return' },
    submit: { type: 'plain_text', text: 'Confirm' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify(metadata),
    blocks: [
      assetSection(asset, ctx),
      conditionInput(BlockIds.returnCondition, ActionIds.returnCondition),
      noteInput(BlockIds.returnNote, ActionIds.returnNote, 'Note (what you found)'),
    ],
  };
}

function dueWords(asset: ShownAsset, ctx: ViewContext): string {
  return asset.dueBackAt
    ? `due back ${formatShortDate(asset.dueBackAt, ctx.timeZone, ctx.now)}`
    : 'a permanent assignment';
}

export function checkedOutReply(asset: ShownAsset, ctx: ViewContext): string {
  return `:white_check_mark: *${escapeMrkdwn(asset.tag)}* is now checked out to ${mention(asset.holderId ?? '?')}, ${dueWords(asset, ctx)}. I told them by DM.`;
}

export function checkedOutDm(
  asset: ShownAsset,
  actorId: string,
  ctx: ViewContext,
  note: string | undefined,
): { text: string; blocks: KnownBlock[] } {
  const lines = [
    `:package: ${mention(actorId)} checked out *${escapeMrkdwn(asset.tag)}* · ${escapeMrkdwn(clip(asset.name, 200))} to you (${dueWords(asset, ctx)}).`,
  ];
  if (note) lines.push(`Note: ${escapeMrkdwn(clip(note, noteMax))}`);
  lines.push('See everything you hold in my *Home* tab or with `/asset mine`.');
  return {
    text: `${escapeMrkdwn(asset.tag)} was checked out to you`,
    blocks: [
      {
        type: 'section',
        block_id: `${BlockIds.assetPrefix}${asset.tag}`,
        text: { type: 'mrkdwn', text: lines.join('\n') },
      },
    ],
  };
}

export function checkedInReply(
  asset: ShownAsset,
  condition: ReturnCondition,
  formerHolderId: string | undefined,
): string {
  const from = formerHolderId ? ` from ${mention(formerHolderId)}` : '';
  return `:inbox_tray: *${escapeMrkdwn(asset.tag)}* is checked in${from} (${conditionWords[condition]}) and now ${statusText(asset.status)}.`;
}

/** Told to the person who held the asset when IT checks it in or confirms its return. */
export function custodyEndedDm(
  asset: ShownAsset,
  actorId: string,
  condition: ReturnCondition,
  kind: 'checked_in' | 'return_confirmed',
): { text: string; blocks: KnownBlock[] } {
  const what =
    kind === 'return_confirmed'
      ? `${mention(actorId)} confirmed your return of *${escapeMrkdwn(asset.tag)}* (${conditionWords[condition]}). Thank you!`
      : `${mention(actorId)} checked in *${escapeMrkdwn(asset.tag)}* (${conditionWords[condition]}).`;
  return {
    text: `${escapeMrkdwn(asset.tag)} is no longer checked out to you`,
    blocks: [
      {
        type: 'section',
        block_id: `${BlockIds.assetPrefix}${asset.tag}`,
        text: { type: 'mrkdwn', text: `:inbox_tray: ${what} You no longer hold it.` },
      },
    ],
  };
}

/** Replaces the IT channel's "please confirm this return" message once it is confirmed. */
export function returnConfirmedMessage(
  asset: ShownAsset,
  actorId: string,
  formerHolderId: string | undefined,
  condition: ReturnCondition,
): { text: string; blocks: KnownBlock[] } {
  const from = formerHolderId ? ` from ${mention(formerHolderId)}` : '';
  const text = `:white_check_mark: ${mention(actorId)} confirmed the return of *${escapeMrkdwn(asset.tag)}*${from}: ${conditionWords[condition]}, now ${statusText(asset.status)}.`;
  return {
    text: `Return of ${escapeMrkdwn(asset.tag)} confirmed`,
    blocks: [
      { type: 'section', block_id: `${BlockIds.assetPrefix}${asset.tag}`, text: { type: 'mrkdwn', text } },
    ],
  };
}

export function returnConfirmedReply(asset: ShownAsset, condition: ReturnCondition): string {
  return `:white_check_mark: Return of *${escapeMrkdwn(asset.tag)}* confirmed (${conditionWords[condition]}); it is now ${statusText(asset.status)}.`;
}
