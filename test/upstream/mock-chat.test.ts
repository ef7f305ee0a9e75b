import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
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

const user = (content: string) => [{ role: 'user' as const, content }];

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const out: ChatCompletionChunk[] = [];
  for await (const c of stream) out.push(c);
  return out;
}

describe('mock chat completions (openai SDK)', () => {
  it('answers with OpenAI shapes and exact usage', async () => {
    const prompt = 'What is the capital of France and why is it important?';
    const r = await client.chat.completions.create({ model: 'gpt-4o', messages: user(prompt) });
    expect(r.object).toBe('chat.completion');
    expect(r.id).toMatch(/^chatcmpl-/);
    expect(r.model).toBe('gpt-4o');
    const content = r.choices[0]?.message.content ?? '';
    expect(content.length).toBeGreaterThan(0);
    expect(r.choices[0]?.finish_reason).toBe('stop');
    expect(r.usage?.completion_tokens).toBe(countTokens(content));
    expect(r.usage?.prompt_tokens).toBe(countTokens(prompt));
    expect(r.usage?.total_tokens).toBe((r.usage?.prompt_tokens ?? 0) + (r.usage?.completion_tokens ?? 0));
    expect(r.usage?.completion_tokens_details?.reasoning_tokens).toBe(0);
  });

  it('scales answer length with what was asked', async () => {
    const lengths = async (prompts: string[]) => {
      let sum = 0;
      for (const p of prompts) {
        const r = await client.chat.completions.create({ model: 'gpt-4o', messages: user(p) });
        sum += r.usage?.completion_tokens ?? 0;
      }
      return sum / prompts.length;
    };
    const long = await lengths([
      'Explain step by step how TCP congestion control works.',
      'Write an essay on the history of the printing press.',
      'Write code for a binary search tree in Python, in detail.',
    ]);
    const normal = await lengths([
      'What is a good name for a cat?',
      'Tell me about Rome.',
      'How are you today?',
    ]);
    const short = await lengths([
      'Classify the sentiment of: I love this phone.',
      'Yes or no: is the sky blue?',
      'Extract the date from: meet me on May 3.',
    ]);
    expect(long).toBeGreaterThan(normal);
    expect(normal).toBeGreaterThan(short);
    expect(short).toBeLessThanOrEqual(8);
    expect(long).toBeGreaterThan(150);
  });

  it('caps the answer at max_tokens with finish_reason length', async () => {
    const r = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: user('Explain in detail how compilers work.'),
      max_completion_tokens: 20,
    });
    expect(r.choices[0]?.finish_reason).toBe('length');
    expect(r.usage?.completion_tokens).toBeLessThanOrEqual(20);
    expect(r.usage?.completion_tokens).toBeGreaterThanOrEqual(18);
    expect(countTokens(r.choices[0]?.message.content ?? '')).toBe(r.usage?.completion_tokens);
  });

  it('is deterministic: the same request gives the same answer, even from another instance', async () => {
    const body = { model: 'gpt-4o', messages: user('Describe a sunset over the sea.'), temperature: 0.7 };
    const a = await client.chat.completions.create(body);
    const other = await createMockUpstream();
    const seeded = await createMockUpstream({ seed: 7 });
    try {
      const b = await new OpenAI({ apiKey: 'x', baseURL: other.url }).chat.completions.create(body);
      const c = await new OpenAI({ apiKey: 'x', baseURL: seeded.url }).chat.completions.create(body);
      expect(b.choices[0]?.message.content).toBe(a.choices[0]?.message.content);
      expect(c.choices[0]?.message.content).not.toBe(a.choices[0]?.message.content);
    } finally {
      await other.close();
      await seeded.close();
    }
  });

  it('streams token by token with a final usage chunk when include_usage is set', async () => {
    const body = { model: 'gpt-4o', messages: user('Tell me about the Moon.') };
    const plain = await client.chat.completions.create(body);
    const chunks = await collect(
      await client.chat.completions.create({
        ...body,
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    const first = chunks[0]!;
    expect(first.object).toBe('chat.completion.chunk');
    expect(first.choices[0]?.delta.role).toBe('assistant');
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(plain.choices[0]?.message.content);
    const completion = plain.usage?.completion_tokens ?? 0;
    const contentChunks = chunks.filter((c) => (c.choices[0]?.delta.content ?? '') !== '');
    expect(contentChunks).toHaveLength(completion);
    const finish = chunks[chunks.length - 2]!;
    expect(finish.choices[0]?.finish_reason).toBe('stop');
    const last = chunks[chunks.length - 1]!;
    expect(last.choices).toEqual([]);
    expect(last.usage?.completion_tokens).toBe(completion);
    expect(last.usage?.prompt_tokens).toBe(plain.usage?.prompt_tokens);
  });

  it('sends no usage chunk without include_usage', async () => {
    const chunks = await collect(
      await client.chat.completions.create({ model: 'gpt-4o', messages: user('Hello there'), stream: true }),
    );
    expect(chunks.every((c) => c.usage === undefined || c.usage === null)).toBe(true);
    expect(chunks[chunks.length - 1]?.choices[0]?.finish_reason).toBe('stop');
  });

  const weatherTool = {
    type: 'function' as const,
    function: {
      name: 'get_weather',
      description: 'Weather for a city',
      parameters: {
        type: 'object',
        properties: {
          city: { type: 'string' },
          unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
          days: { type: 'integer' },
        },
        required: ['city'],
      },
    },
  };

  it('calls the first tool with schema-shaped JSON arguments', async () => {
    const r = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: user('What is the weather in Paris?'),
      tools: [weatherTool, { ...weatherTool, function: { ...weatherTool.function, name: 'other' } }],
    });
    const choice = r.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    const call = choice.message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    if (call?.type !== 'function') throw new Error('expected a function call');
    expect(call.id).toMatch(/^call_/);
    expect(call.function.name).toBe('get_weather');
    const args = JSON.parse(call.function.arguments) as { city: unknown; unit: unknown; days: unknown };
    expect(typeof args.city).toBe('string');
    expect(['celsius', 'fahrenheit']).toContain(args.unit);
    expect(Number.isInteger(args.days)).toBe(true);
  });

  it('answers in text with tool_choice none, and after a tool result', async () => {
    const none = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: user('What is the weather in Paris?'),
      tools: [weatherTool],
      tool_choice: 'none',
    });
    expect(none.choices[0]?.finish_reason).toBe('stop');
    expect(none.choices[0]?.message.tool_calls).toBeUndefined();
    const after = await client.chat.completions.create({
      model: 'gpt-4o',
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"temp": 12}' },
      ],
    });
    expect(after.choices[0]?.finish_reason).toBe('stop');
  });

  it('streams tool call arguments', async () => {
    const chunks = await collect(
      await client.chat.completions.create({
        model: 'gpt-4o',
        messages: user('Weather in Oslo?'),
        tools: [weatherTool],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
        stream: true,
      }),
    );
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]?.function?.name).toBe('get_weather');
    expect(calls[0]?.id).toMatch(/^call_/);
    const args = calls.map((t) => t.function?.arguments ?? '').join('');
    expect(() => JSON.parse(args)).not.toThrow();
    expect(chunks[chunks.length - 1]?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('returns n distinct choices and sums their usage', async () => {
    const r = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: user('Give me a slogan.'),
      n: 3,
    });
    expect(r.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(new Set(r.choices.map((c) => c.message.content)).size).toBe(3);
    const total = r.choices.reduce((s, c) => s + countTokens(c.message.content ?? ''), 0);
    expect(r.usage?.completion_tokens).toBe(total);
  });

  it('returns plausible logprobs with top_logprobs', async () => {
    const r = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: user('Say something nice.'),
      logprobs: true,
      top_logprobs: 3,
    });
    const content = r.choices[0]?.logprobs?.content ?? [];
    expect(content).toHaveLength(r.usage?.completion_tokens ?? -1);
    expect(content.map((t) => t.token).join('')).toBe(r.choices[0]?.message.content);
    for (const t of content) {
      expect(t.logprob).toBeLessThanOrEqual(0);
      expect(t.top_logprobs).toHaveLength(3);
      expect(t.top_logprobs[0]?.token).toBe(t.token);
      expect(t.top_logprobs[1]!.logprob).toBeLessThan(t.logprob);
      expect(t.bytes).toEqual([...Buffer.from(t.token)]);
    }
  });

  it('answers JSON for response_format json_object and json_schema', async () => {
    const obj = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: user('Describe Paris as JSON.'),
      response_format: { type: 'json_object' },
    });
    expect(() => JSON.parse(obj.choices[0]?.message.content ?? '')).not.toThrow();
    const schema = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: user('A person'),
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'person',
          schema: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              age: { type: 'integer' },
              tags: { type: 'array', items: { type: 'string' } },
            },
          },
        },
      },
    });
    const parsed = JSON.parse(schema.choices[0]?.message.content ?? '') as {
      name: unknown;
      age: unknown;
      tags: unknown;
    };
    expect(typeof parsed.name).toBe('string');
    expect(Number.isInteger(parsed.age)).toBe(true);
    expect(Array.isArray(parsed.tags)).toBe(true);
  });

  it('counts 765 prompt tokens per image', async () => {
    const text = 'What is in these pictures?';
    const r = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
            { type: 'image_url', image_url: { url: 'https://example.invalid/a.png' } },
          ],
        },
      ],
    });
    expect(r.usage?.prompt_tokens).toBe(countTokens(text) + 2 * 765);
  });
});
