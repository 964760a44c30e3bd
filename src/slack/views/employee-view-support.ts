/**
 * How the employee modals answer a submission: close, inline errors under fields, or a replacement view
 * (a confirmation that may carry buttons). Follow-up work (DMs, channel posts, homes) runs after the
 * acknowledgement and is logged on failure; an expected refusal thrown as DomainFailure becomes a notice.
 */
import { randomUUID } from 'node:crypto';
import type { AckFn, ViewResponseAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { DomainFailure } from '../../domain/index.js';
import { buildNoticeModal } from '../blocks/it-notice.blocks.js';
import type { SlackDeps } from '../deps.js';
import { describeError, unexpectedErrorText } from '../messages.js';

export type EmployeeSubmissionOutcome =
  | { kind: 'close'; after?: () => Promise<void> }
  | { kind: 'errors'; errors: Record<string, string> }
  | { kind: 'view'; view: ModalView; after?: () => Promise<void> };

export function noticeView(title: string, text: string): ModalView {
  return buildNoticeModal(title, text);
}

export async function answerEmployeeSubmission(
  deps: SlackDeps,
  ack: AckFn<ViewResponseAction> | AckFn<void>,
  work: () => Promise<EmployeeSubmissionOutcome>,
): Promise<void> {
  let outcome: EmployeeSubmissionOutcome;
  try {
    outcome = await work();
  } catch (err) {
    if (err instanceof DomainFailure) {
      const text = describeError(err.error, { timeZone: deps.settings.timeZone, now: deps.clock.now() });
      outcome = { kind: 'view', view: noticeView('Not done', text) };
    } else {
      const reference = randomUUID().slice(0, 8);
      deps.logger.error({ err, reference }, 'modal submission failed');
      outcome = { kind: 'view', view: noticeView('Something went wrong', unexpectedErrorText(reference)) };
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
