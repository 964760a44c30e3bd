import { afterEach, describe, expect, it } from '@jest/globals';
import { LogLevel, WebClient, type Logger, type WebClientOptions } from '@slack/web-api';
import {
  startFakeSlack,
  textOf,
  type FakeSlack,
  type FakeSlackOptions,
  type FakeUser,
} from '../../src/index.js';

const started: FakeSlack[] = [];
// The WebClient logs Slack's `[ERROR]` messages; the refusals are what these tests expect.
const silent: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};
afterEach(async () => {
  await Promise.all(started.splice(0).map((f) => f.stop()));
});

async function setup(options: FakeSlackOptions = {}, clientOptions: WebClientOptions = {}) {
  const fake = await startFakeSlack(options);
  started.push(fake);
  const client = new WebClient(fake.botToken, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logger: silent,
    ...clientOptions,
  });
  const alice = fake.addUser({
    name: 'alice',
    real_name: 'Alice Admin',
    email: 'alice@example.com',
    is_admin: true,
  });
  const bob = fake.addUser({ name: 'bob', email: 'bob@example.com' });
  return { fake, client, alice, bob };
}

/** The `{ ok: false, ... }` body Slack answered, from the WebClient's platform error. */
async function refusal(call: Promise<unknown>): Promise<Record<string, any>> {
  try {
    await call;
  } catch (error: any) {
    if (error?.code === 'slack_webapi_platform_error') return error.data;
    throw error;
  }
  throw new Error('expected Slack to refuse the call');
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const modal = (title = 'Request asset', extra: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  title: { type: 'plain_text' as const, text: title },
  blocks: [section('hello')],
  ...extra,
});

describe('authentication and scopes', () => {
  it('answers auth.test with the bot identity Bolt needs', async () => {
    const { client, fake } = await setup({ teamId: 'T123', botUserId: 'U0BOT', botId: 'B0BOT' });
    const result = await client.auth.test();
    expect(result).toMatchObject({ ok: true, team_id: 'T123', user_id: 'U0BOT', bot_id: 'B0BOT' });
    expect(fake.calls.map((c) => c.method)).toEqual(['auth.test']);
  });

  it('refuses calls without a token or with a wrong one', async () => {
    const { fake } = await setup();
    const anonymous = new WebClient(undefined, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      logger: silent,
    });
    expect(await refusal(anonymous.auth.test())).toMatchObject({ ok: false, error: 'not_authed' });
    const wrong = new WebClient('xoxb-wrong', {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      logger: silent,
    });
    expect(await refusal(wrong.auth.test())).toMatchObject({ ok: false, error: 'invalid_auth' });
  });

  it('accepts the token as a form field, and JSON bodies only with the Authorization header', async () => {
    const { fake } = await setup();
    const form = await fetch(`${fake.apiUrl}auth.test`, {
      method: 'POST',
      body: new URLSearchParams({ token: fake.botToken }),
    });
    expect(await form.json()).toMatchObject({ ok: true });
    const jsonWithHeader = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        authorization: `Bearer ${fake.botToken}`,
      },
      body: JSON.stringify({ channel: 'general', text: 'hi', blocks: [section('hi')] }),
    });
    expect(await jsonWithHeader.json()).toMatchObject({ ok: true, channel: fake.generalChannelId });
    const jsonWithBodyToken = await fetch(`${fake.apiUrl}auth.test`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: fake.botToken }),
    });
    expect(await jsonWithBodyToken.json()).toMatchObject({ ok: false, error: 'not_authed' });
  });

  it('answers unknown methods with unknown_method', async () => {
    const { client } = await setup();
    expect(await refusal(client.apiCall('assets.teleport', {}))).toMatchObject({
      ok: false,
      error: 'unknown_method',
    });
  });

  it('refuses methods the token lacks a scope for, saying which scope is needed', async () => {
    const { client, alice } = await setup({ scopes: ['commands', 'chat:write'] });
    const data = await refusal(client.users.info({ user: alice.id }));
    expect(data).toMatchObject({
      error: 'missing_scope',
      needed: 'users:read',
      provided: 'commands,chat:write',
    });
    expect(await refusal(client.files.getUploadURLExternal({ filename: 'a.csv', length: 3 }))).toMatchObject({
      error: 'missing_scope',
      needed: 'files:write',
    });
  });
});

describe('chat.postMessage', () => {
  it('posts to a channel by id or name and to a user id as the app DM', async () => {
    const { client, fake, alice } = await setup();
    const byId = await client.chat.postMessage({ channel: fake.generalChannelId, text: 'hello' });
    expect(byId).toMatchObject({
      ok: true,
      channel: fake.generalChannelId,
      message: { text: 'hello', bot_id: 'B0FAKEBOT' },
    });
    const dm = await client.chat.postMessage({ channel: alice.id, text: 'your laptop is due' });
    expect(dm.channel).toBe(fake.dmChannelOf(alice.id));
    expect(dm.channel).toMatch(/^D/);
    expect(fake.dms(alice.id).map((m) => m.text)).toEqual(['your laptop is due']);
    expect(fake.lastMessage('#general')?.text).toBe('hello');
  });

  it('records blocks with Slack-generated block ids and decodes them in the call log', async () => {
    const { client, fake } = await setup();
    await client.chat.postMessage({
      channel: 'general',
      text: 'fallback',
      blocks: [section('*MBP-042* checked out')],
    });
    const message = fake.lastMessage('general');
    expect(message?.blocks?.[0]?.block_id).toEqual(expect.any(String));
    expect(textOf(message?.blocks)).toContain('MBP-042');
    const call = fake.calls.at(-1);
    expect(call?.method).toBe('chat.postMessage');
    expect(Array.isArray(call?.args.blocks)).toBe(true);
    expect(call?.args.token).toBeUndefined();
  });

  it('refuses a missing or unknown channel and a message without text', async () => {
    const { client } = await setup();
    expect(await refusal(client.apiCall('chat.postMessage', { text: 'x' }))).toMatchObject({
      error: 'channel_not_found',
    });
    expect(await refusal(client.chat.postMessage({ channel: 'C404', text: 'x' }))).toMatchObject({
      error: 'channel_not_found',
    });
    expect(await refusal(client.apiCall('chat.postMessage', { channel: 'general' }))).toMatchObject({
      error: 'no_text',
    });
    expect(
      await refusal(client.chat.postMessage({ channel: 'general', text: '', blocks: [section('x')] })),
    ).toMatchObject({
      error: 'no_text',
    });
  });

  it('refuses invalid blocks the way Slack phrases it', async () => {
    const { client } = await setup();
    const data = await refusal(
      client.chat.postMessage({
        channel: 'general',
        text: 'x',
        blocks: Array.from({ length: 51 }, () => section('row')),
      }),
    );
    expect(data).toMatchObject({
      error: 'invalid_blocks',
      response_metadata: { messages: ['[ERROR] no more than 50 items allowed [json-pointer:/blocks]'] },
    });
    const badJson = await refusal(
      client.apiCall('chat.postMessage', { channel: 'general', text: 'x', blocks: '[{' }),
    );
    expect(badJson.error).toBe('invalid_blocks_format');
  });

  it('needs chat:write.public for public channels the bot is not in, and membership for private ones', async () => {
    const { client, fake } = await setup({ scopes: ['chat:write'] });
    fake.addChannel({ name: 'it-ops', botIsMember: false });
    fake.addChannel({ name: 'finance', isPrivate: true, botIsMember: false });
    expect(await refusal(client.chat.postMessage({ channel: 'it-ops', text: 'x' }))).toMatchObject({
      error: 'not_in_channel',
    });
    expect(await refusal(client.chat.postMessage({ channel: 'finance', text: 'x' }))).toMatchObject({
      error: 'channel_not_found',
    });
    const withPublic = await setup({ channels: [{ name: 'it-ops', botIsMember: false }] });
    expect((await withPublic.client.chat.postMessage({ channel: 'it-ops', text: 'x' })).ok).toBe(true);
  });

  it('answers a second post to one channel within a second with HTTP 429 and Retry-After', async () => {
    let clock = 1_700_000_000_000;
    const { client, fake } = await setup({ now: () => clock }, { rejectRateLimitedCalls: true });
    await client.chat.postMessage({ channel: 'general', text: 'one' });
    await expect(client.chat.postMessage({ channel: 'general', text: 'two' })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 1,
    });
    const raw = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.botToken}` },
      body: new URLSearchParams({ channel: 'general', text: 'three' }),
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('1');
    expect(await raw.json()).toEqual({ ok: false, error: 'ratelimited' });
    expect(
      (
        await client.chat.postMessage({
          channel: fake.dmChannelOf(fake.users()[1]!.id),
          text: 'other channel',
        })
      ).ok,
    ).toBe(true);
    clock += 1000;
    expect((await client.chat.postMessage({ channel: 'general', text: 'later' })).ok).toBe(true);
    expect(fake.messages('general').map((m) => m.text)).toEqual(['one', 'later']);
    expect(fake.calls.filter((c) => c.status === 429)).toHaveLength(2);
  });

  it('can allow a per-channel burst, or no limits at all', async () => {
    const burst = await setup(
      { rateLimits: { postMessagePerChannel: { burst: 3, perSecond: 1 } } },
      { rejectRateLimitedCalls: true },
    );
    for (const text of ['a', 'b', 'c']) await burst.client.chat.postMessage({ channel: 'general', text });
    await expect(burst.client.chat.postMessage({ channel: 'general', text: 'd' })).rejects.toMatchObject({
      retryAfter: 1,
    });
    const unlimited = await setup({ rateLimits: false });
    for (let i = 0; i < 30; i += 1)
      await unlimited.client.chat.postMessage({ channel: 'general', text: `m${i}` });
    expect(unlimited.fake.messages('general')).toHaveLength(30);
  });

  it('applies Slack tiers per method per minute', async () => {
    const { client } = await setup(
      { rateLimits: { perMinute: { 'users.list': 2 } } },
      { rejectRateLimitedCalls: true },
    );
    await client.users.list({});
    await client.users.list({});
    await expect(client.users.list({})).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error' });
  });
});

describe('chat.postEphemeral, chat.update and chat.delete', () => {
  it('posts ephemeral messages only to members of the channel', async () => {
    const { client, fake, alice, bob } = await setup();
    const result = await client.chat.postEphemeral({ channel: 'general', user: alice.id, text: 'only you' });
    expect(result.message_ts).toEqual(expect.any(String));
    expect(fake.ephemerals(alice.id, 'general').map((e) => e.text)).toEqual(['only you']);
    expect(fake.ephemerals(bob.id)).toEqual([]);
    fake.addChannel({ name: 'secret', isPrivate: true, members: [bob.id] });
    expect(
      await refusal(client.chat.postEphemeral({ channel: 'secret', user: alice.id, text: 'x' })),
    ).toMatchObject({
      error: 'user_not_in_channel',
    });
    expect(
      await refusal(client.apiCall('chat.postEphemeral', { channel: 'general', text: 'x' })),
    ).toMatchObject({
      error: 'invalid_arguments',
    });
  });

  it('updates and deletes only the bot’s own messages', async () => {
    const { client, fake, alice } = await setup();
    const posted = await client.chat.postMessage({ channel: 'general', text: 'pending' });
    const updated = await client.chat.update({
      channel: posted.channel!,
      ts: posted.ts!,
      text: 'approved',
      blocks: [section('approved')],
    });
    expect(updated).toMatchObject({ ok: true, ts: posted.ts, text: 'approved' });
    expect(fake.lastMessage('general')).toMatchObject({ text: 'approved', edited: { user: fake.botUserId } });
    expect(
      await refusal(client.chat.update({ channel: 'general', ts: '1.000001', text: 'x' })),
    ).toMatchObject({
      error: 'message_not_found',
    });
    const human = fake.postUserMessage(alice.id, 'general', 'hi bot');
    expect(await refusal(client.chat.update({ channel: 'general', ts: human.ts, text: 'x' }))).toMatchObject({
      error: 'cant_update_message',
    });
    expect(await refusal(client.chat.delete({ channel: 'general', ts: human.ts }))).toMatchObject({
      error: 'cant_delete_message',
    });
    expect(await client.chat.delete({ channel: posted.channel!, ts: posted.ts! })).toMatchObject({
      ok: true,
      ts: posted.ts,
    });
    expect(fake.messages('general').map((m) => m.text)).toEqual(['hi bot']);
  });
});

describe('views', () => {
  async function withModal(options: FakeSlackOptions = {}) {
    const ctx = await setup(options);
    const opened = await ctx.client.views.open({
      trigger_id: ctx.fake.issueTriggerId(ctx.alice.id),
      view: modal(),
    });
    return { ...ctx, root: opened.view! };
  }

  it('opens a modal for the user the trigger was issued to', async () => {
    const { fake, alice, root } = await withModal();
    expect(root).toMatchObject({ type: 'modal', title: { text: 'Request asset' }, state: { values: {} } });
    expect(root.root_view_id).toBe(root.id);
    expect(fake.topModal(alice.id)?.id).toBe(root.id);
  });

  it('needs a trigger this fake issued, used once, within 3 seconds', async () => {
    let clock = 1_700_000_000_000;
    const { client, fake, alice } = await setup({ now: () => clock });
    expect(await refusal(client.apiCall('views.open', { view: modal() }))).toMatchObject({
      error: 'invalid_arguments',
    });
    expect(
      await refusal(client.views.open({ trigger_id: '12345.98765.abcd2358fdea', view: modal() })),
    ).toMatchObject({
      error: 'invalid_trigger_id',
    });
    const trigger = fake.issueTriggerId(alice.id);
    await client.views.open({ trigger_id: trigger, view: modal() });
    expect(await refusal(client.views.open({ trigger_id: trigger, view: modal() }))).toMatchObject({
      error: 'exchanged_trigger_id',
    });
    const late = fake.issueTriggerId(alice.id);
    clock += 3001;
    expect(await refusal(client.views.open({ trigger_id: late, view: modal() }))).toMatchObject({
      error: 'expired_trigger_id',
    });
  });

  it('refuses invalid views with Slack’s messages and keeps the trigger usable', async () => {
    const { client, fake, alice } = await setup();
    const trigger = fake.issueTriggerId(alice.id);
    expect(
      await refusal(client.views.open({ trigger_id: trigger, view: modal('A title that is far too long') })),
    ).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: {
        messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'],
      },
    });
    const huge = modal('Big', {
      blocks: Array.from({ length: 90 }, (_, i) => ({ ...section('z'.repeat(2990)), block_id: `b${i}` })),
    });
    expect(await refusal(client.views.open({ trigger_id: trigger, view: huge }))).toMatchObject({
      error: 'view_too_large',
    });
    expect((await client.views.open({ trigger_id: trigger, view: modal() })).ok).toBe(true);
  });

  it('stacks at most three modals', async () => {
    const { client, fake, alice } = await withModal();
    await client.views.push({ trigger_id: fake.issueTriggerId(alice.id), view: modal('Second') });
    const third = await client.views.push({
      trigger_id: fake.issueTriggerId(alice.id),
      view: modal('Third'),
    });
    expect(third.view?.previous_view_id).toBe(fake.modalStack(alice.id)[1]?.id);
    expect(
      await refusal(client.views.push({ trigger_id: fake.issueTriggerId(alice.id), view: modal('Fourth') })),
    ).toMatchObject({
      error: 'push_limit_reached',
    });
    expect(fake.modalStack(alice.id).map((v) => v.title?.text)).toEqual(['Request asset', 'Second', 'Third']);
  });

  it('updates a view by id or external_id, refusing a stale hash and unknown views', async () => {
    const { client, fake, alice } = await setup();
    const opened = await client.views.open({
      trigger_id: fake.issueTriggerId(alice.id),
      view: modal('Loading', { external_id: 'req-7' }),
    });
    const first = await client.views.update({
      view_id: opened.view!.id!,
      hash: opened.view!.hash!,
      view: modal('Loaded', { external_id: 'req-7' }),
    });
    expect(first.view?.hash).not.toBe(opened.view?.hash);
    expect(
      await refusal(
        client.views.update({ view_id: opened.view!.id!, hash: opened.view!.hash!, view: modal('Stale') }),
      ),
    ).toMatchObject({
      error: 'hash_conflict',
    });
    const byExternal = await client.views.update({
      external_id: 'req-7',
      view: modal('By external id', { external_id: 'req-7' }),
    });
    expect(byExternal.view?.id).toBe(opened.view?.id);
    expect(fake.topModal(alice.id)?.title?.text).toBe('By external id');
    expect(await refusal(client.views.update({ view_id: 'V404', view: modal() }))).toMatchObject({
      error: 'not_found',
    });
    expect(
      await refusal(
        client.views.open({
          trigger_id: fake.issueTriggerId(alice.id),
          view: modal('Dup', { external_id: 'req-7' }),
        }),
      ),
    ).toMatchObject({ error: 'duplicate_external_id' });
  });

  it('publishes the App Home per user, with an optional hash', async () => {
    const { client, fake, alice, bob } = await setup();
    const home = { type: 'home' as const, blocks: [section('Your assets: none')] };
    const first = await client.views.publish({ user_id: alice.id, view: home });
    expect(fake.home(alice.id)?.id).toBe(first.view?.id);
    expect(fake.home(bob.id)).toBeUndefined();
    const second = await client.views.publish({
      user_id: alice.id,
      hash: first.view!.hash!,
      view: { ...home, blocks: [section('1 laptop')] },
    });
    expect(second.view?.id).toBe(first.view?.id);
    expect(textOf(fake.home(alice.id)?.blocks)).toBe('1 laptop');
    expect(
      await refusal(client.views.publish({ user_id: alice.id, hash: first.view!.hash!, view: home })),
    ).toMatchObject({
      error: 'hash_conflict',
    });
    expect(await refusal(client.apiCall('views.publish', { view: home }))).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: { messages: ['[ERROR] missing required field: user_id [json-pointer:/user_id]'] },
    });
    expect(await refusal(client.views.publish({ user_id: alice.id, view: modal() as never }))).toMatchObject({
      error: 'invalid_arguments',
    });
  });
});

describe('users and conversations', () => {
  it('looks people up by id and email, with email only under users:read.email', async () => {
    const { client, alice } = await setup();
    const info = await client.users.info({ user: alice.id });
    expect(info.user).toMatchObject({
      id: alice.id,
      name: 'alice',
      is_admin: true,
      profile: { email: 'alice@example.com' },
    });
    expect((await client.users.lookupByEmail({ email: 'ALICE@example.com' })).user?.id).toBe(alice.id);
    expect(await refusal(client.users.lookupByEmail({ email: 'nobody@example.com' }))).toMatchObject({
      error: 'users_not_found',
    });
    expect(await refusal(client.users.info({ user: 'U404' }))).toMatchObject({ error: 'user_not_found' });

    const restricted = await setup({ scopes: ['users:read'] });
    const noEmail = await restricted.client.users.info({ user: restricted.alice.id });
    expect(noEmail.user?.profile?.email).toBeUndefined();
  });

  it('does not find deactivated people by email', async () => {
    const { client, fake } = await setup();
    const gone = fake.addUser({ name: 'gone', email: 'gone@example.com', deleted: true });
    expect(await refusal(client.users.lookupByEmail({ email: 'gone@example.com' }))).toMatchObject({
      error: 'users_not_found',
    });
    expect((await client.users.info({ user: gone.id })).user?.deleted).toBe(true);
  });

  it('pages users.list with cursors', async () => {
    const { client, fake } = await setup();
    for (let i = 0; i < 5; i += 1) fake.addUser({ name: `user${i}` });
    const pages: string[][] = [];
    for await (const page of client.paginate('users.list', { limit: 3 })) {
      pages.push(((page as unknown as { members: FakeUser[] }).members ?? []).map((m) => m.name));
    }
    expect(pages.map((p) => p.length)).toEqual([3, 3, 2]);
    expect(pages.flat()).toEqual(fake.users().map((u) => u.name));
    expect(await refusal(client.users.list({ cursor: 'bm9wZQ==' }))).toMatchObject({
      error: 'invalid_cursor',
    });
  });

  it('opens the app DM with a user and describes conversations', async () => {
    const { client, fake, alice } = await setup({ scopes: ['im:write', 'channels:read', 'im:read'] });
    const opened = await client.conversations.open({ users: alice.id });
    expect(opened.channel?.id).toBe(fake.dmChannelOf(alice.id));
    expect((await client.conversations.open({ users: alice.id })).already_open).toBe(true);
    expect(await refusal(client.conversations.open({ users: 'U404' }))).toMatchObject({
      error: 'user_not_found',
    });
    expect(await refusal(client.apiCall('conversations.open', {}))).toMatchObject({
      error: 'users_list_not_supplied',
    });
    const info = await client.conversations.info({ channel: fake.generalChannelId });
    expect(info.channel).toMatchObject({
      id: fake.generalChannelId,
      name: 'general',
      is_channel: true,
      is_private: false,
    });
    expect((await client.conversations.info({ channel: opened.channel!.id! })).channel?.is_im).toBe(true);
    expect(await refusal(client.conversations.info({ channel: 'C404' }))).toMatchObject({
      error: 'channel_not_found',
    });
  });

  it('needs channels:read for conversations.info, which the default bot scopes lack', async () => {
    const { client, fake } = await setup();
    expect(await refusal(client.conversations.info({ channel: fake.generalChannelId }))).toMatchObject({
      error: 'missing_scope',
      needed: 'channels:read',
    });
  });
});

describe('file uploads', () => {
  it('accepts filesUploadV2: upload URL, the bytes, then completion into a channel', async () => {
    const { client, fake } = await setup({ scopes: ['chat:write', 'files:write'] });
    const result = await client.filesUploadV2({
      channel_id: fake.generalChannelId,
      filename: 'assets.csv',
      content: 'tag,model\nA-1,MBP',
      initial_comment: 'Inventory export',
    });
    expect(result.ok).toBe(true);
    const [file] = fake.files();
    expect(file).toMatchObject({
      name: 'assets.csv',
      mimetype: 'text/csv',
      completed: true,
      channels: [fake.generalChannelId],
    });
    expect(file?.content?.toString()).toBe('tag,model\nA-1,MBP');
    expect(fake.lastMessage('general')).toMatchObject({
      text: 'Inventory export',
      files: [{ id: file?.id }],
    });
    expect(fake.calls.map((c) => c.method)).toEqual([
      'files.getUploadURLExternal',
      'files.upload',
      'files.completeUploadExternal',
    ]);
    const download = await fetch(file!.url_private, {
      headers: { authorization: `Bearer ${fake.botToken}` },
    });
    expect(await download.text()).toBe('tag,model\nA-1,MBP');
  });

  it('refuses to complete a file whose bytes never arrived', async () => {
    const { client } = await setup({ scopes: ['files:write'] });
    const { file_id } = await client.files.getUploadURLExternal({ filename: 'x.csv', length: 3 });
    expect(await refusal(client.files.completeUploadExternal({ files: [{ id: file_id! }] }))).toMatchObject({
      error: 'file_not_found',
    });
  });
});

describe('response_url', () => {
  async function post(url: string, body: Record<string, unknown>) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  }

  it('accepts five posts within thirty minutes, then answers 404 used_url', async () => {
    const { fake, alice } = await setup();
    const url = fake.issueResponseUrl({ channelId: fake.generalChannelId, userId: alice.id });
    for (let i = 1; i <= 5; i += 1) expect((await post(url, { text: `update ${i}` })).status).toBe(200);
    const sixth = await post(url, { text: 'one too many' });
    expect(sixth.status).toBe(404);
    expect(sixth.text).toContain('used_url');
    expect(fake.ephemerals(alice.id).map((e) => e.text)).toEqual([
      'update 1',
      'update 2',
      'update 3',
      'update 4',
      'update 5',
    ]);
  });

  it('expires after thirty minutes', async () => {
    let clock = 1_700_000_000_000;
    const { fake, alice } = await setup({ now: () => clock });
    const url = fake.issueResponseUrl({ channelId: fake.generalChannelId, userId: alice.id });
    clock += 30 * 60 * 1000 + 1;
    const late = await post(url, { text: 'late' });
    expect(late.status).toBe(404);
    expect(late.text).toContain('expired_url');
  });

  it('posts in channel, replaces or deletes the message it came from', async () => {
    const { client, fake, alice } = await setup();
    const posted = await client.chat.postMessage({ channel: 'general', text: 'Approve laptop?' });
    const origin = {
      channelId: fake.generalChannelId,
      userId: alice.id,
      message: { ts: posted.ts!, ephemeral: false },
    };
    await post(fake.issueResponseUrl(origin), { replace_original: true, text: 'Approved by Alice' });
    expect(fake.lastMessage('general')?.text).toBe('Approved by Alice');
    await post(fake.issueResponseUrl(origin), { response_type: 'in_channel', text: 'Everyone: approved' });
    expect(fake.messages('general').map((m) => m.text)).toEqual(['Approved by Alice', 'Everyone: approved']);
    await post(fake.issueResponseUrl(origin), { delete_original: true });
    expect(fake.messages('general').map((m) => m.text)).toEqual(['Everyone: approved']);
    expect(fake.calls.filter((c) => c.method === 'response_url')).toHaveLength(3);
  });

  it('refuses invalid blocks sent to a response_url', async () => {
    const { fake, alice } = await setup();
    const url = fake.issueResponseUrl({ channelId: fake.generalChannelId, userId: alice.id });
    const answer = await post(url, { text: 'x', blocks: [{ type: 'nope' }] });
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('invalid_blocks');
  });
});

describe('call log and reset', () => {
  it('marks positions in the log and forgets activity on reset, keeping the directory', async () => {
    const { client, fake, alice } = await setup();
    await client.chat.postMessage({ channel: 'general', text: 'before' });
    const mark = fake.mark();
    await client.chat.postMessage({ channel: alice.id, text: 'after' });
    expect(fake.callsSince(mark).map((c) => c.args.text)).toEqual(['after']);
    const seen: string[] = [];
    const unsubscribe = fake.onCall((call) => seen.push(call.method));
    await client.auth.test();
    unsubscribe();
    await client.auth.test();
    expect(seen).toEqual(['auth.test']);
    fake.reset();
    expect(fake.calls).toEqual([]);
    expect(fake.messages('general')).toEqual([]);
    expect(fake.user(alice.id)?.name).toBe('alice');
    fake.reset({ directory: true });
    expect(fake.user(alice.id)).toBeUndefined();
  });
});

describe('Block Kit refusals through the real WebClient', () => {
  const text = (t: string) => ({ type: 'plain_text', text: t });
  const button = (extra: Record<string, unknown> = {}) => ({
    type: 'button',
    text: text('Go'),
    action_id: 'go',
    ...extra,
  });
  const actions = (...elements: unknown[]) => ({ type: 'actions', elements });
  const option = (value: string, label = value) => ({ text: text(label), value });
  const rows = (n: number) => Array.from({ length: n }, (_, i) => section(`row ${i}`));
  const input = {
    type: 'input',
    block_id: 'name',
    label: text('Name'),
    element: { type: 'plain_text_input', action_id: 'v' },
  };

  const messageCases: [string, unknown[], string][] = [
    ['more than 50 blocks', rows(51), 'no more than 50 items allowed [json-pointer:/blocks]'],
    [
      'section text over 3000',
      [section('x'.repeat(3001))],
      'must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
    ],
    [
      'more than 10 section fields',
      [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }],
      'no more than 10 items allowed [json-pointer:/blocks/0/fields]',
    ],
    [
      'a section field over 2000',
      [{ type: 'section', fields: [{ type: 'mrkdwn', text: 'f'.repeat(2001) }] }],
      'must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]',
    ],
    [
      'header text over 150',
      [{ type: 'header', text: text('h'.repeat(151)) }],
      'must be less than 151 characters [json-pointer:/blocks/0/text/text]',
    ],
    [
      'button text over 75',
      [actions(button({ text: text('b'.repeat(76)) }))],
      'must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]',
    ],
    [
      'button value over 2000',
      [actions(button({ value: 'v'.repeat(2001) }))],
      'must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]',
    ],
    [
      'button url over 3000',
      [actions(button({ url: 'https://x.test/' + 'u'.repeat(2990) }))],
      'must be less than 3001 characters [json-pointer:/blocks/0/elements/0/url]',
    ],
    [
      'action_id over 255',
      [actions(button({ action_id: 'a'.repeat(256) }))],
      'must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]',
    ],
    [
      'block_id over 255',
      [{ ...section('x'), block_id: 'b'.repeat(256) }],
      'must be less than 256 characters [json-pointer:/blocks/0/block_id]',
    ],
    [
      'more than 25 elements in actions',
      [actions(...Array.from({ length: 26 }, (_, i) => button({ action_id: `b${i}` })))],
      'no more than 25 items allowed [json-pointer:/blocks/0/elements]',
    ],
    [
      'option text over 75',
      [actions({ type: 'static_select', action_id: 's', options: [option('v', 'o'.repeat(76))] })],
      'must be less than 76 characters [json-pointer:/blocks/0/elements/0/options/0/text/text]',
    ],
    [
      'more than 100 static_select options',
      [
        actions({
          type: 'static_select',
          action_id: 's',
          options: Array.from({ length: 101 }, (_, i) => option(`v${i}`)),
        }),
      ],
      'no more than 100 items allowed [json-pointer:/blocks/0/elements/0/options]',
    ],
    [
      'duplicate block_ids',
      [
        { ...section('a'), block_id: 'same' },
        { ...section('b'), block_id: 'same' },
      ],
      'duplicate block_id: same [json-pointer:/blocks/1/block_id]',
    ],
    [
      'an unknown block type',
      [{ type: 'table_of_assets' }],
      'unsupported type: table_of_assets [json-pointer:/blocks/0/type]',
    ],
  ];

  it.each(messageCases)('chat.postMessage refuses %s', async (_name, blocks, message) => {
    const { client, fake } = await setup();
    expect(
      await refusal(
        client.chat.postMessage({ channel: 'general', text: 'fallback', blocks: blocks as never }),
      ),
    ).toMatchObject({
      error: 'invalid_blocks',
      response_metadata: { messages: [`[ERROR] ${message}`] },
    });
    expect(fake.messages('general')).toEqual([]);
  });

  const longText = text('x'.repeat(25));
  const viewCases: [string, Record<string, unknown>, string][] = [
    [
      'more than 100 blocks',
      { blocks: rows(101) },
      'no more than 100 items allowed [json-pointer:/view/blocks]',
    ],
    [
      'a title over 24',
      { title: longText },
      'must be less than 25 characters [json-pointer:/view/title/text]',
    ],
    [
      'a submit label over 24',
      { submit: longText },
      'must be less than 25 characters [json-pointer:/view/submit/text]',
    ],
    [
      'a close label over 24',
      { close: longText },
      'must be less than 25 characters [json-pointer:/view/close/text]',
    ],
    [
      'input blocks without submit',
      { blocks: [input] },
      'must define `submit` to use an `input` block in modals [json-pointer:/view/blocks/0/input]',
    ],
    [
      'a callback_id over 255',
      { callback_id: 'c'.repeat(256) },
      'must be less than 256 characters [json-pointer:/view/callback_id]',
    ],
    [
      'private_metadata over 3000',
      { private_metadata: 'm'.repeat(3001) },
      'must be less than 3001 characters [json-pointer:/view/private_metadata]',
    ],
    [
      'duplicate block_ids',
      {
        blocks: [
          { ...section('a'), block_id: 'x' },
          { type: 'divider', block_id: 'x' },
        ],
      },
      'duplicate block_id: x [json-pointer:/view/blocks/1/block_id]',
    ],
  ];

  it.each(viewCases)('views.open refuses a modal with %s', async (_name, overrides, message) => {
    const { client, fake, alice } = await setup();
    const view = { ...modal(), ...overrides };
    expect(
      await refusal(client.views.open({ trigger_id: fake.issueTriggerId(alice.id), view: view as never })),
    ).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: { messages: [`[ERROR] ${message}`] },
    });
    expect(fake.topModal(alice.id)).toBeUndefined();
  });

  it('views.publish refuses an App Home with more than 100 blocks or oversized metadata', async () => {
    const { client, alice } = await setup();
    expect(
      await refusal(
        client.views.publish({ user_id: alice.id, view: { type: 'home', blocks: rows(101) as never } }),
      ),
    ).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: { messages: ['[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]'] },
    });
    expect(
      await refusal(
        client.views.publish({
          user_id: alice.id,
          view: { type: 'home', blocks: [], private_metadata: 'm'.repeat(3001) },
        }),
      ),
    ).toMatchObject({ error: 'invalid_arguments' });
    expect(
      (await client.views.publish({ user_id: alice.id, view: { type: 'home', blocks: rows(100) as never } }))
        .ok,
    ).toBe(true);
  });
});
