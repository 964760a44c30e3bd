/**
 * What the sandbox page shows one person: the conversations they can see (with their ephemeral
 * messages), their App Home and their open modals, read from the fake Slack's workspace state.
 */
import type { FakeSlack, FakeView, SlackBlock } from '@custodian/fake-slack';
import type { Person } from '../domain/index.js';
import type { DemoPerson } from './demo-data.js';

export interface SandboxPerson {
  id: string;
  name: string;
  realName: string;
  title: string;
  persona: string;
  department: string | undefined;
  managerName: string | undefined;
  /** Roles as the app's database holds them (what the app decides by). */
  roles: string[];
}

export interface SandboxConversation {
  id: string;
  /** `app` is the person's DM with the app (its Messages tab). */
  kind: 'channel' | 'private' | 'app';
  name: string;
}

export interface SandboxMessage {
  ts: string;
  text: string;
  blocks: SlackBlock[] | undefined;
  userId: string | undefined;
  author: string;
  fromApp: boolean;
  /** Only the viewer sees it ("Only visible to you"). */
  ephemeral: boolean;
  edited: boolean;
  threadTs: string | undefined;
}

export interface SandboxView {
  id: string;
  type: 'modal' | 'home';
  callbackId: string;
  hash: string;
  title: string | undefined;
  submit: string | undefined;
  close: string | undefined;
  blocks: SlackBlock[];
  /** The app's inline errors from its last `response_action: "errors"`, by block_id. */
  errors: Record<string, string>;
}

export interface SandboxSnapshot {
  /** Grows with every Web API call the app makes; the page refetches when it changes. */
  seq: number;
  now: string;
  timeZone: string;
  clockOffsetDays: number;
  team: { id: string; name: string };
  me: string;
  people: SandboxPerson[];
  /** Every user of the workspace, for mentions and user pickers. */
  users: Array<{ id: string; name: string; realName: string; isBot: boolean }>;
  conversations: SandboxConversation[];
  messages: Record<string, SandboxMessage[]>;
  home: SandboxView | undefined;
  modals: SandboxView[];
}

function viewOf(view: FakeView): SandboxView {
  return {
    id: view.id,
    type: view.type,
    callbackId: view.callback_id,
    hash: view.hash,
    title: view.title?.text,
    submit: view.submit?.text,
    close: view.close?.text,
    blocks: view.blocks,
    errors: view.errors ?? {},
  };
}

export function buildSnapshot(input: {
  fake: FakeSlack;
  userId: string;
  demoPeople: DemoPerson[];
  stored: Person[];
  now: Date;
  timeZone: string;
  clockOffsetDays: number;
}): SandboxSnapshot {
  const { fake, userId } = input;
  const names = new Map(fake.users().map((u) => [u.id, u.real_name]));
  const storedById = new Map(input.stored.map((p) => [p.slackUserId, p]));
  const people = input.demoPeople.map((demo): SandboxPerson => {
    const stored = storedById.get(demo.id);
    const managerId = stored?.managerSlackUserId;
    return {
      id: demo.id,
      name: demo.name,
      realName: demo.real_name,
      title: demo.title,
      persona: demo.persona,
      department: stored?.department,
      managerName: managerId === undefined ? undefined : (names.get(managerId) ?? managerId),
      roles: stored?.roles ?? [],
    };
  });

  const user = fake.user(userId);
  const conversations: SandboxConversation[] = [];
  const messages: Record<string, SandboxMessage[]> = {};
  if (user !== undefined) {
    const appDm = fake.dmChannelOf(userId);
    conversations.push({ id: appDm, kind: 'app', name: fake.identity.botName });
    for (const channel of fake.channels()) {
      if (channel.kind !== 'public' && channel.kind !== 'private') continue;
      if (!fake.workspace.isMember(channel, userId)) continue;
      conversations.push({
        id: channel.id,
        kind: channel.kind === 'public' ? 'channel' : 'private',
        name: channel.name,
      });
    }
    for (const conversation of conversations) {
      const posted = fake.messages(conversation.id).map((m): SandboxMessage => ({
        ts: m.ts,
        text: m.text,
        blocks: m.blocks,
        userId: m.user,
        author: m.bot_id !== undefined ? fake.identity.botName : (names.get(m.user ?? '') ?? m.user ?? '?'),
        fromApp: m.bot_id !== undefined,
        ephemeral: false,
        edited: m.edited !== undefined,
        threadTs: m.thread_ts,
      }));
      const onlyMine = fake.ephemerals(userId, conversation.id).map((e): SandboxMessage => ({
        ts: e.message_ts,
        text: e.text,
        blocks: e.blocks,
        userId: fake.botUserId,
        author: fake.identity.botName,
        fromApp: true,
        ephemeral: true,
        edited: false,
        threadTs: e.thread_ts,
      }));
      // Timestamps are `seconds.micros` with ten-digit seconds, so text order is time order.
      messages[conversation.id] = [...posted, ...onlyMine].sort((a, b) =>
        a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0,
      );
    }
  }
  const home = user === undefined ? undefined : fake.home(userId);
  return {
    seq: fake.mark(),
    now: input.now.toISOString(),
    timeZone: input.timeZone,
    clockOffsetDays: input.clockOffsetDays,
    team: { id: fake.teamId, name: fake.identity.teamName },
    me: userId,
    people,
    users: fake
      .users()
      .filter((u) => !u.deleted)
      .map((u) => ({ id: u.id, name: u.name, realName: u.real_name, isBot: u.is_bot })),
    conversations,
    messages,
    home: home === undefined ? undefined : viewOf(home),
    modals: user === undefined ? [] : fake.modalStack(userId).map(viewOf),
  };
}
