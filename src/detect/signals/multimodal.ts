/**
 * @module detect/signals/multimodal
 * Bulk multimodal extraction: images in one-shot requests, at volume, for long descriptions.
 *
 * > "sweep a capability systematically (… vision …)" (issue 3)
 *
 * Document apps send images of forms and charts and get short structured answers, often inside
 * a conversation; harvesters send one image per one-shot request and want a long answer.
 * Score = image share × single-turn share × volume × answer length.
 */
import type { Signal } from './types.js';
import { num, pct, ramp } from './util.js';

export const multimodalBulk: Signal = {
  name: 'multimodal_bulk',
  score(p) {
    if (p.imageReq === 0) return 0;
    const n = Math.max(1, p.n);
    const share = p.imageReq / n;
    const single = p.singleTurn / n;
    const outPer = p.outTok / n;
    return (
      ramp(share, 0.3, 0.8) * ramp(p.imageReq, 30, 300) * ramp(single, 0.6, 0.9) * ramp(outPer, 150, 500)
    );
  },
  detail(p) {
    if (p.imageReq === 0) return 'no image inputs';
    const n = Math.max(1, p.n);
    return `${num(p.images)} images in ${num(p.imageReq)} requests (${pct(p.imageReq / n)} of traffic, ${pct(p.singleTurn / n)} single-turn), ${num(p.outTok / n)} output tokens/request`;
  },
};
