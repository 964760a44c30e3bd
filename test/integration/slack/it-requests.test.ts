import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FakeMessage } from '@custodian/fake-slack';
import { channels, people, startHarness, type Harness } from '../../support/app-harness.js';

let h: Harness;

const itMessageNow = (ts: string): FakeMessage =>
  h.fake.messages(channels.it.id).find((m) => m.ts === ts) ?? (undefined as never);
const blockText = (message: FakeMessage | undefined, blockId: string) =>
  JSON.stringify(message?.blocks?.find((b) => b.block_id === blockId) ?? null);
const lastEphemeral = (userId: string) => h.fake.ephemerals(userId).at(-1)?.text ?? '';
const requestStatus = async (id: string) => {
  const found = await h.app.services.requests.byId(h.teamId, id);
  return found.ok ? found.value.status : 'missing';
};
const checkoutEntries = async (tag: string) => {
  const history = await h.app.services.assets.history(await h.as(people.ivy.id), tag, {
    offset: 0,
    limit: 100,
  });
  if (!history.ok) throw new Error('no history');
  return history.value.entries.items.filter((e) => e.action === 'checked_out');
};

async function openApproveModal(userId: string, ts: string) {
  const res = await h.driver.pressButton({
    user: userId,
    actionId: 'approve_request',
    message: { channel: channels.it.id, ts },
  });
  expect(res.status).toBe(200);
  const modal = h.fake.topModal(userId);
  expect(modal?.callback_id).toBe('approve_request_modal');
  return modal!;
}

beforeAll(async () => {
  h = await startHarness('it_requests');
  await h.makeIt(people.ivy.id);
  await h.makeIt(people.ian.id);
  const { assets } = h.app.services;
  for (let i = 1; i <= 8; i++) {
    const added = await assets.register(await h.as(people.ivy.id), {
      tag: `LAP-${String(i).padStart(4, '0')}`,
      serial: `C02-${i}`,
      name: `MacBook Pro 14 #${i}`,
      category: 'Laptop',
      model: 'MacBook Pro 14',
      location: 'Berlin office',
    });
    if (!added.ok) throw new Error(JSON.stringify(added.error));
  }
  await assets.register(await h.as(people.ivy.id), {
    tag: 'MON-0001',
    serial: 'DELL-1',
    name: 'Dell U2723QE',
    category: 'Monitor',
    model: undefined,
    location: 'Lisbon',
  });
  // The set-up's messages (check-out DMs, IT posts, home refreshes) go out before the tests count any.
  await h.app.settle();
});

afterAll(async () => {
  await h?.stop();
});

describe('approving a request', () => {
  it('checks the chosen asset out, updates the IT message in place, DMs the requester and refreshes homes', async () => {
    const { request, itMessage } = await h.seedRequest(people.ana.id);
    const modal = await openApproveModal(people.ivy.id, itMessage.ts);
    expect(JSON.stringify(modal.blocks)).toContain('New starter in the data team');

    const suggestion = await h.driver.suggest({
      user: people.ivy.id,
      actionId: 'approve_asset',
      value: 'mac',
    });
    const offered = suggestion.options.map((o) => o.value);
    expect(offered).toContain('LAP-0002');
    expect(offered).not.toContain('MON-0001');

    const submitted = await h.driver.submitView({
      user: people.ivy.id,
      values: { asset: 'LAP-0002', note: 'Pick it up at the IT desk' },
    });
    expect(submitted.outcome).toBe('closed');

    // Database: the request is approved and the asset is checked out for it, in one history entry.
    const approved = await h.app.services.requests.byId(h.teamId, request.id);
    expect(approved.ok && approved.value).toMatchObject({
      status: 'approved',
      approval: { approverId: people.ivy.id, assetTag: 'LAP-0002', dueBackAt: undefined },
    });
    const asset = await h.app.services.assets.byTag(await h.as(people.ivy.id), 'LAP-0002');
    expect(asset.ok && asset.value).toMatchObject({ status: 'checked_out', holderId: people.ana.id });
    const entries = await checkoutEntries('LAP-0002');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ requestId: request.id, actorId: people.ivy.id });

    // Slack: the IT message is updated in place, without buttons.
    const updates = submitted.calls.filter((c) => c.method === 'chat.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]?.args['ts']).toBe(itMessage.ts);
    const message = itMessageNow(itMessage.ts);
    expect(blockText(message, 'request_outcome')).toContain(
      `Approved by <@${people.ivy.id}>, assigned *LAP-0002*`,
    );
    expect(message.blocks?.find((b) => b.block_id === 'request_actions')).toBeUndefined();

    // The requester learns what they get and from whom.
    const dms = h.fake.dms(people.ana.id);
    expect(dms).toHaveLength(1);
    expect(JSON.stringify(dms[0]?.blocks)).toContain(`<@${people.ivy.id}> approved your request`);
    expect(JSON.stringify(dms[0]?.blocks)).toContain('*LAP-0002*');
    expect(JSON.stringify(dms[0]?.blocks)).toContain('Pick it up at the IT desk');

    // Homes: the requester now holds it; the IT queue no longer lists the request.
    const anaHome = h.fake.home(people.ana.id);
    expect(anaHome?.blocks.find((b) => b.block_id === 'asset:LAP-0002')).toBeDefined();
    const ianHome = h.fake.home(people.ian.id);
    expect(ianHome?.blocks.find((b) => b.block_id === 'home_it_header')).toBeDefined();
    expect(ianHome?.blocks.find((b) => b.block_id === `it_request:${request.id}`)).toBeUndefined();
  });

  it('pre-fills a loan with its return-by date and records it as the due date', async () => {
    const returnBy = new Date('2026-11-30T00:00:00Z');
    const { request, itMessage } = await h.seedRequest(people.ben.id, { kind: 'loan', returnBy });
    const modal = await openApproveModal(people.ian.id, itMessage.ts);
    const due = modal.blocks.find((b) => b.block_id === 'due_back');
    expect(JSON.stringify(due)).toContain('"initial_date":"2026-11-30"');
    await h.driver.suggest({ user: people.ian.id, actionId: 'approve_asset', value: '' });
    const submitted = await h.driver.submitView({ user: people.ian.id, values: { asset: 'LAP-0003' } });
    expect(submitted.outcome).toBe('closed');
    const asset = await h.app.services.assets.byTag(await h.as(people.ivy.id), 'LAP-0003');
    expect(asset.ok && asset.value.dueBackAt?.toISOString()).toBe('2026-11-30T23:59:59.999Z');
    expect(await requestStatus(request.id)).toBe('approved');
    expect(JSON.stringify(h.fake.dms(people.ben.id).at(-1)?.blocks)).toContain('bring it back by *30 Nov*');
  });

  it('answers invalid inputs under their field and changes nothing', async () => {
    const { request, itMessage } = await h.seedRequest(people.ben.id);
    await openApproveModal(people.ivy.id, itMessage.ts);
    const past = await h.driver.submitView({
      user: people.ivy.id,
      values: { asset: { text: 'LAP-0004 · MacBook', value: 'LAP-0004' }, due_back: '2026-11-01' },
    });
    expect(past.outcome).toBe('errors');
    expect(past.errors?.['due_back']).toMatch(/in the past/);

    // An asset that does not fit (a stale option, say) is refused under the asset field.
    const wrong = await h.driver.submitView({
      user: people.ivy.id,
      values: { asset: { text: 'MON-0001 · Dell', value: 'MON-0001' }, due_back: null },
    });
    expect(wrong.outcome).toBe('errors');
    expect(wrong.errors?.['asset']).toBe('MON-0001 does not fit this request (it is a Monitor).');
    expect(await requestStatus(request.id)).toBe('pending');
    const monitor = await h.app.services.assets.byTag(await h.as(people.ivy.id), 'MON-0001');
    expect(monitor.ok && monitor.value.status).toBe('available');
    await h.driver.closeView({ user: people.ivy.id });
  });
});

describe('denying a request', () => {
  it('asks for a reason, updates the IT message and tells the requester why', async () => {
    const { request, itMessage } = await h.seedRequest(people.ben.id, {
      item: { category: 'Monitor', model: undefined },
      reason: 'A second screen',
    });
    await h.driver.pressButton({
      user: people.ian.id,
      actionId: 'deny_request',
      message: { channel: channels.it.id, ts: itMessage.ts },
    });
    expect(h.fake.topModal(people.ian.id)?.callback_id).toBe('deny_request_modal');

    const tooShort = await h.driver.submitView({ user: people.ian.id, values: { reason: 'no' } });
    expect(tooShort.outcome).toBe('errors');
    expect(tooShort.errors?.['reason']).toMatch(/reason \(3–500 characters\)/);
    expect(await requestStatus(request.id)).toBe('pending');

    const dmsBefore = h.fake.dms(people.ben.id).length;
    const denied = await h.driver.submitView({
      user: people.ian.id,
      values: { reason: 'Monitors are on order; ask again in December' },
    });
    expect(denied.outcome).toBe('closed');
    const stored = await h.app.services.requests.byId(h.teamId, request.id);
    expect(stored.ok && stored.value).toMatchObject({
      status: 'denied',
      denial: { deniedBy: people.ian.id, reason: 'Monitors are on order; ask again in December' },
    });
    expect(blockText(itMessageNow(itMessage.ts), 'request_outcome')).toContain(
      `Denied by <@${people.ian.id}>: Monitors are on order`,
    );
    const dms = h.fake.dms(people.ben.id);
    expect(dms).toHaveLength(dmsBefore + 1);
    expect(JSON.stringify(dms.at(-1)?.blocks)).toContain(
      'Reason: Monitors are on order; ask again in December',
    );
  });
});

describe('who may decide', () => {
  it('refuses an employee who presses Approve or Deny in the IT channel', async () => {
    const { request, itMessage } = await h.seedRequest(people.ana.id, { reason: 'Spare for travel' });
    for (const actionId of ['approve_request', 'deny_request']) {
      const res = await h.driver.pressButton({
        user: people.ben.id,
        actionId,
        message: { channel: channels.it.id, ts: itMessage.ts },
      });
      expect(res.calls.some((c) => c.method === 'views.open')).toBe(false);
      expect(lastEphemeral(people.ben.id)).toMatch(/^Only IT staff can (approve|deny) requests\./);
    }
    expect(await requestStatus(request.id)).toBe('pending');
  });

  it('refuses IT staff who try to approve their own request', async () => {
    const { itMessage } = await h.seedRequest(people.ivy.id, { reason: 'My own laptop is dying' });
    const res = await h.driver.pressButton({
      user: people.ivy.id,
      actionId: 'approve_request',
      message: { channel: channels.it.id, ts: itMessage.ts },
    });
    expect(res.calls.some((c) => c.method === 'views.open')).toBe(false);
    expect(lastEphemeral(people.ivy.id)).toBe(
      'You cannot approve or deny your own request; another IT person has to.',
    );
  });

  it('tells whoever presses Approve on a request that was already decided', async () => {
    const { request, itMessage } = await h.seedRequest(people.ana.id, { reason: 'Decided elsewhere' });
    const done = await h.app.services.requests.deny(
      await h.as(people.ian.id),
      request.id,
      'Not this quarter',
    );
    expect(done.ok).toBe(true);
    await h.driver.pressButton({
      user: people.ivy.id,
      actionId: 'approve_request',
      message: { channel: channels.it.id, ts: itMessage.ts },
    });
    expect(lastEphemeral(people.ivy.id)).toBe(`That request was already denied by <@${people.ian.id}>.`);
  });

  it('checks again on submission: someone who lost the IT role meanwhile is refused', async () => {
    const { request, itMessage } = await h.seedRequest(people.ben.id, { reason: 'Role check' });
    await openApproveModal(people.ian.id, itMessage.ts);
    await h.driver.suggest({ user: people.ian.id, actionId: 'approve_asset', value: '' });
    await h.app.database.repositories.people.setRoles(h.teamId, people.ian.id, ['employee']);
    try {
      const res = await h.driver.submitView({ user: people.ian.id, values: { asset: 'LAP-0005' } });
      expect(res.outcome).toBe('updated');
      expect(JSON.stringify(h.fake.topModal(people.ian.id)?.blocks)).toContain(
        'Only IT staff can approve requests.',
      );
      expect(await requestStatus(request.id)).toBe('pending');
      const asset = await h.app.services.assets.byTag(await h.as(people.ivy.id), 'LAP-0005');
      expect(asset.ok && asset.value.status).toBe('available');
    } finally {
      await h.app.database.repositories.people.setRoles(h.teamId, people.ian.id, ['employee', 'it']);
      await h.driver.closeView({ user: people.ian.id });
    }
  });
});

describe('races and replays', () => {
  it('two IT staff approving different requests with the same asset: one wins, the other is told why', async () => {
    const first = await h.seedRequest(people.ana.id, { reason: 'Race one' });
    const second = await h.seedRequest(people.ben.id, { reason: 'Race two' });
    await openApproveModal(people.ivy.id, first.itMessage.ts);
    await h.driver.suggest({ user: people.ivy.id, actionId: 'approve_asset', value: 'LAP-0006' });
    await openApproveModal(people.ian.id, second.itMessage.ts);
    await h.driver.suggest({ user: people.ian.id, actionId: 'approve_asset', value: 'LAP-0006' });

    const [a, b] = await Promise.all([
      h.driver.submitView({ user: people.ivy.id, values: { asset: 'LAP-0006' } }),
      h.driver.submitView({ user: people.ian.id, values: { asset: 'LAP-0006' } }),
    ]);
    const outcomes = [a.outcome, b.outcome].sort();
    expect(outcomes).toEqual(['closed', 'errors']);
    const [winner, loser] = a.outcome === 'closed' ? [first, second] : [second, first];
    const loserResult = a.outcome === 'closed' ? b : a;
    const winnerRequester = winner === first ? people.ana : people.ben;
    expect(loserResult.errors?.['asset']).toMatch(
      new RegExp(`^LAP-0006 is checked out to @${winnerRequester.name} since 3 Nov`),
    );

    expect(await requestStatus(winner.request.id)).toBe('approved');
    expect(await requestStatus(loser.request.id)).toBe('pending');
    const asset = await h.app.services.assets.byTag(await h.as(people.ivy.id), 'LAP-0006');
    expect(asset.ok && asset.value.holderId).toBe(winnerRequester.id);
    expect(await checkoutEntries('LAP-0006')).toHaveLength(1);
    // The loser's IT message still offers Approve / Deny: the request is back in the queue.
    expect(
      itMessageNow(loser.itMessage.ts).blocks?.find((b) => b.block_id === 'request_actions'),
    ).toBeDefined();
    const loserUser = a.outcome === 'closed' ? people.ian.id : people.ivy.id;
    await h.driver.closeView({ user: loserUser });
  });

  it('the same approval delivered twice (a Slack retry) has one effect, one DM and one message update', async () => {
    const { request, itMessage } = await h.seedRequest(people.ben.id, { reason: 'Replay me' });
    await openApproveModal(people.ivy.id, itMessage.ts);
    await h.driver.suggest({ user: people.ivy.id, actionId: 'approve_asset', value: 'LAP-0007' });
    const dmsBefore = h.fake.dms(people.ben.id).length;
    const first = await h.driver.submitView({ user: people.ivy.id, values: { asset: 'LAP-0007' } });
    expect(first.outcome).toBe('closed');

    const retry = await h.driver.redeliver(first, { num: 1, reason: 'http_timeout' });
    expect(retry.status).toBe(200);
    expect(retry.body ?? '').toEqual('');
    expect(retry.calls.filter((c) => c.method === 'chat.update' || c.method === 'chat.postMessage')).toEqual(
      [],
    );

    expect(await requestStatus(request.id)).toBe('approved');
    expect(await checkoutEntries('LAP-0007')).toHaveLength(1);
    const approvalDms = h.fake
      .dms(people.ben.id)
      .slice(dmsBefore)
      .filter((m) => JSON.stringify(m.blocks).includes('LAP-0007'));
    expect(approvalDms).toHaveLength(1);
    const updates = h.fake.calls.filter((c) => c.method === 'chat.update' && c.args['ts'] === itMessage.ts);
    expect(updates).toHaveLength(1);
  });
});
