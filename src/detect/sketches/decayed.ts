/**
 * @module detect/sketches/decayed
 * Exponentially decayed counter in event time: `value` is Σ w·2^(-(now - t)/halfLife).
 * At a steady rate r (per ms) it converges to r·halfLife/ln 2, so `decayedRate` reads it back
 * as a rate. Tolerates small disorder: an event older than the last update is added at the
 * last update's time.
 */

export interface Decayed {
  v: number;
  t: number;
}

export const decayedNew = (): Decayed => ({ v: 0, t: 0 });

export function decayedAdd(d: Decayed, ts: number, w: number, halfLifeMs: number): void {
  if (ts > d.t) {
    d.v = d.t === 0 ? 0 : d.v * 2 ** (-(ts - d.t) / halfLifeMs);
    d.t = ts;
  }
  d.v += w;
}

/** Value decayed to `now` (not stored). */
export function decayedValue(d: Decayed, now: number, halfLifeMs: number): number {
  return now > d.t ? d.v * 2 ** (-(now - d.t) / halfLifeMs) : d.v;
}

/** Steady-state rate estimate, per millisecond, at `now`. */
export function decayedRate(d: Decayed, now: number, halfLifeMs: number): number {
  return (decayedValue(d, now, halfLifeMs) * Math.LN2) / halfLifeMs;
}

/** Sum of two counters as of the later of their times. */
export function decayedMerge(a: Decayed, b: Decayed, halfLifeMs: number): Decayed {
  const t = Math.max(a.t, b.t);
  return { t, v: decayedValue(a, t, halfLifeMs) + decayedValue(b, t, halfLifeMs) };
}
