/**
 * @module detect/signals/timing
 * Machine-like timing: a flat 24/7 hour-of-day profile, or very regular inter-arrival times.
 *
 * > "Accounts share infrastructure: … synchronized timing." Harvesters run around the clock
 * > under their limits; people and their products follow the day. (issue 3)
 *
 * Flatness is the coefficient of variation of the 24 hourly counts, corrected for Poisson noise
 * (√(cv² − 24/n)): a diurnal product sits well above 0.4, a scheduler near 0. It needs ≥ 60
 * requests and ≥ 30 h of span, in full from 48 h (engine 1.6.0; 18 → 30 h before): a flat day
 * means "around the clock" only once the clock has turned twice. One job that ran through a
 * night (a researcher's 25-hour batch of questions) covers each hour once and is flat by
 * construction, however human its owner. Regularity is the inter-arrival CV: Poisson-like traffic is ≈ 1, bursty humans above,
 * a fixed-rate loop below 0.4. Nightly batch jobs are neither flat nor regular across nights.
 */
import type { AccountProfile } from '../profile.js';
import type { Signal, SignalContext } from './types.js';
import { num, pct, ramp } from './util.js';

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

/**
 * True when a key clearly follows the day on its own: ≥ 24 requests over ≥ 30 h with a
 * (noise-corrected) hour-of-day CV ≥ 0.45, where `flat` is 0. Fewer requests than `flat` needs:
 * a platform's small tenants each send a few dozen requests a week, all in their office hours.
 */
export function followsTheDay(p: AccountProfile): boolean {
  return p.n >= 24 && p.lastTs - p.firstTs >= 30 * HOUR && hourCv(p.hours, p.n) >= 0.45;
}

function measure(p: AccountProfile, ctx?: SignalContext): number {
  m.spanH = (p.lastTs - p.firstTs) / HOUR;
  m.cvH = hourCv(p.hours, p.n);
  // A campaign's merged day is flat when its members each follow their own day in other
  // timezones (tenants of one platform, say): only the members who do not count (engine 1.5.0).
  const own = 1 - (ctx?.campaign?.diurnalShare ?? 0);
  const flat = (1 - ramp(m.cvH, 0.15, 0.45)) * ramp(m.spanH, 30, 48) * ramp(p.n, 60, 150) * own;
  const g = p.gaps;
  m.gapCv = g.k > 1 && g.mean > 0 ? Math.sqrt(g.m2 / (g.k - 1)) / g.mean : 1;
  const regular = ramp(0.7 - m.gapCv, 0, 0.4) * ramp(g.k, 30, 100);
  return Math.max(flat, regular);
}

export const machineTiming: Signal = {
  name: 'machine_timing',
  score: measure,
  detail(p, ctx) {
    measure(p, ctx);
    const share = ctx.campaign?.diurnalShare ?? 0;
    const members = share > 0 ? `; ${pct(share)} of the requests from members that follow their own day` : '';
    return `hour-of-day CV ${m.cvH.toFixed(2)} over ${num(m.spanH)} h (0 = flat 24/7); inter-arrival CV ${m.gapCv.toFixed(2)} over ${num(p.gaps.k)} gaps (1 = random, <0.4 = clockwork)${members}`;
  },
};
