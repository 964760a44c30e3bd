/** How every typeahead answers: the options, or an empty list with the reason in the log (a select has no room for a message). */
import type { PlainTextOption } from '@slack/types';
import { DomainFailure, type DomainError, type Person } from '../../domain/index.js';
import type { SlackDeps } from '../deps.js';
import { actorOf, teamOf, type InteractionBody } from './interaction.js';

const queryMax = 100;

type OptionsAck = (answer: { options: PlainTextOption[] }) => Promise<void>;

export async function answerOptions(
  deps: SlackDeps,
  body: InteractionBody & { value: string },
  ack: OptionsAck,
  what: string,
  load: (
    actor: Person,
    text: string | undefined,
  ) => Promise<PlainTextOption[] | { ok: false; error: DomainError }>,
): Promise<void> {
  const teamId = teamOf(body);
  try {
    const actor = await actorOf(deps, teamId, body.user.id);
    const text = body.value.trim().slice(0, queryMax) || undefined;
    const answer = await load(actor, text);
    if (Array.isArray(answer)) {
      await ack({ options: answer });
      return;
    }
    deps.logger.info({ teamId, code: answer.error.code, what }, 'typeahead refused');
    await ack({ options: [] });
  } catch (err) {
    if (err instanceof DomainFailure) {
      deps.logger.warn({ teamId, code: err.error.code, what }, 'typeahead refused');
    } else {
      deps.logger.error({ err, teamId, what }, 'could not answer a typeahead');
    }
    await ack({ options: [] });
  }
}
