/** The workspace's people and conversations (channels, DMs, group DMs) and who may post where. */
import type { FakeChannel, FakeUser, NewFakeChannel, NewFakeUser } from '../types.js';
import type { WorkspaceContext } from './context.js';
import { refuse, type Refusal } from './outcome.js';

export class WorkspaceDirectory {
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();

  constructor(private readonly ctx: WorkspaceContext) {}

  addUser(input: NewFakeUser): FakeUser {
    const id = input.id ?? this.ctx.ids.id('user');
    const realName = input.real_name ?? input.name;
    const user: FakeUser = {
      id,
      team_id: this.ctx.identity.teamId,
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
      id: input.id ?? this.ctx.ids.id('channel'),
      name: input.name.replace(/^#/, ''),
      kind: input.isPrivate ? 'private' : 'public',
      members: input.members ?? null,
      botIsMember: input.botIsMember ?? true,
      created: Math.floor(this.ctx.now() / 1000),
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
      id: this.ctx.ids.id('im'),
      name: userId,
      kind: 'im',
      members: [userId],
      botIsMember: true,
      user: userId,
      created: Math.floor(this.ctx.now() / 1000),
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
      id: this.ctx.ids.id('mpim'),
      name: `mpdm-${names.join('--')}-1`,
      kind: 'mpim',
      members: sorted,
      botIsMember: true,
      created: Math.floor(this.ctx.now() / 1000),
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
}
