import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminPlugin } from '../../src/admin/index.js';
import { loadConfig } from '../../src/config/index.js';
import { dashboardPlugin } from '../../src/dashboard/index.js';
import { InProcessBus } from '../../src/events/bus.js';
import { DecisionCache } from '../../src/policy/decisions.js';
import { openStore, type Store } from '../../src/store/index.js';
import { KeyResolver, TenancyService } from '../../src/tenancy/index.js';
import { startHarness } from '../e2e/harness.js';
import { campaignEvents, findings } from '../report/fixtures.js';
import { auth, type Harness, harness, TOKEN } from './helpers.js';

const json = (r: { body: string }) => JSON.parse(r.body);

describe('evidence report routes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
    await h.store.events.insertBatch(campaignEvents());
    h.findings.current = findings();
  });
  afterAll(async () => {
    await h.close();
  });

  it('serves a campaign report as an HTML attachment', async () => {
    const r = await h.app.inject({ method: 'GET', url: '/admin/campaigns/c_1/report', headers: auth });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-disposition']).toBe(
      'attachment; filename="distillguard-campaign-c_1-report.html"',
    );
    expect(r.headers['content-security-policy']).toContain("default-src 'none'");
    expect(r.body).toContain('<h1>Evidence report: campaign c_1</h1>');
    expect(r.body).toContain('from the live detection engine');
    expect(r.body).toContain('Stored events (3 of 3 keys)');
  });

  it('serves an account report', async () => {
    const r = await h.app.inject({ method: 'GET', url: '/admin/accounts/k_a/report', headers: auth });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-disposition']).toBe(
      'attachment; filename="distillguard-account-k_a-report.html"',
    );
    expect(r.body).toContain('<h1>Evidence report: account (key) k_a</h1>');
  });

  it('answers 404 in OpenAI shape for unknown ids, and does not mix campaigns and keys', async () => {
    for (const url of [
      '/admin/campaigns/c_nope/report',
      '/admin/accounts/k_nope/report',
      '/admin/campaigns/k_a/report',
      '/admin/accounts/c_1/report',
    ]) {
      const r = await h.app.inject({ method: 'GET', url, headers: auth });
      expect(r.statusCode, url).toBe(404);
      expect(json(r)).toEqual({
        error: {
          message: expect.any(String),
          type: 'not_found_error',
          param: expect.any(String),
          code: 'not_found',
        },
      });
    }
  });

  it('requires authentication', async () => {
    const r = await h.app.inject({ method: 'GET', url: '/admin/campaigns/c_1/report' });
    expect(r.statusCode).toBe(401);
  });

  it('rejects a bad include_prompts value', async () => {
    const r = await h.app.inject({
      method: 'GET',
      url: '/admin/campaigns/c_1/report?include_prompts=maybe',
      headers: auth,
    });
    expect(r.statusCode).toBe(400);
    expect(json(r).error.param).toBe('include_prompts');
  });
});

describe('evidence report routes without a live engine', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ findings: false });
  });
  afterAll(async () => {
    await h.close();
  });

  it("404s before any findings, then serves the store's latest snapshot", async () => {
    const before = await h.app.inject({ method: 'GET', url: '/admin/campaigns/c_1/report', headers: auth });
    expect(before.statusCode).toBe(404);
    await h.store.findings.save(findings());
    const after = await h.app.inject({ method: 'GET', url: '/admin/campaigns/c_1/report', headers: auth });
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('from the store (latest findings snapshot)');
  });
});

/** The admin API and the dashboard on one app, as `startApp` assembles them. */
async function dashboardAndAdmin(store: Store, root: string): Promise<FastifyInstance> {
  const config = loadConfig({ env: {}, flags: { adminToken: TOKEN } });
  const resolver = new KeyResolver(store.tenancy);
  const app = Fastify();
  await app.register(adminPlugin, {
    prefix: '/admin',
    config,
    store,
    tenancy: new TenancyService(store, { resolver }),
    resolver,
    decisions: await new DecisionCache(store.decisions, store.audit, { mode: 'enforce' }).load(),
    bus: new InProcessBus(),
    metrics: new Registry(),
    findings: { latest: () => findings() },
  });
  await app.register(dashboardPlugin, { adminToken: TOKEN, root });
  await app.ready();
  return app;
}

describe('dashboard session on the admin API', () => {
  let app: FastifyInstance;
  let store: Store;
  let root: string;
  let cookie = '';

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'dg-web-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>dg</title>');
    store = await openStore('sqlite::memory:');
    app = await dashboardAndAdmin(store, root);
    const signIn = await app.inject({
      method: 'POST',
      url: '/dashboard/api/session',
      payload: { token: TOKEN },
    });
    expect(signIn.statusCode).toBe(200);
    const set = signIn.headers['set-cookie'];
    cookie = (Array.isArray(set) ? set[0] : set)?.split(';')[0] ?? '';
    expect(cookie).toMatch(/^dg_session=/);
  });
  afterAll(async () => {
    await app.close();
    await store.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('accepts the session cookie on /admin/* (reads, reports and actions)', async () => {
    expect((await app.inject({ method: 'GET', url: '/admin/orgs', headers: { cookie } })).statusCode).toBe(
      200,
    );
    const report = await app.inject({
      method: 'GET',
      url: '/admin/campaigns/c_1/report',
      headers: { cookie },
    });
    expect(report.statusCode).toBe(200);
    const action = await app.inject({
      method: 'POST',
      url: '/admin/actions',
      headers: { cookie, 'content-type': 'application/json' },
      payload: { scope: 'key', id: 'k_a', action: 'flag', reason: 'review' },
    });
    expect(action.statusCode).toBeLessThan(300);
  });

  it('refuses requests without a session, with an unknown session, or with the raw token in a cookie', async () => {
    for (const headers of [{}, { cookie: 'dg_session=forged' }, { cookie: `dg_admin_token=${TOKEN}` }]) {
      const r = await app.inject({ method: 'GET', url: '/admin/orgs', headers });
      expect(r.statusCode).toBe(401);
      expect(json(r).error.code).toBe('invalid_admin_token');
    }
  });

  it('refuses a cross-site state-changing request even with the session cookie', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/admin/actions',
      headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
      payload: { scope: 'key', id: 'k_a', action: 'block', reason: 'csrf' },
    });
    expect(r.statusCode).toBe(401);
  });

  it('stops accepting the cookie after sign-out; the Bearer token still works', async () => {
    await app.inject({ method: 'DELETE', url: '/dashboard/api/session', headers: { cookie } });
    expect((await app.inject({ method: 'GET', url: '/admin/orgs', headers: { cookie } })).statusCode).toBe(
      401,
    );
    expect((await app.inject({ method: 'GET', url: '/admin/orgs', headers: auth })).statusCode).toBe(200);
  });
});

describe('startApp mounts the dashboard', () => {
  it('signs in at /dashboard/api/session and the session opens /admin', async () => {
    const h = await startHarness({}, { eventWorker: false });
    try {
      const signIn = await fetch(`${h.app.url}/dashboard/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: 'e2e-admin-token-0123456789' }),
      });
      expect(signIn.status).toBe(200);
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      expect((await fetch(`${h.app.url}/admin/orgs`, { headers: { cookie } })).status).toBe(200);
      expect((await fetch(`${h.app.url}/admin/orgs`)).status).toBe(401);
    } finally {
      await h.close();
    }
  });
});
