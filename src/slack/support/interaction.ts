/** What every listener needs: the team, the person acting, parsed input, and how to answer them. */
import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { z } from 'zod';
import { DomainFailure, type Person, type Result } from '../../domain/index.js';
import { buildNoticeModal } from '../blocks/notice.blocks.js';
import type { SlackDeps } from '../deps.js';
import { staleInputText, type MessageContext } from '../messages.js';
import type { EphemeralReply } from './user-facing-errors.js';

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
 * The person acting, as the directory knows them. What they may do is decided by the service they call;
 * this only establishes who they are.
 */
export async function actorOf(deps: SlackDeps, teamId: string, userId: string): Promise<Person> {
  const person = await deps.people.resolve(teamId, userId);
  if (!person) throw new DomainFailure({ code: 'person.not_found', details: { userId } });
  return person;
}

/** The value of a successful result; a refusal travels to the person as its message. */
export function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw new DomainFailure(result.error);
  return result.value;
}

/**
 * Input Slack carries back to us (button values, option values, private_metadata): when it does not
 * parse, it was tampered with or written by an older version, and the person is told it is no longer valid.
 */
export function parseCarried<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new DomainFailure({
    code: 'input.invalid',
    details: { message: staleInputText, carried: what, issues: parsed.error.issues.slice(0, 3) },
  });
}

/** JSON carried in a button value; undefined when it is not JSON (the schema then refuses it as stale). */
export function carriedJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}

/**
 * Answers the person who pressed a button: ephemerally under a message (through its response_url);
 * on the App Home, which has no ephemeral messages, in a small modal — or by DM when the trigger is used up.
 */
export function replyToActor(
  body: InteractionBody & { response_url?: string; trigger_id?: string; container?: { type?: string } },
  respond: RespondFn | undefined,
  client: WebClient,
  logger?: { warn(obj: object, msg: string): void },
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
      } catch (err) {
        // The trigger was already used (or expired): a DM still reaches them.
        logger?.warn({ err }, 'could not open a notice modal; answering by DM');
      }
    }
    await client.chat.postMessage({ channel: body.user.id, text: message.text });
  };
}

/** The message a button was pressed on, when it was a channel or DM message (not ephemeral, not a view). */
export function clickedMessage(body: {
  container?: { type?: string; is_ephemeral?: boolean };
  channel?: { id: string };
  message?: { ts: string };
}): { channel: string; ts: string } | undefined {
  if (body.container?.type !== 'message' || body.container.is_ephemeral) return undefined;
  return body.channel && body.message ? { channel: body.channel.id, ts: body.message.ts } : undefined;
}
