import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness, startHarness } from './harness.js';

let h: Harness;
let client: OpenAI;
let keyId: string;

beforeAll(async () => {
  h = await startHarness();
  await h.app.tenancy.createOrg('acme');
  const created = await h.app.tenancy.createKey({ org: 'acme', limits: { rpm: 10_000, tpm: 10_000_000 } });
  keyId = created.key.id;
  client = new OpenAI({ baseURL: h.base, apiKey: created.secret, maxRetries: 0 });
});
afterAll(async () => {
  await h?.close();
});

/** The event of the n-th request made so far (events arrive just after each reply). */
const nth = (n: number) => eventually(() => h.events[n - 1]);

describe('openai SDK against the running gateway (mock upstream)', () => {
  it('chat: answer relayed, usage metered exactly, one event with the right fields', async () => {
    const before = h.events.length;
    const res = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Explain step by step how tides work.' },
      ],
      max_tokens: 200,
      temperature: 0.2,
    });
    expect(res.choices[0]?.message.content?.length).toBeGreaterThan(0);
    const e = await nth(before + 1);
    expect(e).toMatchObject({
      keyId,
      endpoint: 'chat',
      model: 'gpt-4o-mini',
      status: 200,
      errorCode: null,
      upstream: 'mock',
      limitedBy: null,
      ip: '127.0.0.1',
    });
    expect(e.usage).toEqual({
      promptTokens: res.usage!.prompt_tokens,
      completionTokens: res.usage!.completion_tokens,
      imageTokens: 0,
      estimated: false,
    });
    expect(e.params).toMatchObject({ maxTokens: 200, temperature: 0.2, stream: false });
    expect(e.prompt.cot).toBe(true);
    expect(e.prompt.systemHash).not.toBeNull();
    expect(e.prompt.text).toBeUndefined();
    expect(e.userAgent).toMatch(/OpenAI\/JS/);
    expect(e.sdk['x-stainless-lang']).toBe('js');
    expect(e.fingerprint).not.toBeNull();
  });

  it('streams chunk by chunk, strips the usage chunk unless asked, and meters the stream', async () => {
    const before = h.events.length;
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Write a short story about a lighthouse keeper.' }],
      stream: true,
    });
    let chunks = 0;
    let sawUsage = false;
    let text = '';
    for await (const chunk of stream) {
      chunks++;
      if (chunk.usage) sawUsage = true;
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(chunks).toBeGreaterThan(3);
    expect(sawUsage).toBe(false);
    const e = await nth(before + 1);
    expect(e.usage.estimated).toBe(false);
    expect(e.usage.completionTokens).toBeGreaterThan(0);
    expect(e.ttftMs).not.toBeNull();
    expect(e.output.finishReason).toBe('stop');
    expect(text.length).toBeGreaterThan(0);

    const withUsage = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Write a short story about a lighthouse keeper.' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let usage: OpenAI.CompletionUsage | null | undefined = null;
    for await (const chunk of withUsage) if (chunk.usage) usage = chunk.usage;
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    const e2 = await nth(before + 2);
    expect(e2.usage.completionTokens).toBe(usage!.completion_tokens);
    expect(e2.usage.promptTokens).toBe(usage!.prompt_tokens);
  });

  it('tools, image parts, n and logprobs pass through and are recorded', async () => {
    const before = h.events.length;
    const tools = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
        },
      ],
    });
    expect(tools.choices[0]?.message.tool_calls?.[0]).toMatchObject({ function: { name: 'get_weather' } });
    expect(tools.choices[0]?.finish_reason).toBe('tool_calls');

    const image = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this image?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
      ],
    });
    expect(image.choices).toHaveLength(1);

    const many = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Name a colour.' }],
      n: 3,
      logprobs: true,
      top_logprobs: 5,
      logit_bias: { '1234': -100 },
      response_format: { type: 'json_object' },
    });
    expect(many.choices).toHaveLength(3);
    expect(many.choices[0]?.logprobs?.content?.[0]?.top_logprobs.length).toBe(5);

    const [eTools, eImage, eMany] = [await nth(before + 1), await nth(before + 2), await nth(before + 3)];
    expect(eTools.params.tools).toBe(1);
    expect(eTools.output.finishReason).toBe('tool_calls');
    expect(eImage.prompt.images).toBe(1);
    expect(eImage.usage.imageTokens).toBe(765);
    expect(eMany.params).toMatchObject({
      n: 3,
      logprobs: true,
      topLogprobs: 5,
      logitBiasSize: 1,
      responseFormat: 'json_object',
    });
    expect(eMany.output.choices).toBe(3);
  });

  it('embeddings, responses (plain and streamed) and /v1/models', async () => {
    const before = h.events.length;
    const emb = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello world' });
    expect(emb.data[0]?.embedding.length).toBeGreaterThan(0);
    const resp = await client.responses.create({ model: 'gpt-4o-mini', input: 'Name three prime numbers.' });
    expect(resp.output_text.length).toBeGreaterThan(0);
    const stream = await client.responses.create({
      model: 'gpt-4o-mini',
      input: 'Count to five.',
      stream: true,
    });
    const types = new Set<string>();
    for await (const ev of stream) types.add(ev.type);
    expect(types.has('response.output_text.delta')).toBe(true);
    expect(types.has('response.completed')).toBe(true);
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(expect.arrayContaining(['gpt-4o-mini', 'gpt-4o']));

    const [eEmb, eResp, eStream] = [await nth(before + 1), await nth(before + 2), await nth(before + 3)];
    expect(eEmb).toMatchObject({ endpoint: 'embeddings', status: 200 });
    expect(eEmb.usage.promptTokens).toBe(emb.usage.prompt_tokens);
    expect(eResp.usage).toMatchObject({
      promptTokens: resp.usage!.input_tokens,
      completionTokens: resp.usage!.output_tokens,
    });
    expect(eStream.endpoint).toBe('responses');
    expect(eStream.usage.estimated).toBe(false);
    expect(eStream.usage.completionTokens).toBeGreaterThan(0);
  });

  it('relays an upstream error in OpenAI shape with its status', async () => {
    const before = h.events.length;
    const err = await client.chat.completions
      .create(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'x-mock-error': '503' } },
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    const e = await nth(before + 1);
    expect(e.status).toBe(503);
    expect(e.errorCode).not.toBeNull();
    expect(await h.app.limits.inFlight('key', keyId)).toBe(0);
  });

  it('falls back to gpt-tokenizer when the upstream reports no usage, and marks it estimated', async () => {
    const before = h.events.length;
    const res = await client.chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say something nice.' }] },
      { headers: { 'x-mock-no-usage': '1' } },
    );
    expect(res.usage).toBeUndefined();
    const e = await nth(before + 1);
    expect(e.usage.estimated).toBe(true);
    expect(e.usage.completionTokens).toBeGreaterThan(0);
    expect(e.usage.promptTokens).toBeGreaterThan(0);

    const stream = await client.chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say something nice.' }], stream: true },
      { headers: { 'x-mock-no-usage': '1' } },
    );
    for await (const _ of stream) {
      // drain
    }
    const e2 = await nth(before + 2);
    expect(e2.usage.estimated).toBe(true);
    expect(e2.usage.completionTokens).toBeGreaterThan(0);
  });

  it('serves health, metrics and the admin API (admin token only) from the same process', async () => {
    expect((await fetch(`${h.app.url}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${h.app.url}/metrics`)).text();
    expect(metrics).toContain('distillguard_gateway_requests_total{endpoint="chat",status="200"}');
    const admin = (token: string) =>
      fetch(`${h.app.url}/admin/orgs`, { headers: { authorization: `Bearer ${token}` } });
    expect((await admin(h.app.config.admin_token!)).status).toBe(200);
    expect((await admin(client.apiKey)).status).toBe(401);
  });

  it('writes every event durably to SQLite', async () => {
    await h.app.flushEvents();
    expect(await h.app.store.events.count({ keyId })).toBe(h.events.length);
  });
});
