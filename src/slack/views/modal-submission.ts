/**
 * How every modal submission answers: close, inline errors under fields, a notice, or a replacement view
 * (a confirmation that may carry buttons). Work that must not delay the acknowledgement (channel updates,
 * DMs, homes) runs after it and is logged on failure; an expected refusal thrown as DomainFailure becomes
 * a notice.
 */
import { randomUUID } from 'node:crypto';
import type { AckFn, ViewResponseAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { DomainFailure } from '../../domain/index.js';
import { buildNoticeModal } from '../blocks/notice.blocks.js';
import type { SlackDeps } from '../deps.js';
import { describeError, unexpectedErrorText } from '../messages.js';

export type SubmissionOutcome =
  | { kind: 'close'; after?: () => Promise<void> }
  | { kind: 'errors'; errors: Record<string, string> }
  | { kind: 'notice'; title: string; text: string; after?: () => Promise<void> }
  | { kind: 'view'; view: ModalView; after?: () => Promise<void> };

export function noticeView(title: string, text: string): ModalView {
  return buildNoticeModal(title, text);
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
  if (outcome.after) {
    await outcome
      .after()
      .catch((err: unknown) => deps.logger.error({ err }, 'follow-up work after a modal submission failed'));
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
    const person = await deps.people.resolve(teamId, id).catch(() => undefined);
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
