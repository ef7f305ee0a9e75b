import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, chromiumAvailable, ensureWebBuilt, launch, SCREENSHOTS, WEB_ROOT } from './browser.js';
import { ADMIN_TOKEN, type CannedServer, startCannedServer } from './canned-admin.js';

const available = chromiumAvailable();

describe.skipIf(!available)('dashboard in headless Chromium (canned admin API)', () => {
  let server: CannedServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  const shot = (name: string, fullPage = false) =>
    page.screenshot({ path: join(SCREENSHOTS, name), fullPage });

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startCannedServer(WEB_ROOT);
    browser = await launch();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/404|Failed to load resource/.test(m.text())) errors.push(m.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in with the admin token, keeping it out of the URL and of storage', async () => {
    await page.goto(`${server.url}/dashboard/`);
    await page.getByLabel('Admin token').waitFor();
    await shot('signin.png');
    await page.getByLabel('Admin token').fill('wrong-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That admin token is not valid.').waitFor();

    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();

    expect(page.url()).not.toContain(ADMIN_TOKEN);
    // Page scripts are passed as strings: the test's tsconfig has no DOM types.
    const stored = await page.evaluate<string>(
      'JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie',
    );
    expect(stored).not.toContain(ADMIN_TOKEN);
    expect(stored).not.toContain('dg_session');
    const cookies = await browser.context.cookies();
    const session = cookies.find((c) => c.name === 'dg_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');
  });

  it('shows the overview with charts, live updates and the top campaign', async () => {
    await page.getByRole('link', { name: 'Campaign c_1' }).waitFor();
    await page.locator('.chart canvas').first().waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    const live = page.locator('.tile', { hasText: 'Live since load' }).locator('.tile-value');
    await expect.poll(async () => Number(await live.textContent()), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator('.chart canvas').count()).toBeGreaterThanOrEqual(2);
    await shot('overview-light-1280.png');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.getByLabel('Theme').selectOption('dark');
    expect(await page.evaluate<string>('document.documentElement.dataset.theme')).toBe('dark');
    await page.waitForTimeout(300);
    await shot('overview-dark-1920.png');
    await page.getByLabel('Theme').selectOption('light');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('pages, sorts and filters 100,000 accounts on the server', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
    await page.getByText('1–50 of 100k').waitFor();
    const rows = page.locator('table[aria-label="Accounts"] tbody tr');
    expect(await rows.count()).toBe(50);
    expect(await rows.first().locator('td').first().textContent()).toContain('k_hydra');
    await shot('accounts-1280.png');

    await page.getByRole('button', { name: /^Requests/ }).click();
    await expect.poll(() => page.locator('th[aria-sort="descending"]').textContent()).toContain('Requests');
    await page.getByRole('button', { name: /^Requests/ }).click();
    await expect.poll(() => page.locator('th[aria-sort="ascending"]').textContent()).toContain('Requests');

    await page.getByLabel('Verdict').selectOption('suspicious');
    await page.getByText('1–5 of 5').waitFor();
    expect(page.url()).toContain('verdict=suspicious');
    await page.getByLabel('Verdict').selectOption('');
    await page.getByRole('button', { name: /^Score/ }).click();
    await page.getByRole('button', { name: 'Next →' }).click();
    await page.getByText('51–100 of 100k').waitFor();
    await page.getByRole('button', { name: '← Previous' }).click();
    await page.getByText('1–50 of 100k').waitFor();
    await page.getByLabel('Verdict').selectOption('distillation');
    await page.getByText('1–12 of 12').waitFor();
  });

  it('opens the flagged campaign and shows its graph, evidence and members', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('link', { name: 'c_1' }).click();
    await page.getByRole('heading', { name: /Campaign c_1/ }).waitFor();
    await page.locator('.graph canvas').first().waitFor();
    await page.getByRole('table', { name: /Links between accounts/ }).waitFor();
    expect(await page.getByRole('cell', { name: 'template, /24' }).count()).toBeGreaterThan(0);
    await page.getByText('12 member keys', { exact: true }).waitFor();
    await page.waitForTimeout(500);
    await shot('campaign-1280.png');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.getByLabel('Theme').selectOption('dark');
    await page.waitForTimeout(500);
    await shot('campaign-dark-1920.png');
    await page.getByLabel('Theme').selectOption('light');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('says plainly when the evidence report is not available', async () => {
    await page.getByRole('button', { name: 'Download evidence report' }).click();
    await page.getByText(/not available on this gateway \(404\)/).waitFor();
  });

  it('blocks every member after a confirmation with a required reason, and the gateway refuses them', async () => {
    await page.getByRole('button', { name: 'Block', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: /Block all 12 keys of campaign c_1/ });
    await dialog.waitFor();
    expect(await page.evaluate<string>('document.activeElement?.getAttribute("name")')).toBe('reason');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(server.actions).toHaveLength(0);

    await page.getByRole('button', { name: 'Block', exact: true }).click();
    await dialog.getByRole('button', { name: 'Confirm: block' }).click();
    await dialog.getByText(/Give a reason/).waitFor();
    expect(server.actions).toHaveLength(0);
    await dialog.getByLabel(/Reason/).fill('hydra harvesting campaign, confirmed by review');
    await shot('confirm-block-1280.png');
    await dialog.getByRole('button', { name: 'Confirm: block' }).click();
    await page.getByText('Done: block applied to all 12 keys of campaign c_1.').waitFor();

    expect(server.actions).toHaveLength(12);
    expect(
      server.actions.every((a) => a.action === 'block' && a.reason.startsWith('campaign c_1: hydra')),
    ).toBe(true);
    const refused = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer k_hydra_01', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(refused.status).toBe(403);
  });

  it('shows an account with signals, timeline, prompt note, limits and its decision history', async () => {
    await page.getByRole('link', { name: 'k_hydra_01' }).first().click();
    await page.getByRole('heading', { name: 'k_hydra_01' }).waitFor();
    await page.getByText('Prompts are not stored on this gateway').waitFor();
    await page.getByRole('table', { name: 'Decisions' }).waitFor();
    await page.getByText('harvest ratio', { exact: true }).waitFor();
    await page.getByRole('rowheader', { name: 'Requests per minute' }).waitFor();
    await page.locator('.chart canvas').first().waitFor();
    await shot('account-1280.png', true);

    await page.getByRole('button', { name: 'Undo' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/Reason/).fill('false positive after customer call');
    await dialog.getByRole('button', { name: 'Confirm: undo' }).click();
    await page.getByText('Done: undo applied to key k_hydra_01.').waitFor();
    expect(server.actions.at(-1)).toMatchObject({ id: 'k_hydra_01', action: 'observe' });
  });

  it('is usable from the keyboard with a visible focus ring', async () => {
    await page.goto(`${server.url}/dashboard/accounts`);
    await page.getByText('1–50 of 100k').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement?.textContent')).toBe('Skip to content');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate<{ style: string; width: string }>(
      '(() => { const s = getComputedStyle(document.activeElement); return { style: s.outlineStyle, width: s.outlineWidth }; })()',
    );
    expect(outline.style).toBe('solid');
    expect(outline.width).toBe('3px');
    // Deep link and reload keep the session (cookie) and the route.
    await page.goto(`${server.url}/dashboard/campaigns/c_2`);
    await page.getByRole('heading', { name: /Campaign c_2/ }).waitFor();
    await page.getByText(/evidence for the campaign as a whole/).waitFor();
  });

  it('signs out and returns to the sign-in page', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin token').waitFor();
    const res = await page.evaluate(async () => (await fetch('/admin/campaigns')).status);
    expect(res).toBe(401);
    expect(errors).toEqual([]);
  });
});
