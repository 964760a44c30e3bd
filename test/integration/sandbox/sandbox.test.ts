import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { isOverdue, type Person } from '../../../src/domain/index.js';
import { createLogger } from '../../../src/platform/logger.js';
import { demoChannels, demoPeople } from '../../../src/sandbox/demo-data.js';
import { SandboxRefusedError, startSandbox, type RunningSandbox } from '../../../src/sandbox/sandbox.js';
import type { SandboxSnapshot } from '../../../src/sandbox/sandbox-state.js';
import { buildSubcommands } from '../../../src/slack/commands/asset.command.js';

/** The sandbox in-process: the real app with demo data, its page and JSON API on one HTTP server. */

let sandbox: RunningSandbox;
let base: string;
const { leo, ivy, adam, maya, sara, tom } = demoPeople;

async function post(
  route: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}/api/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function stateOf(userId: string): Promise<SandboxSnapshot> {
  const response = await fetch(`${base}/api/state?user=${userId}`);
  expect(response.status).toBe(200);
  return (await response.json()) as SandboxSnapshot;
}

function channelId(snapshot: SandboxSnapshot, name: string): string {
  const found = snapshot.conversations.find((c) => c.name === name && c.kind !== 'app');
  if (!found) throw new Error(`${snapshot.me} cannot see #${name}`);
  return found.id;
}

/** A demo person as the services take the acting person. */
async function as(userId: string): Promise<Person> {
  const person = await sandbox.app.services.people.resolve(sandbox.fake.teamId, userId);
  if (!person) throw new Error(`the demo workspace does not know ${userId}`);
  return person;
}

async function tagStatus(tag: string) {
  const asset = await sandbox.app.services.assets.byTag(await as(ivy.id), tag);
  if (!asset.ok) throw new Error(`no ${tag}`);
  return asset.value;
}

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    allowDownload: false,
    env: {},
  });
  base = sandbox.url;
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('the sandbox', () => {
  it('serves the page, its files and the app on one HTTP server', async () => {
    expect(sandbox.url).toMatch(/^http:\/\/localhost:\d+\/sandbox$/);
    expect(sandbox.databaseKind).not.toBe('external');
    const page = await fetch(base);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('/sandbox/assets/sandbox.js');
    for (const file of ['sandbox.js', 'block-kit.js', 'mrkdwn.js', 'sandbox.css']) {
      const asset = await fetch(`${base}/assets/${file}`);
      expect(asset.status).toBe(200);
    }
    expect((await fetch(`${base}/assets/..%2Fsandbox.ts`)).status).toBe(404);
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    const health = await fetch(base.replace('/sandbox', '/healthz'));
    expect(health.status).toBe(200);
  });

  it('has the demo people with their roles, departments and manager', async () => {
    const snapshot = await stateOf(ivy.id);
    const byId = new Map(snapshot.people.map((p) => [p.id, p]));
    expect(byId.get(ivy.id)?.roles).toContain('it');
    expect(byId.get(adam.id)?.roles).toContain('admin');
    expect(byId.get(maya.id)?.roles).toContain('manager');
    expect(byId.get(leo.id)).toMatchObject({
      department: 'Engineering',
      managerName: 'Maya Chen',
      roles: ['employee'],
    });
    expect(byId.get(sara.id)?.managerName).toBe('Maya Chen');
    // IT sees the private IT channels; an employee does not.
    expect(snapshot.conversations.map((c) => c.name)).toEqual(
      expect.arrayContaining(['general', demoChannels.it.name, demoChannels.alerts.name]),
    );
    const employee = await stateOf(leo.id);
    expect(employee.conversations.map((c) => c.name)).not.toContain(demoChannels.it.name);
  });

  it('has assets in every state, one of them overdue, and pending requests', async () => {
    const now = sandbox.clock.now();
    expect((await tagStatus('LAP-001')).status).toBe('available');
    expect(await tagStatus('LAP-002')).toMatchObject({ status: 'checked_out', holderId: leo.id });
    const overdue = await tagStatus('LAP-004');
    expect(overdue).toMatchObject({ status: 'checked_out', holderId: tom.id });
    expect(isOverdue(overdue, now)).toBe(true);
    expect(await tagStatus('MON-002')).toMatchObject({ status: 'pending_return', holderId: sara.id });
    expect((await tagStatus('LAP-005')).status).toBe('in_repair');
    expect((await tagStatus('PHN-003')).status).toBe('lost');
    expect((await tagStatus('LAP-006')).status).toBe('retired');
    const catalog = await sandbox.app.services.assets.catalog(await as(leo.id), undefined, 50);
    const categories = catalog.ok ? catalog.value : [];
    expect(new Set(categories.map((c) => c.category))).toEqual(
      new Set(['Laptop', 'Phone', 'Monitor', 'Licence']),
    );

    const queue = await sandbox.app.services.requests.pending(await as(ivy.id), {
      offset: 0,
      limit: 10,
    });
    const pending = queue.ok ? queue.value : { items: [] };
    expect(pending.items.map((r) => r.requesterId).sort()).toEqual([sara.id, tom.id].sort());
    if (buildSubcommands().some((s) => s.name === 'request')) {
      // Made through the real request flow, so IT sees them in its channel with Approve / Deny.
      const snapshot = await stateOf(ivy.id);
      const itMessages = snapshot.messages[channelId(snapshot, demoChannels.it.name)] ?? [];
      expect(itMessages.filter((m) => JSON.stringify(m.blocks).includes('approve_request'))).toHaveLength(2);
    }
  });

  it('sends a slash command through the API as Slack would and shows the ephemeral reply to that person only', async () => {
    const leoState = await stateOf(leo.id);
    const general = channelId(leoState, 'general');
    const answer = await post('command', { user: leo.id, channel: general, text: '/asset find LAP-002' });
    expect(answer.status).toBe(200);
    expect(answer.body.ok).toBe(true);
    const after = await stateOf(leo.id);
    const reply = after.messages[general]?.at(-1);
    expect(reply).toMatchObject({ ephemeral: true, fromApp: true });
    expect(JSON.stringify(reply?.blocks)).toContain('LAP-002');
    const others = await stateOf(tom.id);
    expect(others.messages[general]?.some((m) => m.ephemeral)).toBe(false);
  });

  it('refuses what the Slack client would refuse, and invalid requests', async () => {
    const snapshot = await stateOf(leo.id);
    const general = channelId(snapshot, 'general');
    const unknown = await post('command', { user: leo.id, channel: general, text: '/nope' });
    expect(unknown).toMatchObject({ status: 422, body: { ok: false, kind: 'client' } });
    const notMember = await post('command', {
      user: leo.id,
      channel: demoChannels.it.id,
      text: '/asset help',
    });
    expect(notMember).toMatchObject({ status: 422, body: { ok: false, kind: 'client' } });
    const invalid = await post('command', { user: 'not-a-user', channel: general });
    expect(invalid).toMatchObject({ status: 400, body: { ok: false, kind: 'invalid' } });
    expect((await post('nothing-here', {})).status).toBe(404);
  });

  it('opens the App Home when asked, as Slack does on app_home_opened', async () => {
    const answer = await post('home', { user: ivy.id });
    expect(answer.body.ok).toBe(true);
    const snapshot = await stateOf(ivy.id);
    expect(snapshot.home?.type).toBe('home');
    expect(JSON.stringify(snapshot.home?.blocks)).toContain('LAP-004');

    // Its buttons work: "Request an asset" opens the request modal, through a signed block_actions.
    const home = snapshot.home!;
    const block = home.blocks.find((b) => JSON.stringify(b).includes('"home_request_asset"'));
    expect(block).toBeDefined();
    const pressed = await post('action', {
      user: ivy.id,
      where: { view: home.id },
      actionId: 'home_request_asset',
      blockId: block!.block_id,
      press: true,
    });
    expect(pressed.body).toMatchObject({ ok: true, calls: expect.arrayContaining(['views.open']) });
    const withModal = await stateOf(ivy.id);
    expect(withModal.modals.at(-1)?.callbackId).toBe('request_asset_modal');
    await post('close', { user: ivy.id, viewId: withModal.modals.at(-1)!.id });
  });

  it('renders modals from the app, shows its inline errors, and closes them', async () => {
    const snapshot = await stateOf(ivy.id);
    const general = channelId(snapshot, 'general');
    await post('command', { user: ivy.id, channel: general, text: '/asset add' });
    const opened = await stateOf(ivy.id);
    const modal = opened.modals.at(-1);
    expect(modal?.type).toBe('modal');
    // Empty required fields never reach the app: the client refuses, keyed by block.
    const empty = await post('submit', { user: ivy.id, viewId: modal!.id, values: {} });
    expect(empty).toMatchObject({ status: 422, body: { kind: 'client' } });
    expect(Object.keys(empty.body.errors as object)).toEqual(
      expect.arrayContaining(['tag', 'name', 'category']),
    );
    // The page shows those under the fields; the message itself is a sentence, not the raw refusal.
    expect(String(empty.body.error)).toBe('Slack would not submit this form: 3 fields need attention.');
    // A duplicate tag is the app's own inline error, under the tag field.
    const duplicate = await post('submit', {
      user: ivy.id,
      viewId: modal!.id,
      values: { tag: 'LAP-001', name: 'Another MacBook', category: 'Laptop' },
    });
    expect(duplicate.body).toMatchObject({ ok: true, outcome: 'errors' });
    const withErrors = await stateOf(ivy.id);
    expect(withErrors.modals.at(-1)?.errors.tag).toMatch(/LAP-001/);
    const closed = await post('close', { user: ivy.id, viewId: modal!.id });
    expect(closed.body.ok).toBe(true);
    expect((await stateOf(ivy.id)).modals).toHaveLength(0);
  });

  it('submits a users_select the way Slack does: a transfer offer from a message button reaches the recipient', async () => {
    const general = channelId(await stateOf(sara.id), 'general');
    await post('command', { user: sara.id, channel: general, text: '/asset mine' });
    const mine = (await stateOf(sara.id)).messages[general]!.at(-1)!;
    const block = mine.blocks!.find((b) => JSON.stringify(b).includes('"start_transfer"'));
    expect(block).toBeDefined();
    const pressed = await post('action', {
      user: sara.id,
      where: { message: { channel: general, ts: mine.ts } },
      actionId: 'start_transfer',
      blockId: block!.block_id,
      press: true,
    });
    expect(pressed.body.ok).toBe(true);
    const modal = (await stateOf(sara.id)).modals.at(-1)!;
    const submitted = await post('submit', {
      user: sara.id,
      viewId: modal.id,
      values: { recipient: leo.id, note: 'All yours' },
    });
    // The app closes the modal or turns it into a confirmation; either way Slack accepted the answer.
    expect(submitted.body.ok).toBe(true);
    expect(['closed', 'updated']).toContain(submitted.body.outcome);
    const leoState = await stateOf(leo.id);
    const dm = leoState.conversations.find((c) => c.kind === 'app')!;
    expect(JSON.stringify(leoState.messages[dm.id])).toContain('accept_transfer');
    const openForLeo = await sandbox.app.services.transfers.openForMe(await as(leo.id));
    const open = openForLeo.ok ? openForLeo.value : openForLeo.error;
    expect(open).toEqual([expect.objectContaining({ fromId: sara.id, toId: leo.id, status: 'pending' })]);
  });

  it('moves the app clock forward so due dates turn overdue', async () => {
    const loan = await tagStatus('MON-003');
    expect(isOverdue(loan, sandbox.clock.now())).toBe(false);
    const before = sandbox.clock.now().getTime();
    const answer = await post('clock', { days: 30 });
    expect(answer.body).toMatchObject({ ok: true, clockOffsetDays: 30 });
    const after = sandbox.clock.now().getTime();
    expect(after - before).toBeGreaterThanOrEqual(30 * 86_400_000);
    expect(after - before).toBeLessThan(30 * 86_400_000 + 60_000);
    expect(isOverdue(await tagStatus('MON-003'), sandbox.clock.now())).toBe(true);
    const snapshot = await stateOf(ivy.id);
    expect(snapshot.clockOffsetDays).toBe(30);
    expect(new Date(snapshot.now).getTime()).toBeGreaterThanOrEqual(after);
    expect((await post('clock', { days: 0 })).status).toBe(400);
  });

  it('resets to the demo data: database, workspace and clock', async () => {
    await sandbox.app.services.assets.register(await as(ivy.id), {
      tag: 'TMP-1',
      serial: undefined,
      name: 'Scratch',
      category: 'Laptop',
      model: undefined,
      location: undefined,
    });
    await sandbox.app.services.assets.checkIn(await as(ivy.id), { tag: 'LAP-002', condition: 'good' });
    const general = channelId(await stateOf(leo.id), 'general');
    await post('command', { user: leo.id, channel: general, text: '/asset help' });

    const answer = await post('reset', {});
    expect(answer.body.ok).toBe(true);
    expect(sandbox.clockOffsetDays()).toBe(0);
    expect(Math.abs(sandbox.clock.now().getTime() - Date.now())).toBeLessThan(60_000);
    expect((await sandbox.app.services.assets.byTag(await as(ivy.id), 'TMP-1')).ok).toBe(false);
    expect(await tagStatus('LAP-002')).toMatchObject({ status: 'checked_out', holderId: leo.id });
    const leoState = await stateOf(leo.id);
    expect(leoState.messages[channelId(leoState, 'general')]).toEqual([]);
    const queue = await sandbox.app.services.requests.pending(await as(ivy.id), { offset: 0, limit: 10 });
    const pending = queue.ok ? queue.value : { items: [] };
    expect(pending.items).toHaveLength(2);
  });

  it('refuses to start when Slack credentials are set', async () => {
    await expect(
      startSandbox({
        port: 0,
        logger: createLogger({ level: 'silent' }),
        allowDownload: false,
        env: { SLACK_BOT_TOKEN: 'xoxb-real', SLACK_SIGNING_SECRET: 'secret', IT_CHANNEL_ID: 'C0123ABCD' },
      }),
    ).rejects.toThrow(
      new SandboxRefusedError(
        'The sandbox is off because Slack credentials are set (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET or SLACK_APP_TOKEN). Unset them to try Custodian locally without Slack.',
      ),
    );
    await expect(
      startSandbox({
        port: 0,
        logger: createLogger({ level: 'silent' }),
        env: { SLACK_APP_TOKEN: 'xapp-1' },
      }),
    ).rejects.toBeInstanceOf(SandboxRefusedError);
  });
});
