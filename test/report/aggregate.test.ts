import { describe, expect, it } from 'vitest';
import { DAY_MS, summarizeEvents } from '../../src/report/aggregate.js';
import { event, HOUR, T0 } from './fixtures.js';

describe('summarizeEvents', () => {
  it('is empty for no events', () => {
    expect(summarizeEvents([])).toEqual({
      activity: null,
      traffic: null,
      samples: [],
      promptsStored: false,
      firstTs: null,
      lastTs: null,
    });
  });

  it('buckets by hour over short spans, with empty hours kept', () => {
    const es = [
      event({ key: 'k', ts: T0 + 10, completionTokens: 100 }),
      event({ key: 'k', ts: T0 + 20, completionTokens: 50, status: 429 }),
      event({ key: 'k', ts: T0 + 3 * HOUR + 5, completionTokens: 7 }),
    ];
    const s = summarizeEvents(es);
    expect(s.activity?.unit).toBe('hour');
    expect(s.activity?.buckets.map((b) => [b.start - T0, b.requests, b.outputTokens, b.errors])).toEqual([
      [0, 2, 150, 1],
      [HOUR, 0, 0, 0],
      [2 * HOUR, 0, 0, 0],
      [3 * HOUR, 1, 7, 0],
    ]);
    expect(s.firstTs).toBe(T0 + 10);
    expect(s.lastTs).toBe(T0 + 3 * HOUR + 5);
  });

  it('buckets by day over long spans', () => {
    const s = summarizeEvents([event({ key: 'k', ts: T0 }), event({ key: 'k', ts: T0 + 20 * DAY_MS })]);
    expect(s.activity?.unit).toBe('day');
    expect(s.activity?.buckets).toHaveLength(21);
  });

  it('profiles models, networks, clients and extraction-relevant requests', () => {
    const es = [
      event({ key: 'a', ts: T0, model: 'gpt-4o', ip: '198.51.100.1' }),
      event({ key: 'a', ts: T0 + 1, model: 'gpt-4o', ip: '198.51.100.2', prompt: 'hello there' }),
      event({ key: 'b', ts: T0 + 2, model: 'o3-mini', ip: '192.0.2.9', userAgent: 'curl/8' }),
    ];
    const t = summarizeEvents(es).traffic!;
    expect(t.models).toEqual([
      ['gpt-4o', 2],
      ['o3-mini', 1],
    ]);
    expect(t.subnets).toEqual([
      ['198.51.100.0/24', 2],
      ['192.0.2.0/24', 1],
    ]);
    expect(t.distinctIps).toBe(3);
    expect(t.cot).toBe(2); // the default prompt asks for step-by-step reasoning
    expect(t.medianMaxTokens).toBe(4096);
    expect(t.singleTurn).toBe(3);
  });

  it('groups prompts by skeleton, counts keys, and keeps raw text only when asked', () => {
    const es = [
      event({ key: 'a', ts: T0, prompt: 'Translate "bonjour" for Alice, item 12' }, true),
      event({ key: 'b', ts: T0 + 1, prompt: 'Translate "merci" for Alice, item 99' }, true),
      event({ key: 'b', ts: T0 + 2, prompt: 'What is the weather like' }, true),
    ];
    const [top, second] = summarizeEvents(es).samples;
    expect(top).toMatchObject({ count: 2, keys: 2, raw: null });
    expect(top?.skeleton).toBe('translate ‹quote› for ‹name› , item ‹num›');
    expect(second?.count).toBe(1);
    expect(summarizeEvents(es).promptsStored).toBe(true);
    const withRaw = summarizeEvents(es, { includePrompts: true }).samples[0];
    expect(withRaw?.raw).toBe('Translate "bonjour" for Alice, item 12');
  });

  it('has no skeleton text when prompts were not stored', () => {
    const s = summarizeEvents([event({ key: 'a', ts: T0 }, false)], { includePrompts: true });
    expect(s.promptsStored).toBe(false);
    expect(s.samples[0]).toMatchObject({ skeleton: null, raw: null, count: 1 });
  });
});
