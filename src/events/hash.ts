/**
 * @module events/hash
 * Small, fast, dependency-free hashes used by feature extraction and the detection sketches,
 * and `mulberry32`, the seeded generator built on the same kind of mixing. Deterministic across
 * processes and machines (no per-process seeds), so a replayed log gives the same features as
 * live traffic.
 */
import { createHash } from 'node:crypto';

/** FNV-1a over UTF-16 code units, finished with murmur3's fmix32. Returns an unsigned 32-bit int. */
export function hash32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** murmur3 finalizer: a good 32-bit mixer. */
export function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * mulberry32: a tiny seeded generator of floats in [0, 1) (a counter run through a 32-bit
 * mixer). The mock upstream's answers and Louvain's node order use it, so both repeat exactly.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Two lower-case hex digits of each byte value. */
const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
/** `(n >>> 0).toString(16).padStart(8, '0')`, by bytes from a table. */
const HEX8 = (n: number) =>
  HEX_BYTE[n >>> 24]! + HEX_BYTE[(n >>> 16) & 255]! + HEX_BYTE[(n >>> 8) & 255]! + HEX_BYTE[n & 255]!;

/**
 * A fast, stable 64-bit hex digest (16 hex chars) for identities that are not secrets: prompt
 * skeletons, template frames, system prompts, client fingerprints. Two independent 32-bit lanes
 * in one pass over the UTF-16 code units (FNV-1a, and a murmur-style multiply-rotate lane with
 * another seed), each finished with murmur3's fmix32 over the lane, the length and the other
 * lane. Every hex digit is well mixed, so any 8 of them serve as a 32-bit hash.
 */
export function hash64(text: string): string {
  hashLanes(text);
  return HEX8(lanes.a) + HEX8(lanes.b);
}

/** `hash64`'s two finished lanes as one number of 53 bits (all of lane a, 21 bits of lane b). */
export function hash53(text: string): number {
  hashLanes(text);
  return lanes.a * 0x200000 + (lanes.b >>> 11);
}

/** The finished lanes of the last `hashLanes` call (one object, rewritten: no allocation per hash). */
const lanes = { a: 0, b: 0 };

function hashLanes(text: string): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  const n = text.length;
  lanes.a = fmix32((a ^ Math.imul(n, 0x9e3779b1)) >>> 0);
  lanes.b = fmix32((b ^ lanes.a ^ n) >>> 0);
}

/**
 * `hash64` of a text given as UTF-16 code units: `units[from..to)`, then `middle`, then
 * `units[from2..to2)` (empty ranges allowed). The same digest as `hash64` of the joined text,
 * without building it.
 */
export function hash64Units(
  units: Uint16Array,
  from: number,
  to: number,
  middle = '',
  from2 = 0,
  to2 = 0,
): string {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = from; i < to; i++) {
    const c = units[i]!;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  for (let i = 0; i < middle.length; i++) {
    const c = middle.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  for (let i = from2; i < to2; i++) {
    const c = units[i]!;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  const n = to - from + middle.length + Math.max(0, to2 - from2);
  const ha = fmix32((a ^ Math.imul(n, 0x9e3779b1)) >>> 0);
  const hb = fmix32((b ^ ha ^ n) >>> 0);
  return HEX8(ha) + HEX8(hb);
}

/** A stable 64-bit hex digest (first 16 hex chars of SHA-256), for ids derived from raw log lines. */
export function digest64(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Full SHA-256 hex, for secrets (API keys). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
