/**
 * @module detect/sketches/countmin
 * Count-min sketch (Cormode & Muthukrishnan 2005): d rows of w counters; an estimate never
 * undercounts and overcounts by at most εN (ε = e/w) with probability 1 − e^(−d).
 * Used by the population for request counts per model and per rare hash.
 */
import { fmix32 } from '../../events/hash.js';

export interface CountMin {
  d: number;
  w: number;
  c: Uint32Array;
}

export const countMinNew = (d = 4, w = 1024): CountMin => ({ d, w, c: new Uint32Array(d * w) });

const cell = (s: CountMin, row: number, hash: number) =>
  row * s.w + (fmix32(hash ^ Math.imul(row + 1, 0x9e3779b1)) % s.w);

export function countMinAdd(s: CountMin, hash: number, by = 1): void {
  for (let r = 0; r < s.d; r++) {
    const i = cell(s, r, hash);
    s.c[i] = s.c[i]! + by;
  }
}

export function countMinGet(s: CountMin, hash: number): number {
  let min = Number.POSITIVE_INFINITY;
  for (let r = 0; r < s.d; r++) min = Math.min(min, s.c[cell(s, r, hash)]!);
  return min;
}
