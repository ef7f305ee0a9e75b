import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenMatches } from '../../src/admin/auth.js';
import type { Findings } from '../../src/report/findings.js';
import { auth, type Harness, harness, TOKEN } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await harness({ bodyLimit: 4096 });
});
afterAll(async () => {
  await h.close();
});

const json = (r: { body: string }) => JSON.parse(r.body);
const logLine = (key: string, i: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    ts: 1_700_000_000_000 + i,
    key,
    org: 'org_logs',
    request: { model: 'gpt-4o', messages: [{ role: 'user', content: `hello ${i}` }] },
    response: { usage: { prompt_tokens: 5, completion_tokens: 50 } },
    ...extra,
  });

describe('admin auth', () => {
  it('refuses requests without the admin token, with an OpenAI-shaped 401', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: TOKEN }]) {
      const r = await h.app.inject({ method: 'GET', url: '/admin/orgs', headers });
      expect(r.statusCode).toBe(401);
      expect(json(r)).toEqual({
        error: {
          message: expect.any(String),
          type: 'authentication_error',
          param: null,
          code: 'invalid_admin_token',
        },
      });
    }
  });

  it('never accepts a customer key', async () => {
    const created = json(
      await h.app.inject({
        method: 'POST',
        url: '/admin/keys',
        headers: auth,
        payload: { org: (await h.tenancy.ensureOrg('authorg')).id },
      }),
    );
    const r = await h.app.inject({
      method: 'GET',
      url: '/admin/orgs',
      headers: { authorization: `Bearer ${created.key}` },
    });
    expect(r.statusCode).toBe(401);
  });

  it('never accepts the admin token from a cookie (browsers use a dashboard session)', async () => {
    const r = await h.app.inject({
      method: 'GET',
      url: '/admin/orgs',
      headers: { cookie: `a=b; dg_admin_token=${TOKEN}` },
    });
    expect(r.statusCode).toBe(401);
  });

  it('compares through fixed-length digests (any length, empty expected never matches)', () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(`${TOKEN}x`, TOKEN)).toBe(false);
    expect(tokenMatches('', '')).toBe(false);
  });

  it('answers unknown admin routes with a 404 in OpenAI shape (after auth)', async () => {
    const r = await h.app.inject({ method: 'GET', url: '/admin/nope', headers: auth });
    expect(r.statusCode).toBe(404);
    expect(json(r).error.code).toBe('unknown_route');
  });
});

describe('orgs and keys', () => {
  let orgId = '';
  let keyId = '';

  it('creates, lists, reads and patches orgs', async () => {
    const created = await h.app.inject({
      method: 'POST',
      url: '/admin/orgs',
      headers: auth,
      payload: { name: 'acme', limits: { rpm: 100, tokens_per_day: 5000 }, meta: { plan: 'pro' } },
    });
    expect(created.statusCode).toBe(201);
    const org = json(created);
    orgId = org.id;
    expect(org).toMatchObject({
      name: 'acme',
      limits: { rpm: 100, tokens_per_day: 5000 },
      meta: { plan: 'pro' },
    });
    const list = json(await h.app.inject({ method: 'GET', url: '/admin/orgs', headers: auth }));
    expect(list.data.map((o: { name: string }) => o.name)).toContain('acme');
    const one = json(await h.app.inject({ method: 'GET', url: '/admin/orgs/acme', headers: auth }));
    expect(one).toMatchObject({ id: orgId, accounts: [{ name: 'default' }], active_keys: 0 });
    const patched = await h.app.inject({
      method: 'PATCH',
      url: `/admin/orgs/${orgId}`,
      headers: auth,
      payload: { limits: { rpm: 5 } },
    });
    expect(json(patched).limits).toEqual({ rpm: 5 });
  });

  it('rejects bad org input with a 400 naming the param, duplicates with 409, unknown ids with 404', async () => {
    const bad = await h.app.inject({
      method: 'POST',
      url: '/admin/orgs',
      headers: auth,
      payload: { name: 'x', limits: { rpm: -1 } },
    });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error).toMatchObject({
      type: 'invalid_request_error',
      param: 'limits.rpm',
      code: 'invalid_value',
    });
    const dup = await h.app.inject({
      method: 'POST',
      url: '/admin/orgs',
      headers: auth,
      payload: { name: 'acme' },
    });
    expect(dup.statusCode).toBe(409);
    const missing = await h.app.inject({ method: 'GET', url: '/admin/orgs/nope', headers: auth });
    expect(missing.statusCode).toBe(404);
    expect(json(missing).error.code).toBe('org_not_found');
    const malformed = await h.app.inject({
      method: 'POST',
      url: '/admin/orgs',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(json(malformed).error.code).toBe('invalid_json');
  });

  it('creates a key, returning the secret once', async () => {
    const r = await h.app.inject({
      method: 'POST',
      url: '/admin/keys',
      headers: auth,
      payload: { org: 'acme', account: 'team', limits: { rpm: 10, concurrency: 2 }, labels: { env: 'prod' } },
    });
    expect(r.statusCode).toBe(201);
    const k = json(r);
    keyId = k.id;
    expect(k.key).toMatch(/^dg-/);
    expect(k).toMatchObject({
      org: 'acme',
      org_id: orgId,
      prefix: k.key.slice(0, 10),
      limits: { rpm: 10, concurrency: 2 },
    });
    expect(k.hash).toBeUndefined();
    const list = await h.app.inject({ method: 'GET', url: '/admin/keys?org=acme', headers: auth });
    expect(list.body).not.toContain(k.key);
    expect(json(list)).toMatchObject({ total: 1, data: [{ id: keyId, labels: { env: 'prod' } }] });
    const one = await h.app.inject({ method: 'GET', url: `/admin/keys/${keyId}`, headers: auth });
    expect(one.body).not.toContain(k.key);
    expect((await h.resolver.authenticate(k.key))?.keyId).toBe(keyId);
  });

  it('validates key input', async () => {
    const noOrg = await h.app.inject({
      method: 'POST',
      url: '/admin/keys',
      headers: auth,
      payload: { labels: {} },
    });
    expect(json(noOrg).error.param).toBe('org');
    const unknown = await h.app.inject({
      method: 'POST',
      url: '/admin/keys',
      headers: auth,
      payload: { org: 'ghost' },
    });
    expect(unknown.statusCode).toBe(404);
    const extra = await h.app.inject({
      method: 'PATCH',
      url: `/admin/keys/${keyId}`,
      headers: auth,
      payload: { secret: 'x' },
    });
    expect(extra.statusCode).toBe(400);
    const badLimit = await h.app.inject({ method: 'GET', url: '/admin/keys?limit=0', headers: auth });
    expect(json(badLimit).error.param).toBe('limit');
  });

  it('patches limits and labels, and revokes with DELETE so the key is refused at once', async () => {
    const secret = json(
      await h.app.inject({ method: 'POST', url: '/admin/keys', headers: auth, payload: { org: 'acme' } }),
    );
    expect((await h.resolver.authenticate(secret.key))?.revoked).toBe(false);
    const p = await h.app.inject({
      method: 'PATCH',
      url: `/admin/keys/${secret.id}`,
      headers: auth,
      payload: { limits: { tpm: 99 }, labels: { team: 'x' } },
    });
    expect(json(p)).toMatchObject({ limits: { tpm: 99 }, labels: { team: 'x' } });
    expect((await h.resolver.authenticate(secret.key))?.keyLimits).toEqual({ tpm: 99 });
    const d = await h.app.inject({ method: 'DELETE', url: `/admin/keys/${secret.id}`, headers: auth });
    expect(json(d)).toMatchObject({ revoked: true });
    expect((await h.resolver.authenticate(secret.key))?.revoked).toBe(true);
    const missing = await h.app.inject({ method: 'DELETE', url: '/admin/keys/key_nope', headers: auth });
    expect(missing.statusCode).toBe(404);
  });
});

describe('ingest, events and accounts', () => {
  it('accepts good lines, reports bad ones with line numbers, and publishes the good', async () => {
    const seen: string[] = [];
    const off = h.bus.subscribe((e) => seen.push(e.keyId));
    const body = [
      logLine('k_log1', 1),
      '{not json',
      '',
      logLine('k_log2', 2),
      JSON.stringify({ ts: 1, request: {} }),
    ].join('\n');
    const r = await h.app.inject({
      method: 'POST',
      url: '/admin/ingest',
      headers: { ...auth, 'content-type': 'application/x-ndjson' },
      payload: body,
    });
    off();
    expect(r.statusCode).toBe(200);
    const out = json(r);
    expect(out.accepted).toBe(2);
    expect(out.bad_lines).toBe(2);
    expect(out.errors.map((e: { line: number }) => e.line)).toEqual([2, 5]);
    expect(out.errors[1].error).toMatch(/^key/);
    expect(seen).toEqual(['k_log1', 'k_log2']);
  });

  it('takes text/plain, refuses JSON bodies with 415 and oversized bodies with 413', async () => {
    const plain = await h.app.inject({
      method: 'POST',
      url: '/admin/ingest',
      headers: { ...auth, 'content-type': 'text/plain' },
      payload: logLine('k_log3', 3),
    });
    expect(json(plain).accepted).toBe(1);
    const asJson = await h.app.inject({
      method: 'POST',
      url: '/admin/ingest',
      headers: auth,
      payload: { a: 1 },
    });
    expect(asJson.statusCode).toBe(415);
    const big = await h.app.inject({
      method: 'POST',
      url: '/admin/ingest',
      headers: { ...auth, 'content-type': 'application/x-ndjson' },
      payload: Array.from({ length: 100 }, (_, i) => logLine('k_big', i)).join('\n'),
    });
    expect(big.statusCode).toBe(413);
    expect(json(big).error.code).toBe('body_too_large');
  });

  it('takes gzip, deflate and br bodies; refuses unknown encodings, corrupt bodies and decoded bodies over the limit', async () => {
    const lines = [logLine('k_gz', 1), 'oops', logLine('k_gz', 2)].join('\n');
    const post = (encoding: string, payload: Buffer) =>
      h.app.inject({
        method: 'POST',
        url: '/admin/ingest',
        headers: { ...auth, 'content-type': 'application/x-ndjson', 'content-encoding': encoding },
        payload,
      });
    for (const [encoding, encode] of [
      ['gzip', gzipSync],
      ['deflate', deflateSync],
      ['br', brotliCompressSync],
    ] as const) {
      const r = await post(encoding, encode(Buffer.from(lines)));
      expect(r.statusCode, encoding).toBe(200);
      expect(json(r)).toMatchObject({ accepted: 2, bad_lines: 1, errors: [{ line: 2 }] });
    }
    const unknown = await post('zstd', Buffer.from(lines));
    expect(unknown.statusCode).toBe(415);
    expect(json(unknown).error).toMatchObject({
      code: 'unsupported_content_encoding',
      param: 'content-encoding',
    });
    const corrupt = await post('gzip', Buffer.from(lines));
    expect(corrupt.statusCode).toBe(400);
    expect(json(corrupt).error.code).toBe('invalid_body');
    // Small compressed, large decoded: held to the same limit as a plain body.
    const bomb = await post('gzip', gzipSync(Buffer.from(`${logLine('k_gz', 3)}\n`.repeat(2000))));
    expect(bomb.statusCode).toBe(413);
    expect(json(bomb).error.code).toBe('body_too_large');
  });

  it('lists stored events by key with a cursor', async () => {
    const body = Array.from({ length: 5 }, (_, i) => logLine('k_ev', 100 + i)).join('\n');
    await h.app.inject({
      method: 'POST',
      url: '/admin/ingest',
      headers: { ...auth, 'content-type': 'text/plain' },
      payload: body,
    });
    await h.writer.flush();
    const p1 = json(
      await h.app.inject({ method: 'GET', url: '/admin/events?key=k_ev&limit=3', headers: auth }),
    );
    expect(p1.data).toHaveLength(3);
    expect(p1.data[0].ts).toBeGreaterThan(p1.data[2].ts);
    const p2 = json(
      await h.app.inject({
        method: 'GET',
        url: `/admin/events?key=k_ev&limit=3&cursor=${p1.next_cursor}`,
        headers: auth,
      }),
    );
    expect(p2.data).toHaveLength(2);
    expect(p2.next_cursor).toBeNull();
    const bad = await h.app.inject({ method: 'GET', url: '/admin/events?limit=abc', headers: auth });
    expect(json(bad).error.param).toBe('limit');
  });

  it('pages, sorts and filters the accounts table, merging findings', async () => {
    const body = [
      ...Array.from({ length: 3 }, (_, i) => logLine('k_acc_big', 200 + i)),
      logLine('k_acc_small', 300),
    ].join('\n');
    await h.app.inject({
      method: 'POST',
      url: '/admin/ingest',
      headers: { ...auth, 'content-type': 'text/plain' },
      payload: body,
    });
    await h.writer.flush();
    h.findings.current = findings();
    const byReq = json(
      await h.app.inject({
        method: 'GET',
        url: '/admin/accounts?org=org_logs&sort=requests&limit=2',
        headers: auth,
      }),
    );
    expect(byReq.data.map((r: { key: string }) => r.key)).toEqual(['k_ev', 'k_acc_big']);
    expect(byReq.total).toBeGreaterThan(2);
    const byScore = json(
      await h.app.inject({ method: 'GET', url: '/admin/accounts?sort=score&limit=1', headers: auth }),
    );
    expect(byScore.data[0]).toMatchObject({
      key: 'k_acc_small',
      score: 0.95,
      verdict: 'distillation',
      campaign: 'c_1',
    });
    const flagged = json(
      await h.app.inject({ method: 'GET', url: '/admin/accounts?verdict=distillation', headers: auth }),
    );
    expect(flagged.data.map((r: { key: string }) => r.key)).toEqual(['k_acc_small']);
    const text = json(await h.app.inject({ method: 'GET', url: '/admin/accounts?q=ACC_BIG', headers: auth }));
    expect(text.data.map((r: { key: string }) => r.key)).toEqual(['k_acc_big']);
    const bad = await h.app.inject({ method: 'GET', url: '/admin/accounts?sort=vibes', headers: auth });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.param).toBe('sort');
  });

  it('shows one account in detail', async () => {
    await h.app.inject({
      method: 'POST',
      url: '/admin/actions',
      headers: { ...auth, 'x-admin-user': 'alice' },
      payload: { scope: 'key', id: 'k_acc_small', action: 'block', reason: 'harvesting' },
    });
    const r = json(await h.app.inject({ method: 'GET', url: '/admin/accounts/k_acc_small', headers: auth }));
    expect(r).toMatchObject({
      key: 'k_acc_small',
      org_id: 'org_logs',
      api_key: null,
      usage: { requests: 1, output_tokens: 50 },
      decision: { action: 'block', source: 'admin:alice' },
      finding: { verdict: 'distillation' },
    });
    expect(r.audit[0]).toMatchObject({ actor: 'admin:alice', action: 'block', reason: 'harvesting' });
    expect(
      (await h.app.inject({ method: 'GET', url: '/admin/accounts/k_ghost', headers: auth })).statusCode,
    ).toBe(404);
  });
});

describe('actions and decisions', () => {
  it('records a manual decision and serves the effective one for external gateways', async () => {
    const r = await h.app.inject({
      method: 'POST',
      url: '/admin/actions',
      headers: auth,
      payload: { scope: 'org', id: 'org_x', action: 'throttle', throttle_factor: 0.25, reason: 'too fast' },
    });
    expect(r.statusCode).toBe(201);
    expect(json(r)).toMatchObject({
      scope: 'org',
      subject: 'org_x',
      action: 'throttle',
      throttle_factor: 0.25,
      source: 'admin:admin',
      shadow: false,
    });
    const none = json(await h.app.inject({ method: 'GET', url: '/admin/decisions/k_clean', headers: auth }));
    expect(none).toMatchObject({
      key: 'k_clean',
      action: 'observe',
      enforced: false,
      reasons: [],
      decided_at: null,
    });
    const blocked = json(
      await h.app.inject({ method: 'GET', url: '/admin/decisions/k_acc_small', headers: auth }),
    );
    expect(blocked).toMatchObject({
      action: 'block',
      enforced: true,
      reasons: ['harvesting'],
      org: 'org_logs',
    });
    expect(Date.parse(blocked.decided_at)).toBeGreaterThan(0);
    const list = json(
      await h.app.inject({ method: 'GET', url: '/admin/actions?scope=org&id=org_x', headers: auth }),
    );
    expect(list.data.map((d: { action: string }) => d.action)).toEqual(['throttle']);
    const inForce = json(
      await h.app.inject({ method: 'GET', url: '/admin/actions?in_force=true', headers: auth }),
    );
    expect(inForce.data.length).toBeGreaterThanOrEqual(2);
  });

  it('undoes with observe and validates input', async () => {
    await h.app.inject({
      method: 'POST',
      url: '/admin/actions',
      headers: auth,
      payload: { scope: 'key', id: 'k_acc_small', action: 'observe', reason: 'false positive' },
    });
    expect(
      json(await h.app.inject({ method: 'GET', url: '/admin/decisions/k_acc_small', headers: auth })).action,
    ).toBe('observe');
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ scope: 'key', id: 'k', action: 'nuke', reason: 'r' }, 'action'],
      [{ scope: 'key', id: 'k', action: 'block' }, 'reason'],
      [{ scope: 'team', id: 'k', action: 'block', reason: 'r' }, 'scope'],
      [{ scope: 'key', id: 'k', action: 'throttle', reason: 'r' }, 'throttle_factor'],
      [{ scope: 'key', id: 'k', action: 'throttle', throttle_factor: 2, reason: 'r' }, 'throttle_factor'],
      [{ scope: 'key', id: 'k', action: 'block', reason: 'r', expires_at: 5 }, 'expires_at'],
    ];
    for (const [payload, param] of cases) {
      const r = await h.app.inject({ method: 'POST', url: '/admin/actions', headers: auth, payload });
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      expect(json(r).error.param).toBe(param);
    }
  });
});

describe('findings and campaigns', () => {
  it('serves findings and campaigns', async () => {
    h.findings.current = findings();
    const f = json(await h.app.inject({ method: 'GET', url: '/admin/findings', headers: auth }));
    expect(f.version).toBe(1);
    const c = json(await h.app.inject({ method: 'GET', url: '/admin/campaigns', headers: auth }));
    expect(c.data.map((x: { id: string }) => x.id)).toEqual(['c_1']);
    const one = json(await h.app.inject({ method: 'GET', url: '/admin/campaigns/c_1', headers: auth }));
    expect(one.accounts.map((a: { key: string }) => a.key)).toEqual(['k_acc_small']);
    expect(
      (await h.app.inject({ method: 'GET', url: '/admin/campaigns/c_9', headers: auth })).statusCode,
    ).toBe(404);
  });

  it('answers 503 detection_unavailable without a findings source', async () => {
    const bare = await (await import('./helpers.js')).harness({ findings: false });
    const r = await bare.app.inject({ method: 'GET', url: '/admin/findings', headers: auth });
    expect(r.statusCode).toBe(503);
    expect(json(r).error.code).toBe('detection_unavailable');
    expect(
      (await bare.app.inject({ method: 'GET', url: '/admin/campaigns', headers: auth })).statusCode,
    ).toBe(503);
    await bare.close();
  });
});

describe('health and metrics', () => {
  it('serves /healthz, /readyz and /metrics without auth', async () => {
    expect(json(await h.app.inject({ method: 'GET', url: '/healthz' }))).toEqual({ status: 'ok' });
    const ready = await h.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(json(ready)).toEqual({ status: 'ready', checks: { store: 'ok' } });
    const m = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(m.body).toContain('distillguard_event_writer_pending');
    expect(m.body).toMatch(/distillguard_events_written_total \d+/);
  });
});

function findings(): Findings {
  return {
    version: 1,
    generated_at: '2026-03-01T00:00:00.000Z',
    input: { lines: 10, bad_lines: 0 },
    accounts: [
      {
        key: 'k_acc_small',
        org: 'org_logs',
        requests: 1,
        output_tokens: 50,
        score: 0.95,
        verdict: 'distillation',
        first_flagged_at: '2026-03-01T00:00:00.000Z',
        campaign: 'c_1',
        reasons: [{ signal: 'harvest_ratio', score: 0.9, detail: 'x' }],
      },
      {
        key: 'k_acc_big',
        org: 'org_logs',
        requests: 3,
        output_tokens: 150,
        score: 0.1,
        verdict: 'benign',
        first_flagged_at: null,
        campaign: null,
        reasons: [],
      },
    ],
    campaigns: [
      {
        id: 'c_1',
        keys: ['k_acc_small'],
        score: 0.99,
        verdict: 'distillation',
        requests: 1,
        output_tokens: 50,
        reasons: [],
      },
    ],
  };
}
