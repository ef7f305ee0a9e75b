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

const key = testKey('k_store', { rpm: 1000, tpm: 1_000_000, concurrency: 50 });
let up: FakeUpstream;
let gw: TestGateway;

beforeAll(async () => {
  up = await startFakeUpstream();
  gw = await startGateway(up.url, [key], { storePrompts: true, trustedProxies: [] });
});
afterAll(async () => {
  await gw.close();
  await up.close();
});

const post = (body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) =>
  fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key.secret}`, ...headers },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });

const chat = {
  model: 'm',
  messages: [
    { role: 'system', content: 'Be kind.' },
    { role: 'user', content: 'Tell me a secret' },
  ],
};

describe('gateway settings and cancel paths', () => {
  it('stores prompt and answer text only when store_prompts is on', async () => {
    const before = gw.events.length;
    await (await post(chat)).text();
    const e = await eventually(() => gw.events[before]);
    expect(e.prompt.text).toBe('Tell me a secret');
    expect(e.prompt.systemText).toBe('Be kind.');
    expect(e.output.text).toBe(FAKE_TEXT);
  });

  it('ignores X-Forwarded-For when the peer is not a trusted proxy', async () => {
    const before = gw.events.length;
    await (await post(chat, { 'x-forwarded-for': '198.51.100.1' })).text();
    const e = await eventually(() => gw.events[before]);
    expect(e.ip).toBe('127.0.0.1');
  });

  it('a client cancel mid-stream aborts the upstream request and frees the slot', async () => {
    const before = gw.events.length;
    const ac = new AbortController();
    const res = await post(
      { ...chat, stream: true },
      { 'x-fake-chunks': '500', 'x-fake-delay-ms': '10' },
      ac.signal,
    );
    const reader = res.body!.getReader();
    await reader.read();
    ac.abort();
    await eventually(() => up.openStreams() === 0);
    await eventually(async () => (await gw.limits.inFlight('key', 'k_store')) === 0);
    const e = await eventually(() => gw.events[before]);
    expect(e.status).toBe(499);
    expect(e.errorCode).toBe('client_closed_request');
    expect(e.output.text?.startsWith('word')).toBe(true);
    expect(e.usage.completionTokens).toBeGreaterThan(0);
  });

  it('a cancel before the upstream answered releases the reservation', async () => {
    const before = gw.events.length;
    const ac = new AbortController();
    const pending = post(
      { ...chat, stream: true },
      { 'x-fake-chunks': '3', 'x-fake-delay-ms': '300' },
      ac.signal,
    ).catch(() => null);
    await new Promise((r) => setTimeout(r, 50));
    ac.abort();
    await pending;
    await eventually(async () => (await gw.limits.inFlight('key', 'k_store')) === 0);
    const e = await eventually(() => gw.events[before]);
    expect(e.status).toBe(499);
  });
});
