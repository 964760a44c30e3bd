/**
 * A fake Slack Web API over HTTP on loopback. Point a real `WebClient` (or Bolt's
 * `clientOptions.slackApiUrl`) at `apiUrl`; the fake answers like Slack, refuses what Slack
 * refuses, keeps a workspace state and records every call for tests and the sandbox.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IdFactory } from './ids.js';
import { applyMessageResponse, messageResponseSchema } from './message-responses.js';
import { CallLog, type CallListener } from './call-log.js';
import { DEFAULT_BOT_SCOPES, type FakeSlackOptions } from './fake-slack-options.js';
import { FaultQueue, faultReply, type InjectedFault } from './fault-injection.js';
import { parseArguments, readBody, send, sendJson, stringOrUndefined } from './http-messages.js';
import { RateLimiter } from './rate-limiter.js';
import type {
  FakeChannel,
  FakeEphemeral,
  FakeFile,
  FakeMessage,
  FakeUser,
  FakeView,
  JsonObject,
  JsonValue,
  NewFakeChannel,
  NewFakeUser,
  RecordedCall,
} from './types.js';
import { isKnownMethod, rateLimited, runMethod, type ApiReply } from './web-api.js';
import { FakeWorkspace, type ResponseUrlOrigin, type WorkspaceIdentity } from './workspace.js';

export class FakeSlack {
  readonly botToken: string;
  readonly signingSecret: string;
  readonly scopes: readonly string[];
  readonly identity: WorkspaceIdentity;
  readonly workspace: FakeWorkspace;
  readonly ids: IdFactory;
  readonly now: () => number;
  /** The channel every workspace starts with (`#general`). */
  readonly generalChannelId: string;
  private readonly rateLimiter: RateLimiter;
  private readonly requireFallbackText: boolean;
  private readonly callLog: CallLog;
  private readonly faults = new FaultQueue();
  private readonly seed: { users: FakeUser[]; channels: FakeChannel[] };
  private server: Server | undefined;
  private inFlight = 0;
  private lastActivity = performance.now();
  port = 0;

  constructor(options: FakeSlackOptions = {}) {
    this.now = options.now ?? (() => Date.now());
    this.ids = new IdFactory(this.now);
    this.callLog = new CallLog(this.now);
    this.botToken = options.botToken ?? 'xoxb-fake-bot-token';
    this.signingSecret = options.signingSecret ?? 'fake-signing-secret';
    this.scopes = options.scopes ?? DEFAULT_BOT_SCOPES;
    this.identity = {
      teamId: options.teamId ?? 'T0FAKETEAM',
      teamName: options.teamName ?? 'Custodian Test Workspace',
      teamDomain: options.teamDomain ?? 'custodian-test',
      botUserId: options.botUserId ?? 'U0FAKEBOT',
      botId: options.botId ?? 'B0FAKEBOT',
      botName: options.botName ?? 'custodian',
      appId: options.appId ?? 'A0FAKEAPP',
    };
    this.rateLimiter = new RateLimiter(options.rateLimits ?? {});
    this.requireFallbackText = options.requireFallbackText ?? true;
    this.workspace = new FakeWorkspace(this.identity, this.ids, this.now);
    this.workspace.addUser({
      id: this.identity.botUserId,
      name: this.identity.botName,
      real_name: 'Custodian',
      is_bot: true,
    });
    for (const user of options.users ?? []) this.workspace.addUser(user);
    this.generalChannelId = this.workspace.addChannel({ name: 'general' }).id;
    for (const channel of options.channels ?? []) this.workspace.addChannel(channel);
    this.seed = {
      users: [...this.workspace.users.values()].map((u) => structuredClone(u)),
      channels: [...this.workspace.channels.values()].map((c) => structuredClone(c)),
    };
  }

  get teamId(): string {
    return this.identity.teamId;
  }
  get botUserId(): string {
    return this.identity.botUserId;
  }
  get appId(): string {
    return this.identity.appId;
  }
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  /** What to give `clientOptions.slackApiUrl`. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  async listen(port = 0): Promise<void> {
    const server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    this.workspace.baseUrl = this.baseUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  // ------------------------------------------------------------------ directory

  addUser(user: NewFakeUser): FakeUser {
    return this.workspace.addUser(user);
  }
  updateUser(id: string, changes: Partial<Omit<FakeUser, 'id' | 'team_id'>>): FakeUser {
    return this.workspace.updateUser(id, changes);
  }
  user(id: string): FakeUser | undefined {
    return this.workspace.users.get(id);
  }
  users(): FakeUser[] {
    return [...this.workspace.users.values()];
  }
  addChannel(channel: NewFakeChannel): FakeChannel {
    return this.workspace.addChannel(channel);
  }
  /** Every conversation, including the DMs opened so far. */
  channels(): FakeChannel[] {
    return [...this.workspace.channels.values()];
  }
  /** A channel by id or name (`#assets` or `assets`). */
  channel(ref: string): FakeChannel | undefined {
    const byId = this.workspace.channels.get(ref);
    if (byId !== undefined) return byId;
    return [...this.workspace.channels.values()].find(
      (c) => c.kind !== 'im' && c.name === ref.replace(/^#/, ''),
    );
  }

  // ------------------------------------------------------------------ queries for tests

  private channelId(ref: string): string {
    const channel = this.workspace.resolveConversation(ref);
    if (channel === undefined) throw new Error(`fake Slack: no channel or user ${ref}`);
    return channel.id;
  }

  /** Messages in a channel (id, name, or a user id for the app's DM with that user), oldest first. */
  messages(channel: string): FakeMessage[] {
    return [...this.workspace.messages(this.channelId(channel))];
  }
  lastMessage(channel: string): FakeMessage | undefined {
    return this.workspace.messages(this.channelId(channel)).at(-1);
  }
  /** The id of the app's DM channel with the user (opened on first use). */
  dmChannelOf(userId: string): string {
    if (!this.workspace.users.has(userId)) throw new Error(`fake Slack: no user ${userId}`);
    return this.workspace.imWith(userId).id;
  }
  dms(userId: string): FakeMessage[] {
    return this.messages(this.dmChannelOf(userId));
  }
  ephemerals(userId: string, channel?: string): FakeEphemeral[] {
    const channelId = channel === undefined ? undefined : this.channelId(channel);
    return this.workspace.ephemerals.filter(
      (e) => e.user === userId && (channelId === undefined || e.channel === channelId),
    );
  }
  home(userId: string): FakeView | undefined {
    return this.workspace.home(userId);
  }
  modalStack(userId: string): FakeView[] {
    return this.workspace.modalStack(userId);
  }
  topModal(userId: string): FakeView | undefined {
    return this.workspace.topModal(userId);
  }
  view(viewId: string): FakeView | undefined {
    return this.workspace.views.get(viewId);
  }
  files(): FakeFile[] {
    return [...this.workspace.files.values()];
  }
  /** A message typed by a person, e.g. to run a message shortcut on. */
  postUserMessage(userId: string, channel: string, text: string): FakeMessage {
    return this.workspace.postUserMessage(this.channelId(channel), userId, text);
  }
  /** A file a person attached in the client (what `file_input` submits). */
  addUserFile(userId: string, name: string, content: Buffer | string, mimetype?: string): FakeFile {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    return this.workspace.addUserFile(userId, name, bytes, mimetype);
  }

  // ------------------------------------------------------------------ what Slack hands out with requests

  /** A trigger_id as Slack sends with an interaction: single use, valid for 3 seconds. */
  issueTriggerId(userId: string): string {
    return this.workspace.issueTrigger(userId);
  }
  issueResponseUrl(origin: ResponseUrlOrigin): string {
    return this.workspace.issueResponseUrl(origin);
  }
  /** Shows a slash command's acknowledgement body the way Slack does (not counted against response_url). */
  applyCommandReply(origin: ResponseUrlOrigin, body: JsonValue): void {
    const message = typeof body === 'string' ? { text: body } : body;
    const parsed = messageResponseSchema.safeParse(message);
    if (!parsed.success)
      throw new Error(`fake Slack: the slash command answer is not a message: ${JSON.stringify(body)}`);
    const outcome = applyMessageResponse(this.workspace, this.ids, origin, parsed.data, 'command_response');
    if (!outcome.ok) {
      throw new Error(
        `fake Slack: Slack would not show the slash command answer (${outcome.error}) ${outcome.messages?.join(' ') ?? ''}`,
      );
    }
  }

  // ------------------------------------------------------------------ fault injection

  /**
   * Makes the next call(s) of a Web API method fail the way Slack fails, after authentication and
   * before any effect, so nothing changes in the workspace; the failed calls are recorded like others.
   * Faults queue in order: `failNext('chat.update').failNext('chat.update', { status: 500 })`.
   */
  failNext(method: string, fault: InjectedFault = {}): this {
    this.faults.add(method, fault);
    return this;
  }
  /** Injected failures not yet used, for one method or all. */
  pendingFaults(method?: string): number {
    return this.faults.pending(method);
  }
  clearFaults(): void {
    this.faults.clear();
  }

  // ------------------------------------------------------------------ call log

  get calls(): RecordedCall[] {
    return this.callLog.calls();
  }
  /** A position in the call log, for `callsSince`. */
  mark(): number {
    return this.callLog.mark();
  }
  callsSince(mark: number): RecordedCall[] {
    return this.callLog.callsSince(mark);
  }
  /** Calls a listener after each recorded call (the sandbox streams these); returns an unsubscribe. */
  onCall(listener: CallListener): () => void {
    return this.callLog.onCall(listener);
  }
  /** Resolves once no call is in flight and none has started for `quietMs`. */
  async whenIdle(quietMs = 100, timeoutMs = 10_000): Promise<void> {
    const started = performance.now();
    for (;;) {
      const quietFor = performance.now() - this.lastActivity;
      if (this.inFlight === 0 && quietFor >= quietMs) return;
      if (performance.now() - started > timeoutMs) {
        throw new Error(`fake Slack: still busy after ${timeoutMs} ms (${this.inFlight} calls in flight)`);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(5, Math.min(quietMs - quietFor, 25))));
    }
  }

  /**
   * Forgets activity: messages, views, files, triggers, rate windows and the call log. Users and
   * channels stay unless `directory` is set, which restores the seeded workspace.
   */
  reset(options: { directory?: boolean } = {}): void {
    this.workspace.clearActivity();
    this.rateLimiter.reset();
    this.faults.clear();
    this.callLog.clear();
    if (options.directory === true) {
      this.workspace.users.clear();
      this.workspace.channels.clear();
      for (const user of this.seed.users) this.workspace.users.set(user.id, structuredClone(user));
      for (const channel of this.seed.channels)
        this.workspace.channels.set(channel.id, structuredClone(channel));
    }
  }

  private record(method: string, args: JsonObject, status: number, response: JsonValue): void {
    this.callLog.record(method, args, status, response);
  }

  // ------------------------------------------------------------------ HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight += 1;
    this.lastActivity = performance.now();
    try {
      const url = new URL(req.url ?? '/', this.baseUrl);
      const [, area, id] = url.pathname.split('/');
      if (area === 'api' && id !== undefined) {
        await this.handleApi(req, res, decodeURIComponent(id), url);
      } else if (area === 'response' && id !== undefined && req.method === 'POST') {
        await this.handleResponseUrl(req, res, id);
      } else if (area === 'upload' && id !== undefined && req.method === 'POST') {
        await this.handleUpload(req, res, id);
      } else if (area === 'files' && id !== undefined && req.method === 'GET') {
        this.handleFileDownload(req, res, id);
      } else {
        send(res, 404, 'text/plain', 'not_found');
      }
    } catch (error) {
      send(
        res,
        500,
        'text/plain',
        `fake Slack failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      this.inFlight -= 1;
      this.lastActivity = performance.now();
    }
  }

  private async handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    url: URL,
  ): Promise<void> {
    const body = await readBody(req);
    const contentType = (req.headers['content-type'] ?? '').toLowerCase();
    const parsed = await parseArguments(body, contentType, url.searchParams);
    const { token: tokenArg, ...args } = parsed.args;
    const reply = (apiReply: ApiReply): void => {
      this.record(method, args, apiReply.status, apiReply.body);
      sendJson(res, apiReply.status, apiReply.body, {
        'x-oauth-scopes': this.scopes.join(','),
        ...apiReply.headers,
      });
    };
    if (parsed.invalidJson) return reply({ status: 200, body: { ok: false, error: 'invalid_json' } });
    if (!isKnownMethod(method))
      return reply({ status: 200, body: { ok: false, error: 'unknown_method', req_method: method } });

    const header = req.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
    // Slack reads the token from the header, or from the form; JSON bodies must use the header.
    const token =
      bearer ?? (contentType.includes('application/json') ? undefined : stringOrUndefined(tokenArg));
    if (token === undefined || token === '')
      return reply({ status: 200, body: { ok: false, error: 'not_authed' } });
    if (token !== this.botToken) return reply({ status: 200, body: { ok: false, error: 'invalid_auth' } });

    const fault = this.faults.take(method, args);
    if (fault !== undefined) return reply(faultReply(fault));
    const rate = this.rateLimiter.takeMethodCall(method, this.now());
    if (!rate.allowed) return reply(rateLimited(rate.retryAfterSeconds));
    reply(
      runMethod(method, args, {
        ws: this.workspace,
        ids: this.ids,
        scopes: this.scopes,
        rateLimiter: this.rateLimiter,
        now: this.now,
        requireFallbackText: this.requireFallbackText,
      }),
    );
  }

  private async handleResponseUrl(req: IncomingMessage, res: ServerResponse, secret: string): Promise<void> {
    const body = await readBody(req);
    const contentType = (req.headers['content-type'] ?? '').toLowerCase();
    let message: unknown;
    try {
      message = contentType.includes('application/x-www-form-urlencoded')
        ? JSON.parse(new URLSearchParams(body.toString('utf8')).get('payload') ?? '{}')
        : JSON.parse(body.toString('utf8'));
    } catch {
      message = undefined;
    }
    const args = (message !== null && typeof message === 'object' ? message : {}) as JsonObject;
    const answer = (status: number, error?: string): void => {
      const response: JsonObject = error === undefined ? { ok: true } : { ok: false, error };
      this.record('response_url', { url: `${this.baseUrl}/response/${secret}`, ...args }, status, response);
      sendJson(res, status, response);
    };
    const parsed = messageResponseSchema.safeParse(message);
    if (!parsed.success) return answer(400, 'invalid_payload');
    const used = this.workspace.useResponseUrl(secret);
    if (!used.ok) return answer(404, used.error);
    const outcome = applyMessageResponse(this.workspace, this.ids, used.value, parsed.data, 'response_url');
    if (!outcome.ok) return answer(outcome.error === 'message_not_found' ? 404 : 400, outcome.error);
    answer(200);
  }

  private async handleUpload(req: IncomingMessage, res: ServerResponse, fileId: string): Promise<void> {
    const body = await readBody(req);
    const contentType = req.headers['content-type'] ?? '';
    let content = body;
    if (contentType.toLowerCase().startsWith('multipart/form-data')) {
      const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
      const part = [...form.values()].find((v) => typeof v !== 'string');
      content =
        part === undefined || typeof part === 'string'
          ? Buffer.alloc(0)
          : Buffer.from(await (part as Blob).arrayBuffer());
    }
    const received = this.workspace.receiveUpload(fileId, content);
    const status = received.ok ? 200 : 404;
    const text = received.ok ? `OK - ${content.length}` : received.error;
    this.record('files.upload', { file_id: fileId, bytes: content.length }, status, text);
    send(res, status, 'text/plain', text);
  }

  private handleFileDownload(req: IncomingMessage, res: ServerResponse, fileId: string): void {
    const file = this.workspace.files.get(fileId);
    if (req.headers.authorization !== `Bearer ${this.botToken}`) {
      // Slack answers unauthenticated downloads with its sign-in page, not the file.
      send(res, 302, 'text/html', '<html>sign in</html>');
      return;
    }
    if (file === undefined || file.content === undefined) {
      send(res, 404, 'text/plain', 'file_not_found');
      return;
    }
    res.writeHead(200, { 'content-type': file.mimetype, 'content-length': String(file.content.length) });
    res.end(file.content);
  }
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const fake = new FakeSlack(options);
  await fake.listen(options.port ?? 0);
  return fake;
}
