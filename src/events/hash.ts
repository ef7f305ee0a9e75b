/**
 * @module events/hash
 * Small, fast, dependency-free hashes used by feature extraction and the detection sketches.
 * Deterministic across processes and machines (no per-process seeds), so a replayed log gives
 * the same features as live traffic.
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

/** A stable 64-bit hex digest (first 16 hex chars of SHA-256) for identities such as prompt skeletons. */
export function digest64(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Full SHA-256 hex, for secrets (API keys). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
