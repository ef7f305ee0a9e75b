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
  const r = h.r;
  const m = r.length;
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < m; i++) {
    const v = r[i]!;
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
  const d = dst.r;
  const s = src.r;
  if (s.length === d.length && d.length % 4 === 0 && d.byteOffset % 4 === 0 && s.byteOffset % 4 === 0) {
    maxWords(
      new Uint32Array(d.buffer, d.byteOffset, d.length / 4),
      new Uint32Array(s.buffer, s.byteOffset, s.length / 4),
    );
    return;
  }
  for (let i = 0; i < d.length; i++) if (s[i]! > d[i]!) d[i] = s[i]!;
}

/**
 * Byte-wise max of `src` into `dst`, four registers per 32-bit word. A register holds a rank of at
 * most 33 (< 128), so `(s | 0x80808080) − d` never borrows across bytes and its high bit in each
 * byte says s ≥ d there; that bit, spread over its byte, selects s or d.
 */
function maxWords(dst: Uint32Array, src: Uint32Array): void {
  for (let i = 0; i < dst.length; i++) {
    const s = src[i]!;
    if (s === 0) continue;
    const d = dst[i]!;
    const ge = (((s | 0x80808080) - d) & 0x80808080) >>> 7;
    const pick = Math.imul(ge, 0xff);
    dst[i] = ((s & pick) | (d & ~pick)) >>> 0;
  }
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
