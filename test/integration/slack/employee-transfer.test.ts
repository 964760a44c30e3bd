import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FakeMessage, SlackBlock } from '@custodian/fake-slack';
import { channels, people, startHarness, type Harness } from '../../support/app-harness.js';

let h: Harness;

const formerColleague = { id: 'U0OLD0001', name: 'olga', real_name: 'Olga Former', deleted: true };
const botUserId = 'U0FAKEBOT';
const escaped = (user: { id: string; name: string }) => `<@${user.id}|${user.name}>`;

const lastEphemeral = (userId: string) => h.fake.ephemerals(userId).at(-1)!;
const blockText = (blocks: SlackBlock[] | undefined, blockId: string) =>
  JSON.stringify(blocks?.find((b) => b.block_id === blockId) ?? null);
const assetNow = async (tag: string) => {
  const found = await h.app.services.assets.byTag(await h.as(people.ivy.id), tag);
  if (!found.ok) throw new Error(`no asset ${tag}`);
  return found.value;
};
const transferEntries = async (tag: string) => {
  const history = await h.app.services.assets.history(await h.as(people.ivy.id), tag, {
    offset: 0,
    limit: 100,
  });
  if (!history.ok) throw new Error(`no history for ${tag}`);
  return history.value.entries.items.filter((e) => e.action === 'transferred');
};
const openTransfers = async (userId: string) => {
  const open = await h.app.services.transfers.openForMe(await h.as(userId));
  if (!open.ok) throw new Error(JSON.stringify(open.error));
  return open.value;
};
/** The newest open transfer of an asset, read from the database. */
const openTransferOf = async (tag: string) =>
  (await openTransfers(people.ana.id)).find((t) => t.assetTag === tag.toUpperCase());
const transferStatus = async (id: string) => {
  const found = await h.app.services.transfers.byId(h.teamId, id);
  return found.ok ? found.value.status : 'missing';
};
const dmWith = (userId: string, ts: string): FakeMessage | undefined =>
  h.fake.dms(userId).find((m) => m.ts === ts);
const messagesSent = (calls: { method: string }[]) =>
  calls.filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update');

async function offerByCommand(tag: string, to: { id: string; name: string }, note = '') {
  await h.driver.slashCommand({ user: people.ana.id, text: `transfer ${tag} ${escaped(to)} ${note}`.trim() });
  const transfer = await openTransferOf(tag);
  if (!transfer) throw new Error(`no open transfer of ${tag}: ${lastEphemeral(people.ana.id).text}`);
  return transfer;
}

beforeAll(async () => {
  h = await startHarness('employee_transfer');
  h.fake.addUser(formerColleague);
  await h.makeIt(people.ivy.id);
  const { assets } = h.app.services;
  for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9]) {
    const tag = `LAP-000${n}`;
    const added = await assets.register(await h.as(people.ivy.id), {
      tag,
      serial: `SN-${tag}`,
      name: `MacBook Pro 14 #${n}`,
      category: 'Laptop',
      model: 'MacBook Pro 14',
      location: 'Berlin office',
    });
    if (!added.ok) throw new Error(JSON.stringify(added.error));
    if (n <= 7) {
      const holder = n === 5 ? people.ben.id : people.ana.id;
      const out = await assets.checkOut(await h.as(people.ivy.id), {
        tag: tag,
        holderId: holder,
        dueBackAt: undefined,
      });
      if (!out.ok) throw new Error(JSON.stringify(out.error));
    }
  }
  // The set-up's messages (check-out DMs, IT posts, home refreshes) go out before the tests count any.
  await h.app.settle();
});

afterAll(async () => {
  await h?.stop();
});

describe('a transfer the recipient accepts', () => {
  let transferId = '';
  let offerTs = '';

  it('offers the asset: the recipient gets Accept / Decline by DM, the sender a confirmation with Cancel', async () => {
    const dmsBefore = h.fake.dms(people.ben.id).length;
    const transfer = await offerByCommand('lap-0001', people.ben, 'you take over the demo laptop');
    transferId = transfer.id;
    expect(transfer).toMatchObject({ status: 'pending', fromId: people.ana.id, toId: people.ben.id });
    expect(transfer.note).toBe('you take over the demo laptop');

    const confirmation = lastEphemeral(people.ana.id);
    expect(confirmation.text).toContain(`Asked <@${people.ben.id}> to accept LAP-0001`);
    expect(blockText(confirmation.blocks, 'transfer_offered')).toContain('"action_id":"cancel_transfer"');

    const offers = h.fake.dms(people.ben.id).slice(dmsBefore);
    expect(offers).toHaveLength(1);
    offerTs = offers[0]!.ts;
    expect(blockText(offers[0]!.blocks, 'transfer_offer')).toContain('you take over the demo laptop');
    const actions = blockText(offers[0]!.blocks, 'transfer_actions');
    expect(actions).toContain('"action_id":"accept_transfer"');
    expect(actions).toContain('"action_id":"decline_transfer"');
    expect(transfer.offerMessage?.ts).toBe(offerTs);

    expect((await assetNow('LAP-0001')).holderId).toBe(people.ana.id);
  });

  it('shows up in /asset mine for both: Cancel for the sender, Accept / Decline for the recipient', async () => {
    await h.driver.slashCommand({ user: people.ana.id, text: 'mine' });
    const senderRow = blockText(lastEphemeral(people.ana.id).blocks, `transfer:${transferId}`);
    expect(senderRow).toContain('cancel_transfer');
    expect(blockText(lastEphemeral(people.ana.id).blocks, 'asset:LAP-0001:actions')).not.toContain(
      'start_transfer',
    );
    await h.driver.slashCommand({ user: people.ben.id, text: 'mine' });
    expect(blockText(lastEphemeral(people.ben.id).blocks, `transfer:${transferId}:actions`)).toContain(
      'accept_transfer',
    );
  });

  it('moves custody on accept, records it, updates the offer in place and tells the sender and IT', async () => {
    await h.driver.openHome(people.ana.id);
    await h.driver.openHome(people.ben.id);
    const anaDms = h.fake.dms(people.ana.id).length;
    const itCount = h.fake.messages(channels.it.id).length;

    const accepted = await h.driver.pressButton({
      user: people.ben.id,
      actionId: 'accept_transfer',
      message: { channel: people.ben.id, ts: offerTs },
    });
    expect(accepted.status).toBe(200);

    expect(await assetNow('LAP-0001')).toMatchObject({ status: 'checked_out', holderId: people.ben.id });
    const entries = await transferEntries('LAP-0001');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      transferId,
      actorId: people.ben.id,
      fromHolderId: people.ana.id,
      toHolderId: people.ben.id,
      note: 'you take over the demo laptop',
    });
    expect(await transferStatus(transferId)).toBe('accepted');

    const offer = dmWith(people.ben.id, offerTs);
    expect(blockText(offer?.blocks, 'transfer_outcome')).toContain('You accepted *LAP-0001*');
    expect(offer?.blocks?.some((b) => b.block_id === 'transfer_actions')).toBe(false);

    const toSender = h.fake.dms(people.ana.id).slice(anaDms);
    expect(toSender).toHaveLength(1);
    expect(JSON.stringify(toSender[0]!.blocks)).toContain(`<@${people.ben.id}> accepted *LAP-0001*`);

    const itPosts = h.fake.messages(channels.it.id).slice(itCount);
    expect(itPosts).toHaveLength(1);
    expect(blockText(itPosts[0]!.blocks, 'employee_notice')).toContain(
      `*LAP-0001* moved from <@${people.ana.id}> to <@${people.ben.id}>`,
    );

    expect(h.fake.home(people.ben.id)?.blocks.some((b) => b.block_id === 'asset:LAP-0001')).toBe(true);
    expect(h.fake.home(people.ana.id)?.blocks.some((b) => b.block_id === 'asset:LAP-0001')).toBe(false);

    // Slack delivering the same click again: nothing moves, nobody is told twice.
    const replay = await h.driver.redeliver(accepted, { num: 1, reason: 'http_timeout' });
    expect(replay.status).toBe(200);
    expect(messagesSent(replay.calls)).toEqual([]);
    expect(await transferEntries('LAP-0001')).toHaveLength(1);
    expect(h.fake.dms(people.ana.id).slice(anaDms)).toHaveLength(1);
    expect(h.fake.messages(channels.it.id).slice(itCount)).toHaveLength(1);
  });
});

describe('a transfer offered from /asset mine and declined', () => {
  it('opens the modal from the Transfer button, offers, and keeps custody when the recipient declines', async () => {
    await h.driver.slashCommand({ user: people.ana.id, text: 'mine' });
    const list = lastEphemeral(people.ana.id);
    await h.driver.pressButton({
      user: people.ana.id,
      actionId: 'start_transfer',
      blockId: 'asset:LAP-0002:actions',
      message: { channel: list.channel, ts: list.message_ts },
    });
    expect(h.fake.topModal(people.ana.id)?.callback_id).toBe('transfer_modal');
    const dmsBefore = h.fake.dms(people.ben.id).length;
    const submitted = await h.driver.submitView({
      user: people.ana.id,
      values: { recipient: people.ben.id, note: 'for the Lisbon trip' },
    });
    expect(submitted.outcome).toBe('updated');
    expect(blockText(h.fake.topModal(people.ana.id)?.blocks, 'transfer_offered')).toContain(
      'cancel_transfer',
    );
    await h.driver.closeView({ user: people.ana.id });

    const transfer = (await openTransferOf('LAP-0002'))!;
    const offer = h.fake.dms(people.ben.id).slice(dmsBefore)[0]!;
    const anaDms = h.fake.dms(people.ana.id).length;
    await h.driver.pressButton({
      user: people.ben.id,
      actionId: 'decline_transfer',
      message: { channel: people.ben.id, ts: offer.ts },
    });
    expect(await transferStatus(transfer.id)).toBe('declined');
    expect((await assetNow('LAP-0002')).holderId).toBe(people.ana.id);
    expect(await transferEntries('LAP-0002')).toHaveLength(0);
    expect(blockText(dmWith(people.ben.id, offer.ts)?.blocks, 'transfer_outcome')).toContain('You declined');
    const toSender = h.fake.dms(people.ana.id).slice(anaDms);
    expect(toSender).toHaveLength(1);
    expect(JSON.stringify(toSender[0]!.blocks)).toContain('declined *LAP-0002*');
  });
});

describe('a transfer the sender cancels', () => {
  it('closes the offer, replaces the confirmation and updates the recipient’s DM in place', async () => {
    const transfer = await offerByCommand('LAP-0003', people.ben);
    const confirmation = lastEphemeral(people.ana.id);
    const ephemeralCount = h.fake.ephemerals(people.ana.id).length;
    await h.driver.pressButton({
      user: people.ana.id,
      actionId: 'cancel_transfer',
      message: { channel: confirmation.channel, ts: confirmation.message_ts },
    });
    expect(await transferStatus(transfer.id)).toBe('cancelled');
    expect(h.fake.ephemerals(people.ana.id)).toHaveLength(ephemeralCount);
    expect(lastEphemeral(people.ana.id).text).toContain('Cancelled the transfer of *LAP-0003*');
    expect(blockText(dmWith(people.ben.id, transfer.offerMessage!.ts)?.blocks, 'transfer_outcome')).toContain(
      'cancelled the transfer of *LAP-0003*',
    );
    expect((await assetNow('LAP-0003')).holderId).toBe(people.ana.id);
  });
});

describe('only the recipient can accept', () => {
  it('refuses someone else pressing Accept with the transfer’s id, and nothing changes', async () => {
    const toBen = await offerByCommand('LAP-0004', people.ben);
    // Ada has an Accept button of her own (Ben offers her LAP-0005); she sends it with the other transfer's id.
    await h.driver.slashCommand({ user: people.ben.id, text: `transfer LAP-0005 ${escaped(people.ada)}` });
    const adasOffer = h.fake.dms(people.ada.id).at(-1)!;
    await h.driver.pressButton({
      user: people.ada.id,
      actionId: 'accept_transfer',
      message: { channel: people.ada.id, ts: adasOffer.ts },
      value: toBen.id,
    });
    expect(lastEphemeral(people.ada.id).text).toBe(
      'Only the person the asset is being transferred to can answer this.',
    );
    expect(await transferStatus(toBen.id)).toBe('pending');
    expect((await assetNow('LAP-0004')).holderId).toBe(people.ana.id);
    expect(await transferEntries('LAP-0004')).toHaveLength(0);
  });
});

describe('transfers that are refused', () => {
  const refusals: Array<[string, string, string, RegExp]> = [
    [
      'not the holder',
      people.ben.id,
      `transfer LAP-0006 ${escaped(people.ada)}`,
      /LAP-0006\* is held by <@U0ANA0001>, not you/,
    ],
    [
      'to yourself',
      people.ana.id,
      `transfer LAP-0006 ${escaped(people.ana)}`,
      /cannot transfer an asset to yourself/,
    ],
    [
      'to a bot',
      people.ana.id,
      `transfer LAP-0006 <@${botUserId}|custodian>`,
      /is a bot; hand the asset to a person/,
    ],
    [
      'to a deactivated person',
      people.ana.id,
      `transfer LAP-0006 ${escaped(formerColleague)}`,
      /is deactivated in Slack/,
    ],
    [
      'an asset that is not checked out',
      people.ana.id,
      `transfer LAP-0009 ${escaped(people.ben)}`,
      /LAP-0009\* is available, so you cannot transfer it/,
    ],
    [
      'an asset with a transfer already open',
      people.ana.id,
      `transfer LAP-0004 ${escaped(people.ada)}`,
      /LAP-0004\* already has a transfer waiting for <@U0BEN0001>/,
    ],
    ['without a person', people.ana.id, 'transfer LAP-0006', /^I need a tag and a person/],
  ];

  it.each(refusals)('%s', async (_name, userId, text, message) => {
    const before = { ana: (await openTransfers(people.ana.id)).length, calls: h.fake.calls.length };
    await h.driver.slashCommand({ user: userId, text });
    expect(lastEphemeral(userId).text).toMatch(message);
    expect(await openTransfers(people.ana.id)).toHaveLength(before.ana);
    expect(messagesSent(h.fake.calls.slice(before.calls))).toEqual([]);
  });

  it('answers a bad recipient in the modal under the recipient field', async () => {
    await h.driver.slashCommand({ user: people.ana.id, text: 'mine' });
    const list = lastEphemeral(people.ana.id);
    await h.driver.pressButton({
      user: people.ana.id,
      actionId: 'start_transfer',
      blockId: 'asset:LAP-0006:actions',
      message: { channel: list.channel, ts: list.message_ts },
    });
    const toSelf = await h.driver.submitView({ user: people.ana.id, values: { recipient: people.ana.id } });
    expect(toSelf.errors).toEqual({ recipient: 'You cannot transfer an asset to yourself.' });
    const toBot = await h.driver.submitView({ user: people.ana.id, values: { recipient: botUserId } });
    expect(toBot.errors?.['recipient']).toMatch(/^@custodian is a bot/i);
    expect((await openTransfers(people.ana.id)).some((t) => t.assetTag === 'LAP-0006')).toBe(false);
    await h.driver.closeView({ user: people.ana.id });
  });
});

describe('a transfer overtaken by events', () => {
  it('is voided on accept when the asset changed hands, and the offer says so', async () => {
    const transfer = await offerByCommand('LAP-0007', people.ben);
    const checkedIn = await h.app.services.assets.checkIn(await h.as(people.ivy.id), {
      tag: 'LAP-0007',
      condition: 'good',
    });
    expect(checkedIn.ok).toBe(true);
    await h.driver.pressButton({
      user: people.ben.id,
      actionId: 'accept_transfer',
      message: { channel: people.ben.id, ts: transfer.offerMessage!.ts },
    });
    expect(lastEphemeral(people.ben.id).text).toBe(
      'The transfer of *LAP-0007* no longer applies: the asset is no longer held by the sender.',
    );
    expect(await transferStatus(transfer.id)).toBe('voided');
    expect(await assetNow('LAP-0007')).toMatchObject({ status: 'available', holderId: undefined });
    expect(blockText(dmWith(people.ben.id, transfer.offerMessage!.ts)?.blocks, 'transfer_outcome')).toContain(
      'no longer applies',
    );
  });
});
