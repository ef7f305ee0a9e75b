/**
 * @module detect/signals/new-model
 * Pivot to a newly seen model: a large share of traffic moves to a model soon after it first
 * appears in the population.
 *
 * > "Traffic pivots to a new model within a day of its release." (issue 3)
 *
 * A model is new when the population first saw it at least `newModelWarmupMs` after the first
 * event (models present from the start are not releases). Score = share of the key's traffic
 * since the release that went to it × promptness (within a day full, fading to 0 at three days).
 */
import type { AccountProfile } from '../profile.js';
import { topkSorted } from '../sketches/topk.js';
import type { SignalContext, SignalResult } from './types.js';
import { num, pct, ramp } from './util.js';

const HOUR = 3_600_000;

export function newModelPivot(p: AccountProfile, ctx: SignalContext): SignalResult {
  const { pop, cfg } = ctx;
  let best: SignalResult = { score: 0, detail: 'no traffic on newly released models' };
  for (const m of topkSorted(p.models)) {
    const released = pop.modelFirstSeen.get(m.id);
    if (released === undefined || released - pop.startTs < cfg.windows.newModelWarmupMs) continue;
    const span = Math.max(1, p.lastTs - p.firstTs);
    const since = Math.max(0, p.lastTs - Math.max(released, p.firstTs));
    const requestsSince = Math.max(m.c, (p.n * since) / span);
    const share = m.c / requestsSince;
    const lagH = Math.max(0, m.t - released) / HOUR;
    const score = ramp(share, 0.3, 0.8) * (1 - ramp(lagH, 24, 72)) * ramp(m.c, 20, 100);
    if (score > best.score)
      best = {
        score,
        get detail() {
          return `${pct(share)} of ${num(Math.round(requestsSince))} requests since ${m.id} appeared went to it, first used ${lagH.toFixed(1)} h after its release`;
        },
      };
  }
  return best;
}
