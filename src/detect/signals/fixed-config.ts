/**
 * @module detect/signals/fixed-config
 * Scripted configuration: every request with the same model, the same explicit max_tokens and
 * the same system prompt (or none), one-shot, with no end-user attribution.
 *
 * > "Traffic is load-balanced so every key stays under its own limits … harvest traffic is
 * > mixed into unrelated, legitimate-looking requests" (issue 3): residential-proxy keys hide
 * > their timing and infrastructure, not the harvesting script's fixed request template.
 *
 * An automation signal (it only opens the gate for intent evidence, see scoring.ts): products
 * are scripted too, but a product serving people passes their ids (`user`) and carries
 * conversations; a harvesting client sends the same frozen request shape, anonymously.
 * Score = ramp(modal model share × modal max_tokens share × modal system share, 0.8, 0.98)
 * × single-turn share × (1 − end-user share) × ramp(requests, 20, 80).
 */
import type { AccountProfile } from '../profile.js';
import { topkSorted } from '../sketches/topk.js';
import type { SignalContext, SignalResult } from './types.js';
import { num, pct, ramp } from './util.js';

const topShare = (p: AccountProfile, which: 'models' | 'maxToks' | 'systems') => {
  const top = topkSorted(p[which])[0];
  return top ? (top.c - top.err) / Math.max(1, p.n) : 0;
};

export function fixedConfig(p: AccountProfile, _ctx: SignalContext): SignalResult {
  if (p.n < 20) return { score: 0, detail: `${p.n} requests` };
  const model = topShare(p, 'models');
  const maxTok = topShare(p, 'maxToks');
  const system = topShare(p, 'systems');
  const fixed = model * maxTok * system;
  const single = p.singleTurn / p.n;
  const anonymous = 1 - p.endUserReq / p.n;
  const score = ramp(fixed, 0.8, 0.98) * single * anonymous * ramp(p.n, 20, 80);
  return {
    score,
    get detail() {
      return `${pct(fixed)} of ${num(p.n)} requests share one model (${pct(model)}), one explicit max_tokens (${pct(maxTok)}) and one system prompt (${pct(system)}); ${pct(single)} single-turn, ${pct(1 - anonymous)} with end-user ids`;
    },
  };
}
