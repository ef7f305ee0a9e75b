import { describe, expect, it } from 'vitest';
import { extractParams, extractPromptFeatures, frame, skeleton } from '../../src/events/features.js';
import { parseLogLine } from '../../src/events/logline.js';
import { minhash, similarity } from '../../src/events/minhash.js';

const chat = (user: string, system?: string) => ({
  model: 'gpt-4o',
  messages: [...(system ? [{ role: 'system', content: system }] : []), { role: 'user', content: user }],
});
const features = (body: unknown) => extractPromptFeatures('chat', body, { tools: 0 }, { storeText: false });

describe('skeleton', () => {
  it('normalises numbers, quotes, urls and mid-sentence names to slots', () => {
    const a = skeleton('Translate "hello there" for Alice in 3 ways, see https://x.io/a');
    const b = skeleton('Translate "good night" for Bob in 12 ways, see https://y.org/b?c=1');
    expect(a).toBe(b);
    expect(a).toContain('‹quote›');
    expect(a).toContain('‹num›');
  });
  it('keeps different instructions apart', () => {
    expect(skeleton('Summarize this article')).not.toBe(skeleton('Classify this article'));
  });
  it('frames long prompts by head and tail words', () => {
    const long = `solve this carefully and explain every step you take ${'x '.repeat(50)} then give the answer`;
    expect(frame(skeleton(long))).toMatch(/^solve this carefully and explain every step you … /);
  });
});

describe('prompt features', () => {
  it('hashes the template skeleton the same across slot fillers', () => {
    const a = features(chat('What is 17 times 23? Explain your reasoning step by step.'));
    const b = features(chat('What is 4 times 981? Explain your reasoning step by step.'));
    expect(a.skeletonHash).toBe(b.skeletonHash);
    expect(a.cot).toBe(true);
  });
  it('flags reasoning-trace coercion but not a plain question', () => {
    expect(
      features(chat('Imagine and articulate the internal reasoning behind this completed answer')).cot,
    ).toBe(true);
    expect(features(chat('What is the capital of France?')).cot).toBe(false);
  });
  it('flags rubric grading', () => {
    const f = features(chat('Using the rubric below, score the response from 1 to 10.\nResponse: ...'));
    expect(f.grading).toBe(true);
    expect(f.domain).toBe('grading');
  });
  it('hashes the system prompt and counts images and turns', () => {
    const body = {
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this chart?' },
            { type: 'image_url', image_url: { url: 'data:...' } },
          ],
        },
        { role: 'assistant', content: 'A bar chart.' },
        { role: 'user', content: 'And the trend?' },
      ],
    };
    const f = features(body);
    expect(f.images).toBe(1);
    expect(f.userTurns).toBe(2);
    expect(f.assistantTurns).toBe(1);
    expect(f.assistantChars).toBe('A bar chart.'.length);
    expect(f.systemHash).toBe(features(chat('x', 'You are a helpful assistant.')).systemHash);
    expect(f.domain).toBe('vision');
    expect(f.text).toBeUndefined();
  });
  it('keeps text only when asked', () => {
    const f = extractPromptFeatures('chat', chat('hi there', 'sys'), { tools: 0 }, { storeText: true });
    expect(f.text).toBe('hi there');
    expect(f.systemText).toBe('sys');
  });
});

describe('minhash', () => {
  it('estimates high similarity for near-duplicates and low for unrelated text', () => {
    const base =
      'the quick brown fox jumps over the lazy dog while the cat watches from the old wooden fence near the river';
    const near = base.replace('lazy', 'sleepy');
    const other =
      'quarterly revenue grew eleven percent driven by strong demand in cloud services and advertising';
    expect(similarity(minhash(base), minhash(near))).toBeGreaterThan(0.5);
    expect(similarity(minhash(base), minhash(other))).toBeLessThan(0.2);
  });
});

describe('params', () => {
  it('reads extraction-relevant parameters', () => {
    const p = extractParams('chat', {
      n: 4,
      max_tokens: 4096,
      logprobs: true,
      top_logprobs: 20,
      logit_bias: { '1': 100, '2': -100 },
      user: 'u1',
    });
    expect(p).toMatchObject({
      n: 4,
      maxTokens: 4096,
      logprobs: true,
      topLogprobs: 20,
      logitBiasSize: 2,
      logitBiasMaxAbs: 100,
      endUser: 'u1',
    });
  });
  it('hashes the tool set by names and parameter schemas, whatever the order and descriptions', () => {
    const tool = (name: string, description: string, props: Record<string, unknown>) => ({
      type: 'function',
      function: { name, description, parameters: { type: 'object', properties: props } },
    });
    const a = tool('run_sql', 'Runs SQL.', { query: { type: 'string' } });
    const b = tool('web_search', 'Searches.', { q: { type: 'string' } });
    const hash = extractParams('chat', { tools: [a, b] }).toolsHash;
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    const reordered = [tool('web_search', 'Search the web.', { q: { type: 'string' } }), a];
    expect(extractParams('chat', { tools: reordered }).toolsHash).toBe(hash);
    // Another parameter schema, another tool, or the responses API's flat shape of the same tools.
    const otherSchema = [
      a,
      tool('web_search', 'Searches.', { q: { type: 'string' }, n: { type: 'integer' } }),
    ];
    expect(extractParams('chat', { tools: otherSchema }).toolsHash).not.toBe(hash);
    expect(extractParams('chat', { tools: [a] }).toolsHash).not.toBe(hash);
    const flat = [a, b].map((t) => ({ type: 'function', ...t.function }));
    expect(extractParams('responses', { tools: flat }).toolsHash).toBe(hash);
    expect(extractParams('chat', { functions: [a.function, b.function] }).toolsHash).toBe(hash);
    // Built-in tools count by their type; no tools, no hash.
    expect(extractParams('responses', { tools: [{ type: 'web_search_preview' }] }).toolsHash).toMatch(
      /^[0-9a-f]{16}$/,
    );
    expect(extractParams('chat', { messages: [] })).not.toHaveProperty('toolsHash');
  });
  it('hashes a malformed tool list without throwing, and tells it from a well-formed one', () => {
    const bad = extractParams('chat', { tools: [null, 5, 'x', { type: 'function', function: 'bad' }] });
    expect(bad.tools).toBe(4);
    expect(bad.toolsHash).toMatch(/^[0-9a-f]{16}$/);
    const good = extractParams('chat', { tools: [{ type: 'function', function: { name: 'f' } }] });
    expect(good.toolsHash).not.toBe(bad.toolsHash);
  });
  it("reads a tool request's domain from its task, tool_use when the task matches no rule", () => {
    const tools = [{ type: 'function', function: { name: 'python_exec' } }];
    const ask = (content: string) =>
      extractPromptFeatures(
        'chat',
        { messages: [{ role: 'user', content }], tools },
        extractParams('chat', { tools }),
        { storeText: false },
      ).domain;
    expect(ask('Implement a function that merges two sorted lists in Python.')).toBe('code');
    expect(ask('Solve the equation 3x + 5 = 20.')).toBe('math');
    expect(ask('Book the meeting room on the third floor for Friday.')).toBe('tool_use');
  });
  it('reads legacy completions logprobs as an integer', () => {
    expect(extractParams('completions', { prompt: 'x', logprobs: 5 })).toMatchObject({
      logprobs: true,
      topLogprobs: 5,
    });
  });
});

describe('log lines', () => {
  it('parses the documented example', () => {
    const line = JSON.stringify({
      ts: '2026-03-01T12:00:00.000Z',
      key: 'k_123',
      org: 'o_1',
      account: 'a_9',
      ip: '203.0.113.7',
      user_agent: 'OpenAI/Python 1.40.0',
      endpoint: '/v1/chat/completions',
      request: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hello' }], max_tokens: 2048 },
      response: {
        choices: [{ message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 31, completion_tokens: 812 },
      },
      status: 200,
      latency_ms: 5120,
    });
    const r = parseLogLine(line);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.event).toMatchObject({
      keyId: 'k_123',
      orgId: 'o_1',
      accountId: 'a_9',
      endpoint: 'chat',
      model: 'gpt-4o',
      status: 200,
    });
    expect(r.event.ts).toBe(Date.parse('2026-03-01T12:00:00.000Z'));
    expect(r.event.usage).toMatchObject({ promptTokens: 31, completionTokens: 812, estimated: false });
    expect(r.event.output.text).toBeUndefined();
  });
  it('defaults org to the key and infers the endpoint', () => {
    const r = parseLogLine(JSON.stringify({ ts: 1772366400000, key: 'k', request: { prompt: 'x' } }));
    expect(r.ok && r.event.orgId === 'k' && r.event.endpoint === 'completions').toBe(true);
  });
  it('rejects bad lines with a reason instead of throwing', () => {
    expect(parseLogLine('{nope')).toMatchObject({ ok: false });
    expect(parseLogLine(JSON.stringify({ ts: 'x', key: 'k', request: {} }))).toMatchObject({ ok: false });
    const missing = parseLogLine(JSON.stringify({ ts: 1, request: {} }));
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error).toMatch(/key/);
  });
});
