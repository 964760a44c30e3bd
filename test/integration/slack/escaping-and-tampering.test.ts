/**
 * What a black-box probe tried: user strings carrying Slack control sequences, and values a client
 * crafted instead of picking them. Nothing may ping a channel, and nothing outside the catalog is accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { channels, people, startHarness, type Harness } from '../../support/app-harness.js';
import { findUnescapedSequences } from '../../support/unescaped-scan.js';

const evilId = 'U0EVIL0001';
const hostile = {
  category: `Laptop <!channel>`,
  model: `X1 <!here> <@${evilId}>`,
  name: `Evil <@${evilId}> laptop <!everyone>`,
  location: `<!subteam^S0123|team> floor`,
};

let h: Harness;

beforeAll(async () => {
  h = await startHarness('escaping');
  await h.makeIt(people.ivy.id);
  const ivy = await h.as(people.ivy.id);
  for (const tag of ['EVL-1', 'EVL-2']) {
    const added = await h.app.services.assets.register(ivy, { tag, serial: `S-${tag}`, ...hostile });
    if (!added.ok) throw new Error(JSON.stringify(added.error));
  }
});

afterAll(async () => {
  await h?.stop();
});

async function openRequestModal(userId: string) {
  await h.driver.slashCommand({ user: userId, text: 'request' });
  expect(h.fake.topModal(userId)?.callback_id).toBe('request_asset_modal');
}

describe('user strings with Slack control sequences', () => {
  it('reach every message, DM and home escaped, through a whole request, approval, transfer and return', async () => {
    await openRequestModal(people.ana.id);
    const suggested = await h.driver.suggest({
      user: people.ana.id,
      actionId: 'request_catalog_item',
      value: 'x1',
    });
    const option = suggested.options.find((o) => o.text.text.startsWith('X1'));
    expect(option).toBeDefined();
    const submitted = await h.driver.submitView({
      user: people.ana.id,
      values: { item: option!.value, kind: 'permanent', reason: `Need it <!channel> <@${evilId}>` },
    });
    expect(submitted.outcome).toBe('closed');

    const [request] = await h.app.database.repositories.requests.listByRequester(h.teamId, people.ana.id, [
      'pending',
    ]);
    expect(request?.item).toEqual({ category: hostile.category, model: hostile.model });
    await h.driver.pressButton({
      user: people.ivy.id,
      actionId: 'approve_request',
      message: { channel: channels.it.id, ts: request!.itMessage!.ts },
    });
    await h.driver.suggest({ user: people.ivy.id, actionId: 'approve_asset', value: '' });
    const approved = await h.driver.submitView({
      user: people.ivy.id,
      values: { asset: 'EVL-1', note: `Enjoy <!here>` },
    });
    expect(approved.outcome).toBe('closed');

    await h.driver.slashCommand({
      user: people.ana.id,
      text: `transfer EVL-1 <@${people.ben.id}> take it <!channel>`,
    });
    await h.driver.slashCommand({ user: people.ana.id, text: 'mine' });
    await h.driver.slashCommand({ user: people.ivy.id, text: 'find evil' });
    await h.driver.slashCommand({ user: people.ivy.id, text: `checkout EVL-2 <@${people.ben.id}>` });
    await h.driver.slashCommand({ user: people.ben.id, text: 'return EVL-2' });
    await h.driver.slashCommand({ user: people.ivy.id, text: 'history EVL-1' });
    await h.driver.openHome(people.ivy.id);
    await h.driver.openHome(people.ana.id);

    const calls = h.fake.calls;
    expect(calls.filter((c) => c.method === 'chat.postMessage').length).toBeGreaterThan(3);
    expect(findUnescapedSequences(calls, new Set([evilId]))).toEqual([]);
    // The strings are there, shown as text.
    const everything = JSON.stringify(calls.map((c) => c.args));
    expect(everything).toContain('&lt;!channel&gt;');
    expect(everything).toContain(`&lt;@${evilId}&gt;`);
  });
});

describe('a crafted catalog choice', () => {
  it('is refused under the field and never reaches the IT channel', async () => {
    await openRequestModal(people.ben.id);
    const itBefore = h.fake.messages(channels.it.id).length;
    const submitted = await h.driver.submitView({
      user: people.ben.id,
      values: {
        item: { text: 'Ferrari', value: JSON.stringify(['Ferrari <!channel>']) },
        kind: 'permanent',
        reason: 'Fast',
      },
    });
    expect(submitted.outcome).toBe('errors');
    expect(submitted.errors?.['item']).toMatch(/not in the catalog/);
    await h.app.settle();
    expect(h.fake.messages(channels.it.id).length).toBe(itBefore);
    const open = await h.app.database.repositories.requests.listByRequester(h.teamId, people.ben.id, [
      'pending',
    ]);
    expect(open).toHaveLength(0);
  });

  it('naming a real category with a different case is taken as that category', async () => {
    await openRequestModal(people.ben.id);
    const submitted = await h.driver.submitView({
      user: people.ben.id,
      values: {
        item: { text: 'laptop', value: JSON.stringify([hostile.category.toUpperCase()]) },
        kind: 'permanent',
        reason: 'Any will do',
      },
    });
    expect(submitted.outcome).toBe('closed');
    const [request] = await h.app.database.repositories.requests.listByRequester(h.teamId, people.ben.id, [
      'pending',
    ]);
    expect(request?.item).toEqual({ category: hostile.category, model: undefined });
  });
});

describe('a tampered button value', () => {
  it('is refused as no longer valid, logged as a warning, and changes nothing', async () => {
    await h.driver.openHome(people.ana.id);
    const result = await h.driver.pressButton({
      user: people.ana.id,
      view: 'home',
      actionId: 'return_asset',
      value: '<!channel> not a tag',
    });
    expect(result.status).toBe(200);
    expect(JSON.stringify(h.fake.topModal(people.ana.id)?.blocks)).toMatch(/no longer valid/);
    const asset = await h.app.services.assets.byTag(await h.as(people.ana.id), 'EVL-1');
    expect(asset.ok && asset.value.status).toBe('checked_out');
  });
});
