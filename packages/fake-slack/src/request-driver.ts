/**
 * Drives a real Slack app over HTTP exactly the way Slack does: builds payloads in Slack's shapes
 * from what the fake recorded, signs them, posts them, holds the app to Slack's 3-second deadline,
 * applies what Slack would do with the answer, and returns the Web API calls the request caused.
 */
import { actionIdsOf, findElement, interactiveElements, type FoundElement } from './block-kit/query.js';
import { suggestionResponse } from './block-kit/schemas.js';
import { formatProblems, validateView } from './block-kit/validate.js';
import type { FakeSlack } from './fake-slack.js';
import {
  appHomeOpenedEvent,
  blockActionsPayload,
  blockSuggestionPayload,
  eventCallback,
  globalShortcutPayload,
  messageShortcutPayload,
  slashCommandForm,
  urlVerificationPayload,
  viewClosedPayload,
  viewSubmissionPayload,
  type ActionSurface,
  type PayloadContext,
} from './payloads.js';
import { fileJson } from './render.js';
import { signSlackRequest } from './request-signing.js';
import type {
  FakeChannel,
  FakeMessage,
  FakeUser,
  FakeView,
  JsonObject,
  JsonValue,
  Option,
  RecordedCall,
  SlackBlock,
  ViewStateValue,
  ViewStateValues,
} from './types.js';
import {
  actionFor,
  clientSideErrors,
  completeState,
  inputBlocks,
  toStateValue,
  type AttachedFile,
  type FieldValue,
  type StateLookups,
} from './view-state.js';

export interface SlackRequestDriverOptions {
  fake: FakeSlack;
  /** The app's request URL, e.g. `http://127.0.0.1:3000/slack/events`. */
  appUrl: string;
  signingSecret: string;
  /** Resolves when the app has finished the work a request started (the app exposes one). */
  settle?: () => Promise<void>;
  /** Slack gives up on an answer after 3 s; every response must arrive sooner. */
  maxResponseMs?: number;
  /** Without `settle`: how long the fake must see no call before the app counts as settled. */
  quietMs?: number;
}

export type RequestKind =
  | 'slash_command'
  | 'block_actions'
  | 'view_submission'
  | 'view_closed'
  | 'block_suggestion'
  | 'shortcut'
  | 'message_action'
  | 'event_callback'
  | 'url_verification';

export interface DeliveredRequest {
  kind: RequestKind;
  contentType: 'application/x-www-form-urlencoded' | 'application/json';
  /** The raw body as sent (what the signature covers). */
  body: string;
  /** The payload before encoding. */
  payload: JsonObject;
}

export interface DriverResult {
  status: number;
  /** Parsed when the app answered JSON, the raw text otherwise, undefined when empty. */
  body: JsonValue | undefined;
  durationMs: number;
  /** Web API calls (and response_url posts) the request caused, in order. */
  calls: RecordedCall[];
  request: DeliveredRequest;
}

export type SubmissionOutcome = 'closed' | 'errors' | 'updated' | 'pushed' | 'cleared' | 'not_acknowledged';

export interface SubmissionResult extends DriverResult {
  outcome: SubmissionOutcome;
  /** The app's inline errors keyed by block_id (outcome `errors`). */
  errors?: Record<string, string>;
}

export interface SuggestionResult extends DriverResult {
  options: Option[];
}

export interface DeliverOptions {
  /** Adds Slack's retry headers (`x-slack-retry-num`, `x-slack-retry-reason`). */
  retry?: { num: number; reason: string };
  /** Signs with another secret, e.g. to see the app refuse a forged request. */
  signingSecret?: string;
  /** Overrides the signature timestamp (seconds), e.g. to send a stale request. */
  timestampSeconds?: number;
}

/** A channel id, name, a user id (that user's DM with the app), or `dm` (the acting user's DM). */
export type ChannelRef = string;
export type MessageRef = { channel: ChannelRef; ts: string } | `last-in:${string}`;
/** A view id, `home` (the user's App Home) or `top-modal`. */
export type ViewRef = string;

/** Where an element is: by `actionId`, by `blockId` (a block with one element), or both. */
export interface ElementLocation {
  user: string;
  actionId?: string;
  /** Narrows the search when an action_id appears in several blocks. */
  blockId?: string;
  message?: MessageRef;
  view?: ViewRef;
}

/** The app answered too late: Slack would have shown the user an error. */
export class SlackDeadlineError extends Error {}
/** The Slack client would not have let the person do this (e.g. submit an empty required field). */
export class SlackClientRefusal extends Error {
  constructor(
    message: string,
    readonly errors: Record<string, string> = {},
  ) {
    super(message);
  }
}
/** Slack would not accept what the app answered (e.g. an invalid `response_action`). */
export class SlackRejectedResponseError extends Error {}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

interface LocatedElement {
  surface: ActionSurface;
  found: FoundElement;
}

export class SlackRequestDriver {
  private readonly fake: FakeSlack;
  private readonly appUrl: string;
  private readonly signingSecret: string;
  private readonly settle: (() => Promise<void>) | undefined;
  private readonly maxResponseMs: number;
  private readonly quietMs: number;

  constructor(options: SlackRequestDriverOptions) {
    this.fake = options.fake;
    this.appUrl = options.appUrl;
    this.signingSecret = options.signingSecret;
    this.settle = options.settle;
    this.maxResponseMs = options.maxResponseMs ?? 3000;
    this.quietMs = options.quietMs ?? 100;
  }

  // ------------------------------------------------------------------ low level

  /** Signs and posts a request, waits for the app to settle, and returns what happened. */
  async deliver(request: DeliveredRequest, options: DeliverOptions = {}): Promise<DriverResult> {
    return this.exchange(request, options);
  }

  /** Delivers the same request again as a Slack retry (same body, fresh signature). */
  async redeliver(
    previous: DriverResult | DeliveredRequest,
    retry = { num: 1, reason: 'http_timeout' },
  ): Promise<DriverResult> {
    const request = 'request' in previous ? previous.request : previous;
    return this.exchange(request, { retry });
  }

  private async exchange(
    request: DeliveredRequest,
    options: DeliverOptions,
    onResponse?: (status: number, body: JsonValue | undefined) => void,
  ): Promise<DriverResult> {
    const mark = this.fake.mark();
    const timestamp = options.timestampSeconds ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': request.contentType,
      ...signSlackRequest(options.signingSecret ?? this.signingSecret, timestamp, request.body),
    };
    if (options.retry !== undefined) {
      headers['x-slack-retry-num'] = String(options.retry.num);
      headers['x-slack-retry-reason'] = options.retry.reason;
    }
    const started = performance.now();
    let response: Response;
    try {
      response = await fetch(this.appUrl, {
        method: 'POST',
        headers,
        body: request.body,
        signal: AbortSignal.timeout(this.maxResponseMs + 2000),
      });
    } catch (error) {
      throw new SlackDeadlineError(
        `${request.kind}: no answer from the app at ${this.appUrl} (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    const text = await response.text();
    const durationMs = performance.now() - started;
    const body = parseBody(text);
    let problem: Error | undefined;
    if (durationMs > this.maxResponseMs) {
      problem = new SlackDeadlineError(
        `${request.kind}: the app answered in ${Math.round(durationMs)} ms; Slack gives up after ${this.maxResponseMs} ms`,
      );
    } else if (onResponse !== undefined) {
      try {
        onResponse(response.status, body);
      } catch (error) {
        problem = error instanceof Error ? error : new Error(String(error));
      }
    }
    await this.waitForApp();
    const calls = this.fake.callsSince(mark);
    if (problem !== undefined) throw problem;
    return { status: response.status, body, durationMs, calls, request };
  }

  private async waitForApp(): Promise<void> {
    if (this.settle !== undefined) {
      await this.settle();
      await this.fake.whenIdle(0);
    } else {
      await this.fake.whenIdle(this.quietMs);
    }
  }

  private form(kind: RequestKind, fields: Record<string, string>): DeliveredRequest {
    return { kind, contentType: FORM, body: new URLSearchParams(fields).toString(), payload: fields };
  }

  private interaction(kind: RequestKind, payload: JsonObject): DeliveredRequest {
    return {
      kind,
      contentType: FORM,
      body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      payload,
    };
  }

  private json(kind: RequestKind, payload: JsonObject): DeliveredRequest {
    return { kind, contentType: JSON_TYPE, body: JSON.stringify(payload), payload };
  }

  // ------------------------------------------------------------------ lookups

  private user(id: string): FakeUser {
    const user = this.fake.user(id);
    if (user === undefined)
      throw new Error(`driver: no user ${id} in the fake workspace (add it with fake.addUser)`);
    if (user.deleted) throw new SlackClientRefusal(`driver: user ${id} is deactivated and cannot use Slack`);
    return user;
  }

  private context(user: FakeUser): PayloadContext {
    return { identity: this.fake.identity, user };
  }

  private conversation(user: FakeUser, ref: ChannelRef): FakeChannel {
    const channel =
      ref === 'dm' ? this.fake.workspace.imWith(user.id) : this.fake.workspace.resolveConversation(ref);
    if (channel === undefined) throw new Error(`driver: no channel ${ref}`);
    if (!this.fake.workspace.isMember(channel, user.id)) {
      throw new SlackClientRefusal(
        `driver: ${user.id} is not in ${channel.kind === 'im' ? 'that DM' : `#${channel.name}`}`,
      );
    }
    return channel;
  }

  private lookups(user: FakeUser): StateLookups {
    const ws = this.fake.workspace;
    return {
      userExists: (id) => ws.users.get(id)?.deleted === false,
      conversationId: (ref) => ws.resolveConversation(ref)?.id,
      suggestedOptions: (actionId) => ws.suggestions(`${user.id}:${actionId}`),
      attachFile: (file: AttachedFile) => {
        if ('fileId' in file) {
          const existing = ws.files.get(file.fileId);
          if (existing === undefined) throw new Error(`driver: no file ${file.fileId}`);
          return fileJson(existing, this.fake.teamId);
        }
        return fileJson(
          this.fake.addUserFile(user.id, file.name, file.content, file.mimetype),
          this.fake.teamId,
        );
      },
    };
  }

  private modalOf(user: FakeUser, viewId: string | undefined): FakeView {
    const view = viewId === undefined ? this.fake.topModal(user.id) : this.fake.view(viewId);
    if (view === undefined || view.type !== 'modal' || view.user !== user.id) {
      throw new Error(`driver: ${user.id} has no open modal${viewId === undefined ? '' : ` ${viewId}`}`);
    }
    return view;
  }

  private viewFor(user: FakeUser, ref: ViewRef): FakeView {
    const view =
      ref === 'home'
        ? this.fake.home(user.id)
        : ref === 'top-modal'
          ? this.fake.topModal(user.id)
          : this.fake.view(ref);
    if (view === undefined || view.user !== user.id) {
      throw new Error(
        `driver: ${user.id} has no ${ref === 'home' ? 'published App Home' : ref === 'top-modal' ? 'open modal' : `view ${ref}`}`,
      );
    }
    if (view.type === 'modal' && this.fake.topModal(user.id)?.id !== view.id) {
      throw new SlackClientRefusal(
        `driver: view ${view.id} is covered by another modal; only the top one can be used`,
      );
    }
    return view;
  }

  /** A message the user can see: a channel message or one of their ephemeral messages. */
  private messageSurface(
    user: FakeUser,
    ref: MessageRef,
  ): { channel: FakeChannel; ts: string; ephemeral: boolean; blocks: SlackBlock[]; message?: FakeMessage } {
    const ws = this.fake.workspace;
    if (typeof ref === 'string') {
      const channel = this.conversation(user, ref.slice('last-in:'.length));
      const visible = [
        ...ws
          .messages(channel.id)
          .map((m) => ({ ts: m.ts, blocks: m.blocks ?? [], ephemeral: false, message: m })),
        ...ws.ephemerals
          .filter((e) => e.channel === channel.id && e.user === user.id)
          .map((e) => ({ ts: e.message_ts, blocks: e.blocks ?? [], ephemeral: true, message: undefined })),
      ].sort((a, b) => Number(a.ts) - Number(b.ts));
      const last = visible.at(-1);
      if (last === undefined)
        throw new Error(`driver: no message in ${ref.slice('last-in:'.length)} that ${user.id} can see`);
      return {
        channel,
        ts: last.ts,
        ephemeral: last.ephemeral,
        blocks: last.blocks,
        ...(last.message ? { message: last.message } : {}),
      };
    }
    const channel = this.conversation(user, ref.channel);
    const message = ws.findMessage(channel.id, ref.ts);
    if (message !== undefined)
      return { channel, ts: message.ts, ephemeral: false, blocks: message.blocks ?? [], message };
    const ephemeral = ws.findEphemeral(channel.id, user.id, ref.ts);
    if (ephemeral !== undefined)
      return { channel, ts: ephemeral.message_ts, ephemeral: true, blocks: ephemeral.blocks ?? [] };
    throw new Error(`driver: no message ${ref.ts} in ${ref.channel} that ${user.id} can see`);
  }

  private locate(user: FakeUser, where: ElementLocation): LocatedElement {
    if (where.actionId === undefined && where.blockId === undefined) {
      throw new Error('driver: say which element: give an actionId, a blockId, or both');
    }
    const target =
      where.actionId === undefined
        ? `block "${where.blockId}"`
        : `action_id "${where.actionId}"${where.blockId === undefined ? '' : ` in block "${where.blockId}"`}`;
    const find = (blocks: SlackBlock[]): FoundElement | undefined => {
      if (where.actionId !== undefined) return findElement(blocks, where.actionId, where.blockId);
      const inBlock = interactiveElements(blocks).filter((f) => f.block.block_id === where.blockId);
      return inBlock.length === 1 ? inBlock[0] : undefined;
    };
    const missing = (blocks: SlackBlock[], place: string): Error =>
      new Error(
        `driver: no single element with ${target} in ${place}; ` +
          `available action_ids: ${actionIdsOf(blocks).join(', ') || '(none)'}`,
      );
    if (where.view !== undefined) {
      const view = this.viewFor(user, where.view);
      const found = find(view.blocks);
      if (found === undefined) throw missing(view.blocks, `view ${view.id} (${view.type})`);
      return { surface: { kind: 'view', view }, found };
    }
    if (where.message !== undefined) {
      const m = this.messageSurface(user, where.message);
      const found = find(m.blocks);
      if (found === undefined) throw missing(m.blocks, `message ${m.ts}`);
      return { surface: this.messageActionSurface(user, m), found };
    }
    // No place given: look where the person is most likely to be looking.
    const candidates: FakeView[] = [];
    const top = this.fake.topModal(user.id);
    if (top !== undefined) candidates.push(top);
    const home = this.fake.home(user.id);
    if (home !== undefined) candidates.push(home);
    for (const view of candidates) {
      const found = find(view.blocks);
      if (found !== undefined) return { surface: { kind: 'view', view }, found };
    }
    const ws = this.fake.workspace;
    const visible = [
      ...[...ws.messagesByChannel.entries()].flatMap(([channelId, list]) => {
        const channel = ws.channels.get(channelId);
        if (channel === undefined || !ws.isMember(channel, user.id)) return [];
        return list.map((m) => ({
          channel,
          ts: m.ts,
          ephemeral: false,
          blocks: m.blocks ?? [],
          message: m as FakeMessage | undefined,
        }));
      }),
      ...ws.ephemerals
        .filter((e) => e.user === user.id)
        .flatMap((e) => {
          const channel = ws.channels.get(e.channel);
          return channel === undefined
            ? []
            : [{ channel, ts: e.message_ts, ephemeral: true, blocks: e.blocks ?? [], message: undefined }];
        }),
    ].sort((a, b) => Number(b.ts) - Number(a.ts));
    for (const m of visible) {
      const found = find(m.blocks);
      if (found !== undefined) {
        return {
          surface: this.messageActionSurface(user, { ...m, ...(m.message ? { message: m.message } : {}) }),
          found,
        };
      }
    }
    throw new Error(
      `driver: ${user.id} sees no element with ${target} in a modal, the App Home or a message`,
    );
  }

  private messageActionSurface(
    user: FakeUser,
    m: { channel: FakeChannel; ts: string; ephemeral: boolean; message?: FakeMessage | undefined },
  ): ActionSurface {
    const responseUrl = this.fake.issueResponseUrl({
      channelId: m.channel.id,
      userId: user.id,
      message: { ts: m.ts, ephemeral: m.ephemeral },
    });
    return {
      kind: 'message',
      channel: m.channel,
      ts: m.ts,
      ephemeral: m.ephemeral,
      ...(m.message === undefined || m.ephemeral ? {} : { message: m.message }),
      responseUrl,
    };
  }

  /** Current state of a surface, with one element's new value applied (and remembered). */
  private stateWith(
    user: FakeUser,
    located: LocatedElement,
    value: ViewStateValue | undefined,
  ): ViewStateValues {
    const { surface, found } = located;
    const ws = this.fake.workspace;
    if (surface.kind === 'view') {
      const view = ws.views.get(surface.view.id) ?? surface.view;
      if (value !== undefined) {
        view.state.values[found.block.block_id] = {
          ...view.state.values[found.block.block_id],
          [found.element.action_id]: value,
        };
      }
      return completeState(view.blocks, view.state.values);
    }
    const state = ws.messageStateFor(surface.channel.id, surface.ts, user.id);
    if (value !== undefined)
      state[found.block.block_id] = { ...state[found.block.block_id], [found.element.action_id]: value };
    return structuredClone(state);
  }

  // ------------------------------------------------------------------ what people do in Slack

  /** Types a slash command (default `/asset`) in a channel (default #general). */
  async slashCommand(input: {
    user: string;
    text?: string;
    channel?: ChannelRef;
    command?: string;
  }): Promise<DriverResult> {
    const user = this.user(input.user);
    const channel = this.conversation(user, input.channel ?? this.fake.generalChannelId);
    const origin = { channelId: channel.id, userId: user.id };
    const request = this.form(
      'slash_command',
      slashCommandForm(this.context(user), {
        command: input.command ?? '/asset',
        text: input.text ?? '',
        channel,
        responseUrl: this.fake.issueResponseUrl(origin),
        triggerId: this.fake.issueTriggerId(user.id),
      }),
    );
    return this.exchange(request, {}, (status, body) => {
      // Slack shows a non-empty acknowledgement as the command's reply.
      if (status === 200 && body !== undefined && body !== '') this.fake.applyCommandReply(origin, body);
    });
  }

  /** Clicks a button the app rendered (found by action_id), sending its real value. */
  async pressButton(input: ElementLocation & { value?: string }): Promise<DriverResult> {
    const user = this.user(input.user);
    const located = this.locate(user, input);
    if (located.found.element.type !== 'button') {
      throw new Error(
        `driver: "${located.found.element.action_id}" is a ${located.found.element.type}, not a button (use selectOption)`,
      );
    }
    return this.sendAction(user, located, undefined, input.value);
  }

  /**
   * Picks a value in a select, overflow menu, radio buttons, checkboxes, date/time picker (or types
   * into a dispatching input); `value` is read by element type (see `toStateValue`).
   */
  async selectOption(input: ElementLocation & { value: FieldValue }): Promise<DriverResult> {
    const user = this.user(input.user);
    const located = this.locate(user, input);
    if (located.found.element.type === 'button')
      throw new Error(`driver: "${located.found.element.action_id}" is a button (use pressButton)`);
    if (located.found.block.type === 'input' && located.found.block.dispatch_action !== true) {
      // Slack reports input values only on submission unless the input block dispatches actions.
      throw new SlackClientRefusal(
        `driver: input block "${located.found.block.block_id}" has no dispatch_action, so Slack sends no block_actions; use fillView or submitView`,
      );
    }
    const state = toStateValue(located.found.element, input.value, this.lookups(user));
    return this.sendAction(user, located, state);
  }

  private sendAction(
    user: FakeUser,
    located: LocatedElement,
    value: ViewStateValue | undefined,
    override?: string,
  ): Promise<DriverResult> {
    const state = this.stateWith(user, located, value);
    const action = actionFor(located.found, value, this.fake.ids.messageTs(), override);
    const payload = blockActionsPayload(this.context(user), {
      surface: located.surface,
      action,
      state,
      triggerId: this.fake.issueTriggerId(user.id),
    });
    return this.exchange(this.interaction('block_actions', payload), {});
  }

  /** Fills inputs of a modal (by block_id) without submitting, as a person typing would. */
  fillView(input: { user: string; viewId?: string; values: Record<string, FieldValue> }): FakeView {
    const user = this.user(input.user);
    const view = this.modalOf(user, input.viewId);
    const live = this.fake.workspace.views.get(view.id) ?? view;
    const inputs = inputBlocks(live.blocks);
    for (const [blockId, value] of Object.entries(input.values)) {
      const target = inputs.find((i) => i.block.block_id === blockId);
      if (target === undefined) {
        throw new Error(
          `driver: modal ${live.id} has no input block "${blockId}"; input blocks: ${inputs.map((i) => i.block.block_id).join(', ') || '(none)'}`,
        );
      }
      live.state.values[blockId] = {
        ...live.state.values[blockId],
        [target.element.action_id]: toStateValue(target.element, value, this.lookups(user)),
      };
    }
    return live;
  }

  /**
   * Fills and submits the user's top modal (or `viewId`) and applies the app's answer to the
   * modal stack the way Slack does: no body closes it, `errors` stay on the view (`view.errors`),
   * `update`, `push` and `clear` change the stack.
   */
  async submitView(input: {
    user: string;
    viewId?: string;
    values?: Record<string, FieldValue>;
  }): Promise<SubmissionResult> {
    const user = this.user(input.user);
    const view = this.fillView({
      user: user.id,
      ...(input.viewId === undefined ? {} : { viewId: input.viewId }),
      values: input.values ?? {},
    });
    if (this.fake.topModal(user.id)?.id !== view.id) {
      throw new SlackClientRefusal(
        `driver: modal ${view.id} is covered by another modal; only the top one can be submitted`,
      );
    }
    if (view.submit === null) throw new SlackClientRefusal(`driver: modal ${view.id} has no submit button`);
    const state = completeState(view.blocks, view.state.values);
    const refused = clientSideErrors(view.blocks, state);
    if (Object.keys(refused).length > 0) {
      throw new SlackClientRefusal(
        `driver: the Slack client refuses to submit: ${JSON.stringify(refused)}`,
        refused,
      );
    }
    const responseUrls = inputBlocks(view.blocks).flatMap(({ block, element }) => {
      if (element.response_url_enabled !== true) return [];
      const picked = state[block.block_id]?.[element.action_id];
      const channelId = picked?.selected_conversation ?? picked?.selected_channel;
      if (channelId === undefined || channelId === null) return [];
      return [
        {
          block_id: block.block_id,
          action_id: element.action_id,
          channel_id: channelId,
          response_url: this.fake.issueResponseUrl({ channelId, userId: user.id }),
        },
      ];
    });
    const payload = viewSubmissionPayload(this.context(user), {
      view,
      state,
      triggerId: this.fake.issueTriggerId(user.id),
      responseUrls,
    });
    let outcome: SubmissionOutcome = 'not_acknowledged';
    let errors: Record<string, string> | undefined;
    const result = await this.exchange(this.interaction('view_submission', payload), {}, (status, body) => {
      if (status !== 200) return;
      const applied = this.applyResponseAction(user, view, body);
      outcome = applied.outcome;
      errors = applied.errors;
    });
    return { ...result, outcome, ...(errors === undefined ? {} : { errors }) };
  }

  private applyResponseAction(
    user: FakeUser,
    view: FakeView,
    body: JsonValue | undefined,
  ): { outcome: SubmissionOutcome; errors?: Record<string, string> } {
    const ws = this.fake.workspace;
    if (
      body === undefined ||
      body === '' ||
      (typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0)
    ) {
      ws.closeTopModal(user.id);
      return { outcome: 'closed' };
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new SlackRejectedResponseError(
        `view_submission: Slack cannot use the answer ${JSON.stringify(body)}`,
      );
    }
    switch (body.response_action) {
      case 'errors': {
        const errors = body.errors;
        if (errors === null || typeof errors !== 'object' || Array.isArray(errors)) {
          throw new SlackRejectedResponseError(
            'view_submission: response_action "errors" needs an `errors` object',
          );
        }
        const inputIds = new Set(inputBlocks(view.blocks).map((i) => i.block.block_id));
        const result: Record<string, string> = {};
        for (const [blockId, message] of Object.entries(errors)) {
          if (!inputIds.has(blockId)) {
            throw new SlackRejectedResponseError(
              `view_submission: errors name block "${blockId}", which is not an input block of the view (inputs: ${[...inputIds].join(', ')})`,
            );
          }
          if (typeof message !== 'string')
            throw new SlackRejectedResponseError(`view_submission: error for "${blockId}" must be text`);
          result[blockId] = message;
        }
        ws.setViewErrors(view.id, result);
        return { outcome: 'errors', errors: result };
      }
      case 'update': {
        const checked = validateView(body.view, this.fake.ids, 'modal');
        if (!checked.ok)
          throw new SlackRejectedResponseError(
            `view_submission update: ${checked.error} ${formatProblems(checked.problems).join(' ')}`,
          );
        ws.replaceView(ws.views.get(view.id) ?? view, checked.view);
        return { outcome: 'updated' };
      }
      case 'push': {
        const checked = validateView(body.view, this.fake.ids, 'modal');
        if (!checked.ok)
          throw new SlackRejectedResponseError(
            `view_submission push: ${checked.error} ${formatProblems(checked.problems).join(' ')}`,
          );
        const pushed = ws.pushModal(user.id, checked.view);
        if (!pushed.ok) throw new SlackRejectedResponseError(`view_submission push: ${pushed.error}`);
        return { outcome: 'pushed' };
      }
      case 'clear':
        ws.closeAllModals(user.id);
        return { outcome: 'cleared' };
      default:
        throw new SlackRejectedResponseError(`view_submission: unknown answer ${JSON.stringify(body)}`);
    }
  }

  /**
   * Closes the user's top modal (or the whole stack with `all`, or when the view has
   * `clear_on_close`). Slack tells the app only when the view asked (`notify_on_close`), so this
   * returns undefined otherwise.
   */
  async closeView(input: {
    user: string;
    viewId?: string;
    all?: boolean;
  }): Promise<DriverResult | undefined> {
    const user = this.user(input.user);
    const view = this.modalOf(user, input.viewId);
    if (this.fake.topModal(user.id)?.id !== view.id) {
      throw new SlackClientRefusal(
        `driver: modal ${view.id} is covered by another modal; only the top one can be closed`,
      );
    }
    const all = input.all === true || view.clear_on_close;
    if (all) this.fake.workspace.closeAllModals(user.id);
    else this.fake.workspace.closeTopModal(user.id);
    if (!view.notify_on_close) return undefined;
    const payload = viewClosedPayload(this.context(user), { view, isCleared: all });
    return this.exchange(this.interaction('view_closed', payload), {});
  }

  /** Opens the app's Home tab (or its Messages tab), which sends `app_home_opened`. */
  async openHome(userId: string, options: { tab?: 'home' | 'messages' } = {}): Promise<DriverResult> {
    const user = this.user(userId);
    const home = this.fake.home(user.id);
    const event = appHomeOpenedEvent({
      user: user.id,
      channel: this.fake.dmChannelOf(user.id),
      tab: options.tab ?? 'home',
      ...(home === undefined ? {} : { view: home }),
      eventTs: this.fake.ids.messageTs(),
    });
    return this.sendEvent(event);
  }

  /** Delivers any Events API event wrapped in an `event_callback` envelope. */
  async sendEvent(event: JsonObject, options: DeliverOptions = {}): Promise<DriverResult> {
    const payload = eventCallback(this.fake.identity, {
      event,
      eventId: this.fake.ids.id('event'),
      eventTime: Math.floor(this.fake.now() / 1000),
    });
    return this.exchange(this.json('event_callback', payload), options);
  }

  /** Slack's URL verification handshake; the app must echo the challenge. */
  async urlVerification(challenge = 'fake-challenge-' + this.fake.ids.secret()): Promise<DriverResult> {
    return this.exchange(this.json('url_verification', urlVerificationPayload(challenge)), {});
  }

  /** Types into an external select, which asks the app for options (`block_suggestion`). */
  async suggest(input: ElementLocation & { viewId?: string; value: string }): Promise<SuggestionResult> {
    const user = this.user(input.user);
    const located = this.locate(user, input.viewId === undefined ? input : { ...input, view: input.viewId });
    const { element, block } = located.found;
    if (element.type !== 'external_select' && element.type !== 'multi_external_select') {
      throw new Error(
        `driver: "${element.action_id}" is a ${element.type}; only external selects ask for options`,
      );
    }
    const minLength = typeof element.min_query_length === 'number' ? element.min_query_length : 3;
    if (input.value.length < minLength) {
      throw new SlackClientRefusal(`driver: Slack asks for options only after ${minLength} characters`);
    }
    const payload = blockSuggestionPayload(this.context(user), {
      surface: located.surface,
      blockId: block.block_id,
      actionId: element.action_id,
      value: input.value,
      state: this.stateWith(user, located, undefined),
    });
    let options: Option[] = [];
    const result = await this.exchange(this.interaction('block_suggestion', payload), {}, (status, body) => {
      if (status !== 200) return;
      const parsed = suggestionResponse.safeParse(body);
      if (!parsed.success) {
        throw new SlackRejectedResponseError(
          `block_suggestion: Slack cannot show the options ${JSON.stringify(body)}: ${parsed.error.message}`,
        );
      }
      options =
        'options' in parsed.data ? parsed.data.options : parsed.data.option_groups.flatMap((g) => g.options);
      this.fake.workspace.rememberSuggestions(`${user.id}:${element.action_id}`, options);
    });
    return { ...result, options };
  }

  /** Runs a global shortcut (the lightning-bolt menu). */
  async shortcut(input: { user: string; callbackId: string }): Promise<DriverResult> {
    const user = this.user(input.user);
    const payload = globalShortcutPayload(this.context(user), {
      callbackId: input.callbackId,
      triggerId: this.fake.issueTriggerId(user.id),
      actionTs: this.fake.ids.messageTs(),
    });
    return this.exchange(this.interaction('shortcut', payload), {});
  }

  /** Runs a message shortcut on a channel message. */
  async messageShortcut(input: {
    user: string;
    callbackId: string;
    message: MessageRef;
  }): Promise<DriverResult> {
    const user = this.user(input.user);
    const m = this.messageSurface(user, input.message);
    if (m.message === undefined)
      throw new SlackClientRefusal('driver: message shortcuts cannot run on ephemeral messages');
    const payload = messageShortcutPayload(this.context(user), {
      callbackId: input.callbackId,
      triggerId: this.fake.issueTriggerId(user.id),
      actionTs: this.fake.ids.messageTs(),
      channel: m.channel,
      message: m.message,
      responseUrl: this.fake.issueResponseUrl({ channelId: m.channel.id, userId: user.id }),
    });
    return this.exchange(this.interaction('message_action', payload), {});
  }
}

function parseBody(text: string): JsonValue | undefined {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}
