import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createLogger } from '../../src/platform/logger.js';
import { demoChannels, demoPeople } from '../../src/sandbox/demo-data.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox.js';

/**
 * The sandbox in a real browser (Debian's Chromium driven by playwright-core): an employee requests
 * a laptop, IT approves it and picks the asset, and the employee's App Home shows it. Every step
 * leaves a screenshot under test-artifacts/sandbox/.
 */

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artifacts = path.resolve('test-artifacts/sandbox');
const { leo, ivy } = demoPeople;

let sandbox: RunningSandbox;
let context: BrowserContext;
let page: Page;
let userDataDir: string;
let step = 0;

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

/** Waits for the text to appear in the element (the page refreshes on its own), then asserts it. */
async function expectText(selector: string, text: string): Promise<void> {
  await page
    .waitForFunction(
      ([sel, wanted]) =>
        [...document.querySelectorAll(sel)].some((node) => node.textContent?.includes(wanted)),
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
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(sandbox.url);
  await page.waitForSelector('#who option', { state: 'attached' });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await sandbox?.stop();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

describe('the sandbox in a browser', () => {
  it('IT approves a pending laptop request and picks the asset; the requester home shows it', async () => {
    const teamId = sandbox.fake.teamId;
    // An employee's request waits in the IT queue (the demo data made it).
    await actAs(leo.id);
    await openPlace('general');
    await typeCommand('/asset help');
    await expectText('.message[data-ephemeral="true"]', '/asset find');
    await screenshot('employee-help');

    // IT approves from the App Home's queue and picks a specific laptop in the approve modal.
    await actAs(ivy.id);
    await openPlace('home');
    await page.waitForSelector('#home');
    await screenshot('it-home-queue');
    const pending = await sandbox.app.services.requests.pending(teamId, { offset: 0, limit: 10 });
    const laptopRequest = pending.items.find((r) => r.item.category === 'Laptop');
    if (!laptopRequest) throw new Error('the demo data has no pending laptop request');
    await page.click(
      `#home [data-block-id^="it_request:${laptopRequest.id}"] [data-action-id="approve_request"]`,
    );
    await page.waitForSelector('#modal[data-callback-id="approve_request_modal"]');
    const assetPicker = page.locator('#modal [data-block-id="asset"] .typeahead-input');
    await assetPicker.fill('LAP-003');
    await page.click('#modal .typeahead-option[data-value="LAP-003"]');
    await page.fill(
      '#modal [data-block-id="note"] input, #modal [data-block-id="note"] textarea',
      'Enjoy the trip!',
    );
    await screenshot('it-approve-modal');
    await page.click('#modal-submit');
    await page
      .waitForSelector('#modal', { state: 'detached', timeout: 10_000 })
      .catch(async (error: unknown) => {
        await screenshot('approve-modal-still-open');
        throw new Error(`the approve modal did not close: ${await page.locator('#toasts').textContent()}`, {
          cause: error,
        });
      });
    await settled();

    const asset = await sandbox.app.services.assets.byTag(teamId, 'LAP-003');
    expect(asset.ok && asset.value).toMatchObject({
      status: 'checked_out',
      holderId: laptopRequest.requesterId,
    });

    // The requester's Home shows the laptop.
    await actAs(laptopRequest.requesterId);
    await openPlace('home');
    await expectText('#home', 'LAP-003');
    await screenshot('employee-home-with-laptop');
    await openPlace('messages');
    await expectText('#pane-body', 'LAP-003');
    await screenshot('employee-dm');
    expect(demoChannels.it.members).toContain(ivy.id);
  }, 120_000);
});
