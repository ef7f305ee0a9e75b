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
  const sig = new Array<number>(MINHASH_SIZE).fill(EMPTY);
  const spans = wordSpans(text);
  if (spans !== null) {
    fillSpans(sig, spans.lower, spans.bounds, spans.count);
    return densify(sig);
  }
  const toks = words(text);
  const n = Math.max(1, toks.length - SHINGLE + 1);
  for (let i = 0; i < n; i++) {
    let h = 0x9e3779b9;
    for (let j = i; j < Math.min(i + SHINGLE, toks.length); j++) h = hash32(toks[j]!, h);
    if (toks.length === 0) break;
    add(sig, h);
  }
  return densify(sig);
}

function add(sig: number[], h: number): void {
  const bucket = h % MINHASH_SIZE;
  const value = fmix32(h ^ 0x5bd1e995);
  if (value < sig[bucket]!) sig[bucket] = value;
}

/** `hash32(text.slice(start, end), seed)` without making the slice. */
function hashSpan(text: string, start: number, end: number, seed: number): number {
  let h = seed >>> 0;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

function fillSpans(sig: number[], lower: string, bounds: Int32Array, count: number): void {
  if (count === 0) return;
  const n = Math.max(1, count - SHINGLE + 1);
  for (let i = 0; i < n; i++) {
    let h = 0x9e3779b9;
    const last = Math.min(i + SHINGLE, count);
    for (let j = i; j < last; j++) h = hashSpan(lower, bounds[2 * j]!, bounds[2 * j + 1]!, h);
    add(sig, h);
  }
}

/** Word-character class of non-ASCII code points: 0 unknown, 1 word, 2 not. */
const classOf = new Map<number, boolean>();
const WORD_CHAR = /^[\p{L}\p{N}_]$/u;

function isWordCodePoint(cp: number): boolean {
  let known = classOf.get(cp);
  if (known === undefined) {
    known = WORD_CHAR.test(String.fromCodePoint(cp));
    if (classOf.size < 65536) classOf.set(cp, known);
  }
  return known;
}

const bounds = new Int32Array(2 * MAX_WORDS);

/**
 * The first MAX_WORDS words of `text` as spans of its lower-cased copy: the same words, lower-cased
 * the same, as `words(text)`, found without a string per word. Null when lower-casing the whole
 * text could differ from lower-casing word by word (a length change such as `İ`, or a capital
 * sigma, whose lower case depends on what follows): the caller then takes the slow path.
 */
function wordSpans(text: string): { lower: string; bounds: Int32Array; count: number } | null {
  const lower = text.toLowerCase();
  if (lower.length !== text.length || text.includes('Σ')) return null;
  let count = 0;
  let start = -1;
  let i = 0;
  while (i < lower.length && count < MAX_WORDS) {
    const c = lower.charCodeAt(i);
    let width = 1;
    let word: boolean;
    if (c < 128) word = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || (c >= 65 && c <= 90);
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < lower.length) {
      const cp = lower.codePointAt(i)!;
      width = cp > 0xffff ? 2 : 1;
      word = isWordCodePoint(cp);
    } else word = isWordCodePoint(c);
    if (word) {
      if (start === -1) start = i;
    } else if (start !== -1) {
      bounds[2 * count] = start;
      bounds[2 * count + 1] = i;
      count++;
      start = -1;
    }
    i += width;
  }
  if (start !== -1 && count < MAX_WORDS) {
    bounds[2 * count] = start;
    bounds[2 * count + 1] = i;
    count++;
  }
  return { lower, bounds, count };
}

const PROBES = 63;
/** The bins probed for each empty bin, in order (`fmix32(i·φ + attempt) mod size`): fixed, so computed once. */
const PROBE = (() => {
  const t = new Uint8Array(MINHASH_SIZE * PROBES);
  for (let i = 0; i < MINHASH_SIZE; i++)
    for (let attempt = 1; attempt <= PROBES; attempt++)
      t[i * PROBES + attempt - 1] = fmix32(i * 0x9e3779b1 + attempt) % MINHASH_SIZE;
  return t;
})();

/** Fill empty bins by borrowing from a pseudo-randomly probed non-empty bin (optimal densification). */
function densify(sig: number[]): number[] {
  let empty = 0;
  for (let i = 0; i < sig.length; i++) if (sig[i] === EMPTY) empty++;
  if (empty === 0 || empty === sig.length) return sig;
  const out = sig.slice();
  for (let i = 0; i < out.length; i++) {
    if (sig[i] !== EMPTY) continue;
    const row = i * PROBES;
    for (let k = 0; k < PROBES; k++) {
      const v = sig[PROBE[row + k]!]!;
      if (v !== EMPTY) {
        out[i] = v;
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
