/** The one place that turns error codes into the words a person reads in Slack. */
import type { DomainError } from '../domain/index.js';
import { statusLabels, type AssetStatus } from '../domain/index.js';
import { escapeMrkdwn, formatShortDate, mention } from './blocks/format.js';

export interface MessageContext {
  timeZone: string;
  now: Date;
}

const attemptedLabels: Record<string, string> = {
  check_out: 'check it out',
  start_return: 'return it',
  confirm_return: 'confirm its return',
  check_in: 'check it in',
  transfer: 'transfer it',
  report_problem: 'report a problem with it',
  send_to_repair: 'send it to repair',
  complete_repair: 'mark it repaired',
  mark_found: 'mark it found',
  retire: 'retire it',
};

function describeState(details: Record<string, unknown>, ctx: MessageContext): string {
  const tag = String(details['tag'] ?? 'This asset');
  const status = details['status'] as AssetStatus | undefined;
  const holderId = details['holderId'] as string | undefined;
  const since = details['since'] instanceof Date ? details['since'] : undefined;
  if ((status === 'checked_out' || status === 'pending_return') && holderId) {
    const when = since ? ` since ${formatShortDate(since, ctx.timeZone, ctx.now)}` : '';
    const returning = status === 'pending_return' ? ' (return pending)' : '';
    return `*${tag}* is checked out to ${mention(holderId)}${when}${returning}`;
  }
  if (status === 'lost' && holderId) return `*${tag}* is reported lost (last held by ${mention(holderId)})`;
  return `*${tag}* is ${status ? statusLabels[status].toLowerCase() : 'in another state'}`;
}

export function describeError(error: DomainError, ctx: MessageContext): string {
  const d = error.details;
  const tag = typeof d['tag'] === 'string' ? escapeMrkdwn(d['tag']) : undefined;
  switch (error.code) {
    case 'asset.not_found':
      return `No asset has the tag *${tag ?? '?'}*. Try \`/asset find ${tag ?? '<text>'}\` to search by name or serial.`;
    case 'asset.transition_forbidden': {
      const attempted = attemptedLabels[String(d['attempted'])] ?? 'do that';
      return `${describeState(d, ctx)}, so you cannot ${attempted} right now.`;
    }
    case 'asset.not_holder':
      return d['holderId']
        ? `*${tag}* is held by ${mention(String(d['holderId']))}, not you.`
        : `*${tag}* is not checked out to you.`;
    case 'asset.already_holder':
      return `${mention(String(d['holderId']))} already holds *${tag}*.`;
    case 'asset.duplicate_tag':
      return `An asset with the tag *${tag}* already exists.`;
    case 'asset.duplicate_serial':
      return `An asset with the serial number *${escapeMrkdwn(String(d['serial'] ?? ''))}* already exists.`;
    case 'asset.concurrent_change':
      return `*${tag}* was changed by someone else a moment ago. Look at it again and retry.`;
    case 'permission.denied':
      return `Only IT staff can ${String(d['action'] ?? 'do that')}. Ask in the IT channel if you need help.`;
    case 'person.cannot_hold':
      return d['reason'] === 'bot'
        ? `${mention(String(d['userId']))} is a bot; hand the asset to a person.`
        : `${mention(String(d['userId']))} is deactivated in Slack; assets cannot be given to them.`;
    case 'person.not_found':
      return `Slack does not know the user ${d['userId'] ? mention(String(d['userId'])) : ''}.`;
    case 'input.invalid':
      return String(d['message'] ?? 'That input is not valid.');
    case 'request.not_found':
      return 'That request no longer exists.';
    case 'request.not_pending':
      return `That request was already ${String(d['status'] ?? 'handled')}${d['by'] ? ` by ${mention(String(d['by']))}` : ''}.`;
    case 'request.self_approval':
      return 'You cannot approve or deny your own request; another IT person has to.';
    case 'request.asset_mismatch':
      return `*${tag}* does not fit this request (it is a ${String(d['category'] ?? 'different category')}).`;
    case 'transfer.not_found':
      return 'That transfer no longer exists.';
    case 'transfer.not_pending':
      return `That transfer was already ${String(d['status'] ?? 'answered')}.`;
    case 'transfer.not_recipient':
      return 'Only the person the asset is being transferred to can answer this.';
    case 'transfer.not_sender':
      return 'Only the person who started the transfer can cancel it.';
    case 'transfer.self':
      return 'You cannot transfer an asset to yourself.';
    case 'transfer.already_open':
      return `*${tag}* already has a transfer waiting for ${d['toId'] ? mention(String(d['toId'])) : 'an answer'}. Cancel it first.`;
    case 'transfer.voided':
      return `The transfer of *${tag}* no longer applies: ${String(d['reason'] ?? 'the asset changed hands')}.`;
  }
}

export const unexpectedErrorText = (reference: string): string =>
  `Something went wrong on our side and nothing was changed. Please try again; if it keeps happening, tell IT (reference \`${reference}\`).`;

/** Slack refused to open a modal because its trigger expired (3 s) or was already used: a press again works. */
export const formNotOpenedText =
  'Slack took too long to open the form, so nothing was changed. Please press the button again.';
