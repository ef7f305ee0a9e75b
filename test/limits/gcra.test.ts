import { describe, expect, it } from 'vitest';
import { gcraAllow, gcraCharge, gcraRemaining, gcraResetMs } from '../../src/limits/gcra.js';

const p = { limit: 100, periodMs: 60_000 }; // 600 ms per unit

describe('gcra', () => {
  it('admits a burst of the full limit, then one unit per interval', () => {
    let tat = 0;
    for (let i = 0; i < 100; i++) {
      const d = gcraAllow(tat, 1, 1000, p);
      expect(d.ok).toBe(true);
      tat = d.tat;
    }
    const refused = gcraAllow(tat, 1, 1000, p);
    expect(refused).toEqual({ ok: false, tat, retryAfterMs: 600 });
    expect(gcraAllow(tat, 1, 1600, p).ok).toBe(true);
  });

  it('handles limits whose interval is not a whole number of ms', () => {
    const q = { limit: 7, periodMs: 60_000 };
    let tat = 0;
    let admitted = 0;
    for (let i = 0; i < 10; i++) {
      const d = gcraAllow(tat, 1, 5, q);
      if (d.ok) {
        admitted++;
        tat = d.tat;
      }
    }
    expect(admitted).toBe(7);
  });

  it('charges variable cost and refunds without going before now', () => {
    const tat = gcraCharge(0, 50, 1000, p);
    expect(tat).toBe(1000 + 30_000);
    expect(gcraRemaining(tat, 1000, p)).toBe(50);
    expect(gcraCharge(tat, -20, 1000, p)).toBe(1000 + 18_000);
    expect(gcraCharge(tat, -500, 1000, p)).toBe(1000);
    expect(gcraResetMs(tat, 1000)).toBe(30_000);
    expect(gcraResetMs(tat, 40_000)).toBe(0);
    expect(gcraRemaining(tat, 40_000, p)).toBe(100);
  });

  it('checks a cost above the limit as the limit', () => {
    expect(gcraAllow(0, 250, 0, p)).toEqual({ ok: true, tat: 150_000 });
    const d = gcraAllow(150_000, 250, 0, p);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.retryAfterMs).toBe(150_000);
  });
});
