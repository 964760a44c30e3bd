/**
 * Buttons on old messages, an App Home or modal rendered before an upgrade, and shortcuts Slack still
 * lists can carry an action_id or callback_id this version has no listener for. Bolt would leave them
 * unacknowledged and Slack would show the person an error after 3 s; this global middleware acknowledges
 * them and tells the person the control is no longer valid. The known ids come from ids.ts, which the
 * builders and listeners share.
 */
import type { AnyMiddlewareArgs, Middleware, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Logger } from '../platform/logger.js';
import { buildNoticeModal } from './blocks/notice.blocks.js';
import { ActionIds, CallbackIds } from './ids.js';
import { retiredButtonText, retiredFormText, retiredNoticeTitle, retiredShortcutText } from './messages.js';

const knownActionIds: readonly string[] = Object.values(ActionIds);
const knownCallbackIds: ReadonlySet<string> = new Set(Object.values(CallbackIds));

/** Pure: an action_id is known as it is, or with a `:suffix` (pagers such as `mine_page:next`). */
export function isKnownActionId(actionId: string): boolean {
  return knownActionIds.some((id) => actionId === id || actionId.startsWith(`${id}:`));
}

export function isKnownCallbackId(callbackId: string): boolean {
  return knownCallbackIds.has(callbackId);
}

const interactionBody = z.looseObject({
  type: z.string(),
  user: z.looseObject({ id: z.string() }).optional(),
  trigger_id: z.string().optional(),
  response_url: z.string().optional(),
  /** block_actions: Slack sends one action per request. */
  actions: z.array(z.looseObject({ action_id: z.string(), url: z.string().optional() })).optional(),
  /** block_suggestion */
  action_id: z.string().optional(),
  /** shortcut, message_action */
  callback_id: z.string().optional(),
  view: z.looseObject({ type: z.string().optional(), callback_id: z.string().optional() }).optional(),
});
type InteractionBody = z.infer<typeof interactionBody>;
const interactionTypes: ReadonlySet<string> = new Set([
  'block_actions',
  'block_suggestion',
  'view_submission',
  'view_closed',
  'shortcut',
  'message_action',
]);

export type UnknownInteraction =
  | { kind: 'button'; id: string }
  /** A link button: Slack has opened the link already, so it only needs its acknowledgement. */
  | { kind: 'link'; id: string }
  | { kind: 'suggestion'; id: string }
  | { kind: 'form'; id: string }
  | { kind: 'form_closed'; id: string }
  | { kind: 'shortcut'; id: string };

/** Pure: what in this request no listener will answer, or undefined when the listeners will. */
export function findUnknownInteraction(body: unknown): UnknownInteraction | undefined {
  // Commands and events (most traffic) are not interactions: no parsing for them.
  const type = (body as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !interactionTypes.has(type)) return undefined;
  const parsed = interactionBody.safeParse(body);
  if (!parsed.success) return undefined;
  const b = parsed.data;
  switch (b.type) {
    case 'block_actions': {
      const action = b.actions?.[0];
      if (action === undefined || isKnownActionId(action.action_id)) return undefined;
      return { kind: action.url === undefined ? 'button' : 'link', id: action.action_id };
    }
    case 'block_suggestion':
      return b.action_id === undefined || isKnownActionId(b.action_id)
        ? undefined
        : { kind: 'suggestion', id: b.action_id };
    case 'view_submission':
    case 'view_closed': {
      const id = b.view?.callback_id;
      if (id === undefined || isKnownCallbackId(id)) return undefined;
      return { kind: b.type === 'view_submission' ? 'form' : 'form_closed', id };
    }
    case 'shortcut':
    case 'message_action':
      return b.callback_id === undefined || isKnownCallbackId(b.callback_id)
        ? undefined
        : { kind: 'shortcut', id: b.callback_id };
    default:
      return undefined;
  }
}

type Ack = (response?: unknown) => Promise<void>;

export function answerUnknownInteractions(logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const unknown = findUnknownInteraction(args.body);
    if (unknown === undefined) {
      await args.next();
      return;
    }
    const body = args.body as InteractionBody;
    logger.warn(
      { kind: unknown.kind, id: unknown.id, type: body.type, userId: body.user?.id },
      'acknowledged an interaction this version has no listener for',
    );
    const ack = (args as { ack?: Ack }).ack;
    const respond = (args as { respond?: RespondFn }).respond;
    switch (unknown.kind) {
      case 'form':
        await ack?.({
          response_action: 'update',
          view: buildNoticeModal(retiredNoticeTitle, retiredFormText),
        });
        return;
      case 'suggestion':
        await ack?.({ options: [] });
        return;
      case 'link':
      case 'form_closed':
        await ack?.();
        return;
      case 'button':
        await ack?.();
        await tellActor(body, respond, args.client, logger, retiredButtonText);
        return;
      case 'shortcut':
        await ack?.();
        await tellActor(body, respond, args.client, logger, retiredShortcutText);
        return;
    }
  };
}

/**
 * Ephemerally under a message (response_url); otherwise in a notice modal, pushed over the modal the
 * person is in; a DM when the trigger cannot be used.
 */
async function tellActor(
  body: InteractionBody,
  respond: RespondFn | undefined,
  client: WebClient,
  logger: Logger,
  text: string,
): Promise<void> {
  if (body.response_url !== undefined && respond !== undefined) {
    await respond({ response_type: 'ephemeral', replace_original: false, text });
    return;
  }
  if (body.trigger_id !== undefined) {
    const view = buildNoticeModal(retiredNoticeTitle, text);
    try {
      if (body.view?.type === 'modal') await client.views.push({ trigger_id: body.trigger_id, view });
      else await client.views.open({ trigger_id: body.trigger_id, view });
      return;
    } catch (err) {
      logger.warn({ err }, 'could not open the notice modal; sending a DM instead');
    }
  }
  if (body.user !== undefined) await client.chat.postMessage({ channel: body.user.id, text });
}
