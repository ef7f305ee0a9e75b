import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Findings } from '../../../src/report/findings.js';
import { eventually, type Harness, startHarness } from '../harness.js';
import { type Browser, chromiumAvailable, ensureWebBuilt, launch, SCREENSHOTS } from './browser.js';

/**
 * The dashboard against the real gateway process (startApp: store, admin API, decisions,
 * gateway, mock upstream). Findings are hand-built over the real keys, so this test does not
 * depend on detection tuning; the lead's full end-to-end test replaces them with the engine's.
 */
const available = chromiumAvailable();
const TOKEN = 'e2e-admin-token-0123456789';
const HYDRA = 6;

interface Key {
  id: string;
  secret: string;
  org: string;
}

function findingsFor(hydra: Key[], benign: Key[]): Findings {
  const reasons = [
    {
      signal: 'link.shared_template',
      score: 0.95,
      detail: `${hydra.length} keys share template frame 9f2c… (seen in 0 other orgs)`,
    },
    { signal: 'harvest_ratio', score: 0.9, detail: 'combined output/input 18.2×' },
  ];
  const at = new Date().toISOString();
  return {
    version: 1,
    generated_at: at,
    input: { lines: 0, bad_lines: 0 },
    accounts: [
      ...hydra.map((k) => ({
        key: k.id,
        org: k.org,
        requests: 12,
        output_tokens: 12_000,
        score: 0.97,
        verdict: 'distillation' as const,
        first_flagged_at: at,
        campaign: 'c_e2e',
        reasons,
      })),
      ...benign.map((k) => ({
        key: k.id,
        org: k.org,
        requests: 3,
        output_tokens: 300,
        score: 0.05,
        verdict: 'benign' as const,
        first_flagged_at: null,
        campaign: null,
        reasons: [],
      })),
    ],
    campaigns: [
      {
        id: 'c_e2e',
        keys: hydra.map((k) => k.id),
        score: 0.99,
        verdict: 'distillation',
        requests: hydra.length * 12,
        output_tokens: hydra.length * 12_000,
        reasons,
      },
    ],
  };
}

/** Hands the admin API hand-built findings; the app itself mounts the dashboard and accepts its session. */
function findingsHook(findings: { current: Findings | null }) {
  return () => ({ findings: { latest: () => findings.current } });
}

async function chat(base: string, secret: string, i: number): Promise<number> {
  const res = await fetch(`${base}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `Solve step by step and explain every step: problem #${i}` }],
      max_tokens: 512,
    }),
  });
  await res.arrayBuffer();
  return res.status;
}

describe.skipIf(!available)('dashboard on the real gateway process', () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  const hydra: Key[] = [];
  const benign: Key[] = [];
  const findings: { current: Findings | null } = { current: null };

  beforeAll(async () => {
    ensureWebBuilt();
    h = await startHarness({ admin_token: TOKEN }, { hooks: [findingsHook(findings)] });
    for (let i = 0; i < HYDRA; i++) {
      await h.app.tenancy.ensureOrg(`fresh-${i}`);
      const { key, secret } = await h.app.tenancy.createKey({ org: `fresh-${i}` });
      hydra.push({ id: key.id, secret, org: key.orgId });
    }
    await h.app.tenancy.ensureOrg('acme');
    for (let i = 0; i < 2; i++) {
      const { key, secret } = await h.app.tenancy.createKey({ org: 'acme' });
      benign.push({ id: key.id, secret, org: key.orgId });
    }
    for (const k of hydra) for (let i = 0; i < 12; i++) expect(await chat(h.base, k.secret, i)).toBe(200);
    for (const k of benign) for (let i = 0; i < 3; i++) expect(await chat(h.base, k.secret, i)).toBe(200);
    await eventually(() => h.events.length >= HYDRA * 12 + 6, 20_000).catch(() => {
      throw new Error(`only ${h.events.length} of ${HYDRA * 12 + 6} events reached the bus`);
    });
    findings.current = findingsFor(hydra, benign);
    browser = await launch();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('signs in, opens the flagged campaign, blocks it, and the gateway refuses its keys', async () => {
    await page.goto(`${h.app.url}/dashboard/`);
    await page.getByLabel('Admin token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('link', { name: 'Campaign c_e2e' }).click();
    await page.getByRole('heading', { name: /Campaign c_e2e/ }).waitFor();
    await page.getByText(`${HYDRA} member keys`, { exact: true }).waitFor();
    await page.locator('.graph canvas').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'campaign-real-gateway.png'), fullPage: true });

    await page.getByRole('button', { name: 'Block', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/Reason/).fill('coordinated harvesting, reviewed in the dashboard');
    await dialog.getByRole('button', { name: 'Confirm: block' }).click();
    await page.getByText(`Done: block applied to all ${HYDRA} keys of campaign c_e2e.`).waitFor();

    for (const k of hydra) expect(await chat(h.base, k.secret, 99)).toBe(403);
    expect(await chat(h.base, benign[0]!.secret, 99)).toBe(200);
  });

  it('downloads the campaign evidence report through the session, with the block in its audit trail', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download evidence report' }).click(),
    ]);
    const path = await download.path();
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('<h1>Evidence report: campaign c_e2e</h1>');
    expect(html).toContain(`Stored events (${HYDRA} of ${HYDRA} keys)`);
    expect(html).toContain('coordinated harvesting, reviewed in the dashboard');
    expect(html).toContain('What this evidence does not show');
    await page.getByText(/Downloaded distillguard-report-c_e2e\.html/).waitFor();
  });

  it('shows the real account detail with the decision in the audit trail', async () => {
    await page.getByRole('link', { name: hydra[0]!.id }).first().click();
    await page.getByRole('heading', { name: hydra[0]!.id }).waitFor();
    await page.getByRole('table', { name: 'Decisions' }).getByText('admin:dashboard').waitFor();
    await page.getByRole('table', { name: 'Audit trail' }).waitFor();
    await page.getByRole('rowheader', { name: 'Requests per minute' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'account-real-gateway.png'), fullPage: true });
  });

  it('lists the real accounts, server-side paged', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
    await page.getByText(`1–${HYDRA + 2} of ${HYDRA + 2}`).waitFor();
    await page.getByLabel('Verdict').selectOption('distillation');
    await page.getByText(`1–${HYDRA} of ${HYDRA}`).waitFor();
  });
});
