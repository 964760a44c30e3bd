import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { App, LogLevel, type Logger } from '@slack/bolt';
import type { AddressInfo } from 'node:net';
import {
  SlackClientRefusal,
  SlackDeadlineError,
  SlackRejectedResponseError,
  SlackRequestDriver,
  startFakeSlack,
  textOf,
  type FakeSlack,
  type FakeUser,
} from '../../src/index.js';

/** Bolt's logger, silenced; the app's unhandled errors are collected through `app.error` instead. */
const silent: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const section = (text: string) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text } });

function requestModal(initialTag: string) {
  return {
    type: 'modal' as const,
    callback_id: 'request_asset',
    notify_on_close: true,
    title: { type: 'plain_text' as const, text: 'Request an asset' },
    submit: { type: 'plain_text' as const, text: 'Request' },
    blocks: [
      {
        type: 'input' as const,
        block_id: 'tag',
        label: { type: 'plain_text' as const, text: 'Asset tag' },
        element: {
          type: 'plain_text_input' as const,
          action_id: 'tag_value',
          ...(initialTag ? { initial_value: initialTag } : {}),
        },
      },
      {
        type: 'input' as const,
        block_id: 'model',
        optional: true,
        label: { type: 'plain_text' as const, text: 'Model' },
        element: { type: 'external_select' as const, action_id: 'model_search', min_query_length: 2 },
      },
      {
        type: 'input' as const,
        block_id: 'due',
        label: { type: 'plain_text' as const, text: 'Needed by' },
        element: { type: 'datepicker' as const, action_id: 'due_date' },
      },
    ],
  };
}

describe('a real Bolt app driven through the fake Slack', () => {
  let clock = Date.now();
  let fake: FakeSlack;
  let app: App;
  let driver: SlackRequestDriver;
  let appUrl: string;
  let alice: FakeUser;
  let pending = 0;
  const appErrors: string[] = [];
  const retryNums: (number | undefined)[] = [];
  const closedViews: string[] = [];

  beforeAll(async () => {
    fake = await startFakeSlack({ now: () => clock });
    alice = fake.addUser({ name: 'alice', email: 'alice@example.com' });
    app = new App({
      token: fake.botToken,
      signingSecret: fake.signingSecret,
      logger: silent,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: silent },
    });
    app.error(async (error) => {
      appErrors.push(String((error as { data?: { error?: string } }).data?.error ?? error.message));
    });
    // Counts listeners in progress so the driver can wait for them (what the product's app exposes).
    app.use(async ({ next }) => {
      pending += 1;
      try {
        await next();
      } finally {
        pending -= 1;
      }
    });

    app.command('/asset', async ({ ack, command, client }) => {
      if (command.text === 'help') {
        await ack({ response_type: 'ephemeral', text: 'Usage: /asset [tag]' });
        return;
      }
      if (command.text === 'slow-ack') {
        await sleep(300);
        await ack();
        return;
      }
      await ack();
      if (command.text === 'after-slow-work') clock += 3500; // the app spends 3.5 s before opening the modal
      await client.views.open({
        trigger_id: command.trigger_id,
        view: requestModal(command.text === 'after-slow-work' ? '' : command.text),
      });
    });

    app.options('model_search', async ({ ack, options }) => {
      const models = ['MacBook Pro 14', 'MacBook Air 13', 'ThinkPad X1'];
      const query = options.value.toLowerCase();
      await ack({
        options: models
          .filter((m) => m.toLowerCase().includes(query))
          .map((m) => ({
            text: { type: 'plain_text' as const, text: m },
            value: m.replace(/ /g, '-').toLowerCase(),
          })),
      });
    });

    app.view('request_asset', async ({ ack, view, body, client }) => {
      const tag = view.state.values.tag?.tag_value?.value ?? '';
      if (!/^A-\d+$/.test(tag)) {
        await ack({ response_action: 'errors', errors: { tag: 'Use a tag like A-123' } });
        return;
      }
      await ack();
      const model = view.state.values.model?.model_search?.selected_option?.text.text ?? 'any model';
      const due = view.state.values.due?.due_date?.selected_date ?? '';
      await client.chat.postMessage({
        channel: body.user.id,
        text: `You requested ${tag}`,
        blocks: [
          section(`You requested *${tag}* (${model}) by ${due}`),
          {
            type: 'actions',
            block_id: 'request_actions',
            elements: [
              {
                type: 'button',
                action_id: 'confirm_request',
                text: { type: 'plain_text', text: 'Confirm' },
                value: tag,
              },
            ],
          },
        ],
      });
    });

    app.view({ callback_id: 'request_asset', type: 'view_closed' }, async ({ ack, view }) => {
      await ack();
      closedViews.push(view.id);
    });

    app.action('confirm_request', async ({ ack, action, respond }) => {
      await ack();
      const value = action.type === 'button' ? action.value : '';
      await respond({ replace_original: true, text: `Confirmed ${value}` });
    });

    app.event('app_home_opened', async ({ event, client, context }) => {
      retryNums.push(context.retryNum);
      await client.views.publish({
        user_id: event.user,
        view: {
          type: 'home',
          blocks: [
            section('Welcome to Custodian'),
            {
              type: 'actions',
              elements: [
                {
                  type: 'button',
                  action_id: 'open_request',
                  text: { type: 'plain_text', text: 'Request' },
                  value: 'home',
                },
              ],
            },
          ],
        },
      });
    });

    app.action('open_request', async ({ ack, body, client }) => {
      await ack();
      const triggerId = 'trigger_id' in body ? body.trigger_id : '';
      await client.views.open({ trigger_id: triggerId, view: requestModal('') });
    });

    app.shortcut('new_request', async ({ ack, shortcut, client }) => {
      await ack();
      await client.views.open({ trigger_id: shortcut.trigger_id, view: requestModal('') });
    });

    app.shortcut('report_message', async ({ ack, shortcut, respond }) => {
      await ack();
      if (shortcut.type === 'message_action')
        await respond({ text: `Reported: ${shortcut.message.text ?? ''}` });
    });

    const wizardStep = (step: number, extra: Record<string, unknown> = {}) => ({
      type: 'modal' as const,
      callback_id: 'wizard',
      private_metadata: String(step),
      title: { type: 'plain_text' as const, text: `Retire assets ${step}/2` },
      submit: { type: 'plain_text' as const, text: 'Next' },
      blocks: [
        {
          type: 'input' as const,
          block_id: 'reason',
          label: { type: 'plain_text' as const, text: 'Reason' },
          element: { type: 'plain_text_input' as const, action_id: 'reason_value' },
        },
      ],
      ...extra,
    });

    app.command('/retire', async ({ ack, command, client }) => {
      await ack();
      await client.views.open({ trigger_id: command.trigger_id, view: wizardStep(1) });
    });

    app.view('wizard', async ({ ack, view }) => {
      const reason = view.state.values.reason?.reason_value?.value ?? '';
      if (reason === 'bad-errors') {
        await ack({ response_action: 'errors', errors: { not_a_block: 'oops' } });
      } else if (view.private_metadata === '1') {
        await ack({ response_action: 'update', view: wizardStep(2) });
      } else {
        await ack({
          response_action: 'push',
          view: {
            ...wizardStep(3),
            callback_id: 'wizard_confirm',
            title: { type: 'plain_text', text: 'Sure?' },
          },
        });
      }
    });

    app.view('wizard_confirm', async ({ ack }) => {
      await ack({ response_action: 'clear' });
    });

    app.command('/import', async ({ ack, command, client }) => {
      await ack();
      await client.views.open({
        trigger_id: command.trigger_id,
        view: {
          type: 'modal',
          callback_id: 'import_assets',
          title: { type: 'plain_text', text: 'Import assets' },
          submit: { type: 'plain_text', text: 'Import' },
          blocks: [
            {
              type: 'input',
              block_id: 'file',
              label: { type: 'plain_text', text: 'CSV file' },
              element: { type: 'file_input', action_id: 'csv', filetypes: ['csv'], max_files: 1 },
            },
          ],
        },
      });
    });

    app.view('import_assets', async ({ ack, view, body, client }) => {
      await ack();
      const file = view.state.values.file?.csv?.files?.[0];
      const response = await fetch(file?.url_private ?? '', {
        headers: { authorization: `Bearer ${fake.botToken}` },
      });
      const rows = (await response.text()).trim().split('\n').length - 1;
      await client.chat.postMessage({
        channel: body.user.id,
        text: `Imported ${rows} assets from ${file?.name ?? '?'}`,
      });
    });

    app.command('/inventory', async ({ ack, respond }) => {
      await ack();
      await respond({
        response_type: 'in_channel',
        text: 'Inventory',
        blocks: [
          section('Inventory'),
          {
            type: 'actions',
            block_id: 'inventory_filters',
            elements: [
              {
                type: 'static_select',
                action_id: 'status_filter',
                placeholder: { type: 'plain_text', text: 'Status' },
                options: ['available', 'assigned'].map((v) => ({
                  text: { type: 'plain_text' as const, text: v },
                  value: v,
                })),
              },
            ],
          },
        ],
      });
    });

    app.action('status_filter', async ({ ack, action, respond }) => {
      await ack();
      if (action.type === 'static_select')
        await respond({ replace_original: true, text: `Showing ${action.selected_option.value} assets` });
    });

    const server = (await app.start(0)) as { address(): AddressInfo | string | null };
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    driver = new SlackRequestDriver({
      fake,
      appUrl,
      signingSecret: fake.signingSecret,
      settle: async () => {
        while (pending > 0) await sleep(5);
      },
    });
  });

  afterAll(async () => {
    await app.stop();
    await fake.stop();
  });

  beforeEach(() => {
    fake.reset();
    appErrors.length = 0;
    clock = Date.now();
  });

  it('opens a modal from a slash command, within Slack’s deadline', async () => {
    const result = await driver.slashCommand({ user: alice.id, text: 'A-1' });
    expect(result.status).toBe(200);
    expect(result.durationMs).toBeLessThan(3000);
    const payload = result.request.payload;
    expect(payload).toMatchObject({
      command: '/asset',
      text: 'A-1',
      user_id: alice.id,
      user_name: 'alice',
      team_id: fake.teamId,
      team_domain: 'custodian-test',
      channel_id: fake.generalChannelId,
      channel_name: 'general',
      api_app_id: fake.appId,
      is_enterprise_install: 'false',
    });
    expect(payload.response_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/response\//);
    const opened = result.calls.find((c) => c.method === 'views.open');
    expect(opened?.args.trigger_id).toBe(payload.trigger_id);
    expect(opened?.response).toMatchObject({ ok: true });
    expect(fake.topModal(alice.id)).toMatchObject({
      callback_id: 'request_asset',
      title: { text: 'Request an asset' },
    });
  });

  it('shows a slash command’s acknowledgement as the command’s reply', async () => {
    await driver.slashCommand({ user: alice.id, text: 'help' });
    expect(fake.ephemerals(alice.id, 'general').map((e) => e.text)).toEqual(['Usage: /asset [tag]']);
  });

  it('keeps inline errors on the modal, then closes it and the app DMs the requester', async () => {
    await driver.slashCommand({ user: alice.id, text: 'bad-tag' });
    const refused = await driver.submitView({ user: alice.id, values: { due: '2025-05-01' } });
    expect(refused.outcome).toBe('errors');
    expect(fake.topModal(alice.id)?.errors).toEqual({ tag: 'Use a tag like A-123' });
    const submitted = refused.request.payload as {
      view: { state: { values: Record<string, Record<string, unknown>> } };
    };
    expect(submitted.view.state.values.tag?.tag_value).toEqual({
      type: 'plain_text_input',
      value: 'bad-tag',
    });
    expect(submitted.view.state.values.due?.due_date).toEqual({
      type: 'datepicker',
      selected_date: '2025-05-01',
    });

    const suggestion = await driver.suggest({ user: alice.id, actionId: 'model_search', value: 'macbook' });
    expect(suggestion.options.map((o) => o.text.text)).toEqual(['MacBook Pro 14', 'MacBook Air 13']);

    const accepted = await driver.submitView({
      user: alice.id,
      values: { tag: 'A-7', model: 'macbook-air-13' },
    });
    expect(accepted.outcome).toBe('closed');
    expect(fake.modalStack(alice.id)).toEqual([]);
    expect(accepted.calls.map((c) => c.method)).toContain('chat.postMessage');
    expect(textOf(fake.dms(alice.id)[0]?.blocks)).toContain(
      'You requested *A-7* (MacBook Air 13) by 2025-05-01',
    );
  });

  it('refuses, like the Slack client, to submit an empty required field', async () => {
    await driver.slashCommand({ user: alice.id, text: '' });
    await expect(driver.submitView({ user: alice.id, values: { tag: 'A-1' } })).rejects.toThrow(
      SlackClientRefusal,
    );
    await expect(driver.submitView({ user: alice.id, values: { nope: 'x' } })).rejects.toThrow(
      /no input block "nope"; input blocks: tag, model, due/,
    );
  });

  it('presses the button the app rendered, sending its value and a working response_url', async () => {
    await driver.slashCommand({ user: alice.id, text: 'A-9' });
    await driver.submitView({ user: alice.id, values: { due: '2025-06-01' } });
    const pressed = await driver.pressButton({
      user: alice.id,
      actionId: 'confirm_request',
      message: 'last-in:dm',
    });
    const payload = pressed.request.payload as Record<string, any>;
    expect(payload.type).toBe('block_actions');
    expect(payload.container).toMatchObject({
      type: 'message',
      channel_id: fake.dmChannelOf(alice.id),
      is_ephemeral: false,
    });
    expect(payload.actions[0]).toMatchObject({
      type: 'button',
      action_id: 'confirm_request',
      block_id: 'request_actions',
      value: 'A-9',
    });
    expect(pressed.calls.map((c) => c.method)).toEqual(['response_url']);
    expect(fake.dms(alice.id).map((m) => m.text)).toEqual(['Confirmed A-9']);
    await expect(
      driver.pressButton({ user: alice.id, actionId: 'nope', message: 'last-in:dm' }),
    ).rejects.toThrow(/available action_ids/);
  });

  it('publishes the App Home on app_home_opened, and its button opens a modal', async () => {
    const opened = await driver.openHome(alice.id);
    expect(opened.request.payload).toMatchObject({
      type: 'event_callback',
      event: { type: 'app_home_opened', user: alice.id, channel: fake.dmChannelOf(alice.id), tab: 'home' },
      authorizations: [{ user_id: fake.botUserId, is_bot: true }],
    });
    expect(opened.calls.filter((c) => c.method === 'views.publish')).toHaveLength(1);
    expect(textOf(fake.home(alice.id)?.blocks)).toContain('Welcome to Custodian');

    const pressed = await driver.pressButton({ user: alice.id, actionId: 'open_request', view: 'home' });
    expect(pressed.request.payload).toMatchObject({
      container: { type: 'view', view_id: fake.home(alice.id)?.id },
    });
    expect(fake.topModal(alice.id)?.callback_id).toBe('request_asset');
  });

  it('delivers retries of an event with Slack’s retry headers', async () => {
    retryNums.length = 0;
    const first = await driver.openHome(alice.id);
    await driver.redeliver(first, { num: 1, reason: 'http_timeout' });
    expect(retryNums).toEqual([undefined, 1]);
  });

  it('lets the app’s trigger expire when it does slow work before views.open', async () => {
    await driver.slashCommand({ user: alice.id, text: 'after-slow-work' });
    expect(fake.topModal(alice.id)).toBeUndefined();
    expect(appErrors).toContain('expired_trigger_id');
  });

  it('fails a request the app answers after the deadline', async () => {
    const strict = new SlackRequestDriver({
      fake,
      appUrl,
      signingSecret: fake.signingSecret,
      maxResponseMs: 200,
    });
    await expect(strict.slashCommand({ user: alice.id, text: 'slow-ack' })).rejects.toThrow(
      SlackDeadlineError,
    );
  });

  it('is refused by Bolt with 401 when wrongly signed or stale', async () => {
    const good = await driver.slashCommand({ user: alice.id, text: 'help' });
    const forged = await driver.deliver(good.request, { signingSecret: 'not-the-secret' });
    expect(forged.status).toBe(401);
    const stale = await driver.deliver(good.request, {
      timestampSeconds: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(stale.status).toBe(401);
  });

  it('tells the app when a modal that asked for it is closed', async () => {
    await driver.slashCommand({ user: alice.id, text: 'A-3' });
    const viewId = fake.topModal(alice.id)?.id ?? '';
    const closed = await driver.closeView({ user: alice.id });
    expect(closed?.request.payload).toMatchObject({
      type: 'view_closed',
      is_cleared: false,
      view: { id: viewId },
    });
    expect(closedViews).toContain(viewId);
    expect(fake.topModal(alice.id)).toBeUndefined();
  });

  it('runs global and message shortcuts', async () => {
    await driver.shortcut({ user: alice.id, callbackId: 'new_request' });
    expect(fake.topModal(alice.id)?.callback_id).toBe('request_asset');
    const message = fake.postUserMessage(alice.id, 'general', 'my laptop screen is broken');
    const result = await driver.messageShortcut({
      user: alice.id,
      callbackId: 'report_message',
      message: { channel: 'general', ts: message.ts },
    });
    expect(result.request.payload).toMatchObject({
      type: 'message_action',
      message_ts: message.ts,
      channel: { id: fake.generalChannelId },
    });
    expect(fake.ephemerals(alice.id, 'general').map((e) => e.text)).toEqual([
      'Reported: my laptop screen is broken',
    ]);
  });

  it('answers Slack’s URL verification', async () => {
    const result = await driver.urlVerification('challenge-123');
    expect(result.body).toEqual({ challenge: 'challenge-123' });
  });

  it('settles by watching the fake when the app exposes no settle hook', async () => {
    const watching = new SlackRequestDriver({ fake, appUrl, signingSecret: fake.signingSecret });
    const result = await watching.openHome(alice.id);
    expect(result.calls.map((c) => c.method)).toContain('views.publish');
  });
  it('applies response_action update, push and clear to the modal stack', async () => {
    await driver.slashCommand({ user: alice.id, command: '/retire' });
    const rootId = fake.topModal(alice.id)?.id;
    const updated = await driver.submitView({ user: alice.id, values: { reason: 'broken' } });
    expect(updated.outcome).toBe('updated');
    expect(fake.topModal(alice.id)).toMatchObject({
      id: rootId,
      private_metadata: '2',
      title: { text: 'Retire assets 2/2' },
    });
    const pushed = await driver.submitView({ user: alice.id, values: { reason: 'broken' } });
    expect(pushed.outcome).toBe('pushed');
    expect(fake.modalStack(alice.id).map((v) => v.callback_id)).toEqual(['wizard', 'wizard_confirm']);
    expect(fake.topModal(alice.id)?.previous_view_id).toBe(rootId);
    const cleared = await driver.submitView({ user: alice.id, values: { reason: 'yes' } });
    expect(cleared.outcome).toBe('cleared');
    expect(fake.modalStack(alice.id)).toEqual([]);
  });

  it('rejects inline errors that name a block the modal does not have', async () => {
    await driver.slashCommand({ user: alice.id, command: '/retire' });
    await expect(driver.submitView({ user: alice.id, values: { reason: 'bad-errors' } })).rejects.toThrow(
      SlackRejectedResponseError,
    );
  });

  it('submits attached files in a file_input, which the app downloads with its token', async () => {
    await driver.slashCommand({ user: alice.id, command: '/import' });
    await driver.submitView({
      user: alice.id,
      values: { file: [{ name: 'laptops.csv', content: 'tag,model\nA-1,MBP\nA-2,X1' }] },
    });
    expect(fake.dms(alice.id).map((m) => m.text)).toEqual(['Imported 2 assets from laptops.csv']);
    await driver.slashCommand({ user: alice.id, command: '/import' });
    await expect(
      driver.submitView({ user: alice.id, values: { file: [{ name: 'laptops.xlsx', content: 'x' }] } }),
    ).rejects.toThrow(/File type xlsx is not allowed/);
  });

  it('picks an option in a select the app posted, and the app replaces the message', async () => {
    await driver.slashCommand({ user: alice.id, command: '/inventory' });
    expect(fake.lastMessage('general')?.text).toBe('Inventory');
    const picked = await driver.selectOption({
      user: alice.id,
      actionId: 'status_filter',
      message: 'last-in:general',
      value: 'assigned',
    });
    expect((picked.request.payload as Record<string, any>).actions[0]).toMatchObject({
      type: 'static_select',
      action_id: 'status_filter',
      selected_option: { value: 'assigned', text: { text: 'assigned' } },
    });
    expect(
      (picked.request.payload as Record<string, any>).state.values.inventory_filters.status_filter
        .selected_option.value,
    ).toBe('assigned');
    expect(fake.lastMessage('general')?.text).toBe('Showing assigned assets');
    await driver.slashCommand({ user: alice.id, command: '/inventory' });
    await expect(
      driver.selectOption({
        user: alice.id,
        actionId: 'status_filter',
        message: 'last-in:general',
        value: 'lost',
      }),
    ).rejects.toThrow(/options: available, assigned/);
  });

  it('sends no block_actions for an input without dispatch_action', async () => {
    await driver.slashCommand({ user: alice.id, text: 'A-1' });
    await expect(
      driver.selectOption({ user: alice.id, blockId: 'due', value: '2025-01-01' }),
    ).rejects.toThrow(SlackClientRefusal);
  });
});
