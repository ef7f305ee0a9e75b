/**
 * @module detect/signals/logprobs
 * Logprob and logit-bias extraction.
 *
 * > "logprobs with `top_logprobs` and large `logit_bias` maps, used to extract the model's
 * > output layer." (issue 3; Carlini et al. 2024, "Stealing part of a production language model")
 *
 * Classifiers legitimately read one or two logprobs, and a few banned tokens via a small
 * logit_bias are common. Extraction asks for the maximum top_logprobs on most requests, or sends
 * large logit_bias maps (tens to hundreds of entries, often ±100).
 */
import type { AccountProfile } from '../profile.js';
import type { Signal } from './types.js';
import { num, pct, ramp } from './util.js';

const highShare = (p: AccountProfile) => p.highTopLp / Math.max(1, p.n);
const biasShare = (p: AccountProfile) => p.largeBiasReq / Math.max(1, p.n);

export const logprobExtraction: Signal = {
  name: 'logprob_extraction',
  score: (p) => Math.max(ramp(highShare(p), 0.2, 0.8), ramp(biasShare(p), 0.05, 0.3)) * ramp(p.n, 5, 20),
  detail(p, ctx) {
    const avgTop = p.topLpSum / Math.max(1, p.logprobReq);
    return (
      `${pct(highShare(p))} of ${num(p.n)} requests ask top_logprobs ≥ ${ctx.cfg.signals.highTopLogprobs} (mean ${avgTop.toFixed(1)}); ` +
      `${pct(biasShare(p))} send logit_bias maps of ≥ ${ctx.cfg.signals.largeLogitBias} entries (largest ${p.biasSizeMax})`
    );
  },
};
