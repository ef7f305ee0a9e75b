/**
 * @module detect/signals/harvest-ratio
 * Harvest ratio: output tokens per input token the customer sends anew.
 *
 * > "Short prompts, long answers; `max_tokens` at the maximum." (issue 3)
 *
 * Enterprise batch, RAG and chat apps with history send long inputs for short outputs (ratio
 * well under 1); a harvester sends a short prompt for a long answer. Answers must also be long
 * in absolute terms (≥ 100 tokens on average) to count. Long one-shot answers (450 → 750 tokens
 * on average, 80 → 95% single-turn) count up to 0.85 even when the prompts are long too. Also checked per dominant template
 * frame, so harvest traffic mixed into a legitimate key's traffic still shows.
 *
 * The input counted is what the customer sends anew (`freshTok`, engine 1.9.0): a conversation's
 * history (the model's earlier answers, the earlier user turns) is billed as input again on every
 * turn but asks nothing new, so a program that harvests whole conversations (each follow-up
 * carrying every long answer before it) shows the ratio of its one-shot equivalent. One-shot
 * traffic is read as before.
 */
import type { AccountProfile } from '../profile.js';
import { FRAME_IN, FRAME_OUT } from '../profile.js';
import { type TopEntry, topkSortedInto } from '../sketches/topk.js';
import type { Signal } from './types.js';
import { num, pct, ramp, short } from './util.js';

/** Weight of long one-shot answers without a high ratio (long prompts for long answers). */
const LONG_ONLY = 0.85;

const ratioScore = (r: number) => ramp(Math.log2(Math.max(r, 1e-9)), Math.log2(1.5), Math.log2(8));

/** The key's own score: a high ratio with long answers, or long one-shot answers. */
function keyScore(p: AccountProfile): number {
  const ratio = p.outTok / Math.max(1, p.freshTok);
  const outPer = p.outTok / Math.max(1, p.n);
  // Long answers to one-shot prompts count even when prompts are not short (context + question).
  const oneShot = p.singleTurn / Math.max(1, p.n);
  const longAnswers = LONG_ONLY * ramp(outPer, 450, 750) * ramp(oneShot, 0.8, 0.95);
  return Math.max(ratioScore(ratio) * ramp(outPer, 100, 400), longAnswers);
}

/** The numbers behind a frame's score, written by `frameScore` when asked for. */
interface FrameFacts {
  share: number;
  ratio: number;
  out: number;
}

/** A dominant frame's score, or −1 when it is too small to judge or is nearly the whole key. */
function frameScore(p: AccountProfile, f: TopEntry, facts?: FrameFacts): number {
  const count = f.c - f.err;
  const share = count / Math.max(1, p.n);
  if (count < 20 || share >= 0.9) return -1;
  const fr = f.x[FRAME_OUT]! / Math.max(1, f.x[FRAME_IN]!);
  const fOut = f.x[FRAME_OUT]! / Math.max(1, f.c);
  if (facts) {
    facts.share = share;
    facts.ratio = fr;
    facts.out = fOut;
  }
  return ratioScore(fr) * ramp(fOut, 150, 500) * ramp(share, 0.05, 0.3);
}

/** The key's top frames, sorted into one reused array (scoring sorts them on every call). */
const frames: TopEntry[] = [];

/** The key's score and the frame that beats it (null when none does): the key's top 3 frames in order. */
function best(p: AccountProfile): { score: number; frame: TopEntry | null } {
  let score = keyScore(p);
  let frame: TopEntry | null = null;
  const top = topkSortedInto(p.frames, frames);
  for (let i = 0; i < top.length && i < 3; i++) {
    const s = frameScore(p, top[i]!);
    if (s > score) {
      score = s;
      frame = top[i]!;
    }
  }
  return { score, frame };
}

export const harvestRatio: Signal = {
  name: 'harvest_ratio',
  score(p) {
    let score = keyScore(p);
    const top = topkSortedInto(p.frames, frames);
    for (let i = 0; i < top.length && i < 3; i++) score = Math.max(score, frameScore(p, top[i]!));
    return score;
  },
  detail(p) {
    const ratio = p.outTok / Math.max(1, p.freshTok);
    const outPer = p.outTok / Math.max(1, p.n);
    const history =
      p.freshTok < p.inTok ? ` of ${num(p.inTok)} billed; the rest is conversation history sent back` : '';
    const base = `${num(p.outTok)} output vs ${num(p.freshTok)} input tokens${history} (ratio ${ratio.toFixed(1)}, ${num(outPer)} out/request)`;
    const { frame } = best(p);
    if (!frame) return base;
    const f: FrameFacts = { share: 0, ratio: 0, out: 0 };
    frameScore(p, frame, f);
    return `${base}; template ${short(frame.id)} (${pct(f.share)} of requests) has ratio ${f.ratio.toFixed(1)}, ${num(f.out)} out/request`;
  },
};
