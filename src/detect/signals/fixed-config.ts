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
import { topkTop } from '../sketches/topk.js';
import { attributedShare, recurrence } from './end-users.js';
import type { Signal } from './types.js';
import { num, pct, ramp } from './util.js';

const topShare = (p: AccountProfile, which: 'models' | 'maxToks' | 'systems') => {
  const top = topkTop(p[which]);
  return top ? (top.c - top.err) / Math.max(1, p.n) : 0;
};

/** The numbers behind the score, rewritten by each call (signals run one at a time). */
const m = { model: 0, maxTok: 0, system: 0, fixed: 0, single: 0, recurring: 0 };

function measure(p: AccountProfile): number {
  if (p.n < 20) return 0;
  m.model = topShare(p, 'models');
  m.maxTok = topShare(p, 'maxToks');
  m.system = topShare(p, 'systems');
  m.fixed = m.model * m.maxTok * m.system;
  m.single = p.singleTurn / p.n;
  m.recurring = recurrence(p);
  const anonymous = 1 - attributedShare(p, m.recurring);
  return ramp(m.fixed, 0.8, 0.98) * m.single * anonymous * ramp(p.n, 20, 80);
}

export const fixedConfig: Signal = {
  name: 'fixed_config',
  score: measure,
  detail(p) {
    if (p.n < 20) return `${p.n} requests`;
    measure(p);
    const ids = p.endUserReq / p.n;
    const users =
      ids > 0 && m.recurring < 1
        ? `${pct(ids)} with end-user ids (${pct(1 - m.recurring)} of them never recur)`
        : `${pct(ids)} with end-user ids`;
    return `${pct(m.fixed)} of ${num(p.n)} requests share one model (${pct(m.model)}), one explicit max_tokens (${pct(m.maxTok)}) and one system prompt (${pct(m.system)}); ${pct(m.single)} single-turn, ${users}`;
  },
};
