/**
 * @module detect/signals/sampling
 * `max_tokens` pinned high, and repeated sampling of the same prompt.
 *
 * > "`max_tokens` at the maximum; several samples per prompt (`n`>1, or the same prompt
 * > repeated)." (issue 3)
 *
 * Pinned: the share of requests at or above `highMaxTokens` (alone it is weaker, many SDK
 * defaults are high, so it counts at 0.8). Repeated: exact repeats of a recent single-turn prompt
 * to the same model, or `n` > 1.
 */
import type { AccountProfile } from '../profile.js';
import { topkTop } from '../sketches/topk.js';
import type { Signal } from './types.js';
import { num, pct, ramp } from './util.js';

/** Weight of max_tokens pinned high alone (many SDK wrappers default to a high value). */
const PINNED = 0.8;

/** The numbers behind the score, rewritten by each call (signals run one at a time). */
const m = { high: 0, repShare: 0, multi: 0, avgN: 0 };

function measure(p: AccountProfile): number {
  const n = Math.max(1, p.n);
  m.high = p.maxTokHigh / n;
  const pinned = ramp(m.high, 0.5, 0.95);
  m.repShare = p.repeats / Math.max(1, p.repeats + p.ringInserts);
  m.multi = p.multiN / n;
  m.avgN = p.nSum / n;
  const repeated = Math.max(ramp(m.repShare, 0.15, 0.5), ramp(m.multi, 0.2, 0.7) * ramp(m.avgN, 1.5, 4));
  return Math.max(PINNED * pinned, repeated) * ramp(p.n, 10, 40);
}

export const sampling: Signal = {
  name: 'sampling',
  score: measure,
  detail(p, ctx) {
    measure(p);
    const topMax = topkTop(p.maxToks);
    return (
      `${pct(m.high)} of ${num(p.n)} requests set max_tokens ≥ ${ctx.cfg.signals.highMaxTokens}` +
      (topMax ? ` (most common ${topMax.id})` : '') +
      `; ${pct(m.repShare)} repeat a recent prompt; ${pct(m.multi)} ask n>1 (mean n ${m.avgN.toFixed(1)})`
    );
  },
};
