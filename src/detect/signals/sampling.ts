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
import { topkSorted } from '../sketches/topk.js';
import type { SignalContext, SignalResult } from './types.js';
import { num, pct, ramp } from './util.js';

/** Weight of max_tokens pinned high alone (many SDK wrappers default to a high value). */
const PINNED = 0.8;

export function sampling(p: AccountProfile, ctx: SignalContext): SignalResult {
  const n = Math.max(1, p.n);
  const high = p.maxTokHigh / n;
  const pinned = ramp(high, 0.5, 0.95);
  const repShare = p.repeats / Math.max(1, p.repeats + p.ringInserts);
  const multi = p.multiN / n;
  const avgN = p.nSum / n;
  const repeated = Math.max(ramp(repShare, 0.15, 0.5), ramp(multi, 0.2, 0.7) * ramp(avgN, 1.5, 4));
  const topMax = topkSorted(p.maxToks)[0];
  return {
    score: Math.max(PINNED * pinned, repeated) * ramp(p.n, 10, 40),
    get detail() {
      return (
        `${pct(high)} of ${num(p.n)} requests set max_tokens ≥ ${ctx.cfg.signals.highMaxTokens}` +
        (topMax ? ` (most common ${topMax.id})` : '') +
        `; ${pct(repShare)} repeat a recent prompt; ${pct(multi)} ask n>1 (mean n ${avgN.toFixed(1)})`
      );
    },
  };
}
