/**
 * @module detect/signals/sweep
 * Topical coverage and evenness of a capability sweep.
 *
 * > "Prompts … sweep a capability systematically (agentic reasoning, tool use, coding, math,
 * > vision, multilingual reasoning)." (issue 3)
 *
 * Measures the effective number of capability domains (exp of the Shannon entropy of the
 * `prompt.domain` histogram, chat/other excluded) over single-turn traffic: a product uses one or
 * two capabilities; a sweep covers many evenly, in one-shot requests, at volume.
 */

import type { AccountProfile } from '../profile.js';
import { DOMAINS } from '../profile.js';
import { hllCount } from '../sketches/hll.js';
import type { SignalContext, SignalResult } from './types.js';
import { num, ramp } from './util.js';

const IGNORED = new Set(['chat', 'other']);

export function sweep(p: AccountProfile, _ctx: SignalContext): SignalResult {
  let total = 0;
  for (let i = 0; i < DOMAINS.length; i++) if (!IGNORED.has(DOMAINS[i]!)) total += p.domains[i]!;
  if (total < 10) return { score: 0, detail: `${total} requests in known domains` };
  let h = 0;
  const present: string[] = [];
  for (let i = 0; i < DOMAINS.length; i++) {
    const c = p.domains[i]!;
    if (IGNORED.has(DOMAINS[i]!) || c === 0) continue;
    const q = c / total;
    h -= q * Math.log(q);
    if (q >= 0.03) present.push(DOMAINS[i]!);
  }
  const eff = Math.exp(h);
  const evenness = present.length > 1 ? h / Math.log(present.length) : 0;
  const single = p.singleTurn / Math.max(1, p.n);
  const score = ramp(eff, 2.5, 6) * ramp(single, 0.6, 0.9) * ramp(total, 30, 200);
  return {
    score,
    get detail() {
      const skels = hllCount(p.hll.skel);
      return `${eff.toFixed(1)} effective domains (${present.join(', ') || 'none'}; evenness ${evenness.toFixed(2)}) over ${num(total)} requests, ~${num(Math.round(skels))} distinct skeletons`;
    },
  };
}
