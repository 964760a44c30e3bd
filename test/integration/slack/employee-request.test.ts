import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FakeMessage } from '@custodian/fake-slack';
import { channels, people, startHarness, type Harness } from '../../support/app-harness.js';

let h: Harness;

const longModel = 'UltraWide Curved Professional Display 49 inch Dual QHD Edition (2026 refresh)';

const openRequests = (userId: string) =>
  h.app.database.repositories.requests.listByRequester(h.teamId, userId, ['pending', 'approving']);
const itMessages = () => h.fake.messages(channels.it.id);
const blockText = (message: FakeMessage | undefined, blockId: string) =>
  JSON.stringify(message?.blocks?.find((b) => b.block_id === blockId) ?? null);
const postsAndDms = (calls: { method: string }[]) =>
  calls.filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update');

async function openRequestModal(userId: string) {
  await h.driver.slashCommand({ user: userId, text: 'request' });
  const modal = h.fake.topModal(userId);
  expect(modal?.callback_id).toBe('request_asset_modal');
  return modal!;
}

/** Types into the catalog typeahead and returns the option whose text starts with `label`. */
async function catalogOption(userId: string, query: string, label: string) {
  const suggested = await h.driver.suggest({ user: userId, actionId: 'request_catalog_item', value: query });
  const option = suggested.options.find((o) => o.text.text.startsWith(label));
  if (!option) throw new Error(`no option "${label}" in ${JSON.stringify(suggested.options)}`);
  return option;
}

beforeAll(async () => {
  h = await startHarness('employee_request');
  await h.makeIt(people.ivy.id);
  await h.makeIt(people.ian.id);
  const { assets } = h.app.services;
  const add = async (tag: string, category: string, model: string | undefined) => {
    const added = await assets.register(await h.as(people.ivy.id), {
      tag,
      serial: `SN-${tag}`,
      name: `${model ?? category} ${tag}`,
      category,
      model,
      location: 'Berlin office',
    });
    if (!added.ok) throw new Error(JSON.stringify(added.error));
  };
  for (const n of [1, 2, 3, 4]) await add(`LAP-000${n}`, 'Laptop', 'MacBook Pro 14');
  await add('LAP-0100', 'Laptop', 'ThinkPad X1');
  await add('MON-0001', 'Monitor', undefined);
  await add('MON-0900', 'Monitor', longModel);
  const out = await assets.checkOut(await h.as(people.ivy.id), {
    tag: 'LAP-0004',
    holderId: people.ben.id,
    dueBackAt: undefined,
  });
  if (!out.ok) throw new Error(JSON.stringify(out.error));
  // The set-up's messages (check-out DMs, IT posts, home refreshes) go out before the tests count any.
  await h.app.settle();
});

afterAll(async () => {
  await h?.stop();
});

describe('/asset help', () => {
  it('lists the employee commands with their usage', async () => {
    await h.driver.slashCommand({ user: people.ana.id, text: 'help' });
    const text = h.fake.ephemerals(people.ana.id).at(-1)?.text ?? '';
    for (const usage of [
      '/asset request',
      '/asset mine',
      '/asset return <tag>',
      '/asset transfer <tag> @person [note]',
    ]) {
      expect(text).toContain(`\`${usage}\``);
    }
    expect(text).not.toContain('/asset checkout');
  });
});

describe('the catalog typeahead', () => {
  it('lists categories and models with how many are in stock, within Slack limits', async () => {
    await openRequestModal(people.ana.id);
    const all = await h.driver.suggest({ user: people.ana.id, actionId: 'request_catalog_item', value: '' });
    const texts = all.options.map((o) => o.text.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        'Any Laptop — 4 in stock',
        'MacBook Pro 14 (Laptop) — 3 in stock',
        'ThinkPad X1 (Laptop) — 1 in stock',
        'Any Monitor — 2 in stock',
      ]),
    );
    for (const option of all.options) {
      expect(option.text.text.length).toBeLessThanOrEqual(75);
      expect(option.value.length).toBeLessThanOrEqual(75);
    }
    const typed = await h.driver.suggest({
      user: people.ana.id,
      actionId: 'request_catalog_item',
      value: 'think',
    });
    expect(typed.options.map((o) => o.text.text)).toContain('ThinkPad X1 (Laptop) — 1 in stock');
    expect(typed.options.map((o) => o.text.text)).not.toContain('MacBook Pro 14 (Laptop) — 3 in stock');
  });
});

describe('requesting an asset', () => {
  it('creates a pending request, DMs the requester once, posts it to IT with Approve / Deny and updates homes', async () => {
    await h.driver.openHome(people.ivy.id);
    await openRequestModal(people.ana.id);
    const option = await catalogOption(people.ana.id, 'macbook', 'MacBook Pro 14 (Laptop)');
    const dmsBefore = h.fake.dms(people.ana.id).length;
    const itBefore = itMessages().length;

    const submitted = await h.driver.submitView({
      user: people.ana.id,
      values: {
        item: option.value,
        kind: 'loan',
        reason: 'Conference demo next week',
        needed_by: '2026-11-05',
        return_by: '2026-11-20',
      },
    });
    expect(submitted.outcome).toBe('closed');

    const [request, ...others] = await openRequests(people.ana.id);
    expect(others).toHaveLength(0);
    expect(request).toMatchObject({
      status: 'pending',
      kind: 'loan',
      item: { category: 'Laptop', model: 'MacBook Pro 14' },
      reason: 'Conference demo next week',
    });
    expect(request!.returnBy?.toISOString()).toBe('2026-11-20T23:59:59.999Z');
    expect(request!.neededBy?.toISOString()).toBe('2026-11-05T00:00:00.000Z');

    const dms = h.fake.dms(people.ana.id).slice(dmsBefore);
    expect(dms).toHaveLength(1);
    expect(dms[0]!.text).toContain('IT received your request for MacBook Pro 14 (Laptop)');

    const posted = itMessages().slice(itBefore);
    expect(posted).toHaveLength(1);
    const itMessage = posted[0]!;
    expect(blockText(itMessage, 'request_details')).toContain('Conference demo next week');
    expect(blockText(itMessage, 'request_stock')).toContain('3 in stock');
    const actions = itMessage.blocks?.find((b) => b.block_id === 'request_actions');
    expect(JSON.stringify(actions)).toContain('"action_id":"approve_request"');
    expect(JSON.stringify(actions)).toContain('"action_id":"deny_request"');
    expect(JSON.stringify(actions)).toContain(`"value":"${request!.id}"`);
    expect(request!.itMessage).toEqual({ channel: channels.it.id, ts: itMessage.ts });

    expect(h.fake.home(people.ana.id)?.blocks.some((b) => b.block_id === `request:${request!.id}`)).toBe(
      true,
    );
    expect(h.fake.home(people.ivy.id)?.blocks.some((b) => b.block_id === `it_request:${request!.id}`)).toBe(
      true,
    );

    // Slack delivering the same submission again changes nothing and sends nothing.
    const retry = await h.driver.redeliver(submitted, { num: 1, reason: 'http_timeout' });
    expect(retry.status).toBe(200);
    expect(postsAndDms(retry.calls)).toEqual([]);
    expect(await openRequests(people.ana.id)).toHaveLength(1);
  });

  it('posts a message IT can approve in place', async () => {
    const [request] = await openRequests(people.ana.id);
    const ts = request!.itMessage!.ts;
    await h.driver.pressButton({
      user: people.ivy.id,
      actionId: 'approve_request',
      message: { channel: channels.it.id, ts },
    });
    await h.driver.suggest({ user: people.ivy.id, actionId: 'approve_asset', value: '' });
    const approved = await h.driver.submitView({ user: people.ivy.id, values: { asset: 'LAP-0001' } });
    expect(approved.outcome).toBe('closed');
    const updated = itMessages().find((m) => m.ts === ts);
    expect(blockText(updated, 'request_outcome')).toContain('LAP-0001');
    const asset = await h.app.services.assets.byTag(await h.as(people.ivy.id), 'LAP-0001');
    expect(asset.ok && asset.value.holderId).toBe(people.ana.id);
  });

  it('carries a model name too long for an option value and still records it exactly', async () => {
    await openRequestModal(people.ben.id);
    const option = await catalogOption(people.ben.id, 'ultrawide', 'UltraWide');
    expect(option.value.length).toBeLessThanOrEqual(75);
    const submitted = await h.driver.submitView({
      user: people.ben.id,
      values: { item: option.value, kind: 'permanent', reason: 'Design work needs the width' },
    });
    expect(submitted.outcome).toBe('closed');
    const [request] = await openRequests(people.ben.id);
    expect(request?.item).toEqual({ category: 'Monitor', model: longModel });
  });

  it('opens the same modal from the global shortcut and from the App Home', async () => {
    await h.driver.shortcut({ user: people.ada.id, callbackId: 'request_asset_shortcut' });
    expect(h.fake.topModal(people.ada.id)?.callback_id).toBe('request_asset_modal');
    await h.driver.closeView({ user: people.ada.id });

    await h.driver.openHome(people.ada.id);
    await h.driver.pressButton({ user: people.ada.id, actionId: 'home_request_asset', view: 'home' });
    expect(h.fake.topModal(people.ada.id)?.callback_id).toBe('request_asset_modal');
    await h.driver.closeView({ user: people.ada.id });
  });
});

describe('invalid requests are answered under the field and change nothing', () => {
  const cases: Array<[string, Record<string, string>, string, RegExp]> = [
    ['a missing reason', { kind: 'permanent', reason: 'x' }, 'reason', /why you need it/],
    [
      'a loan without a return date',
      { kind: 'loan', reason: 'Trip to Lisbon' },
      'return_by',
      /loan needs a return-by date/,
    ],
    [
      'a needed-by date in the past',
      { kind: 'permanent', reason: 'Broken screen', needed_by: '2026-11-01' },
      'needed_by',
      /in the past/,
    ],
    [
      'a return-by date in the past',
      { kind: 'loan', reason: 'Trip to Lisbon', return_by: '2026-10-30' },
      'return_by',
      /must be in the future/,
    ],
    [
      'a return date on a permanent request',
      { kind: 'permanent', reason: 'New starter', return_by: '2026-12-30' },
      'return_by',
      /Only loans/,
    ],
  ];

  it.each(cases)('%s', async (_name, values, field, message) => {
    await openRequestModal(people.ada.id);
    const option = await catalogOption(people.ada.id, '', 'Any Laptop');
    const before = { requests: (await openRequests(people.ada.id)).length, calls: h.fake.calls.length };
    const submitted = await h.driver.submitView({
      user: people.ada.id,
      values: { item: option.value, ...values },
    });
    expect(submitted.outcome).toBe('errors');
    expect(Object.keys(submitted.errors ?? {})).toEqual([field]);
    expect(submitted.errors?.[field]).toMatch(message);
    expect(await openRequests(people.ada.id)).toHaveLength(before.requests);
    expect(postsAndDms(h.fake.calls.slice(before.calls))).toEqual([]);
    await h.driver.closeView({ user: people.ada.id });
  });

  it('a corrected form goes through after an error', async () => {
    await openRequestModal(people.ada.id);
    const option = await catalogOption(people.ada.id, '', 'Any Monitor');
    const wrong = await h.driver.submitView({
      user: people.ada.id,
      values: { item: option.value, kind: 'loan', reason: 'Workshop' },
    });
    expect(wrong.outcome).toBe('errors');
    const fixed = await h.driver.submitView({ user: people.ada.id, values: { return_by: '2026-11-30' } });
    expect(fixed.outcome).toBe('closed');
    const requests = await openRequests(people.ada.id);
    expect(requests.map((r) => r.item)).toEqual([{ category: 'Monitor', model: undefined }]);
  });
});
