import { randomUUID } from 'node:crypto';
import { DomainFailure } from '../../domain/index.js';
import type { Logger } from '../../platform/logger.js';
import { describeError, formNotOpenedText, unexpectedErrorText, type MessageContext } from '../messages.js';

export interface EphemeralReply {
  (message: {
    text: string;
    response_type?: 'ephemeral' | 'in_channel';
    replace_original?: boolean;
  }): Promise<unknown>;
}

/**
 * Runs listener work so that nothing is swallowed: an expected failure reaches the person as its message,
 * an unexpected one as a reference they can quote, and the log as a structured record with that reference.
 */
export async function withUserFacingErrors(
  reply: EphemeralReply,
  logger: Logger,
  messageContext: () => MessageContext,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (err instanceof DomainFailure) {
      logRefusal(logger, err);
      await reply({ response_type: 'ephemeral', text: describeError(err.error, messageContext()) }).catch(
        (replyErr: unknown) =>
          logger.error({ err: replyErr }, 'could not tell the user about an expected failure'),
      );
      return;
    }
    if (isStaleTrigger(err)) {
      // Slack's 3-second trigger ran out (a slow moment, a retried request): nothing changed, a new press works.
      logger.warn({ err }, 'a modal could not open: its trigger expired or was used');
      await reply({ response_type: 'ephemeral', text: formNotOpenedText }).catch((replyErr: unknown) =>
        logger.error({ err: replyErr }, 'could not tell the user the form did not open'),
      );
      return;
    }
    const reference = randomUUID().slice(0, 8);
    logger.error({ err, reference }, 'listener failed');
    await reply({ response_type: 'ephemeral', text: unexpectedErrorText(reference) }).catch(
      (replyErr: unknown) =>
        logger.error({ err: replyErr, reference }, 'could not tell the user about a failure'),
    );
  }
}

const staleTriggerErrors = new Set(['expired_trigger_id', 'exchanged_trigger_id']);

/** A Web API refusal of views.open / views.push because the trigger_id can no longer be used. */
function isStaleTrigger(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, data } = err as { code?: unknown; data?: { error?: unknown } };
  return code === 'slack_webapi_platform_error' && staleTriggerErrors.has(String(data?.error));
}

/** Input that does not parse (a tampered or outdated button, form or metadata) is worth a warning; other refusals are ordinary. */
export function logRefusal(logger: Logger, failure: DomainFailure): void {
  if (failure.error.code === 'input.invalid') {
    logger.warn(
      { code: failure.error.code, details: failure.error.details },
      'refused input that does not parse',
    );
  }
}
