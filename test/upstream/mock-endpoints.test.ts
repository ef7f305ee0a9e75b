import OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countTokens } from '../../src/events/tokens.js';
import { createMockUpstream, type MockUpstream } from '../../src/upstream/mock/index.js';

let mock: MockUpstream;
let client: OpenAI;

beforeAll(async () => {
  mock = await createMockUpstream();
  client = new OpenAI({ apiKey: 'sk-test', baseURL: mock.url, maxRetries: 0 });
});
afterAll(async () => {
  await mock.close();
});

const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('mock completions (legacy)', () => {
  it('answers text with usage and integer logprobs', async () => {
    const r = await client.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'Once upon a time',
      logprobs: 2,
    });
    expect(r.object).toBe('text_completion');
    const choice = r.choices[0]!;
    expect(r.usage?.completion_tokens).toBe(countTokens(choice.text));
    expect(r.usage?.prompt_tokens).toBe(countTokens('Once upon a time'));
    expect(choice.logprobs?.tokens?.join('')).toBe(choice.text);
    expect(Object.keys(choice.logprobs?.top_logprobs?.[0] ?? {})).toHaveLength(2);
  });

  it('streams text chunks with a usage chunk', async () => {
    const stream = await client.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'Once upon a time',
      max_tokens: 10,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    let finish: string | null = null;
    for await (const c of stream) {
      text += c.choices[0]?.text ?? '';
      finish = c.choices[0]?.finish_reason ?? finish;
      if (c.usage) usage = c.usage;
    }
    expect(finish).toBe('length');
    expect(usage?.completion_tokens).toBe(countTokens(text));
    expect(usage?.completion_tokens).toBeLessThanOrEqual(10);
  });
});

describe('mock embeddings', () => {
  it('returns deterministic unit vectors through the SDK (base64 by default)', async () => {
    const r = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['hello world', 'other text'],
    });
    expect(r.data).toHaveLength(2);
    const [a, b] = [r.data[0]!.embedding, r.data[1]!.embedding];
    expect(a).toHaveLength(256);
    expect(norm(a)).toBeCloseTo(1, 5);
    expect(a).not.toEqual(b);
    expect(r.usage.prompt_tokens).toBe(countTokens('hello world') + countTokens('other text'));
    const again = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: 'hello world',
      encoding_format: 'float',
    });
    const floats = again.data[0]!.embedding;
    for (const [i, x] of floats.entries()) expect(x).toBeCloseTo(a[i]!, 6);
  });

  it('honours dimensions and answers raw base64 when asked', async () => {
    const res = await fetch(`${mock.url}/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'text-embedding-3-small',
        input: 'abc',
        dimensions: 64,
        encoding_format: 'base64',
      }),
    });
    const body = (await res.json()) as { data: Array<{ embedding: string }> };
    const buf = Buffer.from(body.data[0]!.embedding, 'base64');
    expect(buf.length).toBe(64 * 4);
    const v = Array.from({ length: 64 }, (_, i) => buf.readFloatLE(i * 4));
    expect(norm(v)).toBeCloseTo(1, 5);
  });
});

describe('mock responses API', () => {
  it('answers a message with output_text and usage', async () => {
    const r = await client.responses.create({
      model: 'gpt-4o',
      input: 'Tell me a short story.',
      instructions: 'Be kind.',
    });
    expect(r.object).toBe('response');
    expect(r.status).toBe('completed');
    expect(r.output_text.length).toBeGreaterThan(0);
    expect(r.usage?.output_tokens).toBe(countTokens(r.output_text));
    expect(r.usage?.input_tokens).toBe(countTokens('Be kind.\nTell me a short story.'));
    expect(r.usage?.output_tokens_details.reasoning_tokens).toBe(0);
  });

  it('marks a capped answer incomplete', async () => {
    const r = await client.responses.create({
      model: 'gpt-4o',
      input: 'Explain relativity in detail.',
      max_output_tokens: 16,
    });
    expect(r.status).toBe('incomplete');
    expect(r.incomplete_details?.reason).toBe('max_output_tokens');
    expect(r.usage?.output_tokens).toBeLessThanOrEqual(16);
  });

  it('streams typed events ending with response.completed and usage', async () => {
    const plain = await client.responses.create({ model: 'gpt-4o', input: 'Describe the sea.' });
    const stream = await client.responses.create({
      model: 'gpt-4o',
      input: 'Describe the sea.',
      stream: true,
    });
    const events: ResponseStreamEvent[] = [];
    for await (const e of stream) events.push(e);
    expect(events[0]?.type).toBe('response.created');
    const deltas = events.flatMap((e) => (e.type === 'response.output_text.delta' ? [e.delta] : []));
    expect(deltas.join('')).toBe(plain.output_text);
    expect(deltas).toHaveLength(plain.usage?.output_tokens ?? -1);
    const last = events[events.length - 1];
    expect(last?.type).toBe('response.completed');
    if (last?.type === 'response.completed')
      expect(last.response.usage?.output_tokens).toBe(plain.usage?.output_tokens);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
  });

  it('calls a function tool', async () => {
    const r = await client.responses.create({
      model: 'gpt-4o',
      input: 'Weather in Rome?',
      tools: [
        {
          type: 'function',
          name: 'get_weather',
          strict: false,
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      ],
    });
    const call = r.output[0];
    expect(call?.type).toBe('function_call');
    if (call?.type === 'function_call') {
      expect(call.name).toBe('get_weather');
      expect(typeof (JSON.parse(call.arguments) as { city: unknown }).city).toBe('string');
    }
  });
});

describe('mock models and bad requests', () => {
  it('lists models', async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toContain('gpt-4o');
  });

  it('answers 400 to malformed JSON and 404 to unknown paths, in OpenAI shape', async () => {
    const bad = await fetch(`${mock.url}/chat/completions`, { method: 'POST', body: '{nope' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    const missing = await fetch(`${mock.url}/chat/completions`, { method: 'POST', body: '{"model":"x"}' });
    expect(missing.status).toBe(400);
    const unknown = await fetch(`${mock.url}/nothing`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
  });
});
