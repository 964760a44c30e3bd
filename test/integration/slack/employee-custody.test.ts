import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { planTransition } from '../../../src/domain/index.js';
import type { FakeEphemeral, SlackBlock } from '@custodian/fake-slack';
import { channels, people, startHarness, type Harness } from '../../support/app-harness.js';

let h: Harness;
const day = 86_400_000;

const lastEphemeral = (userId: string): FakeEphemeral => h.fake.ephemerals(userId).at(-1)!;
const blockOf = (blocks: SlackBlock[] | undefined, blockId: string) =>
  blocks?.find((b) => b.block_id === blockId);
const blockText = (blocks: SlackBlock[] | undefined, blockId: string) =>
  JSON.stringify(blockOf(blocks, blockId) ?? null);
const assetNow = async (tag: string) => {
  const found = await h.app.services.assets.byTag(await h.as(people.ivy.id), tag);
  if (!found.ok) throw new Error(`no asset ${tag}`);
  return found.value;
};
const historyOf = async (tag: string) => {
  const history = await h.app.services.assets.history(await h.as(people.ivy.id), tag, {
    offset: 0,
    limit: 100,
  });
  if (!history.ok) throw new Error(`no history for ${tag}`);
  return history.value.entries.items;
};
const itPostsSince = (count: number) => h.fake.messages(channels.it.id).slice(count);

async function register(tag: string, category = 'Laptop', model: string | undefined = 'MacBook Pro 14') {
  const added = await h.app.services.assets.register(await h.as(people.ivy.id), {
    tag,
    serial: `SN-${tag}`,
    name: `${model ?? category} ${tag}`,
    category,
    model,
    location: 'Berlin office',
  });
  if (!added.ok) throw new Error(JSON.stringify(added.error));
}

async function checkOut(tag: string, holderId: string, due?: string) {
  const out = await h.app.services.assets.checkOut(await h.as(people.ivy.id), {
    tag,
    holderId,
    dueBackAt: due ? new Date(`${due}T23:59:59.999Z`) : undefined,
  });
  if (!out.ok) throw new Error(JSON.stringify(out.error));
}

/**
 * Bulk set-up straight in the database (like h.seedRequest): through the services every asset would also
 * refresh IT's homes and DM the holder, which Slack's rate limits pace to about one DM a second.
 */
async function seedHeld(tag: string, holderId: string, category: string, model: string) {
  const { assets } = h.app.database.repositories;
  const inserted = await assets.insert({
    teamId: h.teamId,
    tag,
    serial: `SN-${tag}`,
    name: `${model} ${tag}`,
    category,
    model,
    location: 'Berlin office',
    procurement: undefined,
    customFields: {},
    actorId: people.ivy.id,
    now: h.clock.now(),
    note: undefined,
  });
  if (!inserted.ok) throw new Error(`could not seed ${tag}`);
  const plan = planTransition(
    inserted.asset,
    { kind: 'check_out', holderId, dueBackAt: undefined },
    { actorId: people.ivy.id, now: h.clock.now() },
  );
  if (!plan.ok || !(await assets.applyTransition(h.teamId, inserted.asset.id, plan.value)))
    throw new Error(`could not check ${tag} out`);
}

/** Runs `/asset mine` and returns the reply. */
async function mine(userId: string): Promise<FakeEphemeral> {
  await h.driver.slashCommand({ user: userId, text: 'mine' });
  return lastEphemeral(userId);
}

beforeAll(async () => {
  h = await startHarness('employee_custody', { now: new Date('2026-11-01T09:00:00Z') });
  await h.makeIt(people.ivy.id);
  for (const n of [1, 2, 3, 4, 5, 6, 7]) await register(`LAP-000${n}`);
  await register('MON-0001', 'Monitor', undefined);
  await checkOut('LAP-0001', people.ana.id, '2026-11-20');
  await checkOut('LAP-0002', people.ana.id, '2026-11-02');
  await checkOut('LAP-0003', people.ana.id);
  await checkOut('LAP-0005', people.ben.id);
  // The set-up's messages (check-out DMs, IT posts, home refreshes) go out before the tests count any.
  await h.app.settle();
  // LAP-0002 was due yesterday by the time the tests run.
  h.clock.set(new Date('2026-11-03T09:00:00Z'));
});

afterAll(async () => {
  await h?.stop();
});

describe('/asset mine', () => {
  it('shows what the person holds with due dates, the overdue one first and marked, each with its buttons', async () => {
    const reply = await mine(people.ana.id);
    expect(blockText(reply.blocks, 'mine_held_header')).toContain(
      'What you hold* (3, :rotating_light: 1 overdue)',
    );
    const assetIds = (reply.blocks ?? []).map((b) => b.block_id).filter((id) => /^asset:[^:]+$/.test(id));
    expect(assetIds[0]).toBe('asset:LAP-0002');
    expect(assetIds).toEqual(expect.arrayContaining(['asset:LAP-0001', 'asset:LAP-0003']));
    expect(blockText(reply.blocks, 'asset:LAP-0002')).toMatch(/overdue\* \(due 2 Nov\)/);
    expect(blockText(reply.blocks, 'asset:LAP-0001')).toContain('due back 20 Nov');
    const actions = blockText(reply.blocks, 'asset:LAP-0001:actions');
    for (const actionId of ['return_asset', 'report_problem', 'start_transfer'])
      expect(actions).toContain(actionId);
    expect(blockText(reply.blocks, 'mine_requests_header')).toContain('none');
    expect(reply.blocks!.length).toBeLessThanOrEqual(50);
  });

  it('lists open requests with their status and a Cancel button while pending', async () => {
    const submitted = await h.app.services.requests.submit(await h.as(people.ana.id), {
      kind: 'permanent',
      item: { category: 'Monitor', model: undefined },
      reason: 'Second screen',
      neededBy: undefined,
      returnBy: undefined,
    });
    if (!submitted.ok) throw new Error('could not submit');
    const reply = await mine(people.ana.id);
    const row = blockText(reply.blocks, `request:${submitted.value.request.id}`);
    expect(row).toContain('any Monitor');
    expect(row).toContain('pending since 3 Nov');
    expect(row).toContain('"action_id":"cancel_request"');
    await h.app.services.requests.cancel(await h.as(people.ana.id), submitted.value.request.id);
    await h.app.settle();
  });

  it('tells someone who holds nothing and asked for nothing what they can do', async () => {
    const reply = await mine(people.ada.id);
    expect(blockText(reply.blocks, 'mine_held_header')).toContain('nothing right now');
    expect(blockText(reply.blocks, 'mine_requests_header')).toContain('/asset request');
  });

  it('pages through many assets inside the block limit, replacing the message in place', async () => {
    for (let n = 10; n < 35; n++) await seedHeld(`PHN-00${n}`, people.ada.id, 'Phone', 'Pixel 9');
    const first = await mine(people.ada.id);
    expect(first.blocks!.length).toBeLessThanOrEqual(50);
    expect(blockText(first.blocks, 'mine_header')).toContain('page 1 of 3');
    const onFirst = first.blocks!.filter((b) => /^asset:PHN-\d+$/.test(b.block_id)).length;
    expect(onFirst).toBe(10);
    const ephemeralsBefore = h.fake.ephemerals(people.ada.id).length;
    await h.driver.pressButton({
      user: people.ada.id,
      actionId: 'mine_page:next',
      message: { channel: first.channel, ts: first.message_ts },
    });
    const second = lastEphemeral(people.ada.id);
    expect(h.fake.ephemerals(people.ada.id)).toHaveLength(ephemeralsBefore);
    expect(blockText(second.blocks, 'mine_header')).toContain('page 2 of 3');
    expect(second.blocks!.some((b) => b.block_id === 'asset:PHN-0020')).toBe(true);
    expect(second.blocks!.some((b) => b.block_id === 'asset:PHN-0010')).toBe(false);
  });
});

describe('returning an asset', () => {
  let itCount = 0;
  beforeEach(() => {
    itCount = h.fake.messages(channels.it.id).length;
  });

  it('from the Return button: pending return, IT told with Confirm receipt, the holder told, home refreshed', async () => {
    await h.driver.openHome(people.ana.id);
    const list = await mine(people.ana.id);
    await h.driver.pressButton({
      user: people.ana.id,
      actionId: 'return_asset',
      blockId: 'asset:LAP-0001:actions',
      message: { channel: list.channel, ts: list.message_ts },
    });

    expect((await assetNow('LAP-0001')).status).toBe('pending_return');
    expect((await historyOf('LAP-0001'))[0]).toMatchObject({
      action: 'return_started',
      actorId: people.ana.id,
    });
    expect(lastEphemeral(people.ana.id).text).toMatch(/LAP-0001\* is now pending return/);

    const posts = itPostsSince(itCount);
    expect(posts).toHaveLength(1);
    expect(blockText(posts[0]!.blocks, 'employee_notice')).toContain(
      `<@${people.ana.id}> is returning *LAP-0001*`,
    );
    const button = JSON.stringify(posts[0]!.blocks);
    expect(button).toContain('"action_id":"confirm_return"');
    expect(button).toContain('"value":"LAP-0001"');

    const home = h.fake.home(people.ana.id)!;
    expect(blockText(home.blocks, 'asset:LAP-0001')).toContain('Pending return');
  });

  it('a second click changes nothing and says the return is already pending', async () => {
    const list = h.fake
      .ephemerals(people.ana.id)
      .filter((e) => e.blocks?.some((b) => b.block_id === 'mine_header'))
      .at(-1)!;
    await h.driver.pressButton({
      user: people.ana.id,
      actionId: 'return_asset',
      blockId: 'asset:LAP-0001:actions',
      message: { channel: list.channel, ts: list.message_ts },
    });
    expect(lastEphemeral(people.ana.id).text).toMatch(/already started returning \*LAP-0001\*/);
    expect(itPostsSince(itCount)).toHaveLength(0);
    expect((await historyOf('LAP-0001')).filter((e) => e.action === 'return_started')).toHaveLength(1);
  });

  it('IT confirms receipt from the channel message and the asset is back in stock', async () => {
    const notice = h.fake
      .messages(channels.it.id)
      .filter((m) => JSON.stringify(m.blocks).includes('is returning *LAP-0001*'))
      .at(-1)!;
    await h.driver.pressButton({
      user: people.ivy.id,
      actionId: 'confirm_return',
      message: { channel: channels.it.id, ts: notice.ts },
    });
    const confirmed = await h.driver.submitView({ user: people.ivy.id, values: { condition: 'good' } });
    expect(confirmed.status).toBe(200);
    expect(await assetNow('LAP-0001')).toMatchObject({ status: 'available', holderId: undefined });
  });

  it('with /asset return <tag>, case-insensitively', async () => {
    await h.driver.slashCommand({ user: people.ana.id, text: 'return lap-0003' });
    expect((await assetNow('LAP-0003')).status).toBe('pending_return');
    expect(lastEphemeral(people.ana.id).text).toMatch(/LAP-0003\* is now pending return/);
    expect(itPostsSince(itCount)).toHaveLength(1);

    await h.driver.slashCommand({ user: people.ana.id, text: 'return LAP-0003' });
    expect(lastEphemeral(people.ana.id).text).toMatch(/already started returning/);
    expect(itPostsSince(itCount)).toHaveLength(1);
  });

  it('from the App Home, answered in a small modal', async () => {
    await h.driver.openHome(people.ben.id);
    await h.driver.pressButton({ user: people.ben.id, actionId: 'return_asset', view: 'home' });
    expect((await assetNow('LAP-0005')).status).toBe('pending_return');
    expect(JSON.stringify(h.fake.topModal(people.ben.id)?.blocks)).toContain('pending return');
    await h.driver.closeView({ user: people.ben.id });
  });

  it('refuses someone who does not hold the asset, and explains a missing tag', async () => {
    await h.driver.slashCommand({ user: people.ben.id, text: 'return LAP-0002' });
    expect(lastEphemeral(people.ben.id).text).toBe(`*LAP-0002* is held by <@${people.ana.id}>, not you.`);
    expect((await assetNow('LAP-0002')).status).toBe('checked_out');

    await h.driver.slashCommand({ user: people.ana.id, text: 'return' });
    expect(lastEphemeral(people.ana.id).text).toMatch(
      /^Tell me which asset: `\/asset return <tag>`.*You hold `LAP-0002`/,
    );

    await h.driver.slashCommand({ user: people.ana.id, text: 'return NOPE-1' });
    expect(lastEphemeral(people.ana.id).text).toMatch(/No asset has the tag \*NOPE-1\*/);
    expect(itPostsSince(itCount)).toHaveLength(0);
  });
});

describe('reporting a problem', () => {
  it('lost: the asset becomes lost, its history says so, IT is told', async () => {
    await checkOut('LAP-0006', people.ben.id);
    const itCount = h.fake.messages(channels.it.id).length;
    const list = await mine(people.ben.id);
    await h.driver.pressButton({
      user: people.ben.id,
      actionId: 'report_problem',
      blockId: 'asset:LAP-0006:actions',
      message: { channel: list.channel, ts: list.message_ts },
    });
    expect(h.fake.topModal(people.ben.id)?.callback_id).toBe('report_problem_modal');
    const submitted = await h.driver.submitView({
      user: people.ben.id,
      values: { problem: 'lost', note: 'Left it on the train to Hamburg' },
    });
    expect(submitted.outcome).toBe('updated');
    expect(JSON.stringify(h.fake.topModal(people.ben.id)?.blocks)).toContain('Recorded *LAP-0006* as lost');

    const asset = await assetNow('LAP-0006');
    expect(asset).toMatchObject({ status: 'lost', holderId: people.ben.id });
    expect((await historyOf('LAP-0006'))[0]).toMatchObject({
      action: 'reported_lost',
      problem: 'lost',
      note: 'Left it on the train to Hamburg',
      actorId: people.ben.id,
    });
    const posts = itPostsSince(itCount);
    expect(posts).toHaveLength(1);
    expect(blockText(posts[0]!.blocks, 'employee_notice')).toContain('reported *lost*');
    expect(blockText(posts[0]!.blocks, 'employee_notice')).toContain('Left it on the train to Hamburg');
    await h.driver.closeView({ user: people.ben.id });
  });

  it('not working: the status stays, the history records it, IT is told', async () => {
    await checkOut('LAP-0007', people.ben.id);
    const itCount = h.fake.messages(channels.it.id).length;
    const list = await mine(people.ben.id);
    await h.driver.pressButton({
      user: people.ben.id,
      actionId: 'report_problem',
      blockId: 'asset:LAP-0007:actions',
      message: { channel: list.channel, ts: list.message_ts },
    });
    await h.driver.submitView({ user: people.ben.id, values: { problem: 'not_working' } });
    expect(await assetNow('LAP-0007')).toMatchObject({ status: 'checked_out', holderId: people.ben.id });
    expect((await historyOf('LAP-0007'))[0]).toMatchObject({
      action: 'problem_reported',
      problem: 'not_working',
    });
    expect(blockText(itPostsSince(itCount)[0]?.blocks, 'employee_notice')).toContain('is *not working*');
    await h.driver.closeView({ user: people.ben.id });
  });

  it('needs to know what happened', async () => {
    const list = await mine(people.ben.id);
    await h.driver.pressButton({
      user: people.ben.id,
      actionId: 'report_problem',
      blockId: 'asset:LAP-0007:actions',
      message: { channel: list.channel, ts: list.message_ts },
    });
    await expect(h.driver.submitView({ user: people.ben.id, values: { note: 'hmm' } })).rejects.toThrow(
      /required field/,
    );
    await h.driver.closeView({ user: people.ben.id });
  });
});

describe('cancelling a request', () => {
  it('from /asset mine: cancelled, the IT message loses its buttons, IT queue refreshed', async () => {
    await h.driver.slashCommand({ user: people.ana.id, text: 'request' });
    const suggested = await h.driver.suggest({
      user: people.ana.id,
      actionId: 'request_catalog_item',
      value: '',
    });
    const anyLaptop = suggested.options.find((o) => o.text.text.startsWith('Any Laptop'))!;
    await h.driver.submitView({
      user: people.ana.id,
      values: { item: anyLaptop.value, kind: 'permanent', reason: 'Backup machine' },
    });
    const open = await h.app.services.requests.openForMe(await h.as(people.ana.id));
    const [request] = open.ok ? open.value : [];
    expect(request?.itMessage).toBeDefined();

    await h.driver.openHome(people.ivy.id);
    h.clock.advance(day);
    const list = await mine(people.ana.id);
    await h.driver.pressButton({
      user: people.ana.id,
      actionId: 'cancel_request',
      message: { channel: list.channel, ts: list.message_ts },
    });
    expect(lastEphemeral(people.ana.id).text).toContain('Cancelled your request for *any Laptop*');
    const stored = await h.app.services.requests.byId(h.teamId, request!.id);
    expect(stored.ok && stored.value.status).toBe('cancelled');
    const itMessage = h.fake.messages(channels.it.id).find((m) => m.ts === request!.itMessage!.ts);
    expect(blockText(itMessage?.blocks, 'request_outcome')).toContain('Cancelled by the requester');
    expect(blockOf(itMessage?.blocks, 'request_actions')).toBeUndefined();
    expect(h.fake.home(people.ivy.id)?.blocks.some((b) => b.block_id === `it_request:${request!.id}`)).toBe(
      false,
    );

    await h.driver.pressButton({
      user: people.ana.id,
      actionId: 'cancel_request',
      message: { channel: list.channel, ts: list.message_ts },
    });
    expect(lastEphemeral(people.ana.id).text).toContain('Cancelled your request');
    expect(
      h.fake.calls.filter((c) => c.method === 'chat.update' && c.args['ts'] === request!.itMessage!.ts),
    ).toHaveLength(1);
  });
});
