/**
 * How every modal submission answers: close, inline errors under fields, a notice, or a replacement view
 * (a confirmation that may carry buttons). The messages that follow a change are the notifier's work and
 * run after the acknowledgement; an expected refusal thrown as DomainFailure becomes a notice.
 */
import { randomUUID } from 'node:crypto';
import type { AckFn, ViewResponseAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { DomainFailure, type DomainError } from '../../domain/index.js';
import { buildNoticeModal } from '../blocks/notice.blocks.js';
import type { SlackDeps } from '../deps.js';
import { describeError, unexpectedErrorText } from '../messages.js';
import { logRefusal } from './user-facing-errors.js';

export type SubmissionOutcome =
  | { kind: 'close' }
  | { kind: 'errors'; errors: Record<string, string> }
  | { kind: 'notice'; title: string; text: string }
  | { kind: 'view'; view: ModalView };

/**
 * A refusal with per-field problems (`input.invalid` with `fields`) goes under those fields; any other
 * refusal replaces the modal with a notice titled `title`.
 */
export function fieldErrors(
  deps: SlackDeps,
  error: DomainError,
  blockOf: Record<string, string>,
  title: string,
): SubmissionOutcome {
  const fields = error.details['fields'];
  if (error.code === 'input.invalid' && fields && typeof fields === 'object') {
    const errors: Record<string, string> = {};
    for (const [field, message] of Object.entries(fields as Record<string, unknown>)) {
      const blockId = blockOf[field];
      if (blockId && !errors[blockId]) errors[blockId] = String(message);
    }
    if (Object.keys(errors).length > 0) return { kind: 'errors', errors };
  }
  const text = describeError(error, { timeZone: deps.settings.timeZone, now: deps.clock.now() });
  return { kind: 'notice', title, text };
}

/** A refusal about one field goes under it (as plain text); without a field it replaces the modal. */
export async function refusalUnderField(
  deps: SlackDeps,
  teamId: string,
  error: DomainError,
  blockId: string | undefined,
  title: string,
): Promise<SubmissionOutcome> {
  const text = describeError(error, { timeZone: deps.settings.timeZone, now: deps.clock.now() });
  if (!blockId) return { kind: 'notice', title, text };
  return { kind: 'errors', errors: { [blockId]: await plainFieldText(deps, teamId, text) } };
}

export async function answerSubmission(
  deps: SlackDeps,
  ack: AckFn<ViewResponseAction> | AckFn<void>,
  work: () => Promise<SubmissionOutcome>,
): Promise<void> {
  let outcome: SubmissionOutcome;
  try {
    outcome = await work();
  } catch (err) {
    if (err instanceof DomainFailure) {
      logRefusal(deps.logger, err);
      const text = describeError(err.error, { timeZone: deps.settings.timeZone, now: deps.clock.now() });
      outcome = { kind: 'notice', title: 'Not done', text };
    } else {
      const reference = randomUUID().slice(0, 8);
      deps.logger.error({ err, reference }, 'modal submission failed');
      outcome = { kind: 'notice', title: 'Something went wrong', text: unexpectedErrorText(reference) };
    }
  }
  const answer = ack as AckFn<ViewResponseAction>;
  switch (outcome.kind) {
    case 'close':
      await (ack as AckFn<void>)();
      break;
    case 'errors':
      await answer({ response_action: 'errors', errors: outcome.errors });
      return;
    case 'notice':
      await answer({ response_action: 'update', view: buildNoticeModal(outcome.title, outcome.text) });
      break;
    case 'view':
      await answer({ response_action: 'update', view: outcome.view });
      break;
  }
}

/**
 * Inline field errors are plain text in Slack: mentions become @names and mrkdwn bold is dropped, so
 * "*LAP-1* is checked out to <@U1> since 3 Nov" reads "LAP-1 is checked out to @Ana since 3 Nov".
 */
export async function plainFieldText(deps: SlackDeps, teamId: string, text: string): Promise<string> {
  const ids = [...new Set([...text.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)].map((m) => m[1] ?? ''))];
  const names = new Map<string, string>();
  for (const id of ids) {
    const person = await deps.people.resolve(teamId, id).catch((err: unknown) => {
      deps.logger.warn({ err, userId: id }, 'could not name a person in a field error; showing the id');
      return undefined;
    });
    names.set(id, person?.displayName || person?.name || id);
  }
  return text
    .replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, (_, id: string) => `@${names.get(id) ?? id}`)
    .replace(/\*/g, '')
    .replace(/`/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
