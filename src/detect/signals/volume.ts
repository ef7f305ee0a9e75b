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
import type { SignalContext, SignalResult } from './types.js';
import { num, ramp } from './util.js';

const DAY = 86_400_000;

export function volume(p: AccountProfile, ctx: SignalContext): SignalResult {
  const { cfg, pop, now } = ctx;
  const rate = outRatePerDay(p, now, cfg);
  const median = pop.outRateP50;
  const vsPop =
    median !== null && median > 0
      ? ramp(Math.log10(rate / median), 1, 2.3)
      : ramp(Math.log10(rate / cfg.signals.referenceOutTokensPerDay), 0, 1);
  const r = requestRates(p, now, cfg);
  const oldEnough = now - p.firstTs >= 2 * DAY && p.n >= 50;
  const spike = oldEnough && r.slow > 0 ? r.fast / r.slow : 0;
  const vsSelf = oldEnough ? ramp(Math.log2(spike), 2, 5) : 0;
  return {
    score: Math.max(vsPop, vsSelf),
    get detail() {
      const ref =
        median !== null
          ? `${Math.round(rate / Math.max(1, median))}× the population median (${num(median)})`
          : `reference ${num(cfg.signals.referenceOutTokensPerDay)}`;
      return (
        `${num(rate)} output tokens/day over ${num(p.n)} requests, ${ref}` +
        (oldEnough
          ? `; recent rate ${spike.toFixed(1)}× own history (${num(r.fast)}/h vs ${num(r.slow)}/h)`
          : '')
      );
    },
  };
}
