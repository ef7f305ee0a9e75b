/**
 * @module events/minhash
 * One-permutation MinHash with optimal densification (Shrivastava 2017): one hash per shingle,
 * binned into MINHASH_SIZE buckets, empty buckets filled from their neighbours. O(shingles),
 * so it stays cheap on long prompts. The probability that two signatures agree in a slot
 * estimates the Jaccard similarity of the two shingle sets.
 */
import { fmix32, hash32 } from './hash.js';

export const MINHASH_SIZE = 32;
/** Shingle width in words. */
const SHINGLE = 3;
/** Only the first words of a prompt are shingled; near-duplicates agree early. */
const MAX_WORDS = 400;
const EMPTY = 0xffffffff;

const WORD = /[\p{L}\p{N}_]+/gu;

export function words(text: string, limit = MAX_WORDS): string[] {
  const out: string[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m !== null && out.length < limit; m = WORD.exec(text)) {
    out.push(m[0].toLowerCase());
  }
  return out;
}

/** MinHash signature of the word shingles of `text`. An empty text gives all-EMPTY slots. */
export function minhash(text: string): number[] {
  const toks = words(text);
  const sig = new Array<number>(MINHASH_SIZE).fill(EMPTY);
  const n = Math.max(1, toks.length - SHINGLE + 1);
  for (let i = 0; i < n; i++) {
    let h = 0x9e3779b9;
    for (let j = i; j < Math.min(i + SHINGLE, toks.length); j++) h = hash32(toks[j]!, h);
    if (toks.length === 0) break;
    const bucket = h % MINHASH_SIZE;
    const value = fmix32(h ^ 0x5bd1e995);
    if (value < sig[bucket]!) sig[bucket] = value;
  }
  return densify(sig);
}

/** Fill empty bins by borrowing from a pseudo-randomly probed non-empty bin (optimal densification). */
function densify(sig: number[]): number[] {
  if (sig.every((v) => v === EMPTY)) return sig;
  const out = sig.slice();
  for (let i = 0; i < out.length; i++) {
    if (sig[i] !== EMPTY) continue;
    for (let attempt = 1; attempt < 64; attempt++) {
      const j = fmix32(i * 0x9e3779b1 + attempt) % out.length;
      if (sig[j] !== EMPTY) {
        out[i] = sig[j]!;
        break;
      }
    }
  }
  return out;
}

/** Estimated Jaccard similarity of two signatures. */
export function similarity(a: readonly number[], b: readonly number[]): number {
  let same = 0;
  const len = Math.min(a.length, b.length);
  if (len === 0) return 0;
  for (let i = 0; i < len; i++) if (a[i] === b[i] && a[i] !== EMPTY) same++;
  return same / len;
}

/** LSH band keys: `bands` groups of `rows` slots each, hashed. Signatures that share a key are candidates. */
export function lshBands(sig: readonly number[], bands = 8, rows = 4): number[] {
  const keys: number[] = [];
  for (let b = 0; b < bands; b++) {
    let h = 0x811c9dc5 ^ b;
    for (let r = 0; r < rows; r++) h = fmix32(h ^ (sig[b * rows + r] ?? 0));
    keys.push(h);
  }
  return keys;
}
