/** What every IT button and modal listener needs: the team, who is acting (refused unless allowed), and how to answer them. */
import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { can, DomainFailure, type Capability, type Person } from '../../domain/index.js';
import { buildNoticeModal } from '../blocks/notice.blocks.js';
import type { SlackDeps } from '../deps.js';
import type { MessageContext } from '../messages.js';
import type { EphemeralReply } from '../user-facing-errors.js';

export interface InteractionBody {
  team?: { id: string } | null;
  user: { id: string; team_id?: string };
}

export function teamOf(body: InteractionBody): string {
  return body.team?.id ?? body.user.team_id ?? '';
}

export function messageContextOf(deps: SlackDeps): () => MessageContext {
  return () => ({ timeZone: deps.settings.timeZone, now: deps.clock.now() });
}

/**
 * The person acting, when they may do this. Buttons can be pressed by anyone who sees the message, so
 * every IT listener checks again rather than trusting where the button was shown.
 */
export async function requireCapability(
  deps: SlackDeps,
  teamId: string,
  userId: string,
  capability: Capability,
  refusal: string,
): Promise<Person> {
  const person = await deps.people.resolve(teamId, userId);
  if (!person) throw new DomainFailure({ code: 'person.not_found', details: { userId } });
  if (!can(person, capability)) {
    throw new DomainFailure({ code: 'permission.denied', details: { action: refusal } });
  }
  return person;
}

/**
 * Answers the person who pressed a button: ephemerally under a message (through its response_url);
 * on the App Home, which has no ephemeral messages, in a small modal — or by DM when the trigger is used up.
 */
export function replyToActor(
  body: InteractionBody & { response_url?: string; trigger_id?: string; container?: { type?: string } },
  respond: RespondFn | undefined,
  client: WebClient,
): EphemeralReply {
  return async (message) => {
    if (body.response_url && respond) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: message.text });
      return;
    }
    if (body.trigger_id) {
      try {
        await client.views.open({
          trigger_id: body.trigger_id,
          view: buildNoticeModal('Custodian', message.text),
        });
        return;
      } catch {
        // The trigger was already used (or expired): a DM still reaches them.
      }
    }
    await client.chat.postMessage({ channel: body.user.id, text: message.text });
  };
}
