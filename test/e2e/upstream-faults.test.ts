import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness, MODELS, startHarness } from './harness.js';

let h: Harness;
let client: OpenAI;
let keyId: string;

beforeAll(async () => {
  h = await startHarness((mockUrl) => ({
    upstreams: [{ name: 'mock', baseUrl: mockUrl, timeoutMs: 400, models: MODELS }],
  }));
  await h.app.tenancy.createOrg('faults');
  const k = await h.app.tenancy.createKey({ org: 'faults', limits: { concurrency: 10, tpm: 1_000_000 } });
  keyId = k.key.id;
  client = new OpenAI({ baseURL: h.base, apiKey: k.secret, maxRetries: 0 });
});
afterAll(async () => {
  await h?.close();
});

const ask = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user' as const, content: 'Write a long essay on rivers.' }],
};
const eventWith = (code: string) => eventually(() => h.events.find((e) => e.errorCode === code));

describe('upstream faults', () => {
  it('an upstream that is too slow answers 504 upstream_timeout', async () => {
    const err = await client.chat.completions
      .create(ask, { headers: { 'x-mock-latency-ms': '2000' } })
      .catch((e: unknown) => e);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(504);
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_timeout');
    expect((await eventWith('upstream_timeout')).status).toBe(504);
  });

  it('an upstream that drops the connection before answering gives 502 upstream_error', async () => {
    const err = await client.chat.completions
      .create(ask, { headers: { 'x-mock-disconnect-after': '0' } })
      .catch((e: unknown) => e);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
  });

  it('an upstream that drops a stream midway ends the client stream, and the slot is freed', async () => {
    const before = h.events.length;
    const stream = await client.chat.completions.create(
      { ...ask, stream: true },
      { headers: { 'x-mock-disconnect-after': '3' } },
    );
    let chunks = 0;
    const done = (async () => {
      for await (const _ of stream) chunks++;
    })().catch((e: unknown) => e);
    await done;
    expect(chunks).toBeLessThanOrEqual(3);
    const e = await eventually(() => h.events.slice(before).find((ev) => ev.params.stream));
    expect(e.errorCode).toBe('upstream_error');
    await eventually(async () => (await h.app.limits.inFlight('key', keyId)) === 0);
  });
});
