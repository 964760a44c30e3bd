/** What a new user ran into in the sandbox, each driven through the real app as Slack would. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { people, startHarness, type Harness } from '../../support/app-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('new_user');
  await h.makeIt(people.ivy.id);
});

afterAll(async () => {
  await h?.stop();
});

const lastEphemeral = (userId: string) => h.fake.ephemerals(userId).at(-1)?.text ?? '';

describe('an unknown subcommand', () => {
  it('lists only what an employee may use', async () => {
    await h.driver.slashCommand({ user: people.ana.id, text: 'frobnicate' });
    const text = lastEphemeral(people.ana.id);
    expect(text).toMatch(/I don't know `frobnicate`/);
    expect(text).toContain('`request`');
    for (const itOnly of ['`add`', '`checkout`', '`checkin`', '`history`'])
      expect(text).not.toContain(itOnly);
  });

  it('lists the IT commands to IT staff', async () => {
    await h.driver.slashCommand({ user: people.ivy.id, text: 'frobnicate' });
    expect(lastEphemeral(people.ivy.id)).toContain('`checkout`');
  });
});

describe('help', () => {
  it('tells an admin they see IT commands as an admin, and IT staff as IT staff', async () => {
    await h.driver.slashCommand({ user: people.ada.id, text: 'help' });
    expect(lastEphemeral(people.ada.id)).not.toMatch(/you are IT staff/);
    expect(JSON.stringify(h.fake.ephemerals(people.ada.id).at(-1))).toMatch(/because you are an admin/);
    await h.driver.slashCommand({ user: people.ivy.id, text: 'help' });
    expect(JSON.stringify(h.fake.ephemerals(people.ivy.id).at(-1))).toMatch(/because you are IT staff/);
  });
});

describe('the App Home', () => {
  it('greets by real name, not by handle', async () => {
    await h.driver.openHome(people.ana.id);
    const home = h.fake.home(people.ana.id);
    expect(JSON.stringify(home?.blocks?.[0])).toContain('Hi Ana Employee');
  });
});

describe('command text as Slack escapes it', () => {
  it('reads &amp; &lt; &gt; back as the characters typed', async () => {
    const ivy = await h.as(people.ivy.id);
    const added = await h.app.services.assets.register(ivy, {
      tag: 'DCK-1',
      serial: undefined,
      name: 'Dell & HP dock',
      category: 'Dock',
      model: undefined,
      location: undefined,
    });
    expect(added.ok).toBe(true);
    await h.driver.slashCommand({ user: people.ana.id, text: 'find Dell &amp; HP' });
    expect(JSON.stringify(h.fake.ephemerals(people.ana.id).at(-1))).toContain('DCK-1');
  });

  it('takes a mention followed by a comma', async () => {
    await h.driver.slashCommand({
      user: people.ivy.id,
      text: `checkout DCK-1 <@${people.ben.id}|ben>, due 2099-01-01`,
    });
    expect(lastEphemeral(people.ivy.id)).toMatch(/checked out to/i);
  });
});
