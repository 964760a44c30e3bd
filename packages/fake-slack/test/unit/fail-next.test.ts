import { afterEach, describe, expect, it } from '@jest/globals';
import { LogLevel, WebClient, type Logger } from '@slack/web-api';
import { startFakeSlack, type FakeSlack } from '../../src/index.js';

const started: FakeSlack[] = [];
// The WebClient logs the failures these tests inject on purpose.
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

async function setup() {
  const fake = await startFakeSlack({ channels: [{ name: 'it-requests', botIsMember: true }] });
  started.push(fake);
  const client = new WebClient(fake.botToken, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: silent,
  });
  return { fake, client, channel: fake.channel('it-requests')!.id };
}

/** The raw HTTP answer, to see status and headers as Slack sends them. */
async function rawCall(fake: FakeSlack, method: string, args: Record<string, unknown>) {
  const res = await fetch(`${fake.apiUrl}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fake.botToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(args),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

describe('failNext', () => {
  it('answers the next call with { ok: false, error }, records it, changes nothing, then works again', async () => {
    const { fake, client, channel } = await setup();
    fake.failNext('chat.postMessage', { error: 'internal_error' });
    expect(fake.pendingFaults('chat.postMessage')).toBe(1);

    await expect(client.chat.postMessage({ channel, text: 'first' })).rejects.toMatchObject({
      code: 'slack_webapi_platform_error',
      data: { ok: false, error: 'internal_error' },
    });
    expect(fake.messages(channel)).toHaveLength(0);
    const failed = fake.calls.at(-1);
    expect(failed).toMatchObject({
      method: 'chat.postMessage',
      status: 200,
      args: { channel, text: 'first' },
      response: { ok: false, error: 'internal_error' },
    });

    const second = await client.chat.postMessage({ channel, text: 'second' });
    expect(second.ok).toBe(true);
    expect(fake.messages(channel).map((m) => m.text)).toEqual(['second']);
    expect(fake.pendingFaults()).toBe(0);
  });

  it('fails only the method named, as many times as asked', async () => {
    const { fake, client, channel } = await setup();
    fake.failNext('chat.postMessage', { error: 'fatal_error', times: 2 });

    // Another method is unaffected.
    const posted = fake.calls.length;
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
    expect(fake.calls.length).toBe(posted + 1);

    for (let i = 0; i < 2; i++) {
      await expect(client.chat.postMessage({ channel, text: `try ${i}` })).rejects.toMatchObject({
        data: { error: 'fatal_error' },
      });
    }
    await expect(client.chat.postMessage({ channel, text: 'third' })).resolves.toMatchObject({ ok: true });
    expect(fake.messages(channel)).toHaveLength(1);
  });

  it('fails only calls that match, leaving the others to go through', async () => {
    const { fake, client, channel } = await setup();
    const dm = fake.addUser({ name: 'dana' });
    fake.failNext('chat.postMessage', { match: (args) => args['channel'] === channel });
    await expect(client.chat.postMessage({ channel: dm.id, text: 'a DM' })).resolves.toMatchObject({
      ok: true,
    });
    expect(fake.pendingFaults('chat.postMessage')).toBe(1);
    await expect(client.chat.postMessage({ channel, text: 'to IT' })).rejects.toMatchObject({
      data: { error: 'internal_error' },
    });
    expect(fake.dms(dm.id)).toHaveLength(1);
    expect(fake.messages(channel)).toHaveLength(0);
  });

  it('answers HTTP 500 for a server error, which the WebClient retries', async () => {
    const { fake, channel } = await setup();
    fake.failNext('chat.update', { status: 500 });
    const raw = await rawCall(fake, 'chat.update', { channel, ts: '1.1', text: 'x' });
    expect(raw).toMatchObject({ status: 500, body: { ok: false, error: 'internal_error' } });

    const retrying = new WebClient(fake.botToken, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 1, minTimeout: 10, maxTimeout: 10 },
      logger: silent,
    });
    fake.failNext('chat.postMessage', { status: 500 });
    await expect(retrying.chat.postMessage({ channel, text: 'after one 500' })).resolves.toMatchObject({
      ok: true,
    });
    const posts = fake.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts.map((c) => c.status)).toEqual([500, 200]);
    expect(fake.messages(channel)).toHaveLength(1);
  });

  it('answers 429 with Retry-After for a rate limit', async () => {
    const { fake, client, channel } = await setup();
    fake.failNext('views.publish', { status: 429, retryAfterSeconds: 7 });
    const raw = await rawCall(fake, 'views.publish', { user_id: 'U0NOBODY', view: {} });
    expect(raw).toEqual({ status: 429, retryAfter: '7', body: { ok: false, error: 'ratelimited' } });

    fake.failNext('chat.postMessage', { status: 429 });
    await expect(client.chat.postMessage({ channel, text: 'limited' })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 1,
    });
    expect(fake.messages(channel)).toHaveLength(0);
  });

  it('refuses unknown methods and nonsense counts; reset forgets pending faults', async () => {
    const { fake } = await setup();
    expect(() => fake.failNext('chat.postMessages')).toThrow(/unknown method/);
    expect(() => fake.failNext('chat.update', { times: 0 })).toThrow(/1 or more/);
    fake.failNext('chat.update').failNext('views.open', { error: 'expired_trigger_id' });
    expect(fake.pendingFaults()).toBe(2);
    fake.reset();
    expect(fake.pendingFaults()).toBe(0);
  });
});
