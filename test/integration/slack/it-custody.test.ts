import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { channels, people, startHarness, type Harness } from '../../support/app-harness.js';

let h: Harness;

const lastEphemeral = (userId: string) => h.fake.ephemerals(userId).at(-1)?.text ?? '';
const assetNow = async (tag: string) => {
  const found = await h.app.services.assets.byTag(await h.as(people.ivy.id), tag);
  if (!found.ok) throw new Error(`no asset ${tag}`);
  return found.value;
};
const newestHistory = async (tag: string) => {
  const history = await h.app.services.assets.history(await h.as(people.ivy.id), tag, {
    offset: 0,
    limit: 1,
  });
  if (!history.ok) throw new Error(`no asset ${tag}`);
  return history.value.entries.items[0];
};
const dmText = (userId: string) => JSON.stringify(h.fake.dms(userId).at(-1)?.blocks ?? null);
const modalText = (userId: string) => JSON.stringify(h.fake.topModal(userId)?.blocks ?? null);

async function register(tag: string, category = 'Laptop') {
  const added = await h.app.services.assets.register(await h.as(people.ivy.id), {
    tag,
    serial: `SN-${tag}`,
    name: `${category} ${tag}`,
    category,
    model: category === 'Laptop' ? 'ThinkPad X1' : undefined,
    location: 'Berlin office',
  });
  if (!added.ok) throw new Error(JSON.stringify(added.error));
}

beforeAll(async () => {
  h = await startHarness('it_custody');
  await h.makeIt(people.ivy.id);
  for (let i = 1; i <= 9; i++) await register(`TP-${i}`);
  // People the app has seen before (as after their first command).
  await h.app.services.people.resolve(h.teamId, people.ana.id);
  await h.app.services.people.resolve(h.teamId, people.ben.id);
  // The set-up's messages (check-out DMs, IT posts, home refreshes) go out before the tests count any.
  await h.app.settle();
});

afterAll(async () => {
  await h?.stop();
});

describe('/asset add', () => {
  it('registers an asset from the modal', async () => {
    await h.driver.slashCommand({ user: people.ivy.id, text: 'add' });
    expect(h.fake.topModal(people.ivy.id)?.callback_id).toBe('add_asset_modal');
    const res = await h.driver.submitView({
      user: people.ivy.id,
      values: {
        tag: 'tp-100',
        serial: 'PF-9XYZ',
        name: 'ThinkPad X1 Carbon',
        category: 'Laptop',
        model: 'ThinkPad X1',
        location: 'Lisbon',
      },
    });
    expect(res.outcome).toBe('updated');
    expect(modalText(people.ivy.id)).toContain('Added *TP-100*');
    expect(await assetNow('TP-100')).toMatchObject({
      status: 'available',
      serial: 'PF-9XYZ',
      category: 'Laptop',
      location: 'Lisbon',
    });
    expect(await newestHistory('TP-100')).toMatchObject({ action: 'registered', actorId: people.ivy.id });
    await h.driver.closeView({ user: people.ivy.id });
  });

  it('refuses invalid fields and duplicates under their field', async () => {
    await h.driver.slashCommand({ user: people.ivy.id, text: 'add' });
    const invalid = await h.driver.submitView({
      user: people.ivy.id,
      values: { tag: 'bad tag!', name: '   ', category: 'Laptop' },
    });
    expect(invalid.outcome).toBe('errors');
    expect(invalid.errors).toEqual({ name: 'Enter the name.' });

    const badTag = await h.driver.submitView({
      user: people.ivy.id,
      values: { tag: 'bad tag!', name: 'Laptop', category: 'Laptop' },
    });
    expect(badTag.errors?.['tag']).toMatch(/^Use 1–40 letters, digits/);

    const duplicateTag = await h.driver.submitView({
      user: people.ivy.id,
      values: { tag: 'TP-1', name: 'Another', category: 'Laptop' },
    });
    expect(duplicateTag.errors).toEqual({ tag: 'An asset with the tag TP-1 already exists.' });

    const duplicateSerial = await h.driver.submitView({
      user: people.ivy.id,
      values: { tag: 'TP-200', serial: 'SN-TP-2', name: 'Another', category: 'Laptop' },
    });
    expect(duplicateSerial.errors).toEqual({
      serial: 'An asset with the serial number SN-TP-2 already exists.',
    });
    const missing = await h.app.services.assets.byTag(await h.as(people.ivy.id), 'TP-200');
    expect(missing.ok).toBe(false);
    await h.driver.closeView({ user: people.ivy.id });
  });

  it('is refused to employees', async () => {
    const res = await h.driver.slashCommand({ user: people.ben.id, text: 'add' });
    expect(res.calls.some((c) => c.method === 'views.open')).toBe(false);
    expect(lastEphemeral(people.ben.id)).toBe(
      'Only IT staff can add assets. Ask in the IT channel if you need help.',
    );
  });
});

describe('/asset checkout and /asset checkin', () => {
  it('checks an asset out to a person with a due date and tells them by DM', async () => {
    await h.driver.slashCommand({
      user: people.ivy.id,
      text: `checkout tp-1 <@${people.ana.id}|ana> due 2026-12-01`,
    });
    expect(lastEphemeral(people.ivy.id)).toBe(
      `:white_check_mark: *TP-1* is now checked out to <@${people.ana.id}>, due back 1 Dec. I told them by DM.`,
    );
    const asset = await assetNow('TP-1');
    expect(asset).toMatchObject({ status: 'checked_out', holderId: people.ana.id });
    expect(asset.dueBackAt?.toISOString()).toBe('2026-12-01T23:59:59.999Z');
    expect(dmText(people.ana.id)).toContain(`<@${people.ivy.id}> checked out *TP-1*`);
    expect(h.fake.home(people.ana.id)?.blocks.find((b) => b.block_id === 'asset:TP-1')).toBeDefined();
  });

  it('explains what is wrong with the arguments', async () => {
    await h.driver.slashCommand({ user: people.ivy.id, text: 'checkout TP-2' });
    expect(lastEphemeral(people.ivy.id)).toMatch(/^I need a tag and a person/);
    await h.driver.slashCommand({
      user: people.ivy.id,
      text: `checkout TP-2 <@${people.ben.id}> due 2026-02-30`,
    });
    expect(lastEphemeral(people.ivy.id)).toMatch(/^The due date must be a real day written YYYY-MM-DD/);
    await h.driver.slashCommand({
      user: people.ivy.id,
      text: `checkout TP-2 <@${people.ben.id}> due 2026-11-02`,
    });
    expect(lastEphemeral(people.ivy.id)).toBe('The due date 2026-11-02 is in the past; pick today or later.');
    await h.driver.slashCommand({ user: people.ivy.id, text: `checkout NOPE-1 <@${people.ben.id}>` });
    expect(lastEphemeral(people.ivy.id)).toMatch(/^No asset has the tag \*NOPE-1\*/);
    expect((await assetNow('TP-2')).status).toBe('available');
  });

  it('refuses an asset someone already holds, saying who and since when', async () => {
    await h.driver.slashCommand({ user: people.ivy.id, text: `checkout TP-1 <@${people.ben.id}>` });
    expect(lastEphemeral(people.ivy.id)).toBe(
      `*TP-1* is checked out to <@${people.ana.id}> since 3 Nov, so you cannot check it out right now.`,
    );
    expect((await assetNow('TP-1')).holderId).toBe(people.ana.id);
  });

  it('is refused to employees', async () => {
    await h.driver.slashCommand({ user: people.ben.id, text: `checkout TP-2 <@${people.ben.id}>` });
    expect(lastEphemeral(people.ben.id)).toMatch(/^Only IT staff can check assets out\./);
    await h.driver.slashCommand({ user: people.ben.id, text: 'checkin TP-1' });
    expect(lastEphemeral(people.ben.id)).toMatch(/^Only IT staff can check assets in\./);
    expect((await assetNow('TP-2')).status).toBe('available');
    expect((await assetNow('TP-1')).holderId).toBe(people.ana.id);
  });

  it('checks an asset in with its condition and a note, and tells the former holder', async () => {
    await h.driver.slashCommand({ user: people.ivy.id, text: 'checkin TP-1 damaged screen cracked' });
    expect(lastEphemeral(people.ivy.id)).toContain(`*TP-1* is checked in from <@${people.ana.id}> (damaged)`);
    const asset = await assetNow('TP-1');
    expect(asset).toMatchObject({ status: 'in_repair', holderId: undefined });
    expect(await newestHistory('TP-1')).toMatchObject({
      action: 'checked_in',
      condition: 'damaged',
      note: 'screen cracked',
      fromHolderId: people.ana.id,
    });
    expect(dmText(people.ana.id)).toContain(`<@${people.ivy.id}> checked in *TP-1* (damaged)`);
    expect(h.fake.home(people.ana.id)?.blocks.find((b) => b.block_id === 'asset:TP-1')).toBeUndefined();
  });

  it('refuses an unknown condition and an asset nobody holds', async () => {
    await h.driver.slashCommand({ user: people.ivy.id, text: 'checkin TP-3 broken' });
    expect(lastEphemeral(people.ivy.id)).toMatch(
      /^The condition is one of `good`, `damaged` or `needs_repair`/,
    );
    await h.driver.slashCommand({ user: people.ivy.id, text: 'checkin TP-3' });
    expect(lastEphemeral(people.ivy.id)).toBe('*TP-3* is available, so you cannot check it in right now.');
  });
});

describe('check out and check in through modals', () => {
  it('checks out from the modal: asset typeahead, person, due date', async () => {
    await h.driver.slashCommand({ user: people.ivy.id, text: 'checkout' });
    expect(h.fake.topModal(people.ivy.id)?.callback_id).toBe('checkout_modal');
    const suggestion = await h.driver.suggest({
      user: people.ivy.id,
      actionId: 'checkout_asset',
      value: 'TP-4',
    });
    expect(suggestion.options.map((o) => o.value)).toEqual(['TP-4']);

    const past = await h.driver.submitView({
      user: people.ivy.id,
      values: { asset: 'TP-4', person: people.ben.id, due_back: '2026-10-01' },
    });
    expect(past.outcome).toBe('errors');
    expect(Object.keys(past.errors ?? {})).toEqual(['due_back']);
    expect((await assetNow('TP-4')).status).toBe('available');

    const res = await h.driver.submitView({
      user: people.ivy.id,
      values: { asset: 'TP-4', person: people.ben.id, due_back: '2026-12-24', note: 'For the offsite' },
    });
    expect(res.outcome).toBe('updated');
    expect(modalText(people.ivy.id)).toContain(
      `*TP-4* is now checked out to <@${people.ben.id}>, due back 24 Dec`,
    );
    expect(await assetNow('TP-4')).toMatchObject({ status: 'checked_out', holderId: people.ben.id });
    expect(dmText(people.ben.id)).toContain('Note: For the offsite');
    await h.driver.closeView({ user: people.ivy.id });
  });

  it('answers under the asset field when the asset was taken meanwhile', async () => {
    await h.driver.slashCommand({ user: people.ivy.id, text: 'checkout' });
    await h.driver.suggest({ user: people.ivy.id, actionId: 'checkout_asset', value: 'TP-5' });
    const taken = await h.app.services.assets.checkOut(await h.as(people.ivy.id), {
      tag: 'TP-5',
      holderId: people.ana.id,
      dueBackAt: undefined,
    });
    expect(taken.ok).toBe(true);
    const res = await h.driver.submitView({
      user: people.ivy.id,
      values: { asset: 'TP-5', person: people.ben.id },
    });
    expect(res.outcome).toBe('errors');
    expect(res.errors?.['asset']).toBe(
      'TP-5 is checked out to @ana since 3 Nov, so you cannot check it out right now.',
    );
    await h.driver.closeView({ user: people.ivy.id });
  });

  it('checks in from the modal with the chosen condition', async () => {
    await h.driver.slashCommand({ user: people.ivy.id, text: 'checkin' });
    expect(h.fake.topModal(people.ivy.id)?.callback_id).toBe('checkin_modal');
    const suggestion = await h.driver.suggest({
      user: people.ivy.id,
      actionId: 'checkin_asset',
      value: 'TP-4',
    });
    expect(suggestion.options.map((o) => o.value)).toEqual(['TP-4']);
    const res = await h.driver.submitView({
      user: people.ivy.id,
      values: { asset: 'TP-4', condition: 'good', note: 'All fine' },
    });
    expect(res.outcome).toBe('updated');
    expect(await assetNow('TP-4')).toMatchObject({ status: 'available', holderId: undefined });
    expect(await newestHistory('TP-4')).toMatchObject({
      action: 'checked_in',
      condition: 'good',
      note: 'All fine',
    });
    expect(dmText(people.ben.id)).toContain('checked in *TP-4* (good condition)');
    await h.driver.closeView({ user: people.ivy.id });
  });
});

describe('confirming a return', () => {
  /** The employee flow's return: the asset becomes pending return and IT gets a message with a button. */
  async function startReturn(tag: string, holderId: string) {
    const out = await h.app.services.assets.checkOut(await h.as(people.ivy.id), {
      tag,
      holderId,
      dueBackAt: undefined,
    });
    if (!out.ok) throw new Error(JSON.stringify(out.error));
    const started = await h.app.services.assets.startReturn(await h.as(holderId), tag);
    if (!started.ok) throw new Error(JSON.stringify(started.error));
    const posted = await h.app.slack.app.client.chat.postMessage({
      channel: channels.it.id,
      text: `${tag} is being returned`,
      blocks: [
        {
          type: 'section',
          block_id: 'return_notice',
          text: { type: 'mrkdwn', text: `<@${holderId}> is returning *${tag}*` },
          accessory: {
            type: 'button',
            action_id: 'confirm_return',
            text: { type: 'plain_text', text: 'Confirm return' },
            value: tag,
          },
        },
      ],
    });
    return String(posted.ts);
  }

  it('records the condition, tells the former holder and updates the IT message', async () => {
    const ts = await startReturn('TP-6', people.ana.id);
    const denied = await h.driver.pressButton({
      user: people.ben.id,
      actionId: 'confirm_return',
      message: { channel: channels.it.id, ts },
    });
    expect(denied.calls.some((c) => c.method === 'views.open')).toBe(false);
    expect(lastEphemeral(people.ben.id)).toMatch(/^Only IT staff can confirm returns\./);

    await h.driver.pressButton({
      user: people.ivy.id,
      actionId: 'confirm_return',
      message: { channel: channels.it.id, ts },
    });
    expect(h.fake.topModal(people.ivy.id)?.callback_id).toBe('confirm_return_modal');
    const res = await h.driver.submitView({
      user: people.ivy.id,
      values: { condition: 'needs_repair', note: 'Battery swells' },
    });
    expect(res.outcome).toBe('updated');
    expect(await assetNow('TP-6')).toMatchObject({ status: 'in_repair', holderId: undefined });
    expect(await newestHistory('TP-6')).toMatchObject({
      action: 'return_confirmed',
      condition: 'needs_repair',
      note: 'Battery swells',
      fromHolderId: people.ana.id,
    });
    expect(dmText(people.ana.id)).toContain(
      `<@${people.ivy.id}> confirmed your return of *TP-6* (needs repair)`,
    );
    const message = h.fake.messages(channels.it.id).find((m) => m.ts === ts);
    expect(JSON.stringify(message?.blocks)).toContain(
      `confirmed the return of *TP-6* from <@${people.ana.id}>`,
    );
    expect(JSON.stringify(message?.blocks)).not.toContain('confirm_return');
    await h.driver.closeView({ user: people.ivy.id });
  });

  it('works from the IT home, and the home drops the confirmed return', async () => {
    await startReturn('TP-7', people.ben.id);
    await h.driver.openHome(people.ivy.id);
    expect(h.fake.home(people.ivy.id)?.blocks.find((b) => b.block_id === 'it_return:TP-7')).toBeDefined();
    await h.driver.pressButton({
      user: people.ivy.id,
      actionId: 'confirm_return',
      blockId: 'it_return:TP-7',
      view: 'home',
    });
    const res = await h.driver.submitView({ user: people.ivy.id, values: { condition: 'good' } });
    expect(res.outcome).toBe('updated');
    expect((await assetNow('TP-7')).status).toBe('available');
    expect(h.fake.home(people.ivy.id)?.blocks.find((b) => b.block_id === 'it_return:TP-7')).toBeUndefined();
    await h.driver.closeView({ user: people.ivy.id });
  });

  it('says why when the asset is not waiting for a return', async () => {
    const ts = await startReturn('TP-8', people.ana.id);
    await h.app.services.assets.confirmReturn(await h.as(people.ivy.id), { tag: 'TP-8', condition: 'good' });
    const res = await h.driver.pressButton({
      user: people.ivy.id,
      actionId: 'confirm_return',
      message: { channel: channels.it.id, ts },
    });
    expect(res.calls.some((c) => c.method === 'views.open')).toBe(false);
    expect(lastEphemeral(people.ivy.id)).toBe(
      '*TP-8* is available, so you cannot confirm its return right now.',
    );
  });
});

describe('/asset history', () => {
  it('shows every change newest first, paged with Previous / Next', async () => {
    // registered + 12 × (check out, check in) = 25 entries
    for (let i = 0; i < 12; i++) {
      const holder = i % 2 === 0 ? people.ana.id : people.ben.id;
      expect(
        (
          await h.app.services.assets.checkOut(await h.as(people.ivy.id), {
            tag: 'TP-9',
            holderId: holder,
            dueBackAt: undefined,
          })
        ).ok,
      ).toBe(true);
      expect(
        (
          await h.app.services.assets.checkIn(await h.as(people.ivy.id), {
            tag: 'TP-9',
            condition: 'good',
            note: `round ${i}`,
          })
        ).ok,
      ).toBe(true);
    }
    await h.driver.slashCommand({ user: people.ivy.id, text: 'history tp-9' });
    const first = h.fake.ephemerals(people.ivy.id).at(-1)!;
    expect(first.text).toBe('History of TP-9: 1–20 of 25, newest first');
    expect(first.blocks!.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(first.blocks!.find((b) => b.block_id === 'history:0'))).toContain(
      `checked it in from <@${people.ben.id}> (good condition)`,
    );
    expect(JSON.stringify(first.blocks!.find((b) => b.block_id === 'history:0'))).toContain('round 11');

    await h.driver.pressButton({
      user: people.ivy.id,
      actionId: 'history_page:next',
      message: { channel: first.channel, ts: first.message_ts },
    });
    const second = h.fake.ephemerals(people.ivy.id).at(-1)!;
    expect(second.message_ts).toBe(first.message_ts);
    expect(second.text).toBe('History of TP-9: 21–25 of 25, newest first');
    expect(JSON.stringify(second.blocks!.find((b) => b.block_id === 'history:24'))).toContain(
      'registered it',
    );
    expect(second.blocks!.find((b) => b.block_id === 'history_pager')).toBeDefined();

    await h.driver.pressButton({
      user: people.ivy.id,
      actionId: 'history_page:prev',
      message: { channel: second.channel, ts: second.message_ts },
    });
    expect(h.fake.ephemerals(people.ivy.id).at(-1)!.text).toBe('History of TP-9: 1–20 of 25, newest first');
  });

  it('explains a missing or unknown tag, and refuses employees', async () => {
    await h.driver.slashCommand({ user: people.ivy.id, text: 'history' });
    expect(lastEphemeral(people.ivy.id)).toMatch(/^Which asset\?/);
    await h.driver.slashCommand({ user: people.ivy.id, text: 'history NOPE-9' });
    expect(lastEphemeral(people.ivy.id)).toMatch(/^No asset has the tag \*NOPE-9\*/);
    await h.driver.slashCommand({ user: people.ben.id, text: 'history TP-9' });
    expect(lastEphemeral(people.ben.id)).toMatch(/^Only IT staff can see asset history\./);
  });
});

describe('help', () => {
  it('lists the IT commands for IT staff only', async () => {
    await h.driver.slashCommand({ user: people.ivy.id, text: 'help' });
    const it = lastEphemeral(people.ivy.id);
    for (const usage of [
      '/asset add',
      '/asset checkout <tag> @person',
      '/asset checkin <tag>',
      '/asset history <tag>',
    ]) {
      expect(it).toContain(usage);
    }
    await h.driver.slashCommand({ user: people.ben.id, text: 'help' });
    expect(lastEphemeral(people.ben.id)).not.toMatch(/\/asset (add|checkout|checkin|history)/);
  });
});
