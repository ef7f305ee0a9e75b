/**
 * @module detect/linkage/lsh-index
 * The engine's incremental LSH index over every key's reservoir of MinHash signatures
 * (8 bands × 4 rows: pairs above Jaccard ≈ 0.6 collide with high probability). A signature is
 * verified (estimated Jaccard ≥ 0.5) against the signatures it collides with when it enters a
 * reservoir, so linkage never rescans all prompts. Bounded: a key has at most `size` live
 * signatures, a bucket holds at most BUCKET_CAP entries, and a key pair counts at most ENOUGH
 * verified pairs. Buckets filled by many orgs are common phrasing, not evidence (rarity).
 */
import { lshBands, similarity } from '../../events/minhash.js';
import type { OrgIndex } from './org-index.js';

/** Entries per bucket, signature slots per key, verified pairs that are plenty for one key pair. */
export const BUCKET_CAP = 48;
export const SIG_SLOTS = 64;
export const ENOUGH = 6;
/** Key pair id: a·PAIR + b with a < b. */
export const PAIR = 0x200000;

export interface NearPair {
  /** Verified near-duplicate signature pairs (capped at ENOUGH). */
  n: number;
  /** Distinct orgs of the most exclusive bucket that produced a match, when it matched (for rarity). */
  orgs: number;
  /** That bucket's band key: its current fill is re-read when the graph is built. */
  band: number;
}

/** Signatures with fewer distinct slots come from very short prompts (a few shingles), which
 * collide by chance ("can you help me with X?"): they are not indexed. */
export const MIN_DISTINCT_SLOTS = 12;

export function distinctSlots(sig: readonly number[]): number {
  return new Set(sig).size;
}

/** Open-addressing scratch table for `hasDistinctSlots`, stamped per call instead of cleared. */
const SEEN_BITS = 7;
const seenValue = new Float64Array(1 << SEEN_BITS);
const seenStamp = new Uint32Array(1 << SEEN_BITS);
let stamp = 0;

/** `distinctSlots(sig) >= min`, without a Set per call; stops once `min` distinct values are found. */
export function hasDistinctSlots(sig: readonly number[], min: number): boolean {
  if (sig.length > (1 << SEEN_BITS) / 2) return distinctSlots(sig) >= min;
  if (min <= 0) return true;
  stamp = (stamp + 1) >>> 0;
  if (stamp === 0) {
    seenStamp.fill(0);
    stamp = 1;
  }
  const mask = (1 << SEEN_BITS) - 1;
  let distinct = 0;
  for (let i = 0; i < sig.length; i++) {
    const v = sig[i]!;
    let h = (Math.imul(v | 0, 0x9e3779b1) >>> (32 - SEEN_BITS)) & mask;
    for (;;) {
      if (seenStamp[h] !== stamp) {
        seenStamp[h] = stamp;
        seenValue[h] = v;
        if (++distinct >= min) return true;
        break;
      }
      if (Object.is(seenValue[h], v) || seenValue[h] === v) break;
      h = (h + 1) & mask;
    }
  }
  return false;
}

/**
 * The entries one `lshInsert` has checked, as a stamped open-addressing table instead of a `Set`
 * per insert (which grew and rehashed on every insert). An insert checks at most 8 bands ×
 * BUCKET_CAP = 384 entries, so 1,024 slots never fill.
 */
const CHECK_BITS = 10;
const checkedValue = new Float64Array(1 << CHECK_BITS);
const checkedStamp = new Uint32Array(1 << CHECK_BITS);
let checkStamp = 0;

/** Starts an insert's empty checked set. */
function newCheck(): void {
  checkStamp = (checkStamp + 1) >>> 0;
  if (checkStamp === 0) {
    checkedStamp.fill(0);
    checkStamp = 1;
  }
}

/** Adds `entry` to the insert's checked set: true when it was not in it yet. */
function firstCheck(entry: number): boolean {
  const mask = (1 << CHECK_BITS) - 1;
  let h = (Math.imul(entry | 0, 0x9e3779b1) >>> (32 - CHECK_BITS)) & mask;
  for (;;) {
    if (checkedStamp[h] !== checkStamp) {
      checkedStamp[h] = checkStamp;
      checkedValue[h] = entry;
      return true;
    }
    if (checkedValue[h] === entry) return false;
    h = (h + 1) & mask;
  }
}

/** Distinct orgs in a bucket now (`orgs`: the pass's org numbers); a full bucket counts as common (Infinity). */
export function bucketOrgs(idx: LshIndex, band: number, orgs: OrgIndex): number {
  const b = idx.buckets.get(band);
  if (!b) return 1;
  if (b.length >= BUCKET_CAP) return Number.POSITIVE_INFINITY;
  orgs.begin();
  let count = 0;
  for (let i = 0; i < b.length; i++) if (orgs.first(Math.floor(b[i]! / SIG_SLOTS))) count++;
  return count;
}

export interface LshIndex {
  buckets: Map<number, number[]>;
  pairs: Map<number, NearPair>;
}

export const lshIndexNew = (): LshIndex => ({ buckets: new Map(), pairs: new Map() });

export interface LshLookup {
  sig(key: number, slot: number): readonly number[] | undefined;
  org(key: number): string;
}

function remove(idx: LshIndex, entry: number, sig: readonly number[]): void {
  for (const band of lshBands(sig)) {
    const b = idx.buckets.get(band);
    if (!b) continue;
    const i = b.indexOf(entry);
    if (i >= 0) b.splice(i, 1);
    if (b.length === 0) idx.buckets.delete(band);
  }
}

/** Distinct orgs of a bucket's keys and `key`'s (0 for an empty bucket). */
function orgsWith(bucket: readonly number[], key: number, look: LshLookup): number {
  if (bucket.length === 0) return 0;
  const set = new Set<string>([look.org(key)]);
  for (const x of bucket) set.add(look.org(Math.floor(x / SIG_SLOTS)));
  return set.size;
}

/** Indexes the signature now in `slot` of `key` (removing the one it replaced) and verifies its collisions. */
export function lshInsert(
  idx: LshIndex,
  key: number,
  slot: number,
  sig: readonly number[],
  old: readonly number[] | undefined,
  look: LshLookup,
): void {
  const entry = key * SIG_SLOTS + slot;
  if (old && hasDistinctSlots(old, MIN_DISTINCT_SLOTS)) remove(idx, entry, old);
  if (!hasDistinctSlots(sig, MIN_DISTINCT_SLOTS)) return;
  newCheck();
  for (const band of lshBands(sig)) {
    let b = idx.buckets.get(band);
    if (!b) {
      b = [];
      idx.buckets.set(band, b);
    }
    // Distinct orgs of the bucket, counted only once a match needs them (the bucket is unchanged until then).
    let orgs = -1;
    for (const x of b) {
      const other = Math.floor(x / SIG_SLOTS);
      if (other === key || !firstCheck(x)) continue;
      const a = Math.min(key, other);
      const id = a * PAIR + Math.max(key, other);
      const pair = idx.pairs.get(id);
      if (pair && pair.n >= ENOUGH) continue;
      const otherSig = look.sig(other, x % SIG_SLOTS);
      if (!otherSig || similarity(sig, otherSig) < 0.5) continue;
      if (orgs < 0) orgs = orgsWith(b, key, look);
      if (!pair) idx.pairs.set(id, { n: 1, orgs, band });
      else {
        pair.n++;
        if (orgs < pair.orgs) {
          pair.orgs = orgs;
          pair.band = band;
        }
      }
    }
    if (b.length < BUCKET_CAP) b.push(entry);
  }
}
