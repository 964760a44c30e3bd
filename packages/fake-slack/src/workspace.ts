/**
 * The state of the fake workspace and the rules Slack applies to it, one concept a module under
 * workspace/: the directory, messages, views, trigger ids, response URLs and files. This class puts
 * them together behind one surface. No IO: the clock and ids are injected and every refusal is
 * returned as a value in Slack's words.
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
  MessageSource,
  NewFakeChannel,
  NewFakeUser,
  Option,
  ViewStateValues,
} from './types.js';
import type { WorkspaceContext, WorkspaceIdentity } from './workspace/context.js';
import { WorkspaceDirectory } from './workspace/directory.js';
import { WorkspaceFiles } from './workspace/files.js';
import { WorkspaceMessages, type MessageContent } from './workspace/messages.js';
import type { Outcome, Refusal } from './workspace/outcome.js';
import { ResponseUrls, type ResponseUrlOrigin } from './workspace/response-urls.js';
import { TriggerIds } from './workspace/trigger-ids.js';
import { WorkspaceViews } from './workspace/views.js';

export type { WorkspaceIdentity } from './workspace/context.js';
export { MAX_MESSAGE_TEXT, type MessageContent } from './workspace/messages.js';
export { refuse, type Outcome, type Refusal } from './workspace/outcome.js';
export {
  RESPONSE_URL_LIFETIME_MS,
  RESPONSE_URL_MAX_POSTS,
  type ResponseUrlOrigin,
} from './workspace/response-urls.js';
export { TRIGGER_LIFETIME_MS } from './workspace/trigger-ids.js';
export { MODAL_STACK_LIMIT } from './workspace/views.js';

export class FakeWorkspace {
  private readonly ctx: WorkspaceContext;
  private readonly directory: WorkspaceDirectory;
  private readonly conversations: WorkspaceMessages;
  private readonly triggers: TriggerIds;
  private readonly responseUrls: ResponseUrls;
  private readonly viewState: WorkspaceViews;
  private readonly uploads: WorkspaceFiles;

  constructor(identity: WorkspaceIdentity, ids: IdFactory, now: () => number) {
    this.ctx = { identity, ids, now, baseUrl: 'http://127.0.0.1' };
    this.directory = new WorkspaceDirectory(this.ctx);
    this.conversations = new WorkspaceMessages(this.ctx);
    this.triggers = new TriggerIds(this.ctx);
    this.responseUrls = new ResponseUrls(this.ctx);
    this.viewState = new WorkspaceViews(this.ctx);
    this.uploads = new WorkspaceFiles(this.ctx, this.conversations);
  }

  get identity(): WorkspaceIdentity {
    return this.ctx.identity;
  }

  get baseUrl(): string {
    return this.ctx.baseUrl;
  }

  set baseUrl(value: string) {
    this.ctx.baseUrl = value;
  }

  // ---------------------------------------------------------------- directory

  get users(): Map<string, FakeUser> {
    return this.directory.users;
  }

  get channels(): Map<string, FakeChannel> {
    return this.directory.channels;
  }

  addUser(input: NewFakeUser): FakeUser {
    return this.directory.addUser(input);
  }

  updateUser(id: string, changes: Partial<Omit<FakeUser, 'id' | 'team_id'>>): FakeUser {
    return this.directory.updateUser(id, changes);
  }

  addChannel(input: NewFakeChannel): FakeChannel {
    return this.directory.addChannel(input);
  }

  isMember(channel: FakeChannel, userId: string): boolean {
    return this.directory.isMember(channel, userId);
  }

  imWith(userId: string): FakeChannel {
    return this.directory.imWith(userId);
  }

  mpimWith(userIds: string[]): FakeChannel {
    return this.directory.mpimWith(userIds);
  }

  resolveConversation(ref: string): FakeChannel | undefined {
    return this.directory.resolveConversation(ref);
  }

  checkBotCanPost(channel: FakeChannel, scopes: readonly string[]): Refusal | undefined {
    return this.directory.checkBotCanPost(channel, scopes);
  }

  // ---------------------------------------------------------------- messages

  get messagesByChannel(): Map<string, FakeMessage[]> {
    return this.conversations.messagesByChannel;
  }

  get ephemerals(): FakeEphemeral[] {
    return this.conversations.ephemerals;
  }

  set ephemerals(value: FakeEphemeral[]) {
    this.conversations.ephemerals = value;
  }

  messages(channelId: string): FakeMessage[] {
    return this.conversations.messages(channelId);
  }

  findMessage(channelId: string, ts: string): FakeMessage | undefined {
    return this.conversations.findMessage(channelId, ts);
  }

  postBotMessage(channelId: string, content: MessageContent, source: MessageSource): FakeMessage {
    return this.conversations.postBotMessage(channelId, content, source);
  }

  postUserMessage(channelId: string, userId: string, text: string, threadTs?: string): FakeMessage {
    return this.conversations.postUserMessage(channelId, userId, text, threadTs);
  }

  updateBotMessage(channelId: string, ts: string, content: MessageContent): Outcome<FakeMessage> {
    return this.conversations.updateBotMessage(channelId, ts, content);
  }

  deleteBotMessage(channelId: string, ts: string): Outcome<FakeMessage> {
    return this.conversations.deleteBotMessage(channelId, ts);
  }

  addEphemeral(
    channelId: string,
    userId: string,
    content: MessageContent,
    source: MessageSource,
  ): FakeEphemeral {
    return this.conversations.addEphemeral(channelId, userId, content, source);
  }

  findEphemeral(channelId: string, userId: string, ts: string): FakeEphemeral | undefined {
    return this.conversations.findEphemeral(channelId, userId, ts);
  }

  messageStateFor(channelId: string, ts: string, userId: string): ViewStateValues {
    return this.conversations.messageStateFor(channelId, ts, userId);
  }

  // ---------------------------------------------------------------- trigger ids and response URLs

  issueTrigger(userId: string): string {
    return this.triggers.issueTrigger(userId);
  }

  exchangeTrigger(triggerId: string): Outcome<{ userId: string }> {
    return this.triggers.exchangeTrigger(triggerId);
  }

  issueResponseUrl(origin: ResponseUrlOrigin): string {
    return this.responseUrls.issueResponseUrl(origin);
  }

  useResponseUrl(secret: string): Outcome<ResponseUrlOrigin> {
    return this.responseUrls.useResponseUrl(secret);
  }

  // ---------------------------------------------------------------- views

  get views(): Map<string, FakeView> {
    return this.viewState.views;
  }

  get modalStacks(): Map<string, string[]> {
    return this.viewState.modalStacks;
  }

  get homes(): Map<string, string> {
    return this.viewState.homes;
  }

  modalStack(userId: string): FakeView[] {
    return this.viewState.modalStack(userId);
  }

  topModal(userId: string): FakeView | undefined {
    return this.viewState.topModal(userId);
  }

  home(userId: string): FakeView | undefined {
    return this.viewState.home(userId);
  }

  checkExternalId(valid: ValidView, exceptViewId?: string): Refusal | undefined {
    return this.viewState.checkExternalId(valid, exceptViewId);
  }

  openModal(userId: string, valid: ValidView): FakeView {
    return this.viewState.openModal(userId, valid);
  }

  pushModal(userId: string, valid: ValidView): Outcome<FakeView> {
    return this.viewState.pushModal(userId, valid);
  }

  findView(ref: { viewId?: string; externalId?: string }): FakeView | undefined {
    return this.viewState.findView(ref);
  }

  replaceView(view: FakeView, valid: ValidView): FakeView {
    return this.viewState.replaceView(view, valid);
  }

  publishHome(userId: string, valid: ValidView, hash: string | undefined): Outcome<FakeView> {
    return this.viewState.publishHome(userId, valid, hash);
  }

  closeTopModal(userId: string): FakeView | undefined {
    return this.viewState.closeTopModal(userId);
  }

  closeAllModals(userId: string): FakeView[] {
    return this.viewState.closeAllModals(userId);
  }

  setViewErrors(viewId: string, errors: Record<string, string>): void {
    this.viewState.setViewErrors(viewId, errors);
  }

  rememberSuggestions(key: string, options: Option[]): void {
    this.viewState.rememberSuggestions(key, options);
  }

  suggestions(key: string): Option[] {
    return this.viewState.suggestions(key);
  }

  // ---------------------------------------------------------------- files

  get files(): Map<string, FakeFile> {
    return this.uploads.files;
  }

  createUpload(filename: string, length: number): FakeFile {
    return this.uploads.createUpload(filename, length);
  }

  receiveUpload(fileId: string, content: Buffer): Outcome<FakeFile> {
    return this.uploads.receiveUpload(fileId, content);
  }

  completeUploads(
    entries: { id: string; title?: string }[],
    channel: FakeChannel | undefined,
    initialComment: string | undefined,
    threadTs: string | undefined,
  ): Outcome<FakeFile[]> {
    return this.uploads.completeUploads(entries, channel, initialComment, threadTs);
  }

  addUserFile(userId: string, name: string, content: Buffer, mimetype?: string): FakeFile {
    return this.uploads.addUserFile(userId, name, content, mimetype);
  }

  /** Forgets activity (messages, views, files, triggers); the directory stays. */
  clearActivity(): void {
    this.conversations.clear();
    this.viewState.clear();
    this.uploads.clear();
    this.triggers.clear();
    this.responseUrls.clear();
  }
}
