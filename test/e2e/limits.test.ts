import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness, startHarness } from './harness.js';

let h: Harness;
/** Limits run on this clock; frozen where a test needs no refill between requests. */
let frozen: number | null = null;

beforeAll(async () => {
  h = await startHarness({}, { now: () => frozen ?? Date.now() });
  await h.app.tenancy.createOrg('limits-org');
});
afterAll(async () => {
  await h?.close();
});

async function newKey(limits: { rpm?: number; tpm?: number; concurrency?: number }) {
  const { key, secret } = await h.app.tenancy.createKey({ org: 'limits-org', limits });
  return { id: key.id, secret, client: new OpenAI({ baseURL: h.base, apiKey: secret, maxRetries: 0 }) };
}

const chat = (secret: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  fetch(`${h.base}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}`, ...headers },
    body: JSON.stringify(body),
  });

const hello = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 16 };

describe('limits through the running gateway', () => {
  it('answers 429 with Retry-After, all six x-ratelimit headers and OpenAI error shape', async () => {
    const k = await newKey({ rpm: 1, tpm: 100_000 });
    const ok = await chat(k.secret, hello);
    expect(ok.status).toBe(200);
    for (const h of ['limit', 'remaining', 'reset'])
      for (const w of ['requests', 'tokens'])
        expect(ok.headers.get(`x-ratelimit-${h}-${w}`), `${h}-${w}`).toBeTruthy();
    await ok.text();
    const refused = await chat(k.secret, hello);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('x-ratelimit-limit-requests')).toBe('1');
    expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(refused.headers.get('x-ratelimit-reset-requests')).toMatch(/\d+(ms|s)$/);
    expect(refused.headers.get('x-ratelimit-limit-tokens')).toBe('100000');
    expect(refused.headers.get('x-ratelimit-remaining-tokens')).toBeTruthy();
    expect(refused.headers.get('x-ratelimit-reset-tokens')).toBeTruthy();
    expect(await refused.json()).toEqual({
      error: { message: expect.any(String), type: 'requests', param: null, code: 'rate_limit_exceeded' },
    });
    const sdkErr = await k.client.chat.completions.create(hello as never).catch((e: unknown) => e);
    expect(sdkErr).toBeInstanceOf(OpenAI.RateLimitError);
    const limited = await eventually(() => h.events.find((e) => e.keyId === k.id && e.status === 429));
    expect(limited.limitedBy).toBe('key.rpm');
    expect(limited.errorCode).toBe('rate_limit_exceeded');
  });

  it('200 parallel requests on a key with RPM 50: exactly 50 succeed, 150 get 429', async () => {
    const k = await newKey({ rpm: 50 });
    // GCRA refills one request every 1.2 s at RPM 50: freeze the clock so a slow run cannot refill.
    frozen = Date.now();
    const statuses = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const res = await chat(k.secret, hello);
        await res.arrayBuffer();
        return res.status;
      }),
    );
    frozen = null;
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    expect(statuses.filter((s) => s === 429)).toHaveLength(150);
    await eventually(() => h.events.filter((e) => e.keyId === k.id).length === 200);
    expect(h.events.filter((e) => e.keyId === k.id && e.limitedBy === 'key.rpm')).toHaveLength(150);
    expect(await h.app.limits.inFlight('key', k.id)).toBe(0);
  });

  it('100 streams aborted mid-stream: every slot returns and tokens are settled to what was used', async () => {
    const TPM = 600_000;
    const k = await newKey({ tpm: TPM, concurrency: 200, rpm: 10_000 });
    await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const stream = await k.client.chat.completions.create(
          {
            model: 'gpt-4o-mini',
            messages: [{ role: 'user', content: `Write a very long essay about topic ${i} in detail.` }],
            stream: true,
          },
          { headers: { 'x-mock-token-delay-ms': '20' } },
        );
        for await (const _chunk of stream) {
          stream.controller.abort();
          break;
        }
      }),
    );
    await eventually(async () => (await h.app.limits.inFlight('key', k.id)) === 0);
    const events = await eventually(() => {
      const mine = h.events.filter((e) => e.keyId === k.id);
      return mine.length === 100 ? mine : undefined;
    });
    expect(events.every((e) => e.status === 499 && e.errorCode === 'client_closed_request')).toBe(true);
    expect(await h.app.limits.inFlight('org', events[0]!.orgId)).toBe(0);
    // Settled, not left reserved: the window holds only what was used. A leaked reservation
    // (≈ prompt + 1024 default output tokens each) would leave remaining ~100k lower.
    const used = events.reduce((sum, e) => sum + e.usage.promptTokens + e.usage.completionTokens, 0);
    const subjects = [{ scope: 'key' as const, id: k.id, rule: { tpm: TPM } }];
    const status = await h.app.limits.peek(subjects, Date.now());
    expect(status.tokens!.remaining).toBeGreaterThanOrEqual(TPM - used - 1);
    expect(used).toBeGreaterThan(0);
  });
});
