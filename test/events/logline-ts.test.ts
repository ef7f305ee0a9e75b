import { describe, expect, it } from 'vitest';
import { parseLogLine } from '../../src/events/logline.js';

/** The event time parseLogLine gives `ts`, or the error. */
function eventTime(ts: string): number | string {
  const r = parseLogLine(JSON.stringify({ ts, key: 'k', request: { messages: [] } }));
  return r.ok ? r.event.ts : r.error;
}

/** What Date.parse gives (the definition), in the same form. */
function byDateParse(ts: string): number | string {
  const ms = Date.parse(ts);
  return Number.isFinite(ms) ? ms : `ts: not a date: ${ts.slice(0, 40)}`;
}

describe('log-line timestamps', () => {
  it('equal Date.parse on ISO strings in and out of the common form', () => {
    const odd = [
      '2026-03-02T00:01:13.231Z',
      '2026-02-29T00:00:00.000Z',
      '2024-02-29T23:59:59.999Z',
      '2026-02-30T00:00:00.000Z',
      '2026-04-31T00:00:00.000Z',
      '2026-13-01T00:00:00.000Z',
      '2026-00-10T00:00:00.000Z',
      '2026-01-00T00:00:00.000Z',
      '2026-01-01T24:00:00.000Z',
      '2026-01-01T23:60:00.000Z',
      '2026-01-01T23:59:60.000Z',
      '1969-12-31T23:59:59.999Z',
      '0099-01-01T00:00:00.000Z',
      '0000-01-01T00:00:00.000Z',
      '2026-03-02T00:01:13.231z',
      '2026-03-02 00:01:13.231Z',
      '2026-03-02T00:01:13,231Z',
      '2026-03-02T00:01:13.2310',
      '2026-03-02T00:01:13.231+01:00',
      '2026-03-02T00:01:13Z',
      '2026-03-02',
      '2026-0a-02T00:01:13.231Z',
      '+2026-03-02T00:01:13.231Z',
      '２026-03-02T00:01:13.231Z',
      'not a date',
      '',
    ];
    for (const ts of odd) expect(eventTime(ts), ts).toEqual(byDateParse(ts));
    let seed = 7;
    const next = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const pad = (v: number, w: number) => String(v).padStart(w, '0');
    for (let i = 0; i < 20_000; i++) {
      const ts = `${pad(1900 + next(200), 4)}-${pad(next(14), 2)}-${pad(next(33), 2)}T${pad(next(26), 2)}:${pad(next(62), 2)}:${pad(next(62), 2)}.${pad(next(1000), 3)}Z`;
      expect(eventTime(ts), ts).toEqual(byDateParse(ts));
    }
  });
});
