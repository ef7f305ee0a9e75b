/**
 * @module detect/signals/util
 * Small numeric helpers shared by the signals: linear ramps, clamping and number formatting for
 * reason details.
 */

export const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/** 0 at or below `lo`, 1 at or above `hi`, linear in between. */
export const ramp = (x: number, lo: number, hi: number) => clamp01((x - lo) / (hi - lo));

/** Share as a percentage string, e.g. `94%`. */
export const pct = (x: number) => `${(100 * x).toFixed(x > 0 && x < 0.01 ? 1 : 0)}%`;

/** Compact number: 5400 → 5.4k, 3900000 → 3.9M. */
export function num(x: number): string {
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toFixed(1)}B`;
  if (a >= 1e6) return `${(x / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${(x / 1e3).toFixed(0)}k`;
  if (a >= 1e3) return `${(x / 1e3).toFixed(1)}k`;
  return Number.isInteger(x) ? String(x) : x.toFixed(a < 10 ? 2 : 1);
}

/** Short form of a hash for reasons. */
export const short = (h: string) => `${h.slice(0, 4)}…`;
