import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clearFeatureCaches,
  clientOf,
  fingerprintOf,
  rememberTextFeatures,
  sdkHeaders,
  textMemoSize,
} from '../../src/events/features.js';
import { parseLogLine } from '../../src/events/logline.js';
import type { RequestEvent } from '../../src/events/types.js';

function line(user: string, system: string, extra: Record<string, unknown> = {}): string {
  const messages = [
    ...(system ? [{ role: 'system', content: system }] : []),
    { role: 'user', content: user },
  ];
  return JSON.stringify({
    ts: '2026-03-02T00:00:00Z',
    key: 'k_1',
    user_agent: 'OpenAI/Python 1.40.0',
    headers: { 'x-stainless-lang': 'python', 'X-Stainless-OS': 'Linux' },
    request: { model: 'gpt-4o', messages },
    response: { usage: { prompt_tokens: 3, completion_tokens: 4 } },
    ...extra,
  });
}

const parsed = (l: string): RequestEvent => {
  const r = parseLogLine(l);
  if (!r.ok) throw new Error(r.error);
  return r.event;
};

describe('the text memo is opt-in', () => {
  it('keeps no prompt text unless turned on, and empties when turned off', () => {
    rememberTextFeatures(false);
    parsed(line('Can you make it shorter?', 'You are terse.'));
    expect(textMemoSize()).toEqual({ systems: 0, pairs: 0 });
    rememberTextFeatures(true);
    parsed(line('Can you make it shorter?', 'You are terse.'));
    expect(textMemoSize()).toEqual({ systems: 1, pairs: 1 });
    rememberTextFeatures(false);
    expect(textMemoSize()).toEqual({ systems: 0, pairs: 0 });
  });
});

describe('memo of text features and clients', () => {
  beforeAll(() => rememberTextFeatures(true));
  afterAll(() => rememberTextFeatures(false));
  it('gives a remembered line the event a cold parse gives', () => {
    const lines = [
      line('Can you make it shorter?', ''),
      line('Can you make it shorter?', 'You are terse.'),
      line('Explain step by step: why 2+2=4?', 'Think.'),
      // Same texts with images and tools: the domain depends on them, not on the memo.
      line('Can you make it shorter?', '', {
        request: {
          model: 'gpt-4o',
          tools: [{ type: 'function' }],
          messages: [{ role: 'user', content: [{ type: 'text', text: 'Can you make it shorter?' }] }],
        },
      }),
      // A probe match across the system prompt and the user turn.
      line('reasoning, please', 'Show your internal'),
      line('x'.repeat(300), 'long user turn, not remembered'),
    ];
    for (const l of lines) {
      clearFeatureCaches();
      const cold = parsed(l);
      expect(parsed(l)).toEqual(cold);
      expect(parsed(l)).toEqual(cold);
    }
  });

  it('hands each event its own signature and sdk object', () => {
    clearFeatureCaches();
    const l = line('ok and how long would that take?', 'sys');
    const a = parsed(l);
    const b = parsed(l);
    expect(a.prompt.minhash).not.toBe(b.prompt.minhash);
    expect(a.sdk).not.toBe(b.sdk);
    const before = [...b.prompt.minhash];
    a.prompt.minhash.fill(0);
    a.sdk.evil = 'x';
    const c = parsed(l);
    expect(c.prompt.minhash).toEqual(before);
    expect(c.sdk).toEqual(b.sdk);
  });

  it('tells clients apart by user agent and every header, in order', () => {
    clearFeatureCaches();
    const cases: Array<[string | null, Record<string, string> | undefined]> = [
      [null, undefined],
      ['', {}],
      ['ua', undefined],
      ['ua', { 'x-stainless-lang': 'python' }],
      ['ua', { 'x-stainless-lang': 'js' }],
      ['ua', { 'X-Stainless-Lang': 'python' }],
      ['ua', { 'x-stainless-lang': 'python', 'x-stainless-os': 'Linux' }],
      ['ua', { 'x-stainless-os': 'Linux', 'x-stainless-lang': 'python' }],
      ['ua', { 'x-stainless-lang': 'python', 'x-stainless-retry-count': '2' }],
      ['ua2', { 'x-stainless-lang': 'python' }],
      [null, { 'user-agent': 'from headers' }],
    ];
    for (let round = 0; round < 3; round++) {
      for (const [ua, headers] of cases) {
        const sdk = sdkHeaders(headers ?? {});
        const got = clientOf(ua, headers);
        expect(got.sdk).toEqual(sdk);
        expect(Object.keys(got.sdk)).toEqual(Object.keys(sdk));
        expect(got.fingerprint).toBe(fingerprintOf(ua, sdk));
      }
    }
  });

  it('stays right when it fills up and starts over', () => {
    clearFeatureCaches();
    const lines = Array.from({ length: 20_000 }, (_, i) =>
      line(`question ${i % 9000}?`, `system ${i % 700}`, {
        user_agent: `ua ${i % 1500}`,
      }),
    );
    // Parsed with the memo filling up and starting over (more pairs, systems and clients than it keeps).
    const warm = lines.map(parsed);
    for (let i = 0; i < lines.length; i += 97) {
      clearFeatureCaches();
      expect(parsed(lines[i]!)).toEqual(warm[i]);
    }
  });
});
