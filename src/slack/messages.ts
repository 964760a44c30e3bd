/** The one place that turns error codes into the words a person reads in Slack. */
import {
  maxSearchLength,
  minSearchLength,
  searchFilterKeys,
  statusFilterWords,
  type DomainError,
  type SearchParseError,
} from '../domain/index.js';
import { statusLabels, type AssetStatus } from '../domain/index.js';
import { alreadyReturningReply } from './blocks/employee-notices.blocks.js';
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

const roleNames: Record<string, string> = {
  employee: 'employees',
  manager: 'managers',
  it: 'IT staff',
  admin: 'admins',
};

function describePermissionDenied(d: Record<string, unknown>): string {
  const action = String(d['action'] ?? 'do that');
  if (d['reason'] === 'deactivated') return `Your account is deactivated, so you cannot ${action}.`;
  const roles = Array.isArray(d['roles']) ? d['roles'].map(String) : ['it'];
  // Admins can do everything IT staff can, so "IT staff" covers both.
  const named = roles.includes('it') ? ['it'] : roles;
  const who = named.map((r) => roleNames[r] ?? r).join(' and ');
  return `Only ${who} can ${action}. Ask in the IT channel if you need help.`;
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
      return describePermissionDenied(d);
    case 'person.cannot_hold':
      return d['reason'] === 'bot'
        ? `${mention(String(d['userId']))} is a bot; hand the asset to a person.`
        : `${mention(String(d['userId']))} is deactivated in Slack; assets cannot be given to them.`;
    case 'person.not_found':
      return `Slack does not know the user ${d['userId'] ? mention(String(d['userId'])) : ''}.`;
    case 'input.invalid':
      if (d['field'] === 'due') return inputText.dueAfterToday;
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

/** A button or menu from an older version of the app (an old message or Home), which this version no longer has. */
export const retiredButtonText =
  'This button is no longer valid: Custodian has been updated since it was shown, so nothing was changed. Run `/asset help` to see what you can do now.';
/** A modal from an older version of the app was submitted; it replaces the modal. */
export const retiredFormText =
  'This form is no longer valid: Custodian has been updated since it was opened, so nothing was saved. Close it and start again, for example from `/asset help`.';
/** A shortcut this version no longer offers (Slack may still list it until the app manifest is updated). */
export const retiredShortcutText =
  'This shortcut is no longer available in Custodian, so nothing was done. Run `/asset help` to see what you can do now.';
/** Title of the notice modal that carries the texts above. */
export const retiredNoticeTitle = 'No longer valid';

/** A button, option or form whose carried value does not parse: tampered with, or from an older version. */
export const staleInputText =
  'That button or form is no longer valid (it may be from an older message). Nothing was changed; open it again from a fresh `/asset` command or the Home tab.';

/** A second click finds the asset already pending return from this person: say so rather than "cannot". */
export function describeReturnRefusal(error: DomainError, actorId: string, ctx: MessageContext): string {
  const d = error.details;
  if (
    error.code === 'asset.transition_forbidden' &&
    d['status'] === 'pending_return' &&
    d['holderId'] === actorId &&
    typeof d['tag'] === 'string'
  ) {
    return alreadyReturningReply(d['tag']);
  }
  return describeError(error, ctx);
}

/** Words for input a person typed or picked that cannot be used. */
export const inputText = {
  notATag: 'That is not an asset tag (letters, digits, dots, dashes, e.g. LAP-0042).',
  noteTooLong: (max: number) => `Keep the note under ${max} characters.`,
  conditionWord: 'The condition is one of `good`, `damaged` or `needs_repair`.',
  notADay: (day: string) =>
    `The due date must be a real day written YYYY-MM-DD (got “${escapeMrkdwn(day.slice(0, 20))}”).`,
  dayInPast: (day: string) => `The due date ${escapeMrkdwn(day)} is in the past; pick today or later.`,
  pickADate: 'Pick a date from the calendar.',
  dueBackInPast:
    'The due-back date is in the past. Pick today or later, or leave it empty for a permanent assignment.',
  dueAfterToday: 'The due date must be after today.',
  pickAsset: 'Pick the asset.',
  pickAssetToHandOut: 'Pick the asset to hand out.',
  pickPerson: 'Pick the person.',
  pickRecipient: 'Pick the person to hand it to.',
  pickCondition: 'Pick the condition.',
  pickReturnCondition: 'Pick the condition it came back in.',
  sayWhatHappened: 'Say what happened.',
  keepItShort: (max: number) => `Keep it under ${max} characters.`,
  pickFromCatalog: 'Pick what you need from the list.',
  chooseKind: 'Choose permanent or loan.',
  denialReason: (max: number) => `Give the requester a reason (3–${max} characters).`,
  enterField: (what: string) => `Enter the ${what}.`,
  commandTooLong: (length: number, max: number) =>
    `That command is too long (${length} characters; at most ${max}).`,
  controlCharacters:
    'Your command contains invisible control characters (for example a NUL byte). Remove them and try again.',
};

/** How to use a command, when it was used wrongly. */
export const usageText = {
  history: 'Which asset? `/asset history <tag>`, e.g. `/asset history LAP-0042`.',
  transfer:
    'I need a tag and a person: `/asset transfer <tag> @person [note]`, e.g. `/asset transfer LAP-0042 @ana she takes over the project`. Or press *Transfer* in `/asset mine`.',
  checkout:
    'I need a tag and a person: `/asset checkout <tag> @person [due YYYY-MM-DD]`, e.g. `/asset checkout LAP-0042 @ana due 2026-12-31`. Or type `/asset checkout` alone for a form.',
  checkinProblem: (problem: string | undefined) =>
    `${problem ?? 'That is not a check-in.'} Usage: \`/asset checkin <tag> [good|damaged|needs_repair] [note]\``,
  unknownSubcommand: (name: string, known: string[]) =>
    `I don't know \`${escapeMrkdwn(name.slice(0, 40))}\`. Known subcommands: ${known.map((k) => `\`${k}\``).join(', ')}. Try \`/asset help\`.`,
};

export function returnUsageText(returnableTags: string[]): string {
  const yours =
    returnableTags.length > 0
      ? ` You hold ${returnableTags.map((t) => `\`${escapeMrkdwn(t)}\``).join(', ')}.`
      : ' You hold nothing to return.';
  return `Tell me which asset: \`/asset return <tag>\`, e.g. \`/asset return LAP-0042\`.${yours}`;
}

/** The request shortcut could not open its form; the person hears it by DM. */
export const shortcutFailedText =
  'I could not open the request form. Please try again, or type `/asset request`.';

const filterList = searchFilterKeys.map((key) => `\`${key}:\``).join(', ');
const statusList = Object.keys(statusFilterWords).join(', ');
const shown = (typed: string) => escapeMrkdwn(typed.replace(/`/g, "'"));

/** What a person reads when their search cannot be run. */
export function describeSearchError(error: SearchParseError): string {
  switch (error.reason) {
    case 'empty':
      return (
        'Tell me what to look for: `/asset find LAP-0042`, `/asset find macbook`, `/asset find @person` ' +
        'or `/asset find status:available category:laptop dell`.'
      );
    case 'too_short':
      return `Search text needs at least ${minSearchLength} characters.`;
    case 'too_long':
      return `Search text can be at most ${maxSearchLength} characters.`;
    case 'control_characters':
      return (
        'Your search contains invisible control characters (often pasted along with text). ' +
        'Type it again without them.'
      );
    case 'unclosed_quote':
      return 'A quote in your search is not closed, e.g. `category:"docking station"`.';
    case 'no_words':
      return 'Search for letters or digits: a tag, serial number, name or model.';
    case 'unknown_filter':
      return (
        `I don't know the filter \`${shown(error.filter)}:\`. Filters: ${filterList}. ` +
        'To search for text with a colon in it, put the text in quotes.'
      );
    case 'repeated_filter':
      return error.filter === 'holder'
        ? 'Search for one person at a time.'
        : `\`${error.filter}:\` is given twice; give it once.`;
    case 'missing_filter_value':
      return `\`${error.filter}:\` needs a value, e.g. \`${error.filter}:${error.filter === 'status' ? 'available' : 'laptop'}\`.`;
    case 'unknown_status':
      return `\`status:${shown(error.value)}\` is not a status I know. Statuses: ${statusList}.`;
  }
}
