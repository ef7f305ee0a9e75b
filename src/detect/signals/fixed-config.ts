/**
 * @module detect/signals/fixed-config
 * Scripted configuration: every request with the same model, the same explicit max_tokens and
 * the same system prompt (or none), one-shot, with no real end-user attribution.
 *
 * > "Traffic is load-balanced so every key stays under its own limits … harvest traffic is
 * > mixed into unrelated, legitimate-looking requests" (issue 3): residential-proxy keys hide
 * > their timing and infrastructure, not the harvesting script's fixed request template.
 *
 * An automation signal (it opens the gate for intent evidence, and is gated by it, see
 * scoring.ts): products are scripted too, but a product serving people passes their ids
 * (`user`), and people come back: the same ids recur. A harvesting client sends the same frozen
 * request shape anonymously, or with a fresh made-up id on every request (attribution that
 * never recurs counts as none).
 * Score = ramp(modal model share × modal max_tokens share × modal system share, 0.8, 0.98)
 * × single-turn share × (1 − attributed share) × ramp(requests, 20, 80), where attributed share
 * = end-user share × ramp(1 − distinct ids ÷ requests with an id, 0.05, 0.3).
 */
import type { AccountProfile } from '../profile.js';
import { hllCount } from '../sketches/hll.js';
import { topkSorted } from '../sketches/topk.js';
import type { SignalContext, SignalResult } from './types.js';
import { num, pct, ramp } from './util.js';

const topShare = (p: AccountProfile, which: 'models' | 'maxToks' | 'systems') => {
  const top = topkSorted(p[which])[0];
  return top ? (top.c - top.err) / Math.max(1, p.n) : 0;
};

/** Share of requests attributed to end users who come back (ids that recur). */
export function attributedShare(p: AccountProfile): { share: number; recurring: number } {
  if (p.endUserReq === 0) return { share: 0, recurring: 0 };
  const distinct = Math.min(p.endUserReq, hllCount(p.hll.endUser));
  const recurring = ramp(1 - distinct / p.endUserReq, 0.05, 0.3);
  return { share: (p.endUserReq / Math.max(1, p.n)) * recurring, recurring };
}

export function fixedConfig(p: AccountProfile, _ctx: SignalContext): SignalResult {
  if (p.n < 20) return { score: 0, detail: `${p.n} requests` };
  const model = topShare(p, 'models');
  const maxTok = topShare(p, 'maxToks');
  const system = topShare(p, 'systems');
  const fixed = model * maxTok * system;
  const single = p.singleTurn / p.n;
  const attributed = attributedShare(p);
  const anonymous = 1 - attributed.share;
  const score = ramp(fixed, 0.8, 0.98) * single * anonymous * ramp(p.n, 20, 80);
  return {
    score,
    get detail() {
      const ids = p.endUserReq / p.n;
      const users =
        ids > 0 && attributed.recurring < 1
          ? `${pct(ids)} with end-user ids (${pct(1 - attributed.recurring)} of them never recur)`
          : `${pct(ids)} with end-user ids`;
      return `${pct(fixed)} of ${num(p.n)} requests share one model (${pct(model)}), one explicit max_tokens (${pct(maxTok)}) and one system prompt (${pct(system)}); ${pct(single)} single-turn, ${users}`;
    },
  };
}
