/**
 * @module detect/signals/template-reuse
 * Template reuse: few frames covering many requests while the slots vary.
 *
 * > "Prompts are narrow, repetitive and high-volume, built from templates with variable
 * > slots." (issue 3)
 *
 * Templating = the top 3 frames cover most requests, or there are many requests per distinct
 * frame (paraphrased templates). Varying slots = distinct prompts (HLL) close to the request
 * count. A frame that many orgs share (a popular framework's format) counts for less: evidence
 * is weighted by its rarity in the population.
 */
import { rarity } from '../population.js';
import type { AccountProfile } from '../profile.js';
import { hllCount } from '../sketches/hll.js';
import { topkSorted } from '../sketches/topk.js';
import type { SignalContext, SignalResult } from './types.js';
import { num, pct, ramp, short } from './util.js';

export function templateReuse(p: AccountProfile, ctx: SignalContext): SignalResult {
  if (p.n < 10) return { score: 0, detail: `${p.n} requests` };
  const top = topkSorted(p.frames).slice(0, 3);
  const covered = top.reduce((s, e) => s + e.c - e.err, 0) / p.n;
  const frames = Math.max(1, hllCount(p.hll.frame));
  const perFrame = p.n / frames;
  const templated = Math.max(ramp(covered, 0.5, 0.9), ramp(perFrame, 5, 30));
  const single = Math.max(1, p.singleTurn);
  const distinct = Math.min(single, hllCount(p.hll.prompt));
  const varied = distinct / single;
  const lead = top[0];
  const orgs = lead ? (ctx.pop.frameOrgs.get(lead.id) ?? 1) : 1;
  const rare = rarity(orgs, ctx.pop);
  const score = templated * ramp(varied, 0.3, 0.8) * ramp(p.n, 30, 150) * (0.3 + 0.7 * rare);
  return {
    score,
    get detail() {
      return (
        `top 3 frames cover ${pct(covered)} of ${num(p.n)} requests (~${num(perFrame)} requests per frame), ` +
        `~${num(Math.round(distinct))} distinct prompts (${pct(varied)} of single-turn)` +
        (lead ? `; top frame ${short(lead.id)} used by ${orgs} org${orgs === 1 ? '' : 's'}` : '')
      );
    },
  };
}
