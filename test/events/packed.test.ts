import { describe, expect, it } from 'vitest';
import { parseLogLine } from '../../src/events/logline.js';
import { packEvents, unpackEvents } from '../../src/events/packed.js';
import type { RequestEvent } from '../../src/events/types.js';

const line = (o: Record<string, unknown>) =>
  JSON.stringify({
    ts: '2026-03-02T00:00:00.000Z',
    key: 'k_1',
    request: { model: 'gpt-4o', messages: [{ role: 'user', content: 'Explain step by step: 2+2?' }] },
    ...o,
  });

function parsed(l: string, storeText = false): RequestEvent {
  const r = parseLogLine(l, { storeText });
  if (!r.ok) throw new Error(r.error);
  return r.event;
}

describe('packed events', () => {
  it('round-trips every field, nulls, optional texts and records', () => {
    const events = [
      parsed(line({})),
      parsed(
        line({
          id: 'r1',
          org: 'o',
          account: 'a',
          ip: '203.0.113.9',
          user_agent: 'OpenAI/Python 1.40.0',
          headers: { 'x-stainless-lang': 'python', 'x-stainless-os': 'Linux' },
          endpoint: '/v1/chat/completions',
          request: {
            model: 'gpt-4o',
            messages: [
              { role: 'system', content: 'You grade answers with a rubric.' },
              { role: 'user', content: 'Score the response on a scale of 1 to 10.' },
            ],
            max_tokens: 900,
            temperature: 0.7,
            top_p: 0.9,
            n: 3,
            logprobs: true,
            top_logprobs: 5,
            logit_bias: { '50256': -100 },
            seed: 42,
            user: 'end-user',
            stream: true,
            response_format: { type: 'json_object' },
            reasoning_effort: 'high',
            tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }],
          },
          response: {
            choices: [{ message: { role: 'assistant', content: 'Eight.' }, finish_reason: 'length' }],
            usage: {
              prompt_tokens: 31,
              completion_tokens: 812,
              completion_tokens_details: { reasoning_tokens: 9 },
            },
          },
          status: 429,
          latency_ms: 5120,
          upstream: 'openai',
          meta: { signup: 'abc', pay: 'h1' },
        }),
        true,
      ),
      parsed(line({ meta: {}, request: { model: 'text-embedding-3-small', input: 'hello' } })),
      parsed(line({ request: { prompt: '' }, response: { error: { code: 'boom' } }, status: 500 })),
      // A conversation carried back, and one the upstream keeps with its reasoning asked back.
      parsed(
        line({
          request: {
            model: 'gpt-4o',
            messages: [
              { role: 'user', content: 'What is a tide?' },
              { role: 'assistant', content: 'The rise and fall of the sea.' },
              { role: 'user', content: 'Why twice a day?' },
            ],
          },
        }),
      ),
      parsed(
        line({
          endpoint: '/v1/responses',
          request: {
            model: 'o4-mini',
            input: 'And on the moon?',
            previous_response_id: 'resp_1',
            reasoning: { effort: 'high', summary: 'detailed' },
          },
          response: { status: 'completed', output: [], usage: { input_tokens: 900, output_tokens: 40 } },
        }),
      ),
    ];
    expect(events.at(-2)!.prompt.historyChars).toBeGreaterThan(0);
    expect(events.at(-1)!.prompt.ownTokens).toBeGreaterThan(0);
    expect(events.at(-1)!.params.reasoningShown).toBe(true);
    const back = unpackEvents(packEvents(events));
    expect(back).toEqual(events);
    // toEqual ignores undefined-valued properties: check the optional ones are absent or present alike.
    const optional = (e: RequestEvent) => [
      'meta' in e,
      'text' in e.prompt,
      'text' in e.output,
      'toolsHash' in e.params,
      'reasoningShown' in e.params,
      'ownTokens' in e.prompt,
      'historyChars' in e.prompt,
    ];
    expect(back.map(optional)).toEqual(events.map(optional));
    expect(back[1]!.params.toolsHash).toMatch(/^[0-9a-f]{16}$/);
    expect(back[1]!.prompt.systemText).toBe('You grade answers with a rubric.');
    expect(back[1]!.params.temperature).toBe(0.7);
    expect(back[0]!.params.temperature).toBeNull();
  });

  it('sends a client once per batch, exactly: same fingerprint with other header order or user agent', () => {
    const ua = 'OpenAI/Python 1.40.0';
    const a = { 'x-stainless-lang': 'python', 'x-stainless-os': 'Linux' };
    const b = { 'x-stainless-os': 'Linux', 'x-stainless-lang': 'python' };
    const events = [
      parsed(line({ user_agent: ua, headers: a })),
      parsed(line({ user_agent: ua, headers: a, meta: { m: '1' } })),
      parsed(line({ user_agent: ua, headers: b })),
      parsed(line({ user_agent: 'other', headers: a })),
      parsed(line({})),
      parsed(line({ user_agent: ua, headers: a })),
      parsed(line({})),
      parsed(line({ headers: { 'user-agent': ua, ...a } })),
    ];
    // Header order changes the sdk object's key order, not the fingerprint.
    expect(events[2]!.fingerprint).toBe(events[0]!.fingerprint);
    expect(Object.keys(events[2]!.sdk)).not.toEqual(Object.keys(events[0]!.sdk));
    const packed = packEvents(events);
    const back = unpackEvents(packed);
    expect(back).toEqual(events);
    expect(back.map((e) => Object.keys(e.sdk))).toEqual(events.map((e) => Object.keys(e.sdk)));
    expect(back[0]!.sdk).not.toBe(back[5]!.sdk);
    // Clients packed: ua+a, ua+b, other+a, none, then ua+a again (the batch remembers the last
    // client of each fingerprint), which the last event (user agent from its headers) reuses.
    const python = packed.strs.indexOf('python');
    expect([...packed.refs].filter((r) => r === python).length).toBe(4);
    // Each distinct string is sent once, however many events refer to it.
    expect(new Set(packed.strs).size).toBe(packed.strs.length);
  });

  it('packs without the string table the same events, every string in its own entry', () => {
    const events = [
      parsed(line({ user_agent: 'ua', meta: { m: '1' } })),
      parsed(line({ user_agent: 'ua', meta: { m: '1' } })),
      parsed(line({})),
    ];
    const plain = packEvents(events, false);
    expect(unpackEvents(plain)).toEqual(events);
    expect(unpackEvents(plain)).toEqual(unpackEvents(packEvents(events)));
    expect(plain.strs.length).toBe([...plain.refs].filter((r) => r >= 0).length);
    expect(packEvents(events).strs.length).toBeLessThan(plain.strs.length);
  });

  it('packs an empty batch', () => {
    expect(unpackEvents(packEvents([]))).toEqual([]);
  });
});
