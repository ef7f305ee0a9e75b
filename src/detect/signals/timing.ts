/**
 * @module detect/signals/timing
 * Machine-like timing: a flat 24/7 hour-of-day profile, or very regular inter-arrival times.
 *
 * > "Accounts share infrastructure: … synchronized timing." Harvesters run around the clock
 * > under their limits; people and their products follow the day. (issue 3)
 *
 * Flatness is the coefficient of variation of the 24 hourly counts, corrected for Poisson noise
 * (√(cv² − 24/n)): a diurnal product sits well above 0.4, a scheduler near 0. It needs ≥ 18 h of
 * span and ≥ 60 requests. Regularity is the inter-arrival CV: Poisson-like traffic is ≈ 1, bursty humans above,
 * a fixed-rate loop below 0.4. Nightly batch jobs are neither flat nor regular across nights.
 */
import type { AccountProfile } from '../profile.js';
import type { Signal } from './types.js';
import { num, ramp } from './util.js';

const HOUR = 3_600_000;

export function hourCv(hours: readonly number[], n: number): number {
  if (n === 0) return 0;
  const mean = n / 24;
  let v = 0;
  for (const c of hours) v += (c - mean) ** 2;
  const cv2 = v / 24 / (mean * mean);
  return Math.sqrt(Math.max(0, cv2 - 24 / n));
}

/** The numbers behind the score, rewritten by each call (signals run one at a time). */
const m = { spanH: 0, cvH: 0, gapCv: 0 };

function measure(p: AccountProfile): number {
  m.spanH = (p.lastTs - p.firstTs) / HOUR;
  m.cvH = hourCv(p.hours, p.n);
  const flat = (1 - ramp(m.cvH, 0.15, 0.45)) * ramp(m.spanH, 18, 30) * ramp(p.n, 60, 150);
  const g = p.gaps;
  m.gapCv = g.k > 1 && g.mean > 0 ? Math.sqrt(g.m2 / (g.k - 1)) / g.mean : 1;
  const regular = ramp(0.7 - m.gapCv, 0, 0.4) * ramp(g.k, 30, 100);
  return Math.max(flat, regular);
}

export const machineTiming: Signal = {
  name: 'machine_timing',
  score: measure,
  detail(p) {
    measure(p);
    return `hour-of-day CV ${m.cvH.toFixed(2)} over ${num(m.spanH)} h (0 = flat 24/7); inter-arrival CV ${m.gapCv.toFixed(2)} over ${num(p.gaps.k)} gaps (1 = random, <0.4 = clockwork)`;
  },
};
