import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { people, startHarness, type Harness } from '../../support/app-harness.js';

let h: Harness;
const attempts = 50;

beforeAll(async () => {
  h = await startHarness('concurrency_checkout');
  await h.makeIt(people.ivy.id);
  const added = await h.app.services.assets.register(await h.as(people.ivy.id), {
    tag: 'LAP-0001',
    serial: 'C02-RACE',
    name: 'MacBook Pro 14',
    category: 'Laptop',
    model: 'MacBook Pro 14',
    location: 'Berlin office',
  });
  if (!added.ok) throw new Error(JSON.stringify(added.error));
  await h.app.services.people.resolve(h.teamId, people.ana.id);
});

afterAll(async () => {
  await h?.stop();
});

describe('simultaneous check-outs of one asset', () => {
  it(`${attempts} at once: exactly one succeeds, the others are told who has it, one history entry`, async () => {
    const results = await Promise.all(
      Array.from({ length: attempts }, () =>
        h.driver.slashCommand({ user: people.ivy.id, text: `checkout LAP-0001 <@${people.ana.id}|ana>` }),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);

    const replies = h.fake.ephemerals(people.ivy.id).map((e) => e.text);
    expect(replies).toHaveLength(attempts);
    const succeeded = replies.filter((t) =>
      t.startsWith(':white_check_mark: *LAP-0001* is now checked out to'),
    );
    const refused = replies.filter(
      (t) =>
        t ===
        `*LAP-0001* is checked out to <@${people.ana.id}> since 3 Nov, so you cannot check it out right now.`,
    );
    expect(succeeded).toHaveLength(1);
    expect(refused).toHaveLength(attempts - 1);

    const asset = await h.app.services.assets.byTag(await h.as(people.ivy.id), 'LAP-0001');
    expect(asset.ok && asset.value).toMatchObject({ status: 'checked_out', holderId: people.ana.id });
    const history = await h.app.services.assets.history(await h.as(people.ivy.id), 'LAP-0001', {
      offset: 0,
      limit: 100,
    });
    if (!history.ok) throw new Error('no history');
    expect(history.value.entries.items.map((e) => e.action)).toEqual(['checked_out', 'registered']);
    // The new holder is told once.
    expect(h.fake.dms(people.ana.id)).toHaveLength(1);
  });
});
