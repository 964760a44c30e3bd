/**
 * Slack failing in the middle of the custody flows (transfer offer, return): the change stands or not as a
 * whole, and whoever acted is told when the other person could not be.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { JsonObject } from '@custodian/fake-slack';
import { channels, people, startHarness, type Harness } from '../../support/app-harness.js';

let h: Harness;

const toChannel = (channel: string) => (args: JsonObject) => args['channel'] === channel;
const mention = (user: { id: string; name: string }) => `<@${user.id}|${user.name}>`;
const lastEphemeral = (userId: string) => h.fake.ephemerals(userId).at(-1)?.text ?? '';
const assetNow = async (tag: string) => {
  const found = await h.app.services.assets.byTag(await h.as(people.ivy.id), tag);
  if (!found.ok) throw new Error(`no asset ${tag}`);
  return found.value;
};

beforeAll(async () => {
  h = await startHarness('faults_custody');
  await h.makeIt(people.ivy.id);
  for (const n of [1, 2]) {
    const tag = `LAP-000${n}`;
    const added = await h.app.services.assets.register(await h.as(people.ivy.id), {
      tag,
      serial: `SN-${n}`,
      name: `MacBook Pro 14 #${n}`,
      category: 'Laptop',
      model: 'MacBook Pro 14',
      location: 'Berlin office',
    });
    if (!added.ok) throw new Error(JSON.stringify(added.error));
    const out = await h.app.services.assets.checkOut(await h.as(people.ivy.id), {
      tag: tag,
      holderId: people.ana.id,
      dueBackAt: undefined,
    });
    if (!out.ok) throw new Error(JSON.stringify(out.error));
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

describe('a transfer offer whose DM fails', () => {
  it('keeps the offer open, tells the sender the recipient has not heard, and the recipient can still accept', async () => {
    h.fake.failNext('chat.postMessage', { error: 'internal_error', match: toChannel(people.ben.id) });
    await h.driver.slashCommand({ user: people.ana.id, text: `transfer LAP-0001 ${mention(people.ben)}` });
    expect(h.fake.pendingFaults()).toBe(0);
    expect(lastEphemeral(people.ana.id)).toBe(`Asked <@${people.ben.id}> to accept LAP-0001`);
    expect(h.fake.dms(people.ben.id)).toHaveLength(0);
    expect(h.fake.dms(people.ana.id).at(-1)?.text).toBe(
      `I could not DM <@${people.ben.id}> your offer of LAP-0001`,
    );
    expect(JSON.stringify(h.fake.dms(people.ana.id).at(-1)?.blocks)).toContain('/asset mine');

    const openForBen = await h.app.services.transfers.openForMe(await h.as(people.ben.id));
    const open = openForBen.ok ? openForBen.value : [];
    expect(open.map((t) => [t.assetTag, t.status])).toEqual([['LAP-0001', 'pending']]);
    expect((await assetNow('LAP-0001')).holderId).toBe(people.ana.id);

    // The recipient finds it in /asset mine and accepts: custody moves once.
    await h.driver.slashCommand({ user: people.ben.id, text: 'mine' });
    const list = h.fake.ephemerals(people.ben.id).at(-1)!;
    await h.driver.pressButton({
      user: people.ben.id,
      actionId: 'accept_transfer',
      message: { channel: list.channel, ts: list.message_ts },
    });
    expect((await assetNow('LAP-0001')).holderId).toBe(people.ben.id);
  });
});

describe('a return whose IT notice fails', () => {
  it('the return stands after the client gave up on 500s, and IT sees it on the Home', async () => {
    const itBefore = h.fake.messages(channels.it.id).length;
    h.fake.failNext('chat.postMessage', { status: 500, times: 3, match: toChannel(channels.it.id) });
    await h.driver.slashCommand({ user: people.ana.id, text: 'return LAP-0002' });
    expect(h.fake.pendingFaults()).toBe(0);
    expect((await assetNow('LAP-0002')).status).toBe('pending_return');
    expect(h.fake.messages(channels.it.id)).toHaveLength(itBefore);
    expect(lastEphemeral(people.ana.id)).toMatch(/LAP-0002/);
    await h.driver.openHome(people.ivy.id);
    expect(JSON.stringify(h.fake.home(people.ivy.id)?.blocks)).toContain('LAP-0002');
  });
});
