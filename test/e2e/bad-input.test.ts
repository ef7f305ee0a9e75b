import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness, startHarness } from './harness.js';

let h: Harness;
let secret: string;
let keyId: string;
let revokedSecret: string;
const BODY_LIMIT = 64 * 1024;

beforeAll(async () => {
  h = await startHarness({ body_limit_bytes: BODY_LIMIT, max_n: 8, max_tokens_limit: 4096 });
  await h.app.tenancy.createOrg('bad-org');
  const k = await h.app.tenancy.createKey({ org: 'bad-org' });
  secret = k.secret;
  keyId = k.key.id;
  const r = await h.app.tenancy.createKey({ org: 'bad-org' });
  revokedSecret = r.secret;
  await h.app.tenancy.revokeKey(r.key.id);
});
afterAll(async () => {
  await h?.close();
});

function send(body: string, headers: Record<string, string> = {}, path = '/chat/completions') {
  return fetch(`${h.base}${path}`, { method: 'POST', headers, body });
}
const json = (key = secret) => ({ 'content-type': 'application/json', authorization: `Bearer ${key}` });
const chat = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...extra });

interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

async function expectError(res: Response, status: number, code: string): Promise<ErrorBody> {
  expect(res.status, code).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/json');
  const body = (await res.json()) as ErrorBody;
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  return body;
}

describe('bad input: a clear 4xx in OpenAI shape, no crash, an event when the key was valid', () => {
  const cases: Array<[string, () => Promise<Response>, number, string, string | null]> = [
    [
      'malformed JSON',
      () => send('{"model": "gpt-4o-mini", "messages": [', json()),
      400,
      'invalid_json',
      null,
    ],
    [
      'wrong content type',
      () => send(chat(), { 'content-type': 'text/plain', authorization: `Bearer ${secret}` }),
      415,
      'unsupported_media_type',
      null,
    ],
    [
      'body over the limit',
      () => send(chat({ padding: 'x'.repeat(BODY_LIMIT + 10) }), json()),
      413,
      'request_too_large',
      null,
    ],
    [
      'unknown model',
      () =>
        send(JSON.stringify({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }), json()),
      404,
      'model_not_found',
      'model',
    ],
    ['n out of range', () => send(chat({ n: 9 }), json()), 400, 'invalid_request_error', 'n'],
    ['n zero', () => send(chat({ n: 0 }), json()), 400, 'invalid_request_error', 'n'],
    [
      'max_tokens out of range',
      () => send(chat({ max_tokens: 5000 }), json()),
      400,
      'invalid_request_error',
      'max_tokens',
    ],
    [
      'max_tokens not an integer',
      () => send(chat({ max_tokens: 1.5 }), json()),
      400,
      'invalid_request_error',
      'max_tokens',
    ],
    [
      'missing messages',
      () => send(JSON.stringify({ model: 'gpt-4o-mini' }), json()),
      400,
      'invalid_request_error',
      'messages',
    ],
    ['body not an object', () => send('[1,2]', json()), 400, 'invalid_request_error', null],
  ];

  for (const [name, run, status, code, param] of cases) {
    it(`${name} → ${status} ${code}, recorded as an event`, async () => {
      const before = h.events.length;
      const body = await expectError(await run(), status, code);
      expect(body.error.param).toBe(param);
      const e = await eventually(() => h.events.slice(before).find((ev) => ev.errorCode === code));
      expect(e).toMatchObject({ keyId, status, errorCode: code, upstream: null });
    });
  }

  it('keys: missing, unknown and revoked → 401, counted in /metrics, not recorded as events', async () => {
    const before = h.events.length;
    await expectError(await send(chat(), { 'content-type': 'application/json' }), 401, 'missing_api_key');
    await expectError(await send(chat(), json('dg-unknownunknownunknown')), 401, 'invalid_api_key');
    await expectError(await send(chat(), json(revokedSecret)), 401, 'key_revoked');
    await expectError(
      await send(chat(), { 'content-type': 'application/json', 'api-key': 'dg-alsounknown' }),
      401,
      'invalid_api_key',
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(h.events.length).toBe(before);
    const metrics = await h.app.metrics.getSingleMetricAsString('distillguard_gateway_auth_failures_total');
    expect(metrics).toMatch(/code="missing_api_key"} 1/);
    expect(metrics).toMatch(/code="key_revoked"} 1/);
  });

  it('an unknown path answers 404 in OpenAI shape', async () => {
    await expectError(await send(chat(), json(), '/nope'), 404, 'unknown_url');
  });

  it('the gateway still serves after all of that', async () => {
    const res = await send(chat(), json());
    expect(res.status).toBe(200);
    expect(await h.app.limits.inFlight('key', keyId)).toBe(0);
  });

  it('honours X-Forwarded-For from a trusted proxy (loopback by default)', async () => {
    const res = await send(chat(), { ...json(), 'x-forwarded-for': '203.0.113.50, 127.0.0.1' });
    await res.text();
    const e = await eventually(() => h.events.find((ev) => ev.ip === '203.0.113.50'));
    expect(e.keyId).toBe(keyId);
    expect(e.prompt.text).toBeUndefined();
    expect(e.output.text).toBeUndefined();
  });
});
