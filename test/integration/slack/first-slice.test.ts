import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { people, startHarness, type Harness } from '../../support/app-harness.js';

let h: Harness;

const lastEphemeralText = (userId: string) => h.fake.ephemerals(userId).at(-1)?.text ?? '';

beforeAll(async () => {
  h = await startHarness('first_slice');
  await h.makeIt(people.ivy.id);
  const { assets } = h.app.services;
  for (let i = 1; i <= 45; i++) {
    const result = await assets.register(await h.as(people.ivy.id), {
      tag: `LAP-${String(i).padStart(4, '0')}`,
      serial: `C02X${i}`,
      name: `MacBook Pro 14 #${i}`,
      category: 'Laptop',
      model: 'MacBook Pro 14',
      location: 'Berlin office',
    });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
  }
  await assets.register(await h.as(people.ivy.id), {
    tag: 'MON-0001',
    serial: 'DELL-77',
    name: 'Dell U2723QE',
    category: 'Monitor',
    model: undefined,
    location: 'Lisbon',
  });
  const out = await assets.checkOut(await h.as(people.ivy.id), {
    tag: 'LAP-0002',
    holderId: people.ana.id,
    dueBackAt: new Date('2026-11-20T00:00:00Z'),
  });
  if (!out.ok) throw new Error(JSON.stringify(out.error));
  // The set-up's messages (check-out DMs, IT posts, home refreshes) go out before the tests count any.
  await h.app.settle();
});

afterAll(async () => {
  await h?.stop();
});

describe('/asset help', () => {
  it('lists what an employee may use, without IT commands', async () => {
    const res = await h.driver.slashCommand({ user: people.ana.id, text: 'help' });
    expect(res.status).toBe(200);
    const text = lastEphemeralText(people.ana.id);
    expect(text).toContain('/asset find');
    expect(text).toContain('/asset help');
  });

  it('is what an empty /asset shows', async () => {
    await h.driver.slashCommand({ user: people.ben.id, text: '' });
    expect(lastEphemeralText(people.ben.id)).toContain('/asset find');
  });
});

describe('/asset find', () => {
  it('finds an asset by tag, case-insensitively, with status, holder and location', async () => {
    const res = await h.driver.slashCommand({ user: people.ben.id, text: 'find lap-0002' });
    expect(res.status).toBe(200);
    const reply = h.fake.ephemerals(people.ben.id).at(-1)!;
    const block = reply.blocks?.find((b) => b.block_id === 'asset:LAP-0002');
    const text = JSON.stringify(block);
    expect(text).toContain('Checked out');
    expect(text).toContain(`<@${people.ana.id}>`);
    expect(text).toContain('Berlin office');
  });

  it('finds by serial number and by a mentioned holder', async () => {
    await h.driver.slashCommand({ user: people.ben.id, text: 'find DELL-77' });
    expect(JSON.stringify(h.fake.ephemerals(people.ben.id).at(-1)!.blocks)).toContain('asset:MON-0001');
    await h.driver.slashCommand({ user: people.ben.id, text: `find <@${people.ana.id}|ana>` });
    const blocks = h.fake.ephemerals(people.ben.id).at(-1)!.blocks ?? [];
    expect(blocks.filter((b) => b.block_id.startsWith('asset:')).map((b) => b.block_id)).toEqual([
      'asset:LAP-0002',
    ]);
  });

  it('says clearly when nothing matches', async () => {
    await h.driver.slashCommand({ user: people.ben.id, text: 'find typewriter' });
    expect(lastEphemeralText(people.ben.id)).toMatch(/^Nothing found for “typewriter”/);
  });

  it('explains a missing query instead of failing', async () => {
    await h.driver.slashCommand({ user: people.ben.id, text: 'find' });
    expect(lastEphemeralText(people.ben.id)).toMatch(/^Tell me what to look for/);
  });

  it('pages through many results within the block limit, replacing the message in place', async () => {
    await h.driver.slashCommand({ user: people.ben.id, text: 'find macbook' });
    const first = h.fake.ephemerals(people.ben.id).at(-1)!;
    expect(first.text).toBe('Results 1–20 of 45 for “macbook”');
    expect(first.blocks!.length).toBeLessThanOrEqual(50);
    const res = await h.driver.pressButton({
      user: people.ben.id,
      actionId: 'find_page:next',
      message: { channel: first.channel, ts: first.message_ts },
    });
    expect(res.status).toBe(200);
    const second = h.fake.ephemerals(people.ben.id).at(-1)!;
    expect(second.text).toBe('Results 21–40 of 45 for “macbook”');
    expect(second.blocks!.find((b) => b.block_id === 'asset:LAP-0021')).toBeDefined();
  });
});

describe('unknown and malformed input', () => {
  it('names an unknown subcommand and points to help', async () => {
    await h.driver.slashCommand({ user: people.ben.id, text: 'fnd LAP-1' });
    expect(lastEphemeralText(people.ben.id)).toMatch(/^I don't know `fnd`\. Known subcommands: .*`find`/);
  });

  it('refuses a very long command with its length', async () => {
    await h.driver.slashCommand({ user: people.ben.id, text: `find ${'x'.repeat(2100)}` });
    expect(lastEphemeralText(people.ben.id)).toMatch(/too long \(2105 characters; at most 2000\)/);
  });
});

describe('App Home', () => {
  it('shows what the person holds', async () => {
    await h.driver.openHome(people.ana.id);
    const home = h.fake.home(people.ana.id)!;
    expect(home.blocks.find((b) => b.block_id === 'asset:LAP-0002')).toBeDefined();
  });

  it('tells someone who holds nothing what to do', async () => {
    await h.driver.openHome(people.ben.id);
    const home = h.fake.home(people.ben.id)!;
    expect(JSON.stringify(home.blocks.find((b) => b.block_id === 'home_held_empty'))).toContain(
      '/asset request',
    );
  });
});

describe('people', () => {
  it('are read from users.info once and cached', async () => {
    const before = h.fake.calls.filter(
      (c) => c.method === 'users.info' && c.args['user'] === people.ben.id,
    ).length;
    await h.driver.slashCommand({ user: people.ben.id, text: 'help' });
    const after = h.fake.calls.filter(
      (c) => c.method === 'users.info' && c.args['user'] === people.ben.id,
    ).length;
    expect(before).toBe(1);
    expect(after).toBe(1);
    const stored = await h.app.database.repositories.people.find(h.teamId, people.ben.id);
    expect(stored).toMatchObject({ name: 'Ben Employee', email: 'ben@example.com', roles: ['employee'] });
  });

  it('configured admins are bootstrapped as admins', async () => {
    await h.driver.slashCommand({ user: people.ada.id, text: 'help' });
    const stored = await h.app.database.repositories.people.find(h.teamId, people.ada.id);
    expect(stored?.roles).toEqual(['employee', 'admin']);
  });
});
