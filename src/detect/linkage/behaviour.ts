/**
 * @module detect/linkage/behaviour
 * Behavioural similarity between two keys: the cosine of their behaviour vectors (capability
 * mix, turn structure, tool use, CoT/grading/image/logprob shares, answer and prompt length,
 * max_tokens setting). Keys of one operator run the same script and look alike; it is only
 * used as corroborating evidence on top of shared infrastructure or content.
 */

import type { AccountProfile } from '../profile.js';
import { DOMAINS } from '../profile.js';
import { topkTop } from '../sketches/topk.js';

/** Length of a behaviour vector. */
const VECTOR_LENGTH = DOMAINS.length + 13;

/** The key's behaviour vector: a new array, or written into `into` (every value is written). */
export function behaviourVector(p: AccountProfile, into?: Float64Array): Float64Array {
  const n = Math.max(1, p.n);
  const v = into?.length === VECTOR_LENGTH ? into : new Float64Array(VECTOR_LENGTH);
  for (let i = 0; i < DOMAINS.length; i++) v[i] = p.domains[i]! / n;
  let j = DOMAINS.length;
  v[j++] = p.singleTurn / n;
  v[j++] = p.multiTurn / n;
  v[j++] = p.toolReq / n;
  v[j++] = p.cot / n;
  v[j++] = p.grading / n;
  v[j++] = p.imageReq / n;
  v[j++] = p.logprobReq / n;
  v[j++] = p.endUserReq / n;
  v[j++] = p.maxTokHigh / n;
  v[j++] = Math.log10(1 + p.outTok / n) / 4;
  v[j++] = Math.log10(1 + p.inTok / n) / 4;
  const top = topkTop(p.maxToks);
  v[j++] = top ? Math.log2(1 + Number(top.id)) / 14 : 0;
  v[j++] = p.multiN / n;
  return v;
}

export function cosine(a: Float64Array, b: Float64Array): number {
  return cosineWithNorms(a, b, squaredNorm(a), squaredNorm(b));
}

/** Σ v[i]², summed in index order (as `cosine` sums it). */
export function squaredNorm(v: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  return sum;
}

/** `cosine(a, b)` given both squared norms (a pass compares one key with many: its norm once). */
export function cosineWithNorms(a: Float64Array, b: Float64Array, na: number, nb: number): number {
  if (na === 0 || nb === 0) return 0;
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot / Math.sqrt(na * nb);
}
