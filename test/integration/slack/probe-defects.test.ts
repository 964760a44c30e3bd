/**
 * Requests a probe (or an old Slack client) can send that the app once mishandled: signed bodies that
 * are not objects, timestamps from the future, and buttons, forms and shortcuts this version no longer has.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import {
  signSlackRequest,
  SlackRequestDriver,
  startFakeSlack,
  type DeliveredRequest,
  type FakeSlack,
  type JsonObject,
  type RecordedCall,
} from '@custodian/fake-slack';
import { retiredButtonText, retiredFormText, retiredShortcutText } from '../../../src/slack/messages.js';
import { people, startHarness, type Harness } from '../../support/app-harness.js';
import { freePort, startMain, waitFor, type MainProcess } from '../../support/processes.js';

const FORM = 'application/x-www-form-urlencoded';
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Posts a body signed with the right secret, exactly as given (the driver only sends well-formed payloads). */
async function postSigned(url: string, secret: string, contentType: string, body: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType, ...signSlackRequest(secret, nowSeconds(), body) },
    body,
    signal: AbortSignal.timeout(5_000),
  });
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the condition did not hold in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a correctly signed body that is not an object', () => {
  let db: TestDatabase;
  let fake: FakeSlack;
  let run: MainProcess | undefined;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase('probe_bodies');
    fake = await startFakeSlack({
      users: [people.ana],
      channels: [{ id: 'C0ITREQ01', name: 'it-requests', botIsMember: true }],
    });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    run = startMain({
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: fake.signingSecret,
      SLACK_API_URL: fake.apiUrl,
      IT_CHANNEL_ID: 'C0ITREQ01',
      MONGODB_URI: db.uri,
      PORT: String(port),
      LOG_LEVEL: 'info',
    });
    expect((await waitFor(`${base}/healthz`)).status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    if (run) {
      run.child.kill('SIGTERM');
      await run.exited;
    }
    await fake?.stop();
    await db?.stop();
  });

  it('is refused with 400 and logged, and the process keeps serving Slack and health checks', async () => {
    const bodies: Array<[string, string]> = [
      [FORM, 'payload=null'],
      ['application/json', 'null'],
      [FORM, 'payload=%5B%5D'],
      [FORM, 'payload=42'],
      [FORM, 'payload=%7Bnot%20json'],
      ['application/json', '"text"'],
    ];
    for (const [contentType, body] of bodies) {
      const response = await postSigned(`${base}/slack/events`, fake.signingSecret, contentType, body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
    }

    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const driver = new SlackRequestDriver({
      fake,
      appUrl: `${base}/slack/events`,
      signingSecret: fake.signingSecret,
    });
    const help = await driver.slashCommand({ user: people.ana.id, text: 'help' });
    expect(help.status).toBe(200);
    // The process offers no settle hook; its reply comes when its first database round trips are done.
    await until(() => fake.ephemerals(people.ana.id).length > 0);
    expect(fake.ephemerals(people.ana.id).at(-1)?.text).toContain('/asset find');

    const warnings = run!
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg: string; reason?: string })
      .filter((l) => l.msg === 'refused a signed Slack request with a malformed body');
    expect(warnings).toHaveLength(bodies.length);
    expect(warnings.every((w) => w.level === 40)).toBe(true);
    expect(run!.child.exitCode).toBeNull();
  });
});

describe('with the real app and the fake Slack', () => {
  let h: Harness;
  const user = people.ana;

  beforeAll(async () => {
    h = await startHarness('probe_defects');
  });

  afterAll(async () => {
    await h?.stop();
  });

  const helpCommand = (): DeliveredRequest => {
    const channelId = h.fake.generalChannelId;
    const fields: Record<string, string> = {
      token: 'fake-verification-token',
      team_id: h.teamId,
      team_domain: h.fake.identity.teamDomain,
      channel_id: channelId,
      channel_name: 'general',
      user_id: user.id,
      user_name: user.name,
      command: '/asset',
      text: 'help',
      api_app_id: h.fake.appId,
      is_enterprise_install: 'false',
      response_url: h.fake.issueResponseUrl({ channelId, userId: user.id }),
      trigger_id: h.fake.issueTriggerId(user.id),
    };
    return {
      kind: 'slash_command',
      contentType: FORM,
      body: new URLSearchParams(fields).toString(),
      payload: fields,
    };
  };

  describe('a request dated in the future', () => {
    it('is refused as stale beyond five minutes and does nothing', async () => {
      const res = await h.driver.deliver(helpCommand(), { timestampSeconds: nowSeconds() + 6 * 60 });
      expect(res.status).toBe(401);
      expect(res.body).toBeUndefined();
      expect(res.calls).toEqual([]);
    });

    it('is accepted within five minutes (clock skew)', async () => {
      const res = await h.driver.deliver(helpCommand(), { timestampSeconds: nowSeconds() + 4 * 60 });
      expect(res.status).toBe(200);
      expect(res.calls.map((c) => c.method)).toContain('response_url');
    });
  });

  describe('a button, form or shortcut this version no longer has', () => {
    const retiredButton = (actionId: string, extra: JsonObject = {}) => ({
      type: 'actions',
      block_id: 'retired_block',
      elements: [
        { type: 'button', action_id: actionId, text: { type: 'plain_text', text: 'Old' }, ...extra },
      ],
    });
    const noticeText = (call: RecordedCall | undefined) =>
      JSON.stringify((call?.args['view'] as JsonObject | undefined)?.['blocks'] ?? []);

    it('under a message: acknowledged in time and the person is told ephemerally', async () => {
      await h.app.slack.app.client.chat.postMessage({
        channel: user.id,
        text: 'An old message',
        blocks: [retiredButton('retired_approve', { value: 'R1' })] as never,
      });
      const res = await h.driver.pressButton({
        user: user.id,
        actionId: 'retired_approve',
        message: 'last-in:dm',
      });
      expect(res.status).toBe(200);
      const posts = res.calls.filter((c) => c.method === 'response_url');
      expect(posts).toHaveLength(1);
      expect(posts[0]!.args).toMatchObject({ response_type: 'ephemeral', text: retiredButtonText });
      expect(res.calls.filter((c) => c.method !== 'response_url')).toEqual([]);
    });

    it('on the App Home: acknowledged and explained in a small modal', async () => {
      await h.app.slack.app.client.views.publish({
        user_id: user.id,
        view: { type: 'home', blocks: [retiredButton('retired_home_button')] as never },
      });
      const res = await h.driver.pressButton({
        user: user.id,
        actionId: 'retired_home_button',
        view: 'home',
      });
      expect(res.status).toBe(200);
      const opened = res.calls.find((c) => c.method === 'views.open');
      expect(noticeText(opened)).toContain(retiredButtonText);
      expect(h.fake.topModal(user.id)).toBeDefined();
    });

    it('inside a modal: explained on a view pushed over it', async () => {
      await h.app.slack.app.client.views.open({
        trigger_id: h.fake.issueTriggerId(user.id),
        view: {
          type: 'modal',
          callback_id: 'retired_modal_with_button',
          title: { type: 'plain_text', text: 'Old form' },
          blocks: [retiredButton('retired_modal_button')] as never,
        },
      });
      const res = await h.driver.pressButton({
        user: user.id,
        actionId: 'retired_modal_button',
        view: 'top-modal',
      });
      expect(res.status).toBe(200);
      expect(noticeText(res.calls.find((c) => c.method === 'views.push'))).toContain(retiredButtonText);
      expect(h.fake.modalStack(user.id)).toHaveLength(2);
      await h.driver.closeView({ user: user.id, all: true });
    });

    it('a link button: acknowledged without a notice, since Slack opened the link', async () => {
      await h.app.slack.app.client.chat.postMessage({
        channel: user.id,
        text: 'An old link',
        blocks: [retiredButton('retired_link', { url: 'https://example.com/old' })] as never,
      });
      const res = await h.driver.pressButton({
        user: user.id,
        actionId: 'retired_link',
        message: 'last-in:dm',
      });
      expect(res.status).toBe(200);
      expect(res.calls).toEqual([]);
    });

    it('a submitted form: the modal is replaced by a notice', async () => {
      await h.app.slack.app.client.views.open({
        trigger_id: h.fake.issueTriggerId(user.id),
        view: {
          type: 'modal',
          callback_id: 'retired_form',
          title: { type: 'plain_text', text: 'Old form' },
          submit: { type: 'plain_text', text: 'Send' },
          blocks: [
            {
              type: 'input',
              block_id: 'note',
              optional: true,
              label: { type: 'plain_text', text: 'Note' },
              element: { type: 'plain_text_input', action_id: 'note' },
            },
          ] as never,
        },
      });
      const res = await h.driver.submitView({ user: user.id });
      expect(res.outcome).toBe('updated');
      expect(JSON.stringify(h.fake.topModal(user.id)?.blocks)).toContain(retiredFormText);
      expect(res.calls).toEqual([]);
      await h.driver.closeView({ user: user.id, all: true });
    });

    it('an external select: answered with no options', async () => {
      await h.app.slack.app.client.views.open({
        trigger_id: h.fake.issueTriggerId(user.id),
        view: {
          type: 'modal',
          callback_id: 'retired_picker',
          title: { type: 'plain_text', text: 'Old picker' },
          submit: { type: 'plain_text', text: 'Send' },
          blocks: [
            {
              type: 'input',
              block_id: 'pick',
              label: { type: 'plain_text', text: 'Pick' },
              element: { type: 'external_select', action_id: 'retired_select', min_query_length: 1 },
            },
          ] as never,
        },
      });
      const res = await h.driver.suggest({ user: user.id, actionId: 'retired_select', value: 'lap' });
      expect(res.status).toBe(200);
      expect(res.options).toEqual([]);
      await h.driver.closeView({ user: user.id, all: true });
    });

    it('a global shortcut: acknowledged and explained in a small modal', async () => {
      const res = await h.driver.shortcut({ user: user.id, callbackId: 'retired_shortcut' });
      expect(res.status).toBe(200);
      expect(noticeText(res.calls.find((c) => c.method === 'views.open'))).toContain(retiredShortcutText);
      await h.driver.closeView({ user: user.id, all: true });
    });

    it('a message shortcut: acknowledged and explained ephemerally', async () => {
      await h.app.slack.app.client.chat.postMessage({ channel: user.id, text: 'Any message' });
      const res = await h.driver.messageShortcut({
        user: user.id,
        callbackId: 'retired_message_shortcut',
        message: 'last-in:dm',
      });
      expect(res.status).toBe(200);
      const posts = res.calls.filter((c) => c.method === 'response_url');
      expect(posts.map((c) => c.args['text'])).toEqual([retiredShortcutText]);
    });

    it('leaves the buttons this version has to their listeners', async () => {
      const res = await h.driver.slashCommand({ user: user.id, text: 'help' });
      expect(res.status).toBe(200);
      await h.driver.openHome(user.id);
      const pressed = await h.driver.pressButton({
        user: user.id,
        actionId: 'home_request_asset',
        view: 'home',
      });
      expect(pressed.status).toBe(200);
      expect(JSON.stringify(h.fake.topModal(user.id)?.blocks)).not.toContain(retiredButtonText);
      expect(h.fake.topModal(user.id)?.callback_id).toBe('request_asset_modal');
    });
  });
});
