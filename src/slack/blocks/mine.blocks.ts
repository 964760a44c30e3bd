/**
 * Pure: `/asset mine` — what a person holds (with Return, Report a problem and Transfer), their open
 * requests and the transfers waiting on them or on others, paged inside Slack's 50-block message limit;
 * and the "Report a problem" modal its buttons open.
 */
import type { ActionsBlock, Button, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import {
  describeItem,
  isOverdue,
  problemKinds,
  type AssetRequest,
  type ProblemKind,
  type Transfer,
} from '../../domain/index.js';
import { ActionIds, BlockIds, CallbackIds } from '../ids.js';
import { assetSection, type ShownAsset, type ViewContext } from './asset.blocks.js';
import { problemLabels } from './employee-notices.blocks.js';
import { escapeMrkdwn, formatShortDate, mention } from './format.js';
import { button, textSection } from './elements.js';

export const mineBlockLimit = 50;
/** Rows per page, so one page stays readable even when every row is a single block. */
export const mineRowsPerPage = 10;
export const problemNoteMax = 500;

/** The page a pager button asks for. */
export interface MinePageValue {
  p: number;
}

/** What the report-problem modal carries back: the asset's tag. */
export interface ReportProblemMetadata {
  t: string;
}

export interface MineData {
  viewerId: string;
  held: ShownAsset[];
  requests: AssetRequest[];
  transfers: Transfer[];
}

type Group = 'held' | 'requests' | 'transfers';

interface Row {
  group: Group;
  blocks: KnownBlock[];
}

function heldRow(asset: ShownAsset, transferring: Transfer | undefined, ctx: ViewContext): Row {
  const buttons: Button[] = [];
  if (asset.status === 'checked_out') buttons.push(button(ActionIds.returnAsset, 'Return', asset.tag));
  buttons.push(button(ActionIds.reportProblem, 'Report a problem', asset.tag));
  if (asset.status === 'checked_out' && !transferring) {
    buttons.push(button(ActionIds.startTransfer, 'Transfer', asset.tag));
  }
  const actions: ActionsBlock = {
    type: 'actions',
    block_id: `${BlockIds.assetPrefix}${asset.tag}:actions`,
    elements: buttons,
  };
  return { group: 'held', blocks: [assetSection(asset, ctx), actions] };
}

function requestRow(request: AssetRequest, ctx: ViewContext): Row {
  const kind = request.kind === 'loan' ? 'Loan' : 'Permanent';
  const needed = request.neededBy
    ? ` · needed by ${formatShortDate(request.neededBy, ctx.timeZone, ctx.now)}`
    : '';
  const status =
    request.status === 'approving'
      ? ':hourglass_flowing_sand: being approved right now'
      : `:hourglass: pending since ${formatShortDate(request.createdAt, ctx.timeZone, ctx.now)}`;
  const text = `*${escapeMrkdwn(describeItem(request.item))}* · ${kind}${needed}\n${status}`;
  const cancel =
    request.status === 'pending'
      ? button(ActionIds.cancelRequest, 'Cancel', request.id, 'danger')
      : undefined;
  return { group: 'requests', blocks: [textSection(`${BlockIds.requestPrefix}${request.id}`, text, cancel)] };
}

function transferRow(transfer: Transfer, viewerId: string): Row {
  const tag = `*${escapeMrkdwn(transfer.assetTag)}*`;
  const blockId = `${BlockIds.transferPrefix}${transfer.id}`;
  if (transfer.toId === viewerId) {
    const text = `${mention(transfer.fromId)} wants to hand ${tag} to you.`;
    if (transfer.status !== 'pending') {
      return { group: 'transfers', blocks: [textSection(blockId, `${text} (being accepted)`)] };
    }
    const actions: ActionsBlock = {
      type: 'actions',
      block_id: `${blockId}:actions`,
      elements: [
        button(ActionIds.acceptTransfer, 'Accept', transfer.id, 'primary'),
        button(ActionIds.declineTransfer, 'Decline', transfer.id, 'danger'),
      ],
    };
    return { group: 'transfers', blocks: [textSection(blockId, text), actions] };
  }
  const text = `You offered ${tag} to ${mention(transfer.toId)}; waiting for them to accept.`;
  const cancel =
    transfer.status === 'pending'
      ? button(ActionIds.cancelTransfer, 'Cancel transfer', transfer.id, 'danger')
      : undefined;
  return { group: 'transfers', blocks: [textSection(blockId, text, cancel)] };
}

/** Rows in the order they are shown: overdue assets first, then by due date; then requests, then transfers. */
function rowsOf(data: MineData, ctx: ViewContext): Row[] {
  const held = [...data.held].sort((a, b) => {
    const ao = isOverdue(a, ctx.now) ? 0 : 1;
    const bo = isOverdue(b, ctx.now) ? 0 : 1;
    if (ao !== bo) return ao - bo;
    const ad = a.dueBackAt?.getTime() ?? Number.MAX_SAFE_INTEGER;
    const bd = b.dueBackAt?.getTime() ?? Number.MAX_SAFE_INTEGER;
    return ad !== bd ? ad - bd : a.tag.localeCompare(b.tag);
  });
  const outgoing = new Map(
    data.transfers.filter((t) => t.fromId === data.viewerId).map((t) => [t.assetId, t]),
  );
  return [
    ...held.map((asset) => heldRow(asset, outgoing.get(asset.id), ctx)),
    ...data.requests.map((request) => requestRow(request, ctx)),
    ...data.transfers.map((transfer) => transferRow(transfer, data.viewerId)),
  ];
}

/** Splits rows into pages; every page leaves room for the title, three group headers and the pager. */
export function paginateRows<T extends { blocks: unknown[] }>(rows: T[]): T[][] {
  const budget = mineBlockLimit - 5;
  const pages: T[][] = [];
  let page: T[] = [];
  let used = 0;
  for (const row of rows) {
    if (page.length > 0 && (page.length >= mineRowsPerPage || used + row.blocks.length > budget)) {
      pages.push(page);
      page = [];
      used = 0;
    }
    page.push(row);
    used += row.blocks.length;
  }
  if (page.length > 0 || pages.length === 0) pages.push(page);
  return pages;
}

function groupHeader(group: Group, data: MineData, ctx: ViewContext): KnownBlock {
  if (group === 'held') {
    const overdue = data.held.filter((a) => isOverdue(a, ctx.now)).length;
    const text =
      data.held.length === 0
        ? '*What you hold*: nothing right now.'
        : `*What you hold* (${data.held.length}${overdue > 0 ? `, :rotating_light: ${overdue} overdue` : ''})`;
    return textSection(BlockIds.mineHeldHeader, text);
  }
  if (group === 'requests') {
    const text =
      data.requests.length === 0
        ? '*Your open requests*: none. Need something? `/asset request`'
        : `*Your open requests* (${data.requests.length})`;
    return textSection(BlockIds.mineRequestsHeader, text);
  }
  return textSection(
    BlockIds.mineTransfersHeader,
    `*Transfers waiting for an answer* (${data.transfers.length})`,
  );
}

export function buildMineMessage(
  data: MineData,
  ctx: ViewContext,
  requestedPage: number,
): { text: string; blocks: KnownBlock[] } {
  const pages = paginateRows(rowsOf(data, ctx));
  const pageIndex = Math.min(Math.max(requestedPage, 0), pages.length - 1);
  const rows = pages[pageIndex] ?? [];
  const title =
    pages.length > 1
      ? `*Your assets and requests* — page ${pageIndex + 1} of ${pages.length}`
      : '*Your assets and requests*';
  const blocks: KnownBlock[] = [textSection(BlockIds.mineHeader, title)];
  for (const group of ['held', 'requests', 'transfers'] as const) {
    const onPage = rows.filter((row) => row.group === group);
    const total =
      group === 'held'
        ? data.held.length
        : group === 'requests'
          ? data.requests.length
          : data.transfers.length;
    // Empty groups are stated once, on the first page; transfers only appear when there are some.
    const statedEmpty = total === 0 && pageIndex === 0 && group !== 'transfers';
    if (onPage.length === 0 && !statedEmpty) continue;
    blocks.push(groupHeader(group, data, ctx));
    for (const row of onPage) blocks.push(...row.blocks);
  }
  if (pages.length > 1) {
    const buttons: Button[] = [];
    if (pageIndex > 0) {
      const value: MinePageValue = { p: pageIndex - 1 };
      buttons.push(button(`${ActionIds.minePage}:prev`, '‹ Previous', JSON.stringify(value)));
    }
    if (pageIndex < pages.length - 1) {
      const value: MinePageValue = { p: pageIndex + 1 };
      buttons.push(button(`${ActionIds.minePage}:next`, 'Next ›', JSON.stringify(value)));
    }
    blocks.push({ type: 'actions', block_id: BlockIds.minePager, elements: buttons });
  }
  const overdue = data.held.filter((a) => isOverdue(a, ctx.now)).length;
  const text = [
    `You hold ${data.held.length} asset${data.held.length === 1 ? '' : 's'}${overdue > 0 ? ` (${overdue} overdue)` : ''}`,
    `${data.requests.length} open request${data.requests.length === 1 ? '' : 's'}`,
    ...(data.transfers.length > 0
      ? [`${data.transfers.length} open transfer${data.transfers.length === 1 ? '' : 's'}`]
      : []),
  ].join(', ');
  return { text, blocks };
}

function problemOption(problem: ProblemKind): PlainTextOption {
  return { text: { type: 'plain_text', text: problemLabels[problem] }, value: problem };
}

export function buildReportProblemModal(asset: ShownAsset, ctx: ViewContext): ModalView {
  const metadata: ReportProblemMetadata = { t: asset.tag };
  return {
    type: 'modal',
    callback_id: CallbackIds.reportProblemModal,
    title: { type: 'plain_text', text: 'Report a problem' },
    submit: { type: 'plain_text', text: 'Tell IT' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify(metadata),
    blocks: [
      assetSection(asset, ctx),
      {
        type: 'input',
        block_id: BlockIds.problemKind,
        label: { type: 'plain_text', text: 'What happened?' },
        element: {
          type: 'radio_buttons',
          action_id: ActionIds.problemKind,
          options: problemKinds.map(problemOption),
        },
      },
      {
        type: 'input',
        block_id: BlockIds.problemNote,
        optional: true,
        label: { type: 'plain_text', text: 'Details for IT' },
        element: {
          type: 'plain_text_input',
          action_id: ActionIds.problemNote,
          multiline: true,
          max_length: problemNoteMax,
          placeholder: { type: 'plain_text', text: 'Where and when, what it does, what you tried' },
        },
      },
    ],
  };
}
