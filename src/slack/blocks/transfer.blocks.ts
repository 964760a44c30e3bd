/** Pure: custody transfers between two people — the modal, the recipient's offer DM in each state, and the notices. */
import type { KnownBlock, ModalView } from '@slack/types';
import type { Transfer } from '../../domain/index.js';
import { ActionIds, BlockIds, CallbackIds } from '../ids.js';
import { assetSection, type ShownAsset, type ViewContext } from './asset.blocks.js';
import { clip, escapeMrkdwn, mention } from './format.js';
import { button, textSection } from './elements.js';

export const transferNoteMax = 300;

/** What the transfer modal carries back: the asset's tag. */
export interface TransferModalMetadata {
  t: string;
}

function noteLine(note: string | undefined): string {
  return note ? `\n>${escapeMrkdwn(clip(note, transferNoteMax)).replace(/\n/g, '\n>')}` : '';
}

const tagOf = (transfer: Pick<Transfer, 'assetTag'>) => `*${escapeMrkdwn(transfer.assetTag)}*`;

export function buildTransferModal(asset: ShownAsset, ctx: ViewContext): ModalView {
  const metadata: TransferModalMetadata = { t: asset.tag };
  return {
    type: 'modal',
    callback_id: CallbackIds.transferModal,
    title: { type: 'plain_text', text: 'Transfer an asset' },
    submit: { type: 'plain_text', text: 'Offer it' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify(metadata),
    blocks: [
      assetSection(asset, ctx),
      {
        type: 'input',
        block_id: BlockIds.transferRecipient,
        label: { type: 'plain_text', text: 'Hand it to' },
        hint: { type: 'plain_text', text: 'They accept or decline; it stays yours until they accept.' },
        element: { type: 'users_select', action_id: ActionIds.transferRecipient },
      },
      {
        type: 'input',
        block_id: BlockIds.transferNote,
        optional: true,
        label: { type: 'plain_text', text: 'Note for them' },
        element: {
          type: 'plain_text_input',
          action_id: ActionIds.transferNote,
          multiline: true,
          max_length: transferNoteMax,
        },
      },
    ],
  };
}

/** The recipient's DM while the offer is open: Accept / Decline. */
export function transferOfferDm(
  transfer: Transfer,
  asset: ShownAsset,
  ctx: ViewContext,
): { text: string; blocks: KnownBlock[] } {
  return {
    text: `${escapeMrkdwn(transfer.assetTag)}: <@${transfer.fromId}> wants to hand it to you`,
    blocks: [
      textSection(
        BlockIds.transferOffer,
        `:handshake: ${mention(transfer.fromId)} wants to hand ${tagOf(transfer)} to you. It becomes yours (and IT's records say so) only when you accept.${noteLine(transfer.note)}`,
      ),
      assetSection(asset, ctx),
      {
        type: 'actions',
        block_id: BlockIds.transferActions,
        elements: [
          button(ActionIds.acceptTransfer, 'Accept', transfer.id, 'primary'),
          button(ActionIds.declineTransfer, 'Decline', transfer.id, 'danger'),
        ],
      },
    ],
  };
}

/** What the offer DM says once the offer is closed; it replaces the Accept / Decline buttons in place. */
export function transferOfferClosed(transfer: Transfer): { text: string; blocks: KnownBlock[] } {
  const from = mention(transfer.fromId);
  const outcome: Record<Transfer['status'], string> = {
    pending: `${from} wants to hand ${tagOf(transfer)} to you.`,
    accepting: `Moving ${tagOf(transfer)} to you…`,
    accepted: `:white_check_mark: You accepted ${tagOf(transfer)} from ${from}. It is now checked out to you.`,
    declined: `:no_entry_sign: You declined ${tagOf(transfer)} from ${from}. It stays with them.`,
    cancelled: `:no_entry_sign: ${from} cancelled the transfer of ${tagOf(transfer)}.`,
    voided: `:no_entry_sign: The transfer of ${tagOf(transfer)} from ${from} no longer applies: ${escapeMrkdwn(transfer.voidReason ?? 'the asset changed hands')}.`,
  };
  return {
    text: `Transfer of ${escapeMrkdwn(transfer.assetTag)}: ${transfer.status}`,
    blocks: [textSection(BlockIds.transferOutcome, outcome[transfer.status])],
  };
}

/** Told to the sender right after the offer, with a way to take it back. */
export function transferOfferedReply(transfer: Transfer): { text: string; blocks: KnownBlock[] } {
  const text = `:outbox_tray: I asked ${mention(transfer.toId)} to accept ${tagOf(transfer)}. It stays checked out to you until they do.`;
  return {
    text: `Asked <@${transfer.toId}> to accept ${escapeMrkdwn(transfer.assetTag)}`,
    blocks: [
      {
        type: 'section',
        block_id: BlockIds.transferOffered,
        text: { type: 'mrkdwn', text },
        accessory: button(ActionIds.cancelTransfer, 'Cancel transfer', transfer.id, 'danger'),
      },
    ],
  };
}

/** The same confirmation as a modal, when the offer was made from the transfer modal. */
export function transferOfferedModal(transfer: Transfer): ModalView {
  return {
    type: 'modal',
    callback_id: CallbackIds.noticeModal,
    title: { type: 'plain_text', text: 'Transfer offered' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: transferOfferedReply(transfer).blocks,
  };
}

/** The sender's DM when the recipient's offer DM could not be sent: the offer stands, the recipient has not heard. */
export function offerNotDeliveredDm(transfer: Transfer): { text: string; blocks: KnownBlock[] } {
  const text = `:warning: I could not DM ${mention(transfer.toId)} your offer of ${tagOf(transfer)} (Slack had a problem). The offer stands: ask them to accept it in \`/asset mine\`, or cancel it there.`;
  return {
    text: `I could not DM <@${transfer.toId}> your offer of ${escapeMrkdwn(transfer.assetTag)}`,
    blocks: [textSection(`${BlockIds.transferPrefix}${transfer.id}:not-delivered`, text)],
  };
}

export function transferCancelledReply(transfer: Transfer): string {
  return `Cancelled the transfer of ${tagOf(transfer)} to ${mention(transfer.toId)}; it stays checked out to you.`;
}

export function transferDeclinedReply(transfer: Transfer): string {
  return `You declined ${tagOf(transfer)}; it stays with ${mention(transfer.fromId)}.`;
}

export function transferAcceptedReply(transfer: Transfer): string {
  return `:white_check_mark: ${tagOf(transfer)} is now checked out to you.`;
}

/** The sender's DM once the recipient answered. */
export function transferAnsweredSenderDm(transfer: Transfer): { text: string; blocks: KnownBlock[] } {
  const to = mention(transfer.toId);
  const text =
    transfer.status === 'accepted'
      ? `:white_check_mark: ${to} accepted ${tagOf(transfer)}. It is now checked out to them, not you.`
      : `:no_entry_sign: ${to} declined ${tagOf(transfer)}. It stays checked out to you.`;
  return {
    text: `Transfer of ${escapeMrkdwn(transfer.assetTag)}: ${transfer.status}`,
    blocks: [textSection(`${BlockIds.transferPrefix}${transfer.id}`, text)],
  };
}

/** The IT channel's record that custody moved between two people. */
export function transferAcceptedItMessage(
  transfer: Transfer,
  asset: ShownAsset | undefined,
  ctx: ViewContext,
): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [
    textSection(
      BlockIds.employeeNotice,
      `:arrows_counterclockwise: ${tagOf(transfer)} moved from ${mention(transfer.fromId)} to ${mention(transfer.toId)} (accepted transfer).${noteLine(transfer.note)}`,
    ),
  ];
  if (asset) blocks.push(assetSection(asset, ctx));
  return { text: `${transfer.assetTag} transferred to <@${transfer.toId}>`, blocks };
}
