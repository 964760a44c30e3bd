/** Messages in conversations: the bot's and people's, ephemerals, and what people picked in them. */
import type {
  FakeEphemeral,
  FakeMessage,
  JsonValue,
  MessageSource,
  SlackBlock,
  ViewStateValues,
} from '../types.js';
import type { WorkspaceContext } from './context.js';
import { accept, refuse, type Outcome } from './outcome.js';

export const MAX_MESSAGE_TEXT = 40_000;

export interface MessageContent {
  text: string;
  blocks?: SlackBlock[];
  thread_ts?: string;
  metadata?: JsonValue;
}

export class WorkspaceMessages {
  readonly messagesByChannel = new Map<string, FakeMessage[]>();
  ephemerals: FakeEphemeral[] = [];
  /** Values a user has picked in stateful elements of a message (Slack sends them as `state`). */
  private readonly messageStates = new Map<string, ViewStateValues>();

  constructor(private readonly ctx: WorkspaceContext) {}

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
      ts: this.ctx.ids.messageTs(),
      text: content.text,
      ...(content.blocks === undefined ? {} : { blocks: content.blocks }),
      user: this.ctx.identity.botUserId,
      bot_id: this.ctx.identity.botId,
      app_id: this.ctx.identity.appId,
      team: this.ctx.identity.teamId,
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
      ts: this.ctx.ids.messageTs(),
      text,
      user: userId,
      team: this.ctx.identity.teamId,
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
    if (existing.bot_id !== this.ctx.identity.botId) return refuse('cant_update_message');
    const updated: FakeMessage = {
      ...existing,
      text: content.text,
      edited: { user: this.ctx.identity.botUserId, ts: this.ctx.ids.messageTs() },
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
    if (existing.bot_id !== this.ctx.identity.botId) return refuse('cant_delete_message');
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
      message_ts: this.ctx.ids.messageTs(),
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

  clear(): void {
    this.messagesByChannel.clear();
    this.ephemerals = [];
    this.messageStates.clear();
  }
}
