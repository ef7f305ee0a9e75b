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
 * is weighted by its rarity in the population. A product's end users fill its template too:
 * requests attributed to returning end users (`attributedShare`, end-users.ts) are a
 * product's, not a script's, and do not count (score × (1 − attributed share), engine 1.5.0).
 */
import { rarity } from '../population.js';
import type { AccountProfile } from '../profile.js';
import { hllCount } from '../sketches/hll.js';
import { type TopEntry, topkSortedInto } from '../sketches/topk.js';
import { attributedShare } from './end-users.js';
import type { Signal, SignalContext } from './types.js';
import { num, pct, ramp, short } from './util.js';

/** The key's frames, sorted into one reused array (scoring sorts them on every call). */
const frames: TopEntry[] = [];

/** The numbers behind the score, rewritten by each call (signals run one at a time). */
const m = {
  covered: 0,
  perFrame: 0,
  distinct: 0,
  varied: 0,
  lead: null as TopEntry | null,
  orgs: 1,
  attributed: 0,
};

function measure(p: AccountProfile, ctx: SignalContext): number {
  if (p.n < 10) return 0;
  const top = topkSortedInto(p.frames, frames);
  let covered = 0;
  for (let i = 0; i < top.length && i < 3; i++) covered = covered + top[i]!.c - top[i]!.err;
  m.covered = covered / p.n;
  const frameCount = Math.max(1, hllCount(p.hll.frame));
  m.perFrame = p.n / frameCount;
  const templated = Math.max(ramp(m.covered, 0.5, 0.9), ramp(m.perFrame, 5, 30));
  const single = Math.max(1, p.singleTurn);
  m.distinct = Math.min(single, hllCount(p.hll.prompt));
  m.varied = m.distinct / single;
  m.lead = top[0] ?? null;
  m.orgs = m.lead ? (ctx.pop.frameOrgs.get(m.lead.id) ?? 1) : 1;
  const rare = rarity(m.orgs, ctx.pop);
  m.attributed = attributedShare(p);
  return templated * ramp(m.varied, 0.3, 0.8) * ramp(p.n, 30, 150) * (0.3 + 0.7 * rare) * (1 - m.attributed);
}

export const templateReuse: Signal = {
  name: 'template_reuse',
  score: measure,
  detail(p, ctx) {
    if (p.n < 10) return `${p.n} requests`;
    measure(p, ctx);
    const { lead, orgs } = m;
    return (
      `top 3 frames cover ${pct(m.covered)} of ${num(p.n)} requests (~${num(m.perFrame)} requests per frame), ` +
      `~${num(Math.round(m.distinct))} distinct prompts (${pct(m.varied)} of single-turn)` +
      (lead ? `; top frame ${short(lead.id)} used by ${orgs} org${orgs === 1 ? '' : 's'}` : '') +
      (m.attributed >= 0.05 ? `; ${pct(m.attributed)} attributed to returning end users` : '')
    );
  },
};
