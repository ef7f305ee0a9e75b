/**
 * @module detect/signals/segments
 * Harvest segment: a slice of a key's traffic (one model, or one system prompt or none) that
 * looks like harvesting while the rest looks like a product.
 *
 * > "harvest traffic is mixed into unrelated, legitimate-looking requests" (issue 3); the
 * > simulator issue: "attack traffic mixed into a legitimate org's keys at 5–50%".
 *
 * A segment counts when it holds ≥ 3% and ≥ 15 of the key's requests and is (a) one-shot,
 * (b) long answers: for short prompts, 1.4–2.8× longer than the rest of the key's, or ≥ 500–700
 * tokens on average, (c) scripted: max_tokens pinned high, or no end-user
 * attribution although the rest of the key has it. Score = the segment's harvest
 * shape × its share (3% → 0, 8% → full) × (1 − served × rest alike): on a key whose requests name
 * returning end users (`attributedShare`, end-users.ts), a slice counts only as far as the rest
 * of the key is not one-shot, long-answer and max_tokens-pinned too, so a product that writes long
 * texts on each of its models is not a harvest slice of itself (engine 1.5.0). Whole-key
 * harvesting is left to the other signals.
 */
import type { AccountProfile } from '../profile.js';
import { SEG_ENDUSER, SEG_IN, SEG_MAXHIGH, SEG_OUT, SEG_SINGLE } from '../profile.js';
import type { TopEntry } from '../sketches/topk.js';
import { attributedShare } from './end-users.js';
import type { Signal } from './types.js';
import { num, pct, ramp, short } from './util.js';

/** A segment needs at least this many requests to be judged. */
const MIN_REQUESTS = 15;

/** The numbers behind a segment's score, written by `segmentScore` when asked for. */
interface SegFacts {
  share: number;
  ratio: number;
  out: number;
  single: number;
  scripted: number;
}

/**
 * A segment's score, or −1 when it is too small or too large to judge. `served` is the key's
 * share of requests attributed to returning end users (`attributedShare`).
 */
function segmentScore(p: AccountProfile, e: TopEntry, served: number, facts?: SegFacts): number {
  const c = e.c;
  const count = c - e.err;
  const share = count / Math.max(1, p.n);
  if (count < MIN_REQUESTS || share < 0.03 || share > 0.85) return -1;
  const x = e.x;
  const single = x[SEG_SINGLE]! / c;
  const ratio = x[SEG_OUT]! / Math.max(1, x[SEG_IN]!);
  const out = x[SEG_OUT]! / c;
  const restEndUser = (p.endUserReq - x[SEG_ENDUSER]!) / Math.max(1, p.n - c);
  const segEndUser = x[SEG_ENDUSER]! / c;
  const anonymous = ramp(restEndUser - segEndUser, 0.3, 0.8);
  const scripted = Math.max(x[SEG_MAXHIGH]! / c, anonymous);
  const restOut = (p.outTok - x[SEG_OUT]!) / Math.max(1, p.n - c);
  const long = Math.max(
    ramp(Math.log2(Math.max(ratio, 1e-9)), 1, 3),
    ramp(Math.log2(Math.max(out / Math.max(1, restOut), 1e-9)), 0.5, 1.5),
    ramp(out, 500, 700),
  );
  const shape = ramp(single, 0.8, 0.95) * long * ramp(out, 200, 500);
  // A product serving returning end users that writes long answers on every model it uses has
  // slices shaped like its whole: such a slice stands out from nothing (engine 1.5.0).
  const alike = served > 0 ? served * restAlike(p, x, c, restOut) : 0;
  if (facts) {
    facts.share = share;
    facts.ratio = ratio;
    facts.out = out;
    facts.single = single;
    facts.scripted = scripted;
  }
  return shape * ramp(scripted, 0.5, 0.9) * ramp(share, 0.03, 0.08) * (1 - alike);
}

/** How far the rest of the key (outside the slice) is one-shot, long-answer and max_tokens-pinned too. */
function restAlike(p: AccountProfile, x: readonly number[], c: number, restOut: number): number {
  const rest = Math.max(1, p.n - c);
  const single = (p.singleTurn - x[SEG_SINGLE]!) / rest;
  const high = (p.maxTokHigh - x[SEG_MAXHIGH]!) / rest;
  return ramp(single, 0.8, 0.95) * ramp(restOut, 200, 500) * ramp(high, 0.5, 0.9);
}

/** The best segment (models first, then system prompts; the first among equals), or null. */
function bestSegment(p: AccountProfile): { kind: string; e: TopEntry } | null {
  const served = attributedShare(p);
  let best = 0;
  let found: { kind: string; e: TopEntry } | null = null;
  for (const [kind, entries] of [
    ['model', p.models.e],
    ['system prompt', p.systems.e],
  ] as const)
    for (const e of entries) {
      const s = segmentScore(p, e, served);
      if (s > best) {
        best = s;
        found = { kind, e };
      }
    }
  return found;
}

export const harvestSegment: Signal = {
  name: 'harvest_segment',
  score(p) {
    const served = attributedShare(p);
    let best = 0;
    for (const e of p.models.e) best = Math.max(best, segmentScore(p, e, served));
    for (const e of p.systems.e) best = Math.max(best, segmentScore(p, e, served));
    return best;
  },
  detail(p) {
    const b = bestSegment(p);
    if (!b) return 'no harvest-shaped segment';
    const f: SegFacts = { share: 0, ratio: 0, out: 0, single: 0, scripted: 0 };
    segmentScore(p, b.e, attributedShare(p), f);
    const id = b.kind === 'model' ? b.e.id : b.e.id === '-' ? '(none)' : short(b.e.id);
    return `${pct(f.share)} of ${num(p.n)} requests (${b.kind} ${id}) are harvest-shaped: ${pct(f.single)} single-turn, output/input ${f.ratio.toFixed(1)}, ${num(f.out)} out/request, ${pct(f.scripted)} scripted (max_tokens pinned or no end user)`;
  },
};
