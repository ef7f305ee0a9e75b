import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  FAKE_TEXT,
  type FakeUpstream,
  startFakeUpstream,
  startGateway,
  type TestGateway,
  testKey,
} from './fixtures.js';

const good = testKey('k_good', { rpm: 1000, tpm: 1_000_000 });
const revoked = testKey('k_revoked', {}, { revoked: true });
const blocked = testKey('k_blocked');
const limited = testKey('k_limited', { rpm: 2 });

let up: FakeUpstream;
let gw: TestGateway;

beforeAll(async () => {
  up = await startFakeUpstream();
  gw = await startGateway(up.url, [good, revoked, blocked, limited], { maxN: 4, maxTokensLimit: 1000 });
});
afterAll(async () => {
  await gw.close();
  await up.close();
});

const chatBody = { model: 'm1', messages: [{ role: 'user', content: 'Say hello' }] };

function post(path: string, body: unknown, headers: Record<string, string> = {}, secret = good.secret) {
  return fetch(`${gw.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const lastEventOf = async (keyId: string, n: number) => {
  await eventually(() => gw.events.filter((e) => e.keyId === keyId).length >= n);
  return gw.events.filter((e) => e.keyId === keyId)[n - 1]!;
};

describe('gateway request path', () => {
  it('proxies chat, forwards bytes unchanged, hides the client key and filters reply headers', async () => {
    const raw = '{"model":"m1",  "messages":[{"role":"user","content":"Say hello"}],"x_new_field":[1.50]}';
    const before = gw.events.length;
    const res = await post('/v1/chat/completions', raw, { 'x-custom': 'yes' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]!.message.content).toBe(FAKE_TEXT);
    expect(res.headers.get('openai-processing-ms')).toBe('5');
    expect(res.headers.get('x-secret')).toBeNull();
    expect(res.headers.get('x-ratelimit-limit-requests')).toBe('1000');
    const seen = up.seen.at(-1)!;
    expect(seen.body).toBe(raw);
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.headers['x-custom']).toBe('yes');
    await eventually(() => gw.events.length > before);
    const e = gw.events.at(-1)!;
    expect(e.keyId).toBe('k_good');
    expect(e.status).toBe(200);
    expect(e.usage).toEqual({ promptTokens: 11, completionTokens: 3, imageTokens: 0, estimated: false });
    expect(e.output.finishReason).toBe('stop');
    expect(e.prompt.text).toBeUndefined();
    expect(e.upstream).toBe('fake');
    expect(await gw.limits.inFlight('key', 'k_good')).toBe(0);
  });

  it('falls back to counting tokens when the upstream reports no usage', async () => {
    const before = gw.events.length;
    const res = await post('/v1/chat/completions', chatBody, { 'x-fake-no-usage': '1' });
    expect(res.status).toBe(200);
    await eventually(() => gw.events.length > before);
    const e = gw.events.at(-1)!;
    expect(e.usage.estimated).toBe(true);
    expect(e.usage.completionTokens).toBe(3); // "Hello there friend"
    expect(e.usage.promptTokens).toBeGreaterThan(0);
  });

  it('streams, adds include_usage upstream and strips the usage chunk from the client', async () => {
    const before = gw.events.length;
    const res = await post('/v1/chat/completions', { ...chatBody, stream: true });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    expect(text).not.toContain('"usage"');
    expect(text).toContain('[DONE]');
    expect(JSON.parse(up.seen.at(-1)!.body).stream_options).toEqual({ include_usage: true });
    await eventually(() => gw.events.length > before);
    const e = gw.events.at(-1)!;
    expect(e.usage).toMatchObject({ promptTokens: 11, completionTokens: 3, estimated: false });
    expect(e.ttftMs).not.toBeNull();
    expect(e.output.choices).toBe(1);
  });

  it('keeps the usage chunk when the client asked for it', async () => {
    const res = await post('/v1/chat/completions', {
      ...chatBody,
      stream: true,
      stream_options: { include_usage: true },
    });
    const text = await res.text();
    expect(text).toContain('"usage"');
  });

  it('answers OpenAI-shaped errors for bad input, and records them as events', async () => {
    const cases: Array<[string, Response, number, string]> = [
      ['json', await post('/v1/chat/completions', '{"model":'), 400, 'invalid_json'],
      [
        'ctype',
        await fetch(`${gw.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain', authorization: `Bearer ${good.secret}` },
          body: 'hi',
        }),
        415,
        'unsupported_media_type',
      ],
      ['n', await post('/v1/chat/completions', { ...chatBody, n: 5 }), 400, 'invalid_request_error'],
      [
        'max',
        await post('/v1/chat/completions', { ...chatBody, max_tokens: 1001 }),
        400,
        'invalid_request_error',
      ],
      [
        'msgs',
        await post('/v1/chat/completions', { model: 'm', messages: [] }),
        400,
        'invalid_request_error',
      ],
    ];
    for (const [name, res, status, code] of cases) {
      expect(res.status, name).toBe(status);
      const body = (await res.json()) as { error: Record<string, unknown> };
      expect(body.error.code, name).toBe(code);
      expect(Object.keys(body.error).sort(), name).toEqual(['code', 'message', 'param', 'type']);
    }
    await eventually(() => gw.events.filter((e) => e.errorCode === 'invalid_json').length > 0);
    expect(gw.events.some((e) => e.status === 415 && e.keyId === 'k_good')).toBe(true);
  });

  it('refuses missing, unknown and revoked keys without recording events', async () => {
    const before = gw.events.length;
    const missing = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('missing_api_key');
    const unknown = await post('/v1/chat/completions', chatBody, {}, 'dg-nope');
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
    const rev = await post('/v1/chat/completions', chatBody, {}, revoked.secret);
    expect(rev.status).toBe(401);
    expect(((await rev.json()) as { error: { code: string } }).error.code).toBe('key_revoked');
    expect(gw.authFailures).toEqual(
      expect.arrayContaining(['missing_api_key', 'invalid_api_key', 'key_revoked']),
    );
    await new Promise((r) => setTimeout(r, 30));
    expect(gw.events.length).toBe(before);
  });

  it('enforces block decisions but not shadow ones', async () => {
    const decision = {
      id: 'd1',
      subject: { scope: 'key' as const, id: 'k_blocked' },
      action: 'block' as const,
      source: 'admin:test',
      reasons: [],
      shadow: true,
      createdAt: 0,
    };
    gw.decisions.set('k_blocked', decision);
    expect((await post('/v1/chat/completions', chatBody, {}, blocked.secret)).status).toBe(200);
    gw.decisions.set('k_blocked', { ...decision, shadow: false });
    const res = await post('/v1/chat/completions', chatBody, {}, blocked.secret);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('account_blocked');
    const e = await lastEventOf('k_blocked', 2);
    expect(e.errorCode).toBe('account_blocked');
  });

  it('answers 429 with Retry-After and the six x-ratelimit headers, and records limitedBy', async () => {
    await post('/v1/chat/completions', chatBody, {}, limited.secret);
    await post('/v1/chat/completions', chatBody, {}, limited.secret);
    const res = await post('/v1/chat/completions', { ...chatBody, max_tokens: 10 }, {}, limited.secret);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(res.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(res.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(res.headers.get('x-ratelimit-reset-requests')).toBeTruthy();
    const body = (await res.json()) as { error: { code: string; type: string } };
    expect(body.error).toMatchObject({ code: 'rate_limit_exceeded', type: 'requests' });
    const e = await lastEventOf('k_limited', 3);
    expect(e.limitedBy).toBe('key.rpm');
    expect(e.status).toBe(429);
  });

  it('relays an OpenAI-shaped upstream error and maps a non-OpenAI one to 502', async () => {
    const res = await post('/v1/chat/completions', chatBody, { 'x-fake-error': '422' });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('fake_err');
    const html = await post('/v1/chat/completions', chatBody, { 'x-fake-error': 'html' });
    expect(html.status).toBe(502);
    expect(((await html.json()) as { error: { code: string } }).error.code).toBe('upstream_error');
    expect(await gw.limits.inFlight('key', 'k_good')).toBe(0);
  });

  it('meters responses and embeddings, and serves /v1/models', async () => {
    const before = gw.events.length;
    expect((await post('/v1/responses', { model: 'm', input: 'hi' })).status).toBe(200);
    expect((await post('/v1/embeddings', { model: 'e', input: 'hi' })).status).toBe(200);
    await eventually(() => gw.events.length >= before + 2);
    const [r, emb] = gw.events.slice(before);
    expect(r!.usage).toMatchObject({ promptTokens: 9, completionTokens: 3 });
    expect(r!.output.reasoningTokens).toBe(1);
    expect(emb!.usage).toMatchObject({ promptTokens: 4, completionTokens: 0, estimated: false });
    const models = await fetch(`${gw.url}/v1/models`, {
      headers: { authorization: `Bearer ${good.secret}` },
    });
    expect(((await models.json()) as { data: Array<{ id: string }> }).data[0]!.id).toBe('fake-1');
  });

  it('relays a streamed responses API answer and reads usage from response.completed', async () => {
    const before = gw.events.length;
    const text = await (await post('/v1/responses', { model: 'm', input: 'hi', stream: true })).text();
    expect(text).toContain('response.completed');
    await eventually(() => gw.events.length > before);
    expect(gw.events.at(-1)!.usage).toMatchObject({ promptTokens: 9, completionTokens: 3, estimated: false });
  });
});
