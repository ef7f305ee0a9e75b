import { request } from 'node:http';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockUpstream, type MockUpstream } from '../../src/upstream/mock/index.js';

let mock: MockUpstream;

beforeAll(async () => {
  mock = await createMockUpstream();
});
afterAll(async () => {
  await mock.close();
});

const sdk = (headers: Record<string, string>, opts: { timeout?: number; url?: string } = {}) =>
  new OpenAI({
    apiKey: 'sk-test',
    baseURL: opts.url ?? mock.url,
    maxRetries: 0,
    defaultHeaders: headers,
    timeout: opts.timeout,
  });
const messages = [{ role: 'user' as const, content: 'Tell me about the history of Rome.' }];

/** Raw POST returning the body pieces as they arrived (one entry per socket read). */
function rawPost(path: string, body: unknown, headers: Record<string, string>) {
  return new Promise<{ status: number; pieces: string[]; error: Error | null }>((resolve) => {
    const url = new URL(`${mock.url}${path}`);
    const pieces: string[] = [];
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        res.setEncoding('utf8');
        res.on('data', (d: string) => pieces.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, pieces, error: null }));
        res.on('error', (error) => resolve({ status: res.statusCode ?? 0, pieces, error }));
      },
    );
    req.on('error', (error) => resolve({ status: 0, pieces, error }));
    req.end(JSON.stringify(body));
  });
}

describe('mock fault injection', () => {
  it('x-mock-error answers that status with an OpenAI-shaped error', async () => {
    const limited = sdk({ 'x-mock-error': '429' }).chat.completions.create({ model: 'gpt-4o', messages });
    await expect(limited).rejects.toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    const server = sdk({ 'x-mock-error': '503' }).chat.completions.create({ model: 'gpt-4o', messages });
    await expect(server).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    const auth = sdk({ 'x-mock-error': '401' }).embeddings.create({ model: 'e', input: 'x' });
    await expect(auth).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('x-mock-latency-ms delays the response headers', async () => {
    const slow = sdk({ 'x-mock-latency-ms': '3000' }, { timeout: 150 }).chat.completions.create({
      model: 'gpt-4o',
      messages,
    });
    await expect(slow).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    const ok = await sdk({ 'x-mock-latency-ms': '20' }).chat.completions.create({
      model: 'gpt-4o',
      messages,
    });
    expect(ok.choices).toHaveLength(1);
  });

  it('x-mock-token-delay-ms sends stream chunks separately', async () => {
    const body = { model: 'gpt-4o', messages, max_tokens: 5, stream: true };
    const r = await rawPost('/chat/completions', body, { 'x-mock-token-delay-ms': '25' });
    expect(r.status).toBe(200);
    const frames = r.pieces.join('').split('\n\n').filter(Boolean);
    expect(frames).toHaveLength(8); // role, 5 tokens, finish, [DONE]
    expect(r.pieces.length).toBeGreaterThanOrEqual(6);
    expect(frames[frames.length - 1]).toBe('data: [DONE]');
  });

  it('x-mock-disconnect-after destroys the socket mid-stream', async () => {
    const client = sdk({ 'x-mock-disconnect-after': '3' });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    const got: string[] = [];
    await expect(
      (async () => {
        for await (const c of stream) got.push(c.choices[0]?.delta.content ?? '');
      })(),
    ).rejects.toThrow();
    expect(got).toHaveLength(3);
    const raw = await rawPost(
      '/chat/completions',
      { model: 'gpt-4o', messages, stream: true },
      {
        'x-mock-disconnect-after': '2',
        'x-mock-token-delay-ms': '5',
      },
    );
    expect(raw.error).not.toBeNull();
    expect(raw.pieces.join('').split('\n\n').filter(Boolean)).toHaveLength(2);
  });

  it('x-mock-disconnect-after cuts a non-streaming request before any byte', async () => {
    const r = sdk({ 'x-mock-disconnect-after': '0' }).chat.completions.create({ model: 'gpt-4o', messages });
    await expect(r).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it('x-mock-no-usage omits usage everywhere', async () => {
    const client = sdk({ 'x-mock-no-usage': '1' });
    const chat = await client.chat.completions.create({ model: 'gpt-4o', messages });
    expect(chat.usage).toBeUndefined();
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let sawUsage = false;
    let emptyChoices = false;
    for await (const c of stream) {
      if (c.usage) sawUsage = true;
      if (c.choices.length === 0) emptyChoices = true;
    }
    expect(sawUsage).toBe(false);
    expect(emptyChoices).toBe(false);
    const emb = await client.embeddings.create({ model: 'e', input: 'x', encoding_format: 'float' });
    expect(emb.usage).toBeUndefined();
    const resp = await client.responses.create({ model: 'gpt-4o', input: 'hi' });
    expect(resp.usage ?? null).toBeNull();
  });

  it('global options inject latency and errors, and stats count requests', async () => {
    const failing = await createMockUpstream({ errorRate: 1 });
    try {
      await expect(
        sdk({}, { url: failing.url }).chat.completions.create({ model: 'gpt-4o', messages }),
      ).rejects.toMatchObject({
        status: 500,
      });
      expect(failing.stats.injectedErrors).toBe(1);
      expect(failing.stats.byPath['/v1/chat/completions']).toBe(1);
    } finally {
      await failing.close();
    }
    const slow = await createMockUpstream({ latencyMs: 3000 });
    try {
      await expect(
        sdk({}, { url: slow.url, timeout: 150 }).chat.completions.create({ model: 'gpt-4o', messages }),
      ).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    } finally {
      await slow.close();
    }
  });

  it('records what it received, for gateway tests', async () => {
    await sdk({ 'x-custom': 'yes' }).chat.completions.create({ model: 'gpt-4o', messages, user: 'u1' });
    const last = mock.stats.recent[mock.stats.recent.length - 1]!;
    expect(last.path).toBe('/v1/chat/completions');
    expect(last.headers.authorization).toBe('Bearer sk-test');
    expect(last.headers['x-custom']).toBe('yes');
    expect(last.body).toMatchObject({ model: 'gpt-4o', user: 'u1' });
    expect(mock.stats.completionTokens).toBeGreaterThan(0);
  });
});
