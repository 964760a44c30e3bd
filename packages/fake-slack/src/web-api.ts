/**
 * The Web API methods the fake implements: argument parsing, scopes, Slack's refusals and
 * response shapes. Transport-free: the HTTP server hands in decoded arguments and gets back
 * a status, a JSON body and headers.
 */
import { z } from 'zod';
import {
  formatProblems,
  problemsFromZod,
  validateMessageBlocks,
  validateView,
} from './block-kit/validate.js';
import type { IdFactory } from './ids.js';
import type { RateLimiter } from './rate-limiter.js';
import { channelJson, fileJson, messageJson, userJson, viewJson } from './render.js';
import type { FakeChannel, JsonObject, JsonValue, SlackBlock } from './types.js';
import { MAX_MESSAGE_TEXT, type FakeWorkspace, type Refusal } from './workspace.js';

export interface ApiReply {
  status: number;
  body: JsonObject;
  headers?: Record<string, string>;
}

export interface ApiContext {
  ws: FakeWorkspace;
  ids: IdFactory;
  scopes: readonly string[];
  rateLimiter: RateLimiter;
  now: () => number;
  /** SLACK.md asks apps to send `text` as a fallback whenever they send blocks. */
  requireFallbackText: boolean;
}

/** Arguments whose values Slack expects as JSON-encoded strings in form bodies. */
export const JSON_ARGUMENTS = new Set(['blocks', 'attachments', 'view', 'metadata', 'files', 'file_ids']);

const ok = (body: JsonObject): ApiReply => ({ status: 200, body: { ok: true, ...body } });
const fail = (error: string, extra: JsonObject = {}): ApiReply => ({
  status: 200,
  body: { ok: false, error, ...extra },
});
const fromRefusal = (refusal: Refusal): ApiReply => fail(refusal.error, refusal.extra);
const invalidArguments = (messages: string[]): ApiReply =>
  fail('invalid_arguments', { response_metadata: { messages } });
const missingField = (field: string): ApiReply =>
  invalidArguments([`[ERROR] missing required field: ${field} [json-pointer:/${field}]`]);

export function missingScope(needed: string, scopes: readonly string[]): ApiReply {
  return {
    status: 200,
    body: { ok: false, error: 'missing_scope', needed, provided: scopes.join(',') },
    headers: { 'x-accepted-oauth-scopes': needed },
  };
}

export function rateLimited(retryAfterSeconds: number): ApiReply {
  return {
    status: 429,
    body: { ok: false, error: 'ratelimited' },
    headers: { 'retry-after': String(retryAfterSeconds) },
  };
}

const flag = z.preprocess(
  (v) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : v),
  z.boolean(),
);
const count = z.coerce.number().int().min(0);

// Every method accepts (and ignores) arguments it does not know, like Slack does.
const schemas = {
  'chat.postMessage': z.looseObject({
    channel: z.string().optional(),
    text: z.string().optional(),
    blocks: z.unknown().optional(),
    attachments: z.unknown().optional(),
    thread_ts: z.string().optional(),
    metadata: z.unknown().optional(),
    reply_broadcast: flag.optional(),
  }),
  'chat.postEphemeral': z.looseObject({
    channel: z.string().optional(),
    user: z.string().optional(),
    text: z.string().optional(),
    blocks: z.unknown().optional(),
    attachments: z.unknown().optional(),
    thread_ts: z.string().optional(),
  }),
  'chat.update': z.looseObject({
    channel: z.string().optional(),
    ts: z.string().optional(),
    text: z.string().optional(),
    blocks: z.unknown().optional(),
    attachments: z.unknown().optional(),
    metadata: z.unknown().optional(),
  }),
  'chat.delete': z.looseObject({ channel: z.string().optional(), ts: z.string().optional() }),
  'views.open': z.looseObject({
    trigger_id: z.string().optional(),
    interactivity_pointer: z.string().optional(),
    view: z.unknown().optional(),
  }),
  'views.update': z.looseObject({
    view_id: z.string().optional(),
    external_id: z.string().optional(),
    hash: z.string().optional(),
    view: z.unknown().optional(),
  }),
  'views.publish': z.looseObject({
    user_id: z.string().optional(),
    hash: z.string().optional(),
    view: z.unknown().optional(),
  }),
  'users.info': z.looseObject({ user: z.string().optional() }),
  'users.lookupByEmail': z.looseObject({ email: z.string().optional() }),
  'users.list': z.looseObject({ limit: count.optional(), cursor: z.string().optional() }),
  'conversations.open': z.looseObject({
    users: z.string().optional(),
    channel: z.string().optional(),
    return_im: flag.optional(),
  }),
  'conversations.info': z.looseObject({ channel: z.string().optional() }),
  'files.getUploadURLExternal': z.looseObject({
    filename: z.string().optional(),
    length: count.optional(),
    alt_txt: z.string().max(1000).optional(),
  }),
  'files.completeUploadExternal': z.looseObject({
    files: z
      .array(z.looseObject({ id: z.string(), title: z.string().optional() }))
      .min(1)
      .optional(),
    channel_id: z.string().optional(),
    channels: z.string().optional(),
    initial_comment: z.string().optional(),
    thread_ts: z.string().optional(),
  }),
};

type Schemas = typeof schemas;

function parseArgs<M extends keyof Schemas>(
  method: M,
  args: JsonObject,
): { ok: true; data: z.infer<Schemas[M]> } | { ok: false; reply: ApiReply } {
  const parsed = schemas[method].safeParse(args);
  if (parsed.success) return { ok: true, data: parsed.data as z.infer<Schemas[M]> };
  return {
    ok: false,
    reply: invalidArguments(formatProblems(problemsFromZod(parsed.error.issues, args, []))),
  };
}

function needs(ctx: ApiContext, scope: string): ApiReply | undefined {
  return ctx.scopes.includes(scope) ? undefined : missingScope(scope, ctx.scopes);
}

/** Text and blocks as chat.* methods accept them; undefined blocks means "none sent". */
function messageContent(
  ctx: ApiContext,
  args: { text?: string | undefined; blocks?: unknown; attachments?: unknown },
): { ok: true; text: string; blocks?: SlackBlock[] } | { ok: false; reply: ApiReply } {
  const text = args.text ?? '';
  const hasBlocks = args.blocks !== undefined && args.blocks !== '';
  const hasAttachments = args.attachments !== undefined && args.attachments !== '';
  if (text.trim() === '' && !hasBlocks && !hasAttachments) return { ok: false, reply: fail('no_text') };
  if (hasBlocks && text.trim() === '' && ctx.requireFallbackText)
    return { ok: false, reply: fail('no_text') };
  if (text.length > MAX_MESSAGE_TEXT) return { ok: false, reply: fail('msg_too_long') };
  if (!hasBlocks) return { ok: true, text };
  if (typeof args.blocks === 'string') {
    // The form value was not valid JSON (the server leaves undecodable JSON arguments as strings).
    return { ok: false, reply: fail('invalid_blocks_format') };
  }
  const checked = validateMessageBlocks(args.blocks, ctx.ids);
  if (!checked.ok) {
    const messages = formatProblems(checked.problems);
    return {
      ok: false,
      reply: fail(checked.error, {
        errors: messages.map((m) => m.replace(/^\[ERROR\] /, '')),
        response_metadata: { messages },
      }),
    };
  }
  return { ok: true, text, blocks: checked.blocks };
}

function resolveForPosting(
  ctx: ApiContext,
  ref: string | undefined,
): { ok: true; channel: FakeChannel } | { ok: false; reply: ApiReply } {
  if (ref === undefined || ref === '') return { ok: false, reply: fail('channel_not_found') };
  const channel = ctx.ws.resolveConversation(ref);
  if (channel === undefined) return { ok: false, reply: fail('channel_not_found') };
  const refusal = ctx.ws.checkBotCanPost(channel, ctx.scopes);
  if (refusal !== undefined) return { ok: false, reply: fromRefusal(refusal) };
  return { ok: true, channel };
}

function viewRefusal(validation: {
  error: string;
  problems: { message: string; pointer: string }[];
}): ApiReply {
  const messages = formatProblems(validation.problems);
  return messages.length === 0
    ? fail(validation.error)
    : fail(validation.error, { response_metadata: { messages } });
}

type Handler = (args: JsonObject, ctx: ApiContext) => ApiReply;

const handlers: Record<string, Handler> = {
  'auth.test': (_args, { ws }) =>
    ok({
      url: `https://${ws.identity.teamDomain}.slack.com/`,
      team: ws.identity.teamName,
      user: ws.identity.botName,
      team_id: ws.identity.teamId,
      user_id: ws.identity.botUserId,
      bot_id: ws.identity.botId,
      is_enterprise_install: false,
    }),

  'chat.postMessage': (raw, ctx) => {
    const scope = needs(ctx, 'chat:write');
    if (scope) return scope;
    const parsed = parseArgs('chat.postMessage', raw);
    if (!parsed.ok) return parsed.reply;
    const args = parsed.data;
    const target = resolveForPosting(ctx, args.channel);
    if (!target.ok) return target.reply;
    const content = messageContent(ctx, args);
    if (!content.ok) return content.reply;
    // Slack's limit is on messages posted, so refused calls do not use up the channel's allowance.
    const rate = ctx.rateLimiter.takeChannelPost(target.channel.id, ctx.now());
    if (!rate.allowed) return rateLimited(rate.retryAfterSeconds);
    const message = ctx.ws.postBotMessage(
      target.channel.id,
      {
        text: content.text,
        ...(content.blocks === undefined ? {} : { blocks: content.blocks }),
        ...(args.thread_ts === undefined ? {} : { thread_ts: args.thread_ts }),
        ...(args.metadata === undefined ? {} : { metadata: args.metadata as JsonValue }),
      },
      'chat.postMessage',
    );
    return ok({ channel: target.channel.id, ts: message.ts, message: messageJson(message) });
  },

  'chat.postEphemeral': (raw, ctx) => {
    const scope = needs(ctx, 'chat:write');
    if (scope) return scope;
    const parsed = parseArgs('chat.postEphemeral', raw);
    if (!parsed.ok) return parsed.reply;
    const args = parsed.data;
    const target = resolveForPosting(ctx, args.channel);
    if (!target.ok) return target.reply;
    if (args.user === undefined || args.user === '') return missingField('user');
    if (!ctx.ws.isMember(target.channel, args.user)) return fail('user_not_in_channel');
    const content = messageContent(ctx, args);
    if (!content.ok) return content.reply;
    const ephemeral = ctx.ws.addEphemeral(
      target.channel.id,
      args.user,
      {
        text: content.text,
        ...(content.blocks === undefined ? {} : { blocks: content.blocks }),
        ...(args.thread_ts === undefined ? {} : { thread_ts: args.thread_ts }),
      },
      'chat.postMessage',
    );
    return ok({ message_ts: ephemeral.message_ts });
  },

  'chat.update': (raw, ctx) => {
    const scope = needs(ctx, 'chat:write');
    if (scope) return scope;
    const parsed = parseArgs('chat.update', raw);
    if (!parsed.ok) return parsed.reply;
    const args = parsed.data;
    const channel = args.channel === undefined ? undefined : ctx.ws.resolveConversation(args.channel);
    if (channel === undefined) return fail('channel_not_found');
    if (args.ts === undefined || args.ts === '') return fail('message_not_found');
    const content = messageContent(ctx, args);
    if (!content.ok) return content.reply;
    const updated = ctx.ws.updateBotMessage(channel.id, args.ts, {
      text: content.text,
      ...(content.blocks === undefined ? {} : { blocks: content.blocks }),
      ...(args.metadata === undefined ? {} : { metadata: args.metadata as JsonValue }),
    });
    if (!updated.ok) return fromRefusal(updated);
    return ok({
      channel: channel.id,
      ts: args.ts,
      text: updated.value.text,
      message: messageJson(updated.value),
    });
  },

  'chat.delete': (raw, ctx) => {
    const scope = needs(ctx, 'chat:write');
    if (scope) return scope;
    const parsed = parseArgs('chat.delete', raw);
    if (!parsed.ok) return parsed.reply;
    const args = parsed.data;
    const channel = args.channel === undefined ? undefined : ctx.ws.resolveConversation(args.channel);
    if (channel === undefined) return fail('channel_not_found');
    const deleted = ctx.ws.deleteBotMessage(channel.id, args.ts ?? '');
    if (!deleted.ok) return fromRefusal(deleted);
    return ok({ channel: channel.id, ts: deleted.value.ts });
  },

  'views.open': (raw, ctx) => {
    const parsed = parseArgs('views.open', raw);
    if (!parsed.ok) return parsed.reply;
    const args = parsed.data;
    if (args.view === undefined) return missingField('view');
    const trigger = args.trigger_id ?? args.interactivity_pointer;
    if (trigger === undefined || trigger === '') return missingField('trigger_id');
    const validation = validateView(args.view, ctx.ids, 'modal');
    if (!validation.ok) return viewRefusal(validation);
    const duplicate = ctx.ws.checkExternalId(validation.view);
    if (duplicate) return fromRefusal(duplicate);
    const exchanged = ctx.ws.exchangeTrigger(trigger);
    if (!exchanged.ok) return fromRefusal(exchanged);
    const view = ctx.ws.openModal(exchanged.value.userId, validation.view);
    return ok({ view: viewJson(view) });
  },

  'views.push': (raw, ctx) => {
    const parsed = parseArgs('views.open', raw);
    if (!parsed.ok) return parsed.reply;
    const args = parsed.data;
    if (args.view === undefined) return missingField('view');
    const trigger = args.trigger_id ?? args.interactivity_pointer;
    if (trigger === undefined || trigger === '') return missingField('trigger_id');
    const validation = validateView(
      args.view,
      ctx.ids,
      'modal',
      "must match the `type` of the root view whose stack we're pushing onto",
    );
    if (!validation.ok) return viewRefusal(validation);
    const duplicate = ctx.ws.checkExternalId(validation.view);
    if (duplicate) return fromRefusal(duplicate);
    const exchanged = ctx.ws.exchangeTrigger(trigger);
    if (!exchanged.ok) return fromRefusal(exchanged);
    const pushed = ctx.ws.pushModal(exchanged.value.userId, validation.view);
    if (!pushed.ok) return fromRefusal(pushed);
    return ok({ view: viewJson(pushed.value) });
  },

  'views.update': (raw, ctx) => {
    const parsed = parseArgs('views.update', raw);
    if (!parsed.ok) return parsed.reply;
    const args = parsed.data;
    if (args.view === undefined) return missingField('view');
    if ((args.view_id ?? '') === '' && (args.external_id ?? '') === '') return missingField('view_id');
    const existing = ctx.ws.findView({
      ...(args.view_id ? { viewId: args.view_id } : {}),
      ...(args.external_id ? { externalId: args.external_id } : {}),
    });
    if (existing === undefined) return fail('not_found');
    if (args.hash !== undefined && args.hash !== '' && args.hash !== existing.hash)
      return fail('hash_conflict');
    const validation = validateView(args.view, ctx.ids, existing.type);
    if (!validation.ok) return viewRefusal(validation);
    const duplicate = ctx.ws.checkExternalId(validation.view, existing.id);
    if (duplicate) return fromRefusal(duplicate);
    return ok({ view: viewJson(ctx.ws.replaceView(existing, validation.view)) });
  },

  'views.publish': (raw, ctx) => {
    const parsed = parseArgs('views.publish', raw);
    if (!parsed.ok) return parsed.reply;
    const args = parsed.data;
    if (args.user_id === undefined || args.user_id === '') return missingField('user_id');
    if (args.view === undefined) return missingField('view');
    if (!ctx.ws.users.has(args.user_id)) return fail('user_not_found');
    const validation = validateView(args.view, ctx.ids, 'home');
    if (!validation.ok) return viewRefusal(validation);
    const current = ctx.ws.home(args.user_id);
    const duplicate = ctx.ws.checkExternalId(validation.view, current?.id);
    if (duplicate) return fromRefusal(duplicate);
    const published = ctx.ws.publishHome(args.user_id, validation.view, args.hash);
    if (!published.ok) return fromRefusal(published);
    return ok({ view: viewJson(published.value) });
  },

  'users.info': (raw, ctx) => {
    const scope = needs(ctx, 'users:read');
    if (scope) return scope;
    const parsed = parseArgs('users.info', raw);
    if (!parsed.ok) return parsed.reply;
    const user = parsed.data.user === undefined ? undefined : ctx.ws.users.get(parsed.data.user);
    if (user === undefined) return fail('user_not_found');
    return ok({ user: userJson(user, ctx.scopes.includes('users:read.email')) });
  },

  'users.lookupByEmail': (raw, ctx) => {
    const scope = needs(ctx, 'users:read.email');
    if (scope) return scope;
    const parsed = parseArgs('users.lookupByEmail', raw);
    if (!parsed.ok) return parsed.reply;
    const email = parsed.data.email?.trim().toLowerCase();
    if (email === undefined || email === '') return missingField('email');
    const user = [...ctx.ws.users.values()].find(
      (u) => !u.deleted && u.profile.email?.toLowerCase() === email,
    );
    if (user === undefined) return fail('users_not_found');
    return ok({ user: userJson(user, true) });
  },

  'users.list': (raw, ctx) => {
    const scope = needs(ctx, 'users:read');
    if (scope) return scope;
    const parsed = parseArgs('users.list', raw);
    if (!parsed.ok) return parsed.reply;
    const all = [...ctx.ws.users.values()];
    let start = 0;
    const cursor = parsed.data.cursor;
    if (cursor !== undefined && cursor !== '') {
      const decoded = /^user:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
      if (decoded === null) return fail('invalid_cursor');
      start = Number(decoded[1]);
    }
    const limit =
      parsed.data.limit === undefined || parsed.data.limit === 0 ? 1000 : Math.min(parsed.data.limit, 1000);
    const page = all.slice(start, start + limit);
    const next = start + limit < all.length ? Buffer.from(`user:${start + limit}`).toString('base64') : '';
    return ok({
      members: page.map((u) => userJson(u, ctx.scopes.includes('users:read.email'))),
      cache_ts: Math.floor(ctx.now() / 1000),
      response_metadata: { next_cursor: next },
    });
  },

  'conversations.open': (raw, ctx) => {
    const parsed = parseArgs('conversations.open', raw);
    if (!parsed.ok) return parsed.reply;
    const args = parsed.data;
    if (args.channel !== undefined && args.channel !== '') {
      const scope = needs(ctx, 'im:write');
      if (scope) return scope;
      const existing = ctx.ws.channels.get(args.channel);
      if (existing === undefined || (existing.kind !== 'im' && existing.kind !== 'mpim'))
        return fail('channel_not_found');
      return ok({
        no_op: true,
        already_open: true,
        channel: args.return_im ? channelJson(existing, ctx.ws.identity) : { id: existing.id },
      });
    }
    const userIds = (args.users ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter((u) => u !== '');
    if (userIds.length === 0) return fail('users_list_not_supplied');
    if (userIds.length > 8) return fail('too_many_users');
    const scope = needs(ctx, userIds.length === 1 ? 'im:write' : 'mpim:write');
    if (scope) return scope;
    for (const id of userIds) {
      const user = ctx.ws.users.get(id);
      if (user === undefined) return fail('user_not_found');
      if (user.deleted) return fail('user_disabled');
    }
    const before = new Set(ctx.ws.channels.keys());
    const channel = userIds.length === 1 ? ctx.ws.imWith(userIds[0] ?? '') : ctx.ws.mpimWith(userIds);
    const existed = before.has(channel.id);
    return ok({
      ...(existed ? { no_op: true, already_open: true } : {}),
      channel: args.return_im ? channelJson(channel, ctx.ws.identity) : { id: channel.id },
    });
  },

  'conversations.info': (raw, ctx) => {
    const parsed = parseArgs('conversations.info', raw);
    if (!parsed.ok) return parsed.reply;
    const channel = parsed.data.channel === undefined ? undefined : ctx.ws.channels.get(parsed.data.channel);
    if (channel === undefined) return fail('channel_not_found');
    const scopeByKind = {
      public: 'channels:read',
      private: 'groups:read',
      im: 'im:read',
      mpim: 'mpim:read',
    } as const;
    const scope = needs(ctx, scopeByKind[channel.kind]);
    if (scope) return scope;
    if (channel.kind !== 'public' && !channel.botIsMember) return fail('channel_not_found');
    return ok({ channel: channelJson(channel, ctx.ws.identity) });
  },

  'files.getUploadURLExternal': (raw, ctx) => {
    const scope = needs(ctx, 'files:write');
    if (scope) return scope;
    const parsed = parseArgs('files.getUploadURLExternal', raw);
    if (!parsed.ok) return parsed.reply;
    const { filename, length } = parsed.data;
    if (filename === undefined || filename === '') return missingField('filename');
    if (length === undefined || length === 0) return fail('missing_argument');
    const file = ctx.ws.createUpload(filename, length);
    return ok({ upload_url: `${ctx.ws.baseUrl}/upload/${file.id}`, file_id: file.id });
  },

  'files.completeUploadExternal': (raw, ctx) => {
    const scope = needs(ctx, 'files:write');
    if (scope) return scope;
    const parsed = parseArgs('files.completeUploadExternal', raw);
    if (!parsed.ok) return parsed.reply;
    const args = parsed.data;
    if (args.files === undefined) return missingField('files');
    const channelRef = args.channel_id ?? args.channels?.split(',')[0];
    let channel: FakeChannel | undefined;
    if (channelRef !== undefined && channelRef !== '') {
      const target = resolveForPosting(ctx, channelRef);
      if (!target.ok) return target.reply;
      channel = target.channel;
    }
    const completed = ctx.ws.completeUploads(
      args.files.map((f) => ({ id: f.id, ...(f.title === undefined ? {} : { title: f.title }) })),
      channel,
      args.initial_comment,
      args.thread_ts,
    );
    if (!completed.ok) return fromRefusal(completed);
    return ok({ files: completed.value.map((f) => fileJson(f, ctx.ws.identity.teamId)) });
  },
};

export const SUPPORTED_METHODS: readonly string[] = Object.keys(handlers);

export function isKnownMethod(method: string): boolean {
  return Object.hasOwn(handlers, method);
}

/** Runs a known method (authentication and workspace-wide rate limits are checked by the caller). */
export function runMethod(method: string, args: JsonObject, ctx: ApiContext): ApiReply {
  const handler = handlers[method];
  if (handler === undefined) return fail('unknown_method', { req_method: method });
  return handler(args, ctx);
}
