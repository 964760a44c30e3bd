import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { people, startHarness, type Harness } from '../../support/app-harness.js';

let h: Harness;

const lastEphemeralText = (userId: string) => h.fake.ephemerals(userId).at(-1)?.text ?? '';

beforeAll(async () => {
  h = await startHarness('find_filters');
  // Seeded through the repository: this file is about searching, not registering.
  const assets = h.app.database.repositories.assets;
  const register = async (tag: string, name: string, category: string, model: string, location: string) => {
    const outcome = await assets.insert({
      teamId: h.teamId,
      tag,
      serial: `SN-${tag}`,
      name,
      category,
      model,
      location,
      procurement: undefined,
      customFields: {},
      actorId: people.ivy.id,
      now: h.clock.now(),
      note: undefined,
    });
    if (!outcome.ok) throw new Error(`duplicate ${outcome.duplicate}`);
  };
  await register('LAP-0001', 'Dell Latitude 7440', 'Laptop', 'Latitude 7440', 'Berlin office');
  await register('LAP-0002', 'MacBook Pro 14', 'Laptop', 'MacBook Pro 14', 'Berlin office');
  await register('DOC-0001', 'Dell WD19 dock', 'Docking station', 'WD19', 'Lisbon');
  // Enough cables for a second page, so there is a pager button to press.
  for (let i = 1; i <= 21; i++) {
    await register(`CBL-${String(i).padStart(4, '0')}`, 'USB-C cable', 'Cable', 'USB-C 2m', 'Lisbon');
  }
});

afterAll(async () => {
  await h?.stop();
});

describe('/asset find with filters', () => {
  it('narrows by status and category with free text, and says what was searched', async () => {
    await h.driver.slashCommand({ user: people.ben.id, text: 'find status:available category:laptop dell' });
    const reply = h.fake.ephemerals(people.ben.id).at(-1)!;
    expect(reply.text).toBe('1 result for assets with status available in category laptop matching “dell”');
    expect(reply.blocks!.filter((b) => b.block_id.startsWith('asset:')).map((b) => b.block_id)).toEqual([
      'asset:LAP-0001',
    ]);
  });

  it('takes a quoted category as Slack curls the quotes', async () => {
    await h.driver.slashCommand({ user: people.ben.id, text: 'find category:“docking station”' });
    const reply = h.fake.ephemerals(people.ben.id).at(-1)!;
    expect(reply.text).toBe('1 result for assets in category docking station');
    expect(reply.blocks!.some((b) => b.block_id === 'asset:DOC-0001')).toBe(true);
  });

  it('says plainly when a filtered search finds nothing', async () => {
    await h.driver.slashCommand({ user: people.ben.id, text: 'find status:retired location:lisbon' });
    expect(lastEphemeralText(people.ben.id)).toBe('No assets with status retired at location lisbon.');
  });

  it('names an unknown filter and lists the ones there are', async () => {
    await h.driver.slashCommand({ user: people.ben.id, text: 'find colour:red' });
    expect(lastEphemeralText(people.ben.id)).toMatch(
      /^I don't know the filter `colour:`\. Filters: `status:`, `category:`, `location:`/,
    );
  });

  it('names an unknown status and lists the statuses', async () => {
    await h.driver.slashCommand({ user: people.ben.id, text: 'find status:broken' });
    const text = lastEphemeralText(people.ben.id);
    expect(text).toMatch(/^`status:broken` is not a status I know\. Statuses: /);
    expect(text).toContain('checked-out');
    expect(text).toContain('overdue');
  });
});

describe('/asset find with control characters', () => {
  it('refuses a NUL byte in the command with a clear message instead of failing', async () => {
    const res = await h.driver.slashCommand({ user: people.ben.id, text: 'find LAP\u0000' });
    expect(res.status).toBe(200);
    // Whichever refuses it first (the command front door or the search parser) says what is wrong.
    expect(lastEphemeralText(people.ben.id)).toMatch(
      /^Your (search|command) contains invisible control characters/,
    );
  });

  it('refuses a pager button whose carried search holds a NUL byte', async () => {
    await h.driver.slashCommand({ user: people.ben.id, text: 'find cable' });
    const first = h.fake.ephemerals(people.ben.id).at(-1)!;
    expect(first.text).toBe('Results 1–20 of 21 for “cable”');
    const res = await h.driver.pressButton({
      user: people.ben.id,
      actionId: 'find_page:next',
      message: { channel: first.channel, ts: first.message_ts },
      value: JSON.stringify({ q: 'cable\u0000', o: 20 }),
    });
    expect(res.status).toBe(200);
    expect(lastEphemeralText(people.ben.id)).toMatch(/^Your search contains invisible control characters/);
  });
});
