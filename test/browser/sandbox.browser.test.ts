import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { isoDayInZone } from '../../src/platform/dates.js';
import { createLogger } from '../../src/platform/logger.js';
import { demoChannels, demoPeople } from '../../src/sandbox/demo-data.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';

/**
 * The sandbox in a real browser (Debian's Chromium driven by playwright-core): an employee requests
 * a laptop, IT approves it and picks the asset, and the employee's App Home shows it. Every step
 * leaves a screenshot under test-artifacts/sandbox/.
 */

// What the page functions below use in the browser (the project's tsconfig has no DOM library).
declare const document: {
  body: { dataset: Record<string, string | undefined> };
  querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }>;
};

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artifacts = path.resolve('test-artifacts/sandbox');
const { leo, ivy } = demoPeople;

let sandbox: RunningSandbox;
let context: BrowserContext;
let page: Page;
let userDataDir: string;
let step = 0;
/** Script errors in the page; any of them fails the run. */
const pageErrors: string[] = [];

async function screenshot(name: string): Promise<void> {
  step += 1;
  await page.screenshot({ path: path.join(artifacts, `${String(step).padStart(2, '0')}-${name}.png`) });
}

/** Waits until the page has no request to the app in flight and has shown the latest state. */
async function settled(): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.busy === '0');
  const seq = sandbox.fake.mark();
  await page.waitForFunction((expected) => Number(document.body.dataset.seq) >= expected, seq);
}

async function modalClosed(what: string): Promise<void> {
  await page
    .waitForSelector('#modal', { state: 'detached', timeout: 10_000 })
    .catch(async (error: unknown) => {
      await screenshot(`${what}-modal-still-open`);
      throw new Error(`the ${what} modal did not close: ${await page.locator('#toasts').textContent()}`, {
        cause: error,
      });
    });
  await settled();
}

/** Waits for the text to appear in the element (the page refreshes on its own), then asserts it. */
async function expectText(selector: string, text: string): Promise<void> {
  await page
    .waitForFunction(
      ([sel, wanted]) =>
        Array.from(document.querySelectorAll(sel)).some((node) => node.textContent?.includes(wanted)),
      [selector, text] as const,
      { timeout: 10_000 },
    )
    .catch(() => undefined);
  const texts = await page.locator(selector).allTextContents();
  expect(texts.join('\n')).toContain(text);
}

async function actAs(userId: string): Promise<void> {
  await page.selectOption('#who', userId);
  await page.waitForFunction((id) => document.body.dataset.user === id, userId);
  await settled();
}

async function openPlace(place: string): Promise<void> {
  await page.click(`.nav-item[data-place="${place}"]`);
  await settled();
}

async function typeCommand(text: string): Promise<void> {
  await page.fill('#composer-input', text);
  await page.press('#composer-input', 'Enter');
  await settled();
}

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is missing at ${chromiumPath}. Install Debian's package: ` +
        '`apt-get update && apt-get install -y chromium` (CI does this in .ci/run), ' +
        'or point CHROMIUM_PATH at a Chromium binary.',
    );
  }
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  sandbox = await startSandbox({
    port: 0,
    logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    allowDownload: false,
    env: {},
  });
  userDataDir = mkdtempSync(path.join(tmpdir(), 'custodian-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 860 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(sandbox.url);
  await page.waitForSelector('#who option', { state: 'attached' });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await sandbox?.stop();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

afterEach(() => {
  expect(pageErrors).toEqual([]);
});

describe('the sandbox in a browser', () => {
  it('an employee requests a laptop, IT approves it and picks the asset, the employee home shows it', async () => {
    const teamId = sandbox.fake.teamId;
    const returnBy = isoDayInZone(
      new Date(sandbox.clock.now().getTime() + 14 * 86_400_000),
      sandbox.timeZone,
    );

    // The employee asks for a laptop: /asset request, the catalog typeahead, a loan.
    await actAs(leo.id);
    await openPlace('general');
    await typeCommand('/asset request');
    await page.waitForSelector('#modal[data-callback-id="request_asset_modal"]');
    await page.locator('#modal [data-block-id="item"] .typeahead-input').fill('MacBook');
    await page.click('#modal .typeahead-option:has-text("MacBook Pro 14")');
    await page.check('#modal [data-block-id="kind"] input[value="loan"]');
    await page.fill(
      '#modal [data-block-id="reason"] textarea, #modal [data-block-id="reason"] input',
      'Mine died.',
    );
    // A loan without a return date: the app answers with an inline error under that field.
    await page.click('#modal-submit');
    await page.waitForSelector('#modal [data-block-id="return_by"] .input-error');
    await screenshot('employee-request-inline-error');
    await page.fill('#modal [data-block-id="return_by"] input', returnBy);
    await page.fill(
      '#modal [data-block-id="reason"] textarea, #modal [data-block-id="reason"] input',
      'My laptop died this morning; I need a loaner until the repair is done.',
    );
    await screenshot('employee-request-modal');
    await page.click('#modal-submit');
    await modalClosed('request');
    const leoPerson = await sandbox.app.services.people.resolve(teamId, leo.id);
    const open = leoPerson ? await sandbox.app.services.requests.openForMe(leoPerson) : undefined;
    const [request] = open?.ok ? open.value : [];
    expect(request).toMatchObject({ kind: 'loan', status: 'pending', item: { category: 'Laptop' } });
    await openPlace('messages');
    await expectText('#pane-body', 'MacBook Pro 14');
    await screenshot('employee-request-received');

    // IT sees it in the IT channel and approves it there, picking a specific laptop.
    await actAs(ivy.id);
    await openPlace(demoChannels.it.name);
    const itMessage = page.locator('.message', { hasText: 'Leo Park' }).last();
    await itMessage.locator('[data-action-id="approve_request"]').click();
    await page.waitForSelector('#modal[data-callback-id="approve_request_modal"]');
    await page.locator('#modal [data-block-id="asset"] .typeahead-input').fill('LAP-003');
    await page.click('#modal .typeahead-option[data-value="LAP-003"]');
    await page.fill(
      '#modal [data-block-id="note"] input, #modal [data-block-id="note"] textarea',
      'Pick it up at the IT room.',
    );
    await screenshot('it-approve-modal');
    await page.click('#modal-submit');
    await modalClosed('approve');
    await expectText('.message', 'LAP-003');
    await screenshot('it-channel-approved');
    const ivyPerson = await sandbox.app.services.people.resolve(teamId, ivy.id);
    const asset = ivyPerson
      ? await sandbox.app.services.assets.byTag(ivyPerson, 'LAP-003')
      : { ok: false as const };
    expect(asset.ok && asset.value).toMatchObject({ status: 'checked_out', holderId: leo.id });

    // The employee's Home shows the laptop; the DM says what they got and from whom.
    await actAs(leo.id);
    await openPlace('home');
    await expectText('#home', 'LAP-003');
    await screenshot('employee-home-with-laptop');
    await openPlace('messages');
    await expectText('#pane-body', 'Ivy Nguyen');
    await expectText('#pane-body', 'LAP-003');
    await screenshot('employee-dm-approved');
  }, 120_000);

  it('typing @ in the composer lists people; picking one inserts the mention, which the app gets escaped', async () => {
    await actAs(leo.id);
    await openPlace('general');
    const composer = page.locator('#composer-input');
    const handles = async () =>
      Promise.all(
        (await page.locator('#mention-picker .mention-option').all()).map((o) =>
          o.getAttribute('data-handle'),
        ),
      );
    await composer.fill('/asset find ');
    await composer.pressSequentially('@');
    await page.waitForSelector('#mention-picker:not([hidden]) .mention-option');
    const everyone = await handles();
    expect(everyone).toEqual(expect.arrayContaining(['leo', 'sara', 'tom', 'maya', 'ivy', 'adam']));
    // Filtered as you type, by handle or any part of the full name.
    await composer.pressSequentially('o');
    await expect(handles()).resolves.toEqual(['sara']);
    await expect(page.locator('#mention-picker .mention-option').textContent()).resolves.toBe(
      'Sara Ortiz@sara',
    );
    // The keyboard moves through the list and Enter picks (instead of sending).
    await composer.press('Backspace');
    await composer.press('ArrowDown');
    const active = page.locator('#mention-picker .mention-option.active');
    await expect(active.getAttribute('data-handle')).resolves.toBe(everyone[1]);
    await composer.press('Enter');
    await page.waitForSelector('#mention-picker', { state: 'hidden' });
    expect(await composer.inputValue()).toBe(`/asset find @${everyone[1]} `);

    // Picking with the mouse.
    await composer.fill('/asset find ');
    await composer.pressSequentially('@sar');
    await screenshot('mention-picker');
    await page.click('#mention-picker .mention-option[data-handle="sara"]');
    await page.waitForSelector('#mention-picker', { state: 'hidden' });
    expect(await composer.inputValue()).toBe('/asset find @sara ');
    await page.press('#composer-input', 'Enter');
    await settled();
    await expectText('.message.ephemeral', 'MON-002');
    await screenshot('find-by-picked-mention');
  });

  it('renders every Block Kit block and element kind and Slack mrkdwn; unknown ones stay visible', async () => {
    const rendered = (await page.evaluate(`(async () => {
      const { renderBlocks } = await import('/sandbox/assets/block-kit.js');
      const { renderMrkdwn } = await import('/sandbox/assets/mrkdwn.js');
      const names = { userName: (id) => (id === 'U0LEO00001' ? 'Leo Park' : undefined), channelName: () => 'general' };
      const mrkdwn = renderMrkdwn(
        '*bold* _it_ ~gone~ \`code\` <@U0LEO00001> <#C1> <https://example.com/a?b=1&amp;c=2|the link> :white_check_mark: &lt;b&gt;x&lt;/b&gt; <b>raw</b>\\n> quoted\\n\`\`\`pre *not bold*\`\`\`',
        names,
      );
      const text = (t) => ({ type: 'mrkdwn', text: t });
      const plain = (t) => ({ type: 'plain_text', text: t });
      const option = (v) => ({ text: plain('Option ' + v), value: v });
      const blocks = [
        { type: 'header', block_id: 'h', text: plain('Header :package:') },
        { type: 'section', block_id: 's', text: text('*Section*'), fields: [text('f1'), text('f2')],
          accessory: { type: 'overflow', action_id: 'o', options: [option('a'), option('b')] } },
        { type: 'divider', block_id: 'd' },
        { type: 'context', block_id: 'c', elements: [text('ctx'), { type: 'image', image_url: 'https://example.com/i.png', alt_text: 'img' }] },
        { type: 'actions', block_id: 'a', elements: [
          { type: 'button', action_id: 'b1', text: plain('Danger'), style: 'danger', value: 'x' },
          { type: 'static_select', action_id: 'ss', options: [option('1'), option('2')], initial_option: option('2') },
          { type: 'datepicker', action_id: 'dp', initial_date: '2026-01-31' },
          { type: 'users_select', action_id: 'us', initial_user: 'U0LEO00001' },
          { type: 'fancy_picker', action_id: 'fp' },
        ] },
        { type: 'image', block_id: 'i', image_url: 'https://example.com/big.png', alt_text: 'a big picture' },
        { type: 'rich_text', block_id: 'r', elements: [
          { type: 'rich_text_section', elements: [{ type: 'text', text: 'rich', style: { bold: true } }, { type: 'user', user_id: 'U0LEO00001' }] },
          { type: 'rich_text_list', style: 'bullet', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'item' }] }] },
        ] },
        { type: 'input', block_id: 'in1', label: plain('Pick'), element: { type: 'checkboxes', action_id: 'cb', options: [option('x'), option('y')], initial_options: [option('y')] } },
        { type: 'input', block_id: 'in2', label: plain('One'), optional: true, element: { type: 'radio_buttons', action_id: 'rb', options: [option('p'), option('q')] } },
        { type: 'input', block_id: 'in3', label: plain('How many'), element: { type: 'number_input', action_id: 'n', is_decimal_allowed: false, initial_value: '3' } },
        { type: 'input', block_id: 'in4', label: plain('File'), element: { type: 'file_input', action_id: 'f', filetypes: ['csv'] } },
        { type: 'video', block_id: 'v', title: plain('A video') },
      ];
      const inputs = new Map();
      const root = renderBlocks(blocks, {
        names, users: [{ id: 'U0LEO00001', realName: 'Leo Park', isBot: false }], channels: [],
        errors: { in3: 'Too many.' }, draft: {}, inputs,
        act: async () => undefined, suggest: async () => [],
      });
      document.body.append(root);
      const read = {};
      for (const [id, input] of inputs) read[id] = await input.read();
      const result = {
        mrkdwn,
        types: [...root.querySelectorAll('.block')].map((b) => b.className),
        unsupported: [...root.querySelectorAll('.unsupported')].map((u) => u.dataset.unsupported),
        dangerButton: root.querySelector('[data-action-id="b1"]').className,
        selected: root.querySelector('[data-action-id="ss"]').value,
        date: root.querySelector('[data-action-id="dp"]').value,
        user: root.querySelector('[data-action-id="us"]').value,
        error: root.querySelector('[data-block-id="in3"] .input-error').textContent,
        rich: root.querySelector('[data-block-id="r"]').textContent,
        read,
      };
      root.remove();
      return result;
    })()`)) as {
      mrkdwn: string;
      types: string[];
      unsupported: string[];
      dangerButton: string;
      selected: string;
      date: string;
      user: string;
      error: string;
      rich: string;
      read: Record<string, unknown>;
    };
    expect(rendered.mrkdwn).toContain('<strong>bold</strong>');
    expect(rendered.mrkdwn).toContain('<em>it</em>');
    expect(rendered.mrkdwn).toContain('<del>gone</del>');
    expect(rendered.mrkdwn).toContain('<code>code</code>');
    expect(rendered.mrkdwn).toContain('@Leo Park');
    expect(rendered.mrkdwn).toContain('#general');
    expect(rendered.mrkdwn).toContain('href="https://example.com/a?b=1&amp;c=2"');
    expect(rendered.mrkdwn).toContain('>the link</a>');
    expect(rendered.mrkdwn).toContain('✅');
    expect(rendered.mrkdwn).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(rendered.mrkdwn).not.toContain('<b>');
    expect(rendered.mrkdwn).toContain('<blockquote>quoted</blockquote>');
    expect(rendered.mrkdwn).toContain('<pre>pre *not bold*</pre>');
    for (const type of [
      'header',
      'section',
      'divider',
      'context',
      'actions',
      'image',
      'rich_text',
      'input',
    ]) {
      expect(rendered.types.some((c) => c.includes(`block-${type}`))).toBe(true);
    }
    expect(rendered.unsupported).toEqual(['fancy_picker', 'video']);
    expect(rendered.dangerButton).toContain('danger');
    expect(rendered).toMatchObject({ selected: '2', date: '2026-01-31', user: leo.id, error: 'Too many.' });
    expect(rendered.rich).toContain('rich@Leo Park');
    expect(rendered.read).toEqual({ in1: ['y'], in2: null, in3: '3', in4: [] });
  });
});
