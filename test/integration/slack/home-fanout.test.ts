/**
 * Home refresh after changes, for a large IT team: changes close together are published once per home,
 * and beyond a small team only the IT homes opened lately are re-published (the rest on their next open).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { people, startHarness, type Harness } from '../../support/app-harness.js';

const itTeam = Array.from({ length: 24 }, (_, i) => ({
  id: `U0ITS${String(i).padStart(4, '0')}`,
  name: `it${i}`,
  real_name: `IT Person ${i}`,
  email: `it${i}@example.com`,
}));

let h: Harness;

beforeAll(async () => {
  h = await startHarness('home_fanout', { users: [...Object.values(people), ...itTeam] });
  for (const person of itTeam) await h.makeIt(person.id);
  const it0 = await h.as(itTeam[0]!.id);
  for (const tag of ['LAP-1', 'LAP-2']) {
    const added = await h.app.services.assets.register(it0, {
      tag,
      serial: undefined,
      name: `Laptop ${tag}`,
      category: 'Laptop',
      model: undefined,
      location: undefined,
    });
    if (!added.ok) throw new Error(JSON.stringify(added.error));
  }
  await h.app.settle();
});

afterAll(async () => {
  await h?.stop();
});

describe('with more IT staff than every home can be refreshed for', () => {
  it('re-publishes the homes of the people concerned and of IT staff looking at theirs, once each', async () => {
    await h.driver.openHome(itTeam[3]!.id);
    await h.driver.openHome(itTeam[7]!.id);
    const mark = h.fake.mark();
    const it0 = await h.as(itTeam[0]!.id);
    // Two changes in quick succession: one refresh batch.
    const [first, second] = await Promise.all([
      h.app.services.assets.checkOut(it0, { tag: 'LAP-1', holderId: people.ana.id, dueBackAt: undefined }),
      h.app.services.assets.checkOut(it0, { tag: 'LAP-2', holderId: people.ben.id, dueBackAt: undefined }),
    ]);
    expect(first.ok && second.ok).toBe(true);
    await h.app.settle();
    const published = h.fake
      .callsSince(mark)
      .filter((c) => c.method === 'views.publish')
      .map((c) => String(c.args['user_id']));
    expect(published.sort()).toEqual([people.ana.id, people.ben.id, itTeam[3]!.id, itTeam[7]!.id].sort());
  });

  it('rebuilds a home nobody refreshed from current data when it is opened', async () => {
    await h.driver.openHome(itTeam[11]!.id);
    const home = JSON.stringify(h.fake.home(itTeam[11]!.id)?.blocks);
    expect(home).toContain('Laptop');
    expect(home).toMatch(/0 of 2 in stock/);
  });
});
