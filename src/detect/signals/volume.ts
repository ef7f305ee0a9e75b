/**
 * @module detect/signals/volume
 * Volume against the population and against the key's own history.
 *
 * > "Millions of exchanges spread over thousands of accounts … Traffic is load-balanced so every
 * > key stays under its own limits." (issue 3, published provider reports)
 *
 * Volume alone is weak: per-key volume is exactly what a hydra hides. It matters most on a
 * campaign's merged profile, where 40 keys at 90% of a limit read as one harvester at 36×.
 * Score: output tokens/day ≥ 10× the population median starts to count, 200× is full; or (keys
 * older than two days) a recent request rate 4–32× the key's own history.
 */
import { outRatePerDay, requestRates } from '../population.js';
import type { AccountProfile } from '../profile.js';
import type { Signal, SignalContext } from './types.js';
import { num, ramp } from './util.js';

const DAY = 86_400_000;

/** The numbers behind the score, rewritten by each call (signals run one at a time). */
const m = { rate: 0, oldEnough: false, spike: 0, fast: 0, slow: 0 };

function measure(p: AccountProfile, ctx: SignalContext): number {
  const { cfg, pop, now } = ctx;
  m.rate = outRatePerDay(p, now, cfg);
  const median = pop.outRateP50;
  const vsPop =
    median !== null && median > 0
      ? ramp(Math.log10(m.rate / median), 1, 2.3)
      : ramp(Math.log10(m.rate / cfg.signals.referenceOutTokensPerDay), 0, 1);
  const r = requestRates(p, now, cfg);
  m.fast = r.fast;
  m.slow = r.slow;
  m.oldEnough = now - p.firstTs >= 2 * DAY && p.n >= 50;
  m.spike = m.oldEnough && r.slow > 0 ? r.fast / r.slow : 0;
  const vsSelf = m.oldEnough ? ramp(Math.log2(m.spike), 2, 5) : 0;
  return Math.max(vsPop, vsSelf);
}

export const volume: Signal = {
  name: 'volume',
  score: measure,
  detail(p, ctx) {
    measure(p, ctx);
    const { cfg } = ctx;
    const median = ctx.pop.outRateP50;
    const ref =
      median !== null
        ? `${Math.round(m.rate / Math.max(1, median))}× the population median (${num(median)})`
        : `reference ${num(cfg.signals.referenceOutTokensPerDay)}`;
    return (
      `${num(m.rate)} output tokens/day over ${num(p.n)} requests, ${ref}` +
      (m.oldEnough
        ? `; recent rate ${m.spike.toFixed(1)}× own history (${num(m.fast)}/h vs ${num(m.slow)}/h)`
        : '')
    );
  },
};
