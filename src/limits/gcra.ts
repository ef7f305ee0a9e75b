/**
 * @module limits/gcra
 * Pure GCRA (generic cell rate algorithm) with variable cost, for requests per minute (cost 1)
 * and tokens per minute (cost = tokens). The whole state of one window is a single number, the
 * theoretical arrival time (TAT): the instant at which the window would be fully replenished.
 *
 * With limit L per period T, one unit costs the emission interval I = T / L. A request of cost c
 * at time `now` would move the TAT to `max(TAT, now) + c·I`; it conforms when that new TAT is at
 * most `now + T` ahead. So an idle window admits a burst of L units at once, then L per period
 * evenly. A cost above L is checked as L (it needs a full window, then goes into debt) so that a
 * single large request is slow rather than impossible.
 */

/** Tolerance for floating-point sums of emission intervals (ms). */
const EPSILON = 1e-6;

export interface GcraParams {
  /** Units admitted per period (the burst as well). */
  limit: number;
  /** Period in milliseconds (60 000 for per-minute limits). */
  periodMs: number;
}

export const MINUTE_MS = 60_000;

export type GcraDecision = { ok: true; tat: number } | { ok: false; tat: number; retryAfterMs: number };

const interval = (p: GcraParams) => p.periodMs / p.limit;

/** Checks a charge of `cost` units without committing; `tat` is the state after the charge when ok. */
export function gcraAllow(tat: number, cost: number, now: number, p: GcraParams): GcraDecision {
  const base = Math.max(tat, now);
  const checked = Math.min(cost, p.limit) * interval(p);
  const allowAt = base + checked - p.periodMs;
  if (allowAt - now > EPSILON) return { ok: false, tat, retryAfterMs: Math.ceil(allowAt - now) };
  return { ok: true, tat: base + cost * interval(p) };
}

/**
 * Unconditional charge (positive cost) or refund (negative cost). A refund never moves the TAT
 * before `now`: capacity that has already replenished cannot be returned twice.
 */
export function gcraCharge(tat: number, cost: number, now: number, p: GcraParams): number {
  if (cost >= 0) return Math.max(tat, now) + cost * interval(p);
  return Math.max(now, tat + cost * interval(p));
}

/** Units that could be charged right now. */
export function gcraRemaining(tat: number, now: number, p: GcraParams): number {
  const used = Math.max(0, tat - now);
  return Math.max(0, Math.min(p.limit, Math.floor((p.periodMs - used) / interval(p) + EPSILON)));
}

/** Milliseconds until the window is fully replenished. */
export function gcraResetMs(tat: number, now: number): number {
  return Math.max(0, Math.ceil(tat - now - EPSILON));
}
