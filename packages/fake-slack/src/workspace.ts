/**
 * The state of the fake workspace (directory, conversations, views, files, triggers and
 * response URLs) and the rules Slack applies to it. No IO: the clock and ids are injected and
 * every refusal is returned as a value in Slack's words.
 */
import type { ValidView } from './block-kit/validate.js';
import type { IdFactory } from './ids.js';
import type {
  FakeChannel,
  FakeEphemeral,
  FakeFile,
  FakeMessage,
  FakeUser,
  FakeView,
  JsonObject,
  JsonValue,
  MessageSource,
  NewFakeChannel,
  NewFakeUser,
  Option,
  SlackBlock,
  ViewStateValues,
} from './types.js';

export interface WorkspaceIdentity {
  teamId: string;
  teamName: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  botName: string;
  appId: string;
}

export interface Refusal {
  ok: false;
  error: string;
  extra?: JsonObject;
}

export type Outcome<T> = { ok: true; value: T } | Refusal;

export const refuse = (error: string, extra?: JsonObject): Refusal =>
  extra === undefined ? { ok: false, error } : { ok: false, error, extra };
const accept = <T>(value: T): Outcome<T> => ({ ok: true, value });

export const TRIGGER_LIFETIME_MS = 3000;
export const MODAL_STACK_LIMIT = 3;
export const RESPONSE_URL_MAX_POSTS = 5;
export const RESPONSE_URL_LIFETIME_MS = 30 * 60 * 1000;
export const MAX_MESSAGE_TEXT = 40_000;

interface IssuedTrigger {
  userId: string;
  issuedAt: number;
  used: boolean;
}

/** Where a response_url came from: who triggered it, where, and which message (for replace/delete). */
export interface ResponseUrlOrigin {
  channelId: string;
  userId: string;
  message?: { ts: string; ephemeral: boolean };
}

interface IssuedResponseUrl extends ResponseUrlOrigin {
  issuedAt: number;
  posts: number;
}

export interface MessageContent {
  text: string;
  blocks?: SlackBlock[];
  thread_ts?: string;
  metadata?: JsonValue;
}

export class FakeWorkspace {
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly messagesByChannel = new Map<string, FakeMessage[]>();
  ephemerals: FakeEphemeral[] = [];
  readonly views = new Map<string, FakeView>();
  /** Open modals per user, bottom to top. */
  readonly modalStacks = new Map<string, string[]>();
  readonly homes = new Map<string, string>();
  readonly files = new Map<string, FakeFile>();
  private readonly triggers = new Map<string, IssuedTrigger>();
  private readonly responseUrls = new Map<string, IssuedResponseUrl>();
  /** Values a user has picked in stateful elements of a message (Slack sends them as `state`). */
  private readonly messageStates = new Map<string, ViewStateValues>();
  /** Options the app offered for external selects, to resolve a picked value to its text. */
  private readonly suggestedOptions = new Map<string, Option[]>();
  baseUrl = 'http://127.0.0.1';

  constructor(
    readonly identity: WorkspaceIdentity,
    private readonly ids: IdFactory,
    private readonly now: () => number,
  ) {}

  // ---------------------------------------------------------------- directory

  addUser(input: NewFakeUser): FakeUser {
    const id = input.id ?? this.ids.id('user');
    const realName = input.real_name ?? input.name;
    const user: FakeUser = {
      id,
      team_id: this.identity.teamId,
      name: input.name,
      real_name: realName,
      tz: input.tz ?? 'Europe/London',
      is_bot: input.is_bot ?? false,
      deleted: input.deleted ?? false,
      is_admin: input.is_admin ?? false,
      profile: {
        ...(input.email === undefined ? {} : { email: input.email }),
        real_name: realName,
        display_name: input.display_name ?? input.name,
        title: input.title ?? '',
        image_72: `https://avatars.example.invalid/${id}_72.png`,
      },
    };
    this.users.set(id, user);
    return user;
  }

  updateUser(id: string, changes: Partial<Omit<FakeUser, 'id' | 'team_id'>>): FakeUser {
    const user = this.users.get(id);
    if (user === undefined) throw new Error(`fake Slack: no user ${id}`);
    const updated = { ...user, ...changes, profile: { ...user.profile, ...changes.profile } };
    this.users.set(id, updated);
    return updated;
  }

  addChannel(input: NewFakeChannel): FakeChannel {
    const channel: FakeChannel = {
      id: input.id ?? this.ids.id('channel'),
      name: input.name.replace(/^#/, ''),
      kind: input.isPrivate ? 'private' : 'public',
      members: input.members ?? null,
      botIsMember: input.botIsMember ?? true,
      created: Math.floor(this.now() / 1000),
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  isMember(channel: FakeChannel, userId: string): boolean {
    if (channel.kind === 'im') return channel.user === userId;
    const user = this.users.get(userId);
    if (user === undefined || user.deleted) return false;
    return channel.members === null || channel.members.includes(userId);
  }

  /** The app's DM with a user, opened on first use like `conversations.open` does. */
  imWith(userId: string): FakeChannel {
    for (const channel of this.channels.values()) {
      if (channel.kind === 'im' && channel.user === userId) return channel;
    }
    const channel: FakeChannel = {
      id: this.ids.id('im'),
      name: userId,
      kind: 'im',
      members: [userId],
      botIsMember: true,
      user: userId,
      created: Math.floor(this.now() / 1000),
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  mpimWith(userIds: string[]): FakeChannel {
    const sorted = [...userIds].sort();
    for (const channel of this.channels.values()) {
      if (
        channel.kind === 'mpim' &&
        JSON.stringify([...(channel.members ?? [])].sort()) === JSON.stringify(sorted)
      ) {
        return channel;
      }
    }
    const names = sorted.map((id) => this.users.get(id)?.name ?? id);
    const channel: FakeChannel = {
      id: this.ids.id('mpim'),
      name: `mpdm-${names.join('--')}-1`,
      kind: 'mpim',
      members: sorted,
      botIsMember: true,
      created: Math.floor(this.now() / 1000),
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** A channel id, a user id (-> the DM with that user) or a channel name (with or without `#`). */
  resolveConversation(ref: string): FakeChannel | undefined {
    const byId = this.channels.get(ref);
    if (byId !== undefined) return byId;
    if (this.users.has(ref)) return this.imWith(ref);
    const name = ref.replace(/^#/, '');
    for (const channel of this.channels.values()) {
      if (channel.kind !== 'im' && channel.name === name) return channel;
    }
    return undefined;
  }

  /** Whether the bot may post into the channel, given its scopes (Slack's membership rules). */
  checkBotCanPost(channel: FakeChannel, scopes: readonly string[]): Refusal | undefined {
    if (channel.botIsMember) return undefined;
    if (channel.kind === 'public') {
      return scopes.includes('chat:write.public') ? undefined : refuse('not_in_channel');
    }
    return refuse('channel_not_found');
  }

  // ---------------------------------------------------------------- messages

  messages(channelId: string): FakeMessage[] {
    return this.messagesByChannel.get(channelId) ?? [];
  }

  findMessage(channelId: string, ts: string): FakeMessage | undefined {
    return this.messages(channelId).find((m) => m.ts === ts);
  }

  postBotMessage(channelId: string, content: MessageContent, source: MessageSource): FakeMessage {
    const message: FakeMessage = {
      type: 'message',
      channel: channelId,
      ts: this.ids.messageTs(),
      text: content.text,
      ...(content.blocks === undefined ? {} : { blocks: content.blocks }),
      user: this.identity.botUserId,
      bot_id: this.identity.botId,
      app_id: this.identity.appId,
      team: this.identity.teamId,
      ...(content.thread_ts === undefined ? {} : { thread_ts: content.thread_ts }),
      ...(content.metadata === undefined ? {} : { metadata: content.metadata }),
      source,
    };
    this.appendMessage(message);
    return message;
  }

  /** A message typed by a person (e.g. something to run a message shortcut on). */
  postUserMessage(channelId: string, userId: string, text: string, threadTs?: string): FakeMessage {
    const message: FakeMessage = {
      type: 'message',
      channel: channelId,
      ts: this.ids.messageTs(),
      text,
      user: userId,
      team: this.identity.teamId,
      ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
      source: 'user',
    };
    this.appendMessage(message);
    return message;
  }

  private appendMessage(message: FakeMessage): void {
    const list = this.messagesByChannel.get(message.channel) ?? [];
    list.push(message);
    this.messagesByChannel.set(message.channel, list);
  }

  updateBotMessage(channelId: string, ts: string, content: MessageContent): Outcome<FakeMessage> {
    const list = this.messages(channelId);
    const index = list.findIndex((m) => m.ts === ts);
    const existing = list[index];
    if (existing === undefined) return refuse('message_not_found');
    if (existing.bot_id !== this.identity.botId) return refuse('cant_update_message');
    const updated: FakeMessage = {
      ...existing,
      text: content.text,
      edited: { user: this.identity.botUserId, ts: this.ids.messageTs() },
    };
    if (content.blocks === undefined) delete updated.blocks;
    else updated.blocks = content.blocks;
    if (content.metadata !== undefined) updated.metadata = content.metadata;
    list[index] = updated;
    return accept(updated);
  }

  deleteBotMessage(channelId: string, ts: string): Outcome<FakeMessage> {
    const list = this.messages(channelId);
    const index = list.findIndex((m) => m.ts === ts);
    const existing = list[index];
    if (existing === undefined) return refuse('message_not_found');
    if (existing.bot_id !== this.identity.botId) return refuse('cant_delete_message');
    list.splice(index, 1);
    return accept(existing);
  }

  addEphemeral(
    channelId: string,
    userId: string,
    content: MessageContent,
    source: MessageSource,
  ): FakeEphemeral {
    const ephemeral: FakeEphemeral = {
      channel: channelId,
      user: userId,
      message_ts: this.ids.messageTs(),
      text: content.text,
      ...(content.blocks === undefined ? {} : { blocks: content.blocks }),
      ...(content.thread_ts === undefined ? {} : { thread_ts: content.thread_ts }),
      source,
    };
    this.ephemerals.push(ephemeral);
    return ephemeral;
  }

  findEphemeral(channelId: string, userId: string, ts: string): FakeEphemeral | undefined {
    return this.ephemerals.find((e) => e.channel === channelId && e.user === userId && e.message_ts === ts);
  }

  messageStateFor(channelId: string, ts: string, userId: string): ViewStateValues {
    const key = `${channelId}:${ts}:${userId}`;
    const state = this.messageStates.get(key) ?? {};
    this.messageStates.set(key, state);
    return state;
  }

  // ---------------------------------------------------------------- triggers and response URLs

  issueTrigger(userId: string): string {
    const id = this.ids.triggerId();
    this.triggers.set(id, { userId, issuedAt: this.now(), used: false });
    return id;
  }

  /** Spends a trigger the way `views.open|push` do: once, within 3 seconds. */
  exchangeTrigger(triggerId: string): Outcome<{ userId: string }> {
    if (!/^\d+\.\d+\.[0-9a-f]+$/.test(triggerId)) return refuse('invalid_trigger_id');
    const trigger = this.triggers.get(triggerId);
    if (trigger === undefined) return refuse('invalid_trigger_id');
    if (trigger.used) return refuse('exchanged_trigger_id');
    if (this.now() - trigger.issuedAt > TRIGGER_LIFETIME_MS) return refuse('expired_trigger_id');
    trigger.used = true;
    return accept({ userId: trigger.userId });
  }

  issueResponseUrl(origin: ResponseUrlOrigin): string {
    const secret = this.ids.secret();
    this.responseUrls.set(secret, { ...origin, issuedAt: this.now(), posts: 0 });
    return `${this.baseUrl}/response/${secret}`;
  }

  /** Counts one post to a response_url; Slack allows five within thirty minutes. */
  useResponseUrl(secret: string): Outcome<ResponseUrlOrigin> {
    const issued = this.responseUrls.get(secret);
    if (issued === undefined) return refuse('invalid_url');
    if (this.now() - issued.issuedAt > RESPONSE_URL_LIFETIME_MS) return refuse('expired_url');
    if (issued.posts >= RESPONSE_URL_MAX_POSTS) return refuse('used_url');
    issued.posts += 1;
    return accept({
      channelId: issued.channelId,
      userId: issued.userId,
      ...(issued.message === undefined ? {} : { message: issued.message }),
    });
  }

  // ---------------------------------------------------------------- views

  modalStack(userId: string): FakeView[] {
    return (this.modalStacks.get(userId) ?? []).flatMap((id) => {
      const view = this.views.get(id);
      return view === undefined ? [] : [view];
    });
  }

  topModal(userId: string): FakeView | undefined {
    return this.modalStack(userId).at(-1);
  }

  home(userId: string): FakeView | undefined {
    const id = this.homes.get(userId);
    return id === undefined ? undefined : this.views.get(id);
  }

  private externalIdTaken(externalId: string, exceptViewId?: string): boolean {
    if (externalId === '') return false;
    for (const view of this.views.values()) {
      if (view.external_id === externalId && view.id !== exceptViewId) return true;
    }
    return false;
  }

  private newView(
    userId: string,
    valid: ValidView,
    rootId: string | undefined,
    previousId: string | null,
  ): FakeView {
    const id = this.ids.id('view');
    const view: FakeView = {
      id,
      team_id: this.identity.teamId,
      type: valid.type,
      user: userId,
      callback_id: valid.callback_id,
      private_metadata: valid.private_metadata,
      external_id: valid.external_id,
      title: valid.title,
      submit: valid.submit,
      close: valid.close,
      blocks: valid.blocks,
      clear_on_close: valid.clear_on_close,
      notify_on_close: valid.notify_on_close,
      hash: this.ids.viewHash(),
      root_view_id: rootId ?? id,
      previous_view_id: previousId,
      app_id: this.identity.appId,
      bot_id: this.identity.botId,
      state: { values: {} },
    };
    this.views.set(id, view);
    return view;
  }

  checkExternalId(valid: ValidView, exceptViewId?: string): Refusal | undefined {
    return this.externalIdTaken(valid.external_id, exceptViewId)
      ? refuse('duplicate_external_id')
      : undefined;
  }

  /** A new modal replaces whatever the user had open (the Slack client only shows one stack). */
  openModal(userId: string, valid: ValidView): FakeView {
    this.closeAllModals(userId);
    const view = this.newView(userId, valid, undefined, null);
    this.modalStacks.set(userId, [view.id]);
    return view;
  }

  pushModal(userId: string, valid: ValidView): Outcome<FakeView> {
    const stack = this.modalStacks.get(userId) ?? [];
    const top = stack.at(-1);
    if (top === undefined) return refuse('not_found');
    if (stack.length >= MODAL_STACK_LIMIT) return refuse('push_limit_reached');
    const root = stack[0] ?? top;
    const view = this.newView(userId, valid, root, top);
    stack.push(view.id);
    this.modalStacks.set(userId, stack);
    return accept(view);
  }

  findView(ref: { viewId?: string; externalId?: string }): FakeView | undefined {
    if (ref.viewId !== undefined) return this.views.get(ref.viewId);
    if (ref.externalId !== undefined && ref.externalId !== '') {
      for (const view of this.views.values()) if (view.external_id === ref.externalId) return view;
    }
    return undefined;
  }

  /** Replaces a live view's content in place; inputs that still exist keep what the user typed. */
  replaceView(view: FakeView, valid: ValidView): FakeView {
    const kept: ViewStateValues = {};
    for (const block of valid.blocks) {
      const previous = view.state.values[block.block_id];
      if (previous === undefined) continue;
      const element = block.element as { action_id?: string } | undefined;
      const actionIds = new Set<string>();
      if (element?.action_id !== undefined) actionIds.add(element.action_id);
      const accessory = block.accessory as { action_id?: string } | undefined;
      if (accessory?.action_id !== undefined) actionIds.add(accessory.action_id);
      const elements = Array.isArray(block.elements) ? (block.elements as { action_id?: string }[]) : [];
      for (const e of elements) if (e.action_id !== undefined) actionIds.add(e.action_id);
      const entries = Object.entries(previous).filter(([actionId]) => actionIds.has(actionId));
      if (entries.length > 0) kept[block.block_id] = Object.fromEntries(entries);
    }
    const updated: FakeView = {
      ...view,
      callback_id: valid.callback_id,
      private_metadata: valid.private_metadata,
      external_id: valid.external_id,
      title: valid.title,
      submit: valid.submit,
      close: valid.close,
      blocks: valid.blocks,
      clear_on_close: valid.clear_on_close,
      notify_on_close: valid.notify_on_close,
      hash: this.ids.viewHash(),
      state: { values: kept },
    };
    delete updated.errors;
    this.views.set(view.id, updated);
    return updated;
  }

  publishHome(userId: string, valid: ValidView, hash: string | undefined): Outcome<FakeView> {
    const current = this.home(userId);
    if (hash !== undefined && hash !== '' && current?.hash !== hash) return refuse('hash_conflict');
    if (current !== undefined) return accept(this.replaceView(current, valid));
    const view = this.newView(userId, valid, undefined, null);
    this.homes.set(userId, view.id);
    return accept(view);
  }

  /** Closes the top modal (what Slack does when a submission is acknowledged without a body). */
  closeTopModal(userId: string): FakeView | undefined {
    const stack = this.modalStacks.get(userId) ?? [];
    const top = stack.pop();
    if (top === undefined) return undefined;
    const view = this.views.get(top);
    this.views.delete(top);
    if (stack.length === 0) this.modalStacks.delete(userId);
    return view;
  }

  closeAllModals(userId: string): FakeView[] {
    const closed: FakeView[] = [];
    for (const id of this.modalStacks.get(userId) ?? []) {
      const view = this.views.get(id);
      if (view !== undefined) closed.push(view);
      this.views.delete(id);
    }
    this.modalStacks.delete(userId);
    return closed;
  }

  setViewErrors(viewId: string, errors: Record<string, string>): void {
    const view = this.views.get(viewId);
    if (view !== undefined) this.views.set(viewId, { ...view, errors });
  }

  rememberSuggestions(key: string, options: Option[]): void {
    this.suggestedOptions.set(key, options);
  }

  suggestions(key: string): Option[] {
    return this.suggestedOptions.get(key) ?? [];
  }

  // ---------------------------------------------------------------- files

  private newFile(name: string, title: string, size: number, userId: string, mimetype: string): FakeFile {
    const id = this.ids.id('file');
    const extension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? 'binary';
    const file: FakeFile = {
      id,
      name,
      title,
      mimetype,
      filetype: extension,
      size,
      user: userId,
      created: Math.floor(this.now() / 1000),
      uploaded: false,
      completed: false,
      channels: [],
      url_private: `${this.baseUrl}/files/${id}/${encodeURIComponent(name)}`,
      url_private_download: `${this.baseUrl}/files/${id}/download/${encodeURIComponent(name)}`,
      permalink: `https://${this.identity.teamDomain}.slack.com/files/${userId}/${id}/${encodeURIComponent(name)}`,
    };
    this.files.set(id, file);
    return file;
  }

  createUpload(filename: string, length: number): FakeFile {
    return this.newFile(filename, filename, length, this.identity.botUserId, mimetypeOf(filename));
  }

  receiveUpload(fileId: string, content: Buffer): Outcome<FakeFile> {
    const file = this.files.get(fileId);
    if (file === undefined || file.completed) return refuse('file_not_found');
    file.content = content;
    file.size = content.length;
    file.uploaded = true;
    return accept(file);
  }

  completeUploads(
    entries: { id: string; title?: string }[],
    channel: FakeChannel | undefined,
    initialComment: string | undefined,
    threadTs: string | undefined,
  ): Outcome<FakeFile[]> {
    const files: FakeFile[] = [];
    for (const entry of entries) {
      const file = this.files.get(entry.id);
      if (file === undefined || !file.uploaded) return refuse('file_not_found');
      files.push(file);
    }
    for (const [i, file] of files.entries()) {
      file.completed = true;
      const title = entries[i]?.title;
      if (title !== undefined) file.title = title;
      if (channel !== undefined) file.channels.push(channel.id);
    }
    if (channel !== undefined) {
      const message = this.postBotMessage(
        channel.id,
        { text: initialComment ?? '', ...(threadTs === undefined ? {} : { thread_ts: threadTs }) },
        'files.completeUploadExternal',
      );
      message.files = files.map((f) => ({ id: f.id, name: f.name, title: f.title }));
    }
    return accept(files);
  }

  /** A file a person attached in the Slack client (what a `file_input` submits). */
  addUserFile(userId: string, name: string, content: Buffer, mimetype?: string): FakeFile {
    const file = this.newFile(name, name, content.length, userId, mimetype ?? mimetypeOf(name));
    file.content = content;
    file.uploaded = true;
    file.completed = true;
    return file;
  }

  // ---------------------------------------------------------------- reset

  /** Forgets activity (messages, views, files, triggers); the directory stays. */
  clearActivity(): void {
    this.messagesByChannel.clear();
    this.ephemerals = [];
    this.views.clear();
    this.modalStacks.clear();
    this.homes.clear();
    this.files.clear();
    this.triggers.clear();
    this.responseUrls.clear();
    this.messageStates.clear();
    this.suggestedOptions.clear();
  }
}

const MIME_TYPES: Record<string, string> = {
  csv: 'text/csv',
  txt: 'text/plain',
  json: 'application/json',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
};

function mimetypeOf(name: string): string {
  const extension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  return MIME_TYPES[extension] ?? 'application/octet-stream';
}
