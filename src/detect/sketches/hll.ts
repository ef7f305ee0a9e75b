/**
 * @module detect/sketches/hll
 * HyperLogLog (Flajolet et al. 2007) with the small-range linear-counting correction, over
 * 32-bit hashes. 2^p one-byte registers: p = 8 gives 256 bytes and ≈ 6.5% standard error
 * (1.04/√m), plenty for "how many distinct skeletons did this account send".
 * Plain data (`{ p, r }`) so profiles serialize and merge trivially.
 */
import { fmix32 } from '../../events/hash.js';

export interface Hll {
  p: number;
  r: Uint8Array;
}

export function hllNew(p = 8): Hll {
  return { p, r: new Uint8Array(1 << p) };
}

/** Adds a 32-bit hash (already well mixed, e.g. from `hash32` or a hex digest). */
export function hllAdd(h: Hll, hash: number): void {
  const x = fmix32(hash);
  const idx = x >>> (32 - h.p);
  const w = (x << h.p) >>> 0;
  const rank = w === 0 ? 32 - h.p + 1 : Math.clz32(w) + 1;
  if (rank > h.r[idx]!) h.r[idx] = rank;
}

const POW = Float64Array.from({ length: 64 }, (_, i) => 2 ** -i);

export function hllCount(h: Hll): number {
  const m = h.r.length;
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < m; i++) {
    const v = h.r[i]!;
    sum += POW[v]!;
    if (v === 0) zeros++;
  }
  const alpha = m === 16 ? 0.673 : m === 32 ? 0.697 : m === 64 ? 0.709 : 0.7213 / (1 + 1.079 / m);
  const est = (alpha * m * m) / sum;
  if (est <= 2.5 * m && zeros > 0) return m * Math.log(m / zeros);
  return est;
}

/** Register-wise max into a new sketch (inputs are not mutated). Precisions must match. */
export function hllMerge(a: Hll, b: Hll): Hll {
  const out = hllNew(a.p);
  for (let i = 0; i < out.r.length; i++) out.r[i] = Math.max(a.r[i]!, b.r[i] ?? 0);
  return out;
}

/** Register-wise max of `src` into `dst` (which the caller owns). */
export function hllMergeInto(dst: Hll, src: Hll): void {
  for (let i = 0; i < dst.r.length; i++) if (src.r[i]! > dst.r[i]!) dst.r[i] = src.r[i]!;
}

/** 32-bit hash of a 16-hex-char digest (events/hash digest64): its first 8 hex digits. */
export function hexHash(hex: string): number {
  // Digit by digit (no substring, no parseInt); anything but 8 leading hex digits takes parseInt's rules.
  if (hex.length < 8) return Number.parseInt(hex.slice(0, 8), 16) >>> 0;
  let v = 0;
  for (let i = 0; i < 8; i++) {
    const d = HEX_DIGIT[hex.charCodeAt(i)] ?? 255;
    if (d === 255) return Number.parseInt(hex.slice(0, 8), 16) >>> 0;
    v = v * 16 + d;
  }
  return v >>> 0;
}

/** Value of each hex digit by char code (0–9, a–f, A–F); 255 for anything else. */
const HEX_DIGIT = (() => {
  const t = new Uint8Array(128).fill(255);
  for (let i = 0; i < 10; i++) t[48 + i] = i;
  for (let i = 0; i < 6; i++) {
    t[97 + i] = 10 + i;
    t[65 + i] = 10 + i;
  }
  return t;
})();
