/**
 * Pure builders of the requests Slack sends to an app, in Slack's real shapes (the fields of
 * Bolt's `SlashCommand`, `BlockAction`, `ViewSubmitAction`, `BlockSuggestion`, shortcuts and
 * `EnvelopedEvent`), from the fake's records.
 */
import { messageJson, viewJson } from './render.js';
import type { FakeChannel, FakeMessage, FakeUser, FakeView, JsonObject, ViewStateValues } from './types.js';
import type { WorkspaceIdentity } from './workspace.js';

/** Slack still sends the deprecated verification token; Bolt ignores it when signatures are checked. */
export const VERIFICATION_TOKEN = 'fake-verification-token';

export interface PayloadContext {
  identity: WorkspaceIdentity;
  user: FakeUser;
}

function team(identity: WorkspaceIdentity): JsonObject {
  return { id: identity.teamId, domain: identity.teamDomain };
}

function userRef(user: FakeUser): JsonObject {
  return { id: user.id, username: user.name, name: user.name, team_id: user.team_id };
}

/** The name Slack reports for a conversation in payloads. */
export function channelNameOf(channel: FakeChannel): string {
  return channel.kind === 'im' ? 'directmessage' : channel.name;
}

function viewWithState(view: FakeView, values: ViewStateValues): JsonObject {
  return { ...viewJson(view), state: { values } as unknown as JsonObject };
}

export function slashCommandForm(
  ctx: PayloadContext,
  input: { command: string; text: string; channel: FakeChannel; responseUrl: string; triggerId: string },
): Record<string, string> {
  return {
    token: VERIFICATION_TOKEN,
    team_id: ctx.identity.teamId,
    team_domain: ctx.identity.teamDomain,
    channel_id: input.channel.id,
    channel_name: channelNameOf(input.channel),
    user_id: ctx.user.id,
    user_name: ctx.user.name,
    command: input.command,
    text: input.text,
    api_app_id: ctx.identity.appId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  };
}

export type ActionSurface =
  | {
      kind: 'message';
      channel: FakeChannel;
      ts: string;
      ephemeral: boolean;
      message?: FakeMessage;
      responseUrl: string;
    }
  | { kind: 'view'; view: FakeView };

export function blockActionsPayload(
  ctx: PayloadContext,
  input: { surface: ActionSurface; action: JsonObject; state: ViewStateValues; triggerId: string },
): JsonObject {
  const common: JsonObject = {
    type: 'block_actions',
    user: userRef(ctx.user),
    api_app_id: ctx.identity.appId,
    token: VERIFICATION_TOKEN,
    trigger_id: input.triggerId,
    team: team(ctx.identity),
    enterprise: null,
    is_enterprise_install: false,
  };
  const { surface } = input;
  if (surface.kind === 'view') {
    return {
      ...common,
      container: { type: 'view', view_id: surface.view.id },
      view: viewWithState(surface.view, input.state),
      actions: [input.action],
    };
  }
  return {
    ...common,
    container: {
      type: 'message',
      message_ts: surface.ts,
      channel_id: surface.channel.id,
      is_ephemeral: surface.ephemeral,
    },
    channel: { id: surface.channel.id, name: channelNameOf(surface.channel) },
    ...(surface.message === undefined ? {} : { message: messageJson(surface.message) }),
    state: { values: input.state as unknown as JsonObject },
    response_url: surface.responseUrl,
    actions: [input.action],
  };
}

export function viewSubmissionPayload(
  ctx: PayloadContext,
  input: { view: FakeView; state: ViewStateValues; triggerId: string; responseUrls: JsonObject[] },
): JsonObject {
  return {
    type: 'view_submission',
    team: team(ctx.identity),
    user: userRef(ctx.user),
    api_app_id: ctx.identity.appId,
    token: VERIFICATION_TOKEN,
    trigger_id: input.triggerId,
    view: viewWithState(input.view, input.state),
    response_urls: input.responseUrls,
    is_enterprise_install: false,
    enterprise: null,
  };
}

export function viewClosedPayload(
  ctx: PayloadContext,
  input: { view: FakeView; isCleared: boolean },
): JsonObject {
  return {
    type: 'view_closed',
    team: team(ctx.identity),
    user: userRef(ctx.user),
    api_app_id: ctx.identity.appId,
    token: VERIFICATION_TOKEN,
    view: viewJson(input.view),
    is_cleared: input.isCleared,
    is_enterprise_install: false,
    enterprise: null,
  };
}

export function blockSuggestionPayload(
  ctx: PayloadContext,
  input: { surface: ActionSurface; blockId: string; actionId: string; value: string; state: ViewStateValues },
): JsonObject {
  const common: JsonObject = {
    type: 'block_suggestion',
    user: userRef(ctx.user),
    api_app_id: ctx.identity.appId,
    token: VERIFICATION_TOKEN,
    action_id: input.actionId,
    block_id: input.blockId,
    value: input.value,
    team: team(ctx.identity),
    enterprise: null,
    is_enterprise_install: false,
  };
  const { surface } = input;
  if (surface.kind === 'view') {
    return {
      ...common,
      container: { type: 'view', view_id: surface.view.id },
      view: viewWithState(surface.view, input.state),
    };
  }
  return {
    ...common,
    container: {
      type: 'message',
      message_ts: surface.ts,
      channel_id: surface.channel.id,
      is_ephemeral: surface.ephemeral,
    },
    channel: { id: surface.channel.id, name: channelNameOf(surface.channel) },
  };
}

export function globalShortcutPayload(
  ctx: PayloadContext,
  input: { callbackId: string; triggerId: string; actionTs: string },
): JsonObject {
  return {
    type: 'shortcut',
    token: VERIFICATION_TOKEN,
    action_ts: input.actionTs,
    team: team(ctx.identity),
    user: { id: ctx.user.id, username: ctx.user.name, team_id: ctx.user.team_id },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: input.callbackId,
    trigger_id: input.triggerId,
  };
}

export function messageShortcutPayload(
  ctx: PayloadContext,
  input: {
    callbackId: string;
    triggerId: string;
    actionTs: string;
    channel: FakeChannel;
    message: FakeMessage;
    responseUrl: string;
  },
): JsonObject {
  return {
    type: 'message_action',
    token: VERIFICATION_TOKEN,
    action_ts: input.actionTs,
    team: team(ctx.identity),
    user: userRef(ctx.user),
    channel: { id: input.channel.id, name: channelNameOf(input.channel) },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: input.callbackId,
    trigger_id: input.triggerId,
    response_url: input.responseUrl,
    message_ts: input.message.ts,
    message: messageJson(input.message),
  };
}

export function eventCallback(
  identity: WorkspaceIdentity,
  input: { event: JsonObject; eventId: string; eventTime: number },
): JsonObject {
  return {
    token: VERIFICATION_TOKEN,
    team_id: identity.teamId,
    context_team_id: identity.teamId,
    context_enterprise_id: null,
    api_app_id: identity.appId,
    event: input.event,
    type: 'event_callback',
    event_id: input.eventId,
    event_time: input.eventTime,
    authorizations: [
      {
        enterprise_id: null,
        team_id: identity.teamId,
        user_id: identity.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(`${identity.teamId}:${input.eventId}`).toString('base64url')}`,
  };
}

export function appHomeOpenedEvent(input: {
  user: string;
  channel: string;
  tab: 'home' | 'messages';
  view?: FakeView;
  eventTs: string;
}): JsonObject {
  return {
    type: 'app_home_opened',
    user: input.user,
    channel: input.channel,
    tab: input.tab,
    ...(input.view === undefined ? {} : { view: viewJson(input.view) }),
    event_ts: input.eventTs,
  };
}

export function urlVerificationPayload(challenge: string): JsonObject {
  return { token: VERIFICATION_TOKEN, challenge, type: 'url_verification' };
}
