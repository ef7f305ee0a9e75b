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
export const MAX_WORDS = 400;
const EMPTY = 0xffffffff;
/** `fmix32` as a module-local binding: the hot loops call it without an imported-binding lookup. */
const mix = fmix32;

/**
 * A word: a maximal run of word characters (`[\p{L}\p{N}_]`), except that each word character of
 * a script written without spaces between words (Han, Hiragana, Katakana) is a word of its own,
 * so that the shingles of Chinese or Japanese text are character trigrams, which near-duplicates
 * share as English ones share word trigrams.
 */
const WORD =
  /(?=[\p{L}\p{N}_])[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]|(?:(?![\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}])[\p{L}\p{N}_])+/gu;

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
  const lower = text.toLowerCase();
  const count = lower.length === text.length && !text.includes('Σ') ? wordSpans(lower) : -1;
  if (count >= 0) {
    return minhashOfSpans(lower, bounds, count);
  }
  const sig = new Array<number>(MINHASH_SIZE).fill(EMPTY);
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

/**
 * `minhash(text)` given `lower = text.toLowerCase()` and its words as `count` spans
 * (`spans[2k]`, `spans[2k + 1]`: start and end of word k): the first `count` of them, at most
 * MAX_WORDS, must be the words `words(text)` finds.
 */
function minhashOfSpans(lower: string, spans: Int32Array, count: number): number[] {
  scratch.fill(EMPTY);
  fillSpans(lower, Math.min(count, MAX_WORDS), spans);
  return shingledSignature();
}

function add(sig: number[], h: number): void {
  const bucket = h % MINHASH_SIZE;
  const value = fmix32(h ^ 0x5bd1e995);
  if (value < sig[bucket]!) sig[bucket] = value;
}

/** The signature being filled by the fast path (values are unsigned 32-bit, like `add`'s). */
const scratch = new Uint32Array(MINHASH_SIZE);

/** Seed of a shingle's hash chain. */
export const SHINGLE_SEED = 0x9e3779b9;

/**
 * Starts a signature in `scratch`, for callers that hash the shingles themselves (`fillSpans`
 * and the probe scan, which shingles the words it walks: see `probeText`), then `addShingle`
 * each shingle's hash and take `shingledSignature()`.
 */
export function clearShingles(): void {
  scratch.fill(EMPTY);
}

/**
 * The signature of the shingles added since `clearShingles`, densified (`densify`'s rule, read
 * from `scratch`): one new array, of doubles from the start (copied from a template, so storing
 * values past the small-integer range does not convert it).
 */
export function shingledSignature(): number[] {
  let empty = 0;
  for (let i = 0; i < MINHASH_SIZE; i++) if (scratch[i] === EMPTY) empty++;
  const sig = DOUBLES.slice();
  for (let i = 0; i < MINHASH_SIZE; i++) {
    let v = scratch[i]!;
    if (v === EMPTY && empty !== MINHASH_SIZE) {
      const row = i * PROBES;
      for (let k = 0; k < PROBES; k++) {
        const borrowed = scratch[PROBE[row + k]!]!;
        if (borrowed !== EMPTY) {
          v = borrowed;
          break;
        }
      }
    }
    sig[i] = v;
  }
  return sig;
}

/** A signature-sized array of doubles, copied by `shingledSignature`. */
const DOUBLES = new Array<number>(MINHASH_SIZE).fill(0.5);

/**
 * Shingles of the `count` words in `spans` (of the lower-cased `text`) into `scratch`: for each,
 * the chained `hash32` of its words (`hash32(word, seed)` inlined, without slicing the word),
 * then `add`'s bucket and value.
 *
 * Each word is hashed three times, as the first, second and third word of a shingle, with
 * different seeds; the three hashes are computed in one walk over the word's characters as
 * independent chains (their multiplications overlap instead of waiting on one another). The
 * first chain's seed is fixed; the second's and third's are the hashes the previous word left
 * as a first and a second word.
 */
function fillSpans(text: string, count: number, spans: Int32Array): void {
  if (count === 0) return;
  // The previous word's hash as a shingle's first word, and as its second word.
  let asFirst = 0;
  let asSecond = 0;
  for (let j = 0; j < count; j++) {
    let x0 = SHINGLE_SEED;
    let x1 = asFirst;
    let x2 = asSecond;
    const end = spans[2 * j + 1]!;
    for (let k = spans[2 * j]!; k < end; k++) {
      const c = text.charCodeAt(k);
      x0 = Math.imul(x0 ^ c, 0x01000193);
      x1 = Math.imul(x1 ^ c, 0x01000193);
      x2 = Math.imul(x2 ^ c, 0x01000193);
    }
    // The third chain completes the shingle that started two words back.
    if (j >= 2) addShingle(mix(x2));
    asSecond = mix(x1);
    asFirst = mix(x0);
  }
  // Fewer than SHINGLE (3, which the three chains above assume) words make one short shingle.
  if (count === 1) addShingle(asFirst);
  else if (count === 2) addShingle(asSecond);
}

/** Adds a shingle of hash `h` (a chained `hash32` of its words, mixed) to `scratch`. */
export function addShingle(h: number): void {
  // `h % MINHASH_SIZE` for an unsigned h and a power-of-two size, without a floating-point modulo.
  const bucket = h & (MINHASH_SIZE - 1);
  const value = mix(h ^ 0x5bd1e995);
  if (value < scratch[bucket]!) scratch[bucket] = value;
}

/** Classes of code points for `words`: not a word character, a word character, a word of its own. */
const NOT_WORD = 2;
const IN_WORD = 1;
const SOLO = 3;
/** The class of code points: a table for the BMP (0 unknown), a map above. */
const bmpWord = new Uint8Array(0x10000);
const astralWord = new Map<number, number>();
const WORD_CHAR = /^[\p{L}\p{N}_]$/u;
const SOLO_CHAR = /^[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]$/u;

function classOf(ch: string): number {
  if (!WORD_CHAR.test(ch)) return NOT_WORD;
  return SOLO_CHAR.test(ch) ? SOLO : IN_WORD;
}

/** The class of a code point (NOT_WORD, IN_WORD or SOLO), as `words` reads it. */
function wordClass(cp: number): number {
  if (cp < 0x10000) {
    const known = bmpWord[cp]!;
    if (known !== 0) return known;
    const k = classOf(String.fromCharCode(cp));
    bmpWord[cp] = k;
    return k;
  }
  let known = astralWord.get(cp);
  if (known === undefined) {
    known = classOf(String.fromCodePoint(cp));
    if (astralWord.size < 65536) astralWord.set(cp, known);
  }
  return known;
}

/** True for a code point of `[\p{L}\p{N}_]`, the word characters of `words`. */
export function isWordCodePoint(cp: number): boolean {
  return wordClass(cp) !== NOT_WORD;
}

const bounds = new Int32Array(2 * MAX_WORDS);

/**
 * The first MAX_WORDS words of a lower-cased text, as spans into `bounds`; returns their count.
 * The same words, lower-cased the same, as `words(text)`, found without a string per word, as
 * long as lower-casing the whole text equals lower-casing word by word: the caller checks that
 * (no length change such as `İ`, no capital sigma, whose lower case depends on what follows).
 */
function wordSpans(lower: string): number {
  let count = 0;
  let start = -1;
  let i = 0;
  const len = lower.length;
  while (i < len) {
    const c = lower.charCodeAt(i);
    let width = 1;
    let k: number;
    if (c < 128) {
      k =
        (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || (c >= 65 && c <= 90)
          ? IN_WORD
          : NOT_WORD;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const cp = lower.codePointAt(i)!;
      width = cp > 0xffff ? 2 : 1;
      k = wordClass(cp);
    } else k = wordClass(c);
    if (k === IN_WORD) {
      if (start === -1) start = i;
    } else if (k === SOLO) {
      // A word of its own: it ends the word before it, if any.
      if (start !== -1) {
        bounds[2 * count] = start;
        bounds[2 * count + 1] = i;
        start = -1;
        if (++count === MAX_WORDS) return count;
      }
      bounds[2 * count] = i;
      bounds[2 * count + 1] = i + width;
      if (++count === MAX_WORDS) return count;
    } else if (start !== -1) {
      bounds[2 * count] = start;
      bounds[2 * count + 1] = i;
      start = -1;
      if (++count === MAX_WORDS) return count;
    }
    i += width;
  }
  if (start !== -1) {
    bounds[2 * count] = start;
    bounds[2 * count + 1] = i;
    count++;
  }
  return count;
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
