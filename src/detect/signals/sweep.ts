/**
 * @module detect/signals/sweep
 * Topical coverage and evenness of a capability sweep.
 *
 * > "Prompts … sweep a capability systematically (agentic reasoning, tool use, coding, math,
 * > vision, multilingual reasoning)." (issue 3)
 *
 * Measures the effective number of capability domains (exp of the Shannon entropy of the
 * `prompt.domain` histogram, chat/other excluded) over traffic of one task per request (one-shot
 * requests and tool loops, whose only task is the one they started with; engine 1.7.0): a product
 * uses one or two capabilities; a sweep covers many evenly, one task after another, at volume.
 * Conversations are left out: a chat product's users talk about everything.
 */

import type { AccountProfile } from '../profile.js';
import { DOMAINS } from '../profile.js';
import { hllCount } from '../sketches/hll.js';
import type { Signal } from './types.js';
import { num, ramp } from './util.js';

const IGNORED = new Set(['chat', 'other']);

/** Requests in known domains (chat and other excluded). */
function knownTotal(p: AccountProfile): number {
  let total = 0;
  for (let i = 0; i < DOMAINS.length; i++) if (!IGNORED.has(DOMAINS[i]!)) total += p.domains[i]!;
  return total;
}

/** Shannon entropy (nats) of the known-domain histogram. */
function entropy(p: AccountProfile, total: number): number {
  let h = 0;
  for (let i = 0; i < DOMAINS.length; i++) {
    const c = p.domains[i]!;
    if (IGNORED.has(DOMAINS[i]!) || c === 0) continue;
    const q = c / total;
    h -= q * Math.log(q);
  }
  return h;
}

export const sweep: Signal = {
  name: 'sweep',
  score(p) {
    const total = knownTotal(p);
    if (total < 10) return 0;
    const eff = Math.exp(entropy(p, total));
    const oneTask = Math.min(1, (p.singleTurn + p.toolReq) / Math.max(1, p.n));
    return ramp(eff, 2.5, 6) * ramp(oneTask, 0.6, 0.9) * ramp(total, 30, 200);
  },
  detail(p) {
    const total = knownTotal(p);
    if (total < 10) return `${total} requests in known domains`;
    const h = entropy(p, total);
    const present = DOMAINS.filter((d, i) => !IGNORED.has(d) && p.domains[i]! / total >= 0.03);
    const evenness = present.length > 1 ? h / Math.log(present.length) : 0;
    const skels = hllCount(p.hll.skel);
    return `${Math.exp(h).toFixed(1)} effective domains (${present.join(', ') || 'none'}; evenness ${evenness.toFixed(2)}) over ${num(total)} requests, ~${num(Math.round(skels))} distinct skeletons`;
  },
};
