/**
 * @module detect/signals/harvest-ratio
 * Harvest ratio: output tokens per input token.
 *
 * > "Short prompts, long answers; `max_tokens` at the maximum." (issue 3)
 *
 * Enterprise batch, RAG and chat apps with history send long inputs for short outputs (ratio
 * well under 1); a harvester sends a short prompt for a long answer. Answers must also be long
 * in absolute terms (≥ 100 tokens on average) to count. Long one-shot answers (450 → 750 tokens
 * on average, 80 → 95% single-turn) count up to 0.85 even when the prompts are long too. Also checked per dominant template
 * frame, so harvest traffic mixed into a legitimate key's traffic still shows.
 */
import type { AccountProfile } from '../profile.js';
import { FRAME_IN, FRAME_OUT } from '../profile.js';
import { topkSorted } from '../sketches/topk.js';
import type { SignalContext, SignalResult } from './types.js';
import { num, pct, ramp, short } from './util.js';

/** Weight of long one-shot answers without a high ratio (long prompts for long answers). */
const LONG_ONLY = 0.85;

const ratioScore = (r: number) => ramp(Math.log2(Math.max(r, 1e-9)), Math.log2(1.5), Math.log2(8));

export function harvestRatio(p: AccountProfile, _ctx: SignalContext): SignalResult {
  const ratio = p.outTok / Math.max(1, p.inTok);
  const outPer = p.outTok / Math.max(1, p.n);
  // Long answers to one-shot prompts count even when prompts are not short (context + question).
  const oneShot = p.singleTurn / Math.max(1, p.n);
  const longAnswers = LONG_ONLY * ramp(outPer, 450, 750) * ramp(oneShot, 0.8, 0.95);
  let score = Math.max(ratioScore(ratio) * ramp(outPer, 100, 400), longAnswers);
  let frame: { id: string; share: number; ratio: number; out: number } | null = null;
  for (const f of topkSorted(p.frames).slice(0, 3)) {
    const count = f.c - f.err;
    const share = count / Math.max(1, p.n);
    if (count < 20 || share >= 0.9) continue;
    const fr = f.x[FRAME_OUT]! / Math.max(1, f.x[FRAME_IN]!);
    const fOut = f.x[FRAME_OUT]! / Math.max(1, f.c);
    const s = ratioScore(fr) * ramp(fOut, 150, 500) * ramp(share, 0.05, 0.3);
    if (s > score) {
      score = s;
      frame = { id: f.id, share, ratio: fr, out: fOut };
    }
  }
  return {
    score,
    get detail() {
      const base = `${num(p.outTok)} output vs ${num(p.inTok)} input tokens (ratio ${ratio.toFixed(1)}, ${num(outPer)} out/request)`;
      return frame
        ? `${base}; template ${short(frame.id)} (${pct(frame.share)} of requests) has ratio ${frame.ratio.toFixed(1)}, ${num(frame.out)} out/request`
        : base;
    },
  };
}
