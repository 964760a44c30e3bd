/**
 * Slack failing in the middle of the request flows: the state stays consistent, every person hears
 * something clear, and a later attempt sends what failed exactly once (the ledger gave the key back).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { FakeMessage, JsonObject } from '@custodian/fake-slack';
import { channels, people, startHarness, type Harness } from '../../support/app-harness.js';

let h: Harness;

const toChannel = (channel: string) => (args: JsonObject) => args['channel'] === channel;
const toUser = (userId: string) => (args: JsonObject) => args['user_id'] === userId;

const itMessages = () => h.fake.messages(channels.it.id);
const itMessageAt = (ts: string): FakeMessage | undefined => itMessages().find((m) => m.ts === ts);
const blockText = (message: FakeMessage | undefined, blockId: string) =>
  JSON.stringify(message?.blocks?.find((b) => b.block_id === blockId) ?? null);
const lastEphemeral = (userId: string) => h.fake.ephemerals(userId).at(-1)?.text ?? '';
const requestNow = async (id: string) => {
  const found = await h.app.services.requests.byId(h.teamId, id);
  if (!found.ok) throw new Error(`request ${id} is gone`);
  return found.value;
};
const checkoutEntries = async (tag: string) => {
  const history = await h.app.services.assets.history(await h.as(people.ivy.id), tag, {
    offset: 0,
    limit: 100,
  });
  if (!history.ok) throw new Error('no history');
  return history.value.entries.items.filter((e) => e.action === 'checked_out');
};

/** A pending request with its IT channel message, as the employee flow leaves it. */
async function openApproveModal(userId: string, ts: string) {
  await h.driver.pressButton({
    user: userId,
    actionId: 'approve_request',
    message: { channel: channels.it.id, ts },
  });
  const modal = h.fake.topModal(userId);
  expect(modal?.callback_id).toBe('approve_request_modal');
}

/** Picks the asset in the approve modal (it offers what it suggested) and submits. */
async function approveWith(userId: string, tag: string) {
  await h.driver.suggest({ user: userId, actionId: 'approve_asset', value: tag });
  return h.driver.submitView({ user: userId, values: { asset: tag } });
}

beforeAll(async () => {
  h = await startHarness('faults_requests');
  await h.makeIt(people.ivy.id);
  await h.makeIt(people.ian.id);
  for (let i = 1; i <= 8; i++) {
    const added = await h.app.services.assets.register(await h.as(people.ivy.id), {
      tag: `LAP-${String(i).padStart(4, '0')}`,
      serial: `C02-${i}`,
      name: `MacBook Pro 14 #${i}`,
      category: 'Laptop',
      model: 'MacBook Pro 14',
      location: 'Berlin office',
    });
    if (!added.ok) throw new Error(JSON.stringify(added.error));
  }
  // The set-up's messages (check-out DMs, IT posts, home refreshes) go out before the tests count any.
  await h.app.settle();
});

beforeEach(() => {
  h.fake.clearFaults();
});

afterAll(async () => {
  await h?.stop();
});

describe('a new request while the IT channel post fails', () => {
  it('keeps the request, tells the requester IT was not notified, and posts to IT exactly once when it is decided', async () => {
    await h.driver.slashCommand({ user: people.ben.id, text: 'request' });
    const suggested = await h.driver.suggest({
      user: people.ben.id,
      actionId: 'request_catalog_item',
      value: 'mac',
    });
    const option = suggested.options.find((o) => o.text.text.startsWith('MacBook Pro 14 (Laptop)'));
    expect(option).toBeDefined();
    const dmsBefore = h.fake.dms(people.ben.id).length;
    const itBefore = itMessages().length;

    h.fake.failNext('chat.postMessage', { error: 'internal_error', match: toChannel(channels.it.id) });
    const submitted = await h.driver.submitView({
      user: people.ben.id,
      values: { item: option!.value, kind: 'permanent', reason: 'Mine broke' },
    });
    expect(submitted.outcome).toBe('closed');
    expect(h.fake.pendingFaults()).toBe(0);

    // The request exists and is waiting for IT, who see it on their home.
    const [request, ...others] = await h.app.database.repositories.requests.listByRequester(
      h.teamId,
      people.ben.id,
      ['pending'],
    );
    expect(others).toHaveLength(0);
    expect(request).toMatchObject({ status: 'pending', reason: 'Mine broke' });
    expect(request!.itMessage).toBeUndefined();
    expect(itMessages()).toHaveLength(itBefore);
    expect(h.fake.home(people.ivy.id)?.blocks.some((b) => b.block_id === `it_request:${request!.id}`)).toBe(
      true,
    );

    // The requester hears it arrived, and that the IT channel could not be told yet.
    const dms = h.fake.dms(people.ben.id).slice(dmsBefore);
    expect(dms.map((m) => m.text).join('\n')).toContain('IT received your request');
    expect(dms.map((m) => m.text).join('\n')).toMatch(
      /could not post your request for .* to the IT channel/i,
    );

    // A Slack retry of the same submission creates nothing new and posts nothing twice.
    const retried = await h.driver.redeliver(submitted);
    expect(retried.status).toBe(200);
    expect(
      await h.app.database.repositories.requests.listByRequester(h.teamId, people.ben.id, ['pending']),
    ).toHaveLength(1);

    // IT decides from the home: the IT channel gets the one post it missed, showing the outcome.
    await h.driver.pressButton({
      user: people.ivy.id,
      actionId: 'approve_request',
      blockId: `it_request:${request!.id}:actions`,
      view: 'home',
    });
    expect(h.fake.topModal(people.ivy.id)?.callback_id).toBe('approve_request_modal');
    const approved = await approveWith(people.ivy.id, 'LAP-0001');
    expect(approved.outcome).toBe('closed');
    expect((await requestNow(request!.id)).status).toBe('approved');
    const itPosts = approved.calls.filter(
      (c) => c.method === 'chat.postMessage' && c.args['channel'] === channels.it.id,
    );
    expect(itPosts.map((c) => c.status)).toEqual([200]);
    const posts = itMessages().slice(itBefore);
    expect(posts).toHaveLength(1);
    expect(blockText(posts[0], 'request_outcome')).toContain(`Approved by <@${people.ivy.id}>`);
    expect((await requestNow(request!.id)).itMessage?.ts).toBe(posts[0]!.ts);

    // Replaying the approval posts nothing more.
    await h.driver.redeliver(approved);
    expect(itMessages().slice(itBefore)).toHaveLength(1);
  });
});

describe('approving while Slack fails', () => {
  it('approves and checks out once; a retried submission updates the IT message and DMs the requester exactly once', async () => {
    const { request, itMessage } = await h.seedRequest(people.ana.id);
    await openApproveModal(people.ian.id, itMessage.ts);
    const dmsBefore = h.fake.dms(people.ana.id).length;

    h.fake
      .failNext('chat.update', { error: 'internal_error', match: toChannel(channels.it.id) })
      .failNext('chat.postMessage', { error: 'internal_error', match: toChannel(people.ana.id) });
    const submitted = await approveWith(people.ian.id, 'LAP-0002');
    expect(submitted.outcome).toBe('closed');
    expect(h.fake.pendingFaults()).toBe(0);

    expect(await requestNow(request.id)).toMatchObject({
      status: 'approved',
      approval: { approverId: people.ian.id, assetTag: 'LAP-0002' },
    });
    const asset = await h.app.services.assets.byTag(await h.as(people.ivy.id), 'LAP-0002');
    expect(asset.ok && asset.value).toMatchObject({ status: 'checked_out', holderId: people.ana.id });
    expect(await checkoutEntries('LAP-0002')).toHaveLength(1);
    // Both sends failed: the message still shows Approve / Deny, and no DM went out.
    expect(itMessageAt(itMessage.ts)?.blocks?.some((b) => b.block_id === 'request_actions')).toBe(true);
    expect(h.fake.dms(people.ana.id)).toHaveLength(dmsBefore);
    // The approver is not left believing the requester heard.
    expect(h.fake.dms(people.ian.id).at(-1)?.text).toMatch(
      new RegExp(`\\(approved\\), but I could not DM <@${people.ana.id}>`),
    );

    // Slack delivers the submission again: nothing is checked out twice, and what failed goes out now.
    const retried = await h.driver.redeliver(submitted);
    expect(retried.status).toBe(200);
    expect(await checkoutEntries('LAP-0002')).toHaveLength(1);
    expect(blockText(itMessageAt(itMessage.ts), 'request_outcome')).toContain(
      `Approved by <@${people.ian.id}>, assigned *LAP-0002*`,
    );
    expect(itMessageAt(itMessage.ts)?.blocks?.some((b) => b.block_id === 'request_actions')).toBe(false);
    const dms = h.fake.dms(people.ana.id).slice(dmsBefore);
    expect(dms).toHaveLength(1);
    expect(JSON.stringify(dms[0]?.blocks)).toContain(`<@${people.ian.id}> approved your request`);

    // And once more: exactly once stays exactly once.
    const updatesBefore = h.fake.calls.filter((c) => c.method === 'chat.update' && c.status === 200).length;
    await h.driver.redeliver(submitted);
    expect(h.fake.dms(people.ana.id).slice(dmsBefore)).toHaveLength(1);
    expect(h.fake.calls.filter((c) => c.method === 'chat.update' && c.status === 200)).toHaveLength(
      updatesBefore,
    );
    expect(await checkoutEntries('LAP-0002')).toHaveLength(1);
  });

  it('survives Slack server errors on the DM: the client retries and the DM arrives once', async () => {
    const { request, itMessage } = await h.seedRequest(people.ben.id, { reason: 'Retry me' });
    await openApproveModal(people.ivy.id, itMessage.ts);
    const dmsBefore = h.fake.dms(people.ben.id).length;
    h.fake.failNext('chat.postMessage', { status: 500, match: toChannel(people.ben.id) });
    const submitted = await approveWith(people.ivy.id, 'LAP-0003');
    expect(submitted.outcome).toBe('closed');
    expect((await requestNow(request.id)).status).toBe('approved');
    const dmCalls = h.fake.calls.filter(
      (c) => c.method === 'chat.postMessage' && c.args['channel'] === people.ben.id,
    );
    expect(dmCalls.map((c) => c.status).slice(-2)).toEqual([500, 200]);
    expect(h.fake.dms(people.ben.id).slice(dmsBefore)).toHaveLength(1);
  });
});

describe('denying while Slack fails', () => {
  it('denies once, tells the decider the requester has not heard, and a retried submission sends the DM once', async () => {
    const { request, itMessage } = await h.seedRequest(people.ana.id, { reason: 'Deny me' });
    await h.driver.pressButton({
      user: people.ivy.id,
      actionId: 'deny_request',
      message: { channel: channels.it.id, ts: itMessage.ts },
    });
    expect(h.fake.topModal(people.ivy.id)?.callback_id).toBe('deny_request_modal');
    const dmsBefore = h.fake.dms(people.ana.id).length;
    h.fake
      .failNext('chat.update', { error: 'internal_error', match: toChannel(channels.it.id) })
      .failNext('chat.postMessage', { error: 'internal_error', match: toChannel(people.ana.id) });
    const denied = await h.driver.submitView({ user: people.ivy.id, values: { reason: 'Not this quarter' } });
    expect(denied.outcome).toBe('closed');
    expect(await requestNow(request.id)).toMatchObject({
      status: 'denied',
      denial: { deniedBy: people.ivy.id },
    });
    expect(h.fake.dms(people.ana.id)).toHaveLength(dmsBefore);
    expect(h.fake.dms(people.ivy.id).at(-1)?.text).toMatch(/\(denied\), but I could not DM/);

    await h.driver.redeliver(denied);
    await h.driver.redeliver(denied);
    const dms = h.fake.dms(people.ana.id).slice(dmsBefore);
    expect(dms).toHaveLength(1);
    expect(JSON.stringify(dms[0]?.blocks)).toContain('Reason: Not this quarter');
    expect(blockText(itMessageAt(itMessage.ts), 'request_outcome')).toContain(
      `Denied by <@${people.ivy.id}>`,
    );
    expect(h.fake.dms(people.ivy.id).filter((m) => m.text.includes('could not DM'))).toHaveLength(1);
  });
});

describe('a new request while Slack rate-limits the IT channel post', () => {
  it('waits as Slack asks and posts to IT exactly once, with no warning to the requester', async () => {
    await h.driver.slashCommand({ user: people.ben.id, text: 'request' });
    const suggested = await h.driver.suggest({
      user: people.ben.id,
      actionId: 'request_catalog_item',
      value: '',
    });
    const option = suggested.options.find((o) => o.text.text.startsWith('Any Laptop'));
    expect(option).toBeDefined();
    const dmsBefore = h.fake.dms(people.ben.id).length;
    const itBefore = itMessages().length;
    h.fake.failNext('chat.postMessage', {
      status: 429,
      retryAfterSeconds: 1,
      match: toChannel(channels.it.id),
    });
    const submitted = await h.driver.submitView({
      user: people.ben.id,
      values: { item: option!.value, kind: 'permanent', reason: 'Rate limited' },
    });
    expect(submitted.outcome).toBe('closed');
    const itCalls = h.fake.calls.filter(
      (c) => c.method === 'chat.postMessage' && c.args['channel'] === channels.it.id,
    );
    expect(itCalls.slice(-2).map((c) => c.status)).toEqual([429, 200]);
    expect(itMessages().slice(itBefore)).toHaveLength(1);
    const dms = h.fake.dms(people.ben.id).slice(dmsBefore);
    expect(dms.map((m) => m.text)).toEqual([expect.stringContaining('IT received your request')]);
    const pending = await h.app.database.repositories.requests.listByRequester(h.teamId, people.ben.id, [
      'pending',
    ]);
    const request = pending.find((r) => r.reason === 'Rate limited');
    expect(request?.itMessage?.ts).toBe(itMessages().at(-1)?.ts);
  });
});

describe('cancelling while the IT message cannot be updated', () => {
  it('cancels, tells the requester and IT (home), and a press on the stale Approve is refused clearly', async () => {
    const { request, itMessage } = await h.seedRequest(people.ana.id, { reason: 'Cancel me' });
    await h.driver.slashCommand({ user: people.ana.id, text: 'mine' });
    const list = h.fake.ephemerals(people.ana.id).at(-1)!;
    h.fake.failNext('chat.update', { error: 'internal_error', match: toChannel(channels.it.id) });
    await h.driver.pressButton({
      user: people.ana.id,
      actionId: 'cancel_request',
      blockId: `request:${request.id}`,
      message: { channel: list.channel, ts: list.message_ts },
    });
    expect(h.fake.pendingFaults()).toBe(0);
    expect(lastEphemeral(people.ana.id)).toContain('Cancelled your request for *any Laptop*');
    expect((await requestNow(request.id)).status).toBe('cancelled');
    expect(h.fake.home(people.ivy.id)?.blocks.some((b) => b.block_id === `it_request:${request.id}`)).toBe(
      false,
    );

    // The channel message still offers Approve (the update failed); pressing it changes nothing and says why.
    expect(itMessageAt(itMessage.ts)?.blocks?.some((b) => b.block_id === 'request_actions')).toBe(true);
    await h.driver.pressButton({
      user: people.ivy.id,
      actionId: 'approve_request',
      message: { channel: channels.it.id, ts: itMessage.ts },
    });
    expect(h.fake.topModal(people.ivy.id)).toBeUndefined();
    expect(lastEphemeral(people.ivy.id)).toBe('That request was already cancelled.');
    expect((await requestNow(request.id)).status).toBe('cancelled');
  });
});

describe('Approve when the modal cannot open', () => {
  it('tells IT clearly, changes nothing, and the next press opens the modal', async () => {
    const { request, itMessage } = await h.seedRequest(people.ben.id, { reason: 'Expired trigger' });
    h.fake.failNext('views.open', { error: 'expired_trigger_id' });
    const pressed = await h.driver.pressButton({
      user: people.ivy.id,
      actionId: 'approve_request',
      message: { channel: channels.it.id, ts: itMessage.ts },
    });
    expect(pressed.status).toBe(200);
    expect(h.fake.topModal(people.ivy.id)).toBeUndefined();
    expect(lastEphemeral(people.ivy.id)).toBe(
      'Slack took too long to open the form, so nothing was changed. Please press the button again.',
    );
    const unchanged = await requestNow(request.id);
    expect(unchanged.status).toBe('pending');
    expect(unchanged.approval).toBeUndefined();

    await openApproveModal(people.ivy.id, itMessage.ts);
    await h.driver.closeView({ user: people.ivy.id });
  });
});

describe('App Home publishing fails', () => {
  it('the approval stands and the next home open shows it', async () => {
    const { request, itMessage } = await h.seedRequest(people.ben.id, { reason: 'Home fails' });
    await h.driver.openHome(people.ben.id);
    await openApproveModal(people.ian.id, itMessage.ts);
    h.fake.failNext('views.publish', { error: 'internal_error', match: toUser(people.ben.id) });
    const submitted = await approveWith(people.ian.id, 'LAP-0004');
    expect(submitted.outcome).toBe('closed');
    expect(h.fake.pendingFaults()).toBe(0);
    expect((await requestNow(request.id)).status).toBe('approved');
    // The failed publish left the old home; the DM still went out.
    expect(h.fake.home(people.ben.id)?.blocks.some((b) => b.block_id === 'asset:LAP-0004')).toBe(false);
    expect(JSON.stringify(h.fake.dms(people.ben.id).at(-1)?.blocks)).toContain('*LAP-0004*');

    await h.driver.openHome(people.ben.id);
    expect(h.fake.home(people.ben.id)?.blocks.some((b) => b.block_id === 'asset:LAP-0004')).toBe(true);
  });
});
