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
import { type TopEntry, topkSortedInto } from '../sketches/topk.js';
import type { Signal, SignalContext } from './types.js';
import { num, pct, ramp } from './util.js';

const HOUR = 3_600_000;

/** The numbers behind a model's score, written by `modelScore` when asked for. */
interface PivotFacts {
  share: number;
  requestsSince: number;
  lagH: number;
}

/** A model's pivot score, or −1 when it is not a release (present from the start, or unknown). */
function modelScore(p: AccountProfile, m: TopEntry, ctx: SignalContext, facts?: PivotFacts): number {
  const { pop, cfg } = ctx;
  const released = pop.modelFirstSeen.get(m.id);
  if (released === undefined || released - pop.startTs < cfg.windows.newModelWarmupMs) return -1;
  const span = Math.max(1, p.lastTs - p.firstTs);
  const since = Math.max(0, p.lastTs - Math.max(released, p.firstTs));
  const requestsSince = Math.max(m.c, (p.n * since) / span);
  const share = m.c / requestsSince;
  const lagH = Math.max(0, m.t - released) / HOUR;
  if (facts) {
    facts.share = share;
    facts.requestsSince = requestsSince;
    facts.lagH = lagH;
  }
  return ramp(share, 0.3, 0.8) * (1 - ramp(lagH, 24, 72)) * ramp(m.c, 20, 100);
}

/** The key's models, sorted into one reused array (scoring sorts them on every call). */
const models: TopEntry[] = [];

/** The model with the best score above 0 (the first in count order among equals), or null. */
function bestModel(p: AccountProfile, ctx: SignalContext): TopEntry | null {
  let best = 0;
  let model: TopEntry | null = null;
  for (const m of topkSortedInto(p.models, models)) {
    const s = modelScore(p, m, ctx);
    if (s > best) {
      best = s;
      model = m;
    }
  }
  return model;
}

export const newModelPivot: Signal = {
  name: 'new_model_pivot',
  score(p, ctx) {
    let best = 0;
    for (const m of topkSortedInto(p.models, models)) best = Math.max(best, modelScore(p, m, ctx));
    return best;
  },
  detail(p, ctx) {
    const m = bestModel(p, ctx);
    if (!m) return 'no traffic on newly released models';
    const f: PivotFacts = { share: 0, requestsSince: 0, lagH: 0 };
    modelScore(p, m, ctx, f);
    return `${pct(f.share)} of ${num(Math.round(f.requestsSince))} requests since ${m.id} appeared went to it, first used ${f.lagH.toFixed(1)} h after its release`;
  },
};
