import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dashboardPlugin,
  SESSION_COOKIE,
  SessionStore,
  SignInGuard,
  sessionAuth,
} from '../../src/dashboard/index.js';

const TOKEN = 'admin-test-token-1234567890';
let root: string;

function cookieOf(setCookie: string | string[] | undefined): string {
  const header = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  return (header ?? '').split(';')[0] ?? '';
}

async function build(
  opts: { root?: string; sessions?: SessionStore; guard?: SignInGuard; trustProxy?: boolean } = {},
) {
  const app = Fastify({ trustProxy: opts.trustProxy ?? false });
  await app.register(dashboardPlugin, {
    adminToken: TOKEN,
    root: opts.root ?? root,
    ...(opts.sessions ? { sessions: opts.sessions } : {}),
    ...(opts.guard ? { guard: opts.guard } : {}),
  });
  // Stands in for the admin API: accepts the session cookie through sessionAuth.
  app.get('/admin/ping', async (req, reply) =>
    sessionAuth(req) ? { ok: true } : reply.code(401).send({ ok: false }),
  );
  app.post('/admin/actions', async (req, reply) =>
    sessionAuth(req) ? { ok: true } : reply.code(401).send({ ok: false }),
  );
  await app.ready();
  return app;
}

async function signIn(app: FastifyInstance, token = TOKEN) {
  return app.inject({ method: 'POST', url: '/dashboard/api/session', payload: { token } });
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'dg-web-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>dg</title><div id="root"></div>');
  writeFileSync(join(root, 'assets', 'app-abc123.js'), 'console.log(1)');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('dashboard sessions', () => {
  it('refuses a wrong token without setting a cookie', async () => {
    const app = await build();
    const res = await signIn(app, 'wrong');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('invalid_admin_token');
    expect(res.headers['set-cookie']).toBeUndefined();
    await app.close();
  });

  it('answers 400 for a body without a token', async () => {
    const app = await build();
    const res = await app.inject({ method: 'POST', url: '/dashboard/api/session', payload: { nope: 1 } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.param).toBe('token');
    await app.close();
  });

  it('exchanges the token for an HttpOnly SameSite=Strict cookie that the admin API accepts', async () => {
    const app = await build();
    expect((await app.inject({ method: 'GET', url: '/admin/ping' })).statusCode).toBe(401);
    const res = await signIn(app);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(TOKEN);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Secure');
    expect(setCookie).not.toContain(TOKEN);
    const cookie = cookieOf(res.headers['set-cookie']);
    const ping = await app.inject({ method: 'GET', url: '/admin/ping', headers: { cookie } });
    expect(ping.statusCode).toBe(200);
    const session = await app.inject({ method: 'GET', url: '/dashboard/api/session', headers: { cookie } });
    expect(session.json().authenticated).toBe(true);
    await app.close();
  });

  it('sets Secure when the request came over https', async () => {
    const app = await build({ trustProxy: true });
    const res = await app.inject({
      method: 'POST',
      url: '/dashboard/api/session',
      payload: { token: TOKEN },
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(String(res.headers['set-cookie'])).toContain('Secure');
    await app.close();
  });

  it('rejects a forged cookie and a cross-origin state-changing request', async () => {
    const app = await build();
    const forged = await app.inject({
      method: 'GET',
      url: '/admin/ping',
      headers: { cookie: `${SESSION_COOKIE}=abc` },
    });
    expect(forged.statusCode).toBe(401);
    const cookie = cookieOf((await signIn(app)).headers['set-cookie']);
    const cross = await app.inject({
      method: 'POST',
      url: '/admin/actions',
      headers: { cookie, origin: 'https://evil.example', host: 'localhost:80' },
      payload: {},
    });
    expect(cross.statusCode).toBe(401);
    const same = await app.inject({
      method: 'POST',
      url: '/admin/actions',
      headers: { cookie, origin: 'http://localhost:80', host: 'localhost:80' },
      payload: {},
    });
    expect(same.statusCode).toBe(200);
    await app.close();
  });

  it('signs out: the session is revoked and the cookie cleared', async () => {
    const app = await build();
    const cookie = cookieOf((await signIn(app)).headers['set-cookie']);
    const out = await app.inject({ method: 'DELETE', url: '/dashboard/api/session', headers: { cookie } });
    expect(out.statusCode).toBe(200);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await app.inject({ method: 'GET', url: '/admin/ping', headers: { cookie } })).statusCode).toBe(
      401,
    );
    await app.close();
  });

  it('expires sessions after their lifetime', async () => {
    let now = 1_000_000;
    const sessions = new SessionStore({ ttlMs: 60_000, now: () => now });
    const app = await build({ sessions });
    const cookie = cookieOf((await signIn(app)).headers['set-cookie']);
    expect((await app.inject({ method: 'GET', url: '/admin/ping', headers: { cookie } })).statusCode).toBe(
      200,
    );
    now += 60_001;
    expect((await app.inject({ method: 'GET', url: '/admin/ping', headers: { cookie } })).statusCode).toBe(
      401,
    );
    expect(sessions.size).toBe(0);
    await app.close();
  });

  it('locks out an address after too many failed attempts, even with the right token', async () => {
    let now = 0;
    const app = await build({ guard: new SignInGuard({ maxFailures: 3, windowMs: 60_000, now: () => now }) });
    for (let i = 0; i < 3; i++) expect((await signIn(app, 'bad')).statusCode).toBe(401);
    expect((await signIn(app)).statusCode).toBe(429);
    now += 60_001;
    expect((await signIn(app)).statusCode).toBe(200);
    await app.close();
  });
});

describe('dashboard static app', () => {
  it('redirects /dashboard to /dashboard/ and serves the app shell with security headers', async () => {
    const app = await build();
    const redirect = await app.inject({ method: 'GET', url: '/dashboard' });
    expect(redirect.statusCode).toBe(308);
    expect(redirect.headers.location).toBe('/dashboard/');
    const shell = await app.inject({ method: 'GET', url: '/dashboard/' });
    expect(shell.statusCode).toBe(200);
    expect(shell.body).toContain('<div id="root">');
    expect(shell.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(shell.headers['cache-control']).toBe('no-cache');
    await app.close();
  });

  it('answers deep links with the app shell (SPA fallback) but not missing files', async () => {
    const app = await build();
    const deep = await app.inject({ method: 'GET', url: '/dashboard/accounts/k_123?sort=score' });
    expect(deep.statusCode).toBe(200);
    expect(deep.headers['content-type']).toContain('text/html');
    const missing = await app.inject({ method: 'GET', url: '/dashboard/assets/nope.js' });
    expect(missing.statusCode).toBe(404);
    const api = await app.inject({ method: 'GET', url: '/dashboard/api/unknown' });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('not_found');
    await app.close();
  });

  it('serves hashed assets with a long cache lifetime', async () => {
    const app = await build();
    const res = await app.inject({ method: 'GET', url: '/dashboard/assets/app-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('console.log(1)');
    expect(res.headers['cache-control']).toContain('immutable');
    await app.close();
  });

  it('answers 503 with a clear message when the app is not built', async () => {
    const app = await build({ root: join(root, 'does-not-exist') });
    const res = await app.inject({ method: 'GET', url: '/dashboard/' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('dashboard_not_built');
    expect((await signIn(app)).statusCode).toBe(200);
    await app.close();
  });
});
