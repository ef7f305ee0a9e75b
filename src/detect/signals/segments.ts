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
 * shape × its share (3% → 0, 8% → full). Whole-key harvesting is left to the other signals.
 */
import type { AccountProfile } from '../profile.js';
import { SEG_ENDUSER, SEG_IN, SEG_MAXHIGH, SEG_OUT, SEG_SINGLE } from '../profile.js';
import type { TopEntry } from '../sketches/topk.js';
import type { SignalContext, SignalResult } from './types.js';
import { num, pct, ramp, short } from './util.js';

/** A segment needs at least this many requests to be judged. */
const MIN_REQUESTS = 15;

interface Seg {
  kind: string;
  id: string;
  score: number;
  share: number;
  ratio: number;
  out: number;
  single: number;
  scripted: number;
}

function segmentScore(p: AccountProfile, e: TopEntry, kind: string): Seg | null {
  const c = e.c;
  const count = c - e.err;
  const share = count / Math.max(1, p.n);
  if (count < MIN_REQUESTS || share < 0.03 || share > 0.85) return null;
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
  const score = shape * ramp(scripted, 0.5, 0.9) * ramp(share, 0.03, 0.08);
  return { kind, id: e.id, score, share, ratio, out, single, scripted };
}

export function harvestSegment(p: AccountProfile, _ctx: SignalContext): SignalResult {
  let best: Seg | null = null;
  for (const e of p.models.e) {
    const s = segmentScore(p, e, 'model');
    if (s && (!best || s.score > best.score)) best = s;
  }
  for (const e of p.systems.e) {
    const s = segmentScore(p, e, 'system prompt');
    if (s && (!best || s.score > best.score)) best = s;
  }
  if (!best || best.score === 0) return { score: 0, detail: 'no harvest-shaped segment' };
  const b = best;
  return {
    score: b.score,
    get detail() {
      const id = b.kind === 'model' ? b.id : b.id === '-' ? '(none)' : short(b.id);
      return `${pct(b.share)} of ${num(p.n)} requests (${b.kind} ${id}) are harvest-shaped: ${pct(b.single)} single-turn, output/input ${b.ratio.toFixed(1)}, ${num(b.out)} out/request, ${pct(b.scripted)} scripted (max_tokens pinned or no end user)`;
    },
  };
}
