import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toUpstreamError, UpstreamError } from '../../src/upstream/errors.js';
import { createMockUpstream, type MockUpstream } from '../../src/upstream/mock/index.js';
import { forwardHeaders, Upstream } from '../../src/upstream/upstream.js';

let mock: MockUpstream;
const opened: Upstream[] = [];
const upstream = (over: Partial<ConstructorParameters<typeof Upstream>[0]> = {}) => {
  const u = new Upstream({ name: 'mock', baseUrl: mock.url, timeoutMs: 5000, ...over });
  opened.push(u);
  return u;
};
const chatBody = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Tell me about Rome.' }], ...extra });

/** A loopback port with nothing listening. */
async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

beforeAll(async () => {
  mock = await createMockUpstream();
});
afterAll(async () => {
  await Promise.all(opened.map((u) => u.close()));
  await mock.close();
});

describe('Upstream', () => {
  it('forwards under the base path with its own key, never the client key', async () => {
    const u = upstream({ apiKey: 'sk-upstream' });
    const res = await u.request({
      path: '/chat/completions',
      headers: {
        authorization: 'Bearer dg-client',
        'content-type': 'application/json',
        'x-stainless-lang': 'js',
        host: 'x',
      },
      body: chatBody(),
    });
    expect(res.statusCode).toBe(200);
    const json = (await res.body.json()) as { object: string };
    expect(json.object).toBe('chat.completion');
    const seen = mock.stats.recent[mock.stats.recent.length - 1]!;
    expect(seen.path).toBe('/v1/chat/completions');
    expect(seen.headers.authorization).toBe('Bearer sk-upstream');
    expect(seen.headers['x-stainless-lang']).toBe('js');
  });

  it('sends no authorization at all when the upstream has no key', async () => {
    const res = await upstream().request({
      path: '/chat/completions',
      headers: { authorization: 'Bearer dg-client', 'content-type': 'application/json' },
      body: chatBody(),
    });
    await res.body.dump();
    expect(mock.stats.recent[mock.stats.recent.length - 1]!.headers.authorization).toBeUndefined();
  });

  it('does not mutate the caller headers', () => {
    const headers = Object.freeze({ Authorization: 'Bearer a', 'Content-Length': '3', Accept: 'x' });
    expect(forwardHeaders(headers, 'k')).toEqual({ accept: 'x', authorization: 'Bearer k' });
    expect(headers.Authorization).toBe('Bearer a');
  });

  it('aborts the upstream request when the signal aborts', async () => {
    const ac = new AbortController();
    const pending = upstream().request({
      path: '/chat/completions',
      headers: { 'x-mock-latency-ms': '5000' },
      body: chatBody({ n: 2 }),
      signal: ac.signal,
    });
    setTimeout(() => ac.abort(), 50);
    await expect(pending).rejects.toMatchObject({
      name: 'UpstreamError',
      code: 'upstream_aborted',
      status: 499,
    });
  });

  it('aborts a streaming body mid-way', async () => {
    const ac = new AbortController();
    const res = await upstream().request({
      path: '/chat/completions',
      headers: { 'x-mock-token-delay-ms': '20' },
      body: chatBody({ stream: true }),
      signal: ac.signal,
    });
    const read = (async () => {
      let chunks = 0;
      for await (const _ of res.body) if (++chunks === 2) ac.abort();
      return chunks;
    })();
    await expect(read).rejects.toThrow();
  });

  it('maps a slow upstream to upstream_timeout (headers)', async () => {
    const u = upstream({ timeoutMs: 200 });
    const slow = u.request({
      path: '/chat/completions',
      headers: { 'x-mock-latency-ms': '3000' },
      body: chatBody(),
    });
    await expect(slow).rejects.toMatchObject({ code: 'upstream_timeout', status: 504, upstream: 'mock' });
  });

  it('maps a stalled body to upstream_timeout with toUpstreamError', async () => {
    const u = upstream({ timeoutMs: 300 });
    const res = await u.request({
      path: '/chat/completions',
      headers: { 'x-mock-token-delay-ms': '2000' },
      body: chatBody({ stream: true }),
    });
    const err = await res.body.text().then(
      () => null,
      (e: unknown) => toUpstreamError(e, u.name),
    );
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err?.code).toBe('upstream_timeout');
  });

  it('maps a refused connection to upstream_unreachable', async () => {
    const u = upstream({ baseUrl: `http://127.0.0.1:${await deadPort()}/v1` });
    await expect(u.request({ path: '/models', method: 'GET' })).rejects.toMatchObject({
      code: 'upstream_unreachable',
      status: 502,
    });
  });

  it('knows which models it serves', () => {
    expect(upstream({ models: ['a'] }).serves('b')).toBe(false);
    expect(upstream({ models: [] }).serves('b')).toBe(true);
    expect(upstream().serves('anything')).toBe(true);
  });
});
