import { describe, expect, it } from 'vitest';
import { LogLine, logLineToEvent, parseLogLine, plainlyValid } from '../../src/events/logline.js';
import { Rng } from '../../src/sim/rng.js';

const VALUES: unknown[] = [
  undefined,
  null,
  0,
  -3,
  1.5,
  2 ** 60,
  '',
  'x',
  '2026-03-02T00:00:00Z',
  true,
  [],
  ['a'],
  {},
  { a: 'b' },
  { a: 1 },
  { 'x-stainless-lang': 'python' },
  { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
];
const FIELDS = [
  'ts',
  'key',
  'request',
  'id',
  'org',
  'account',
  'ip',
  'user_agent',
  'headers',
  'endpoint',
  'response',
  'status',
  'latency_ms',
  'upstream',
  'meta',
];

function randomLine(rng: Rng): Record<string, unknown> {
  const o: Record<string, unknown> = {
    ts: '2026-03-02T00:00:00Z',
    key: 'k_1',
    request: { model: 'gpt-4o', messages: [{ role: 'user', content: 'Explain step by step' }] },
  };
  const changes = 1 + Math.floor(rng.next() * 3);
  for (let i = 0; i < changes; i++) {
    const f = FIELDS[Math.floor(rng.next() * FIELDS.length)]!;
    const v = VALUES[Math.floor(rng.next() * VALUES.length)];
    if (v === undefined) delete o[f];
    else o[f] = v;
  }
  return o;
}

describe('log-line pre-check', () => {
  it('is never looser than the schema and gives the same events', () => {
    const rng = new Rng(11);
    let plain = 0;
    for (let i = 0; i < 20_000; i++) {
      const o = randomLine(rng);
      const z = LogLine.safeParse(o);
      if (!plainlyValid(o)) continue;
      plain++;
      expect(z.success, JSON.stringify(o)).toBe(true);
      const line = JSON.stringify(o);
      expect(parseLogLine(line)).toEqual(logLineToEvent(z.data!, line));
    }
    expect(plain).toBeGreaterThan(1000);
  });
  it('leaves the wording of errors to the schema', () => {
    expect(parseLogLine('{"ts":"2026-03-02T00:00:00Z","request":{}}')).toEqual({
      ok: false,
      error: 'key: Invalid input: expected string, received undefined',
    });
  });
});
