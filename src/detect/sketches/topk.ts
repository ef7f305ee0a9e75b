/**
 * @module detect/sketches/topk
 * Space-Saving heavy hitters (Metwally et al. 2005): k counters; a new item replaces the
 * smallest and inherits its count as error. Every item with true frequency > n/k is kept, and
 * each estimate overshoots by at most its `err`. Entries carry a small numeric payload
 * (`x`), summed per item, e.g. output tokens per template frame.
 */

export interface TopEntry {
  id: string;
  c: number;
  err: number;
  /** First event time the item was counted (approximate after replacement). */
  t: number;
  /** Per-item sums (payload), same length for all entries of one sketch. */
  x: number[];
}

export interface TopK {
  k: number;
  w: number;
  e: TopEntry[];
}

export const topkNew = (k: number, payloadWidth = 0): TopK => ({ k, w: payloadWidth, e: [] });

/** Counts `id` once, adding `payload` to its sums. Returns the entry. */
export function topkAdd(s: TopK, id: string, ts: number, payload?: readonly number[]): TopEntry {
  let entry: TopEntry | undefined;
  let min: TopEntry | undefined;
  for (const e of s.e) {
    if (e.id === id) {
      entry = e;
      break;
    }
    if (min === undefined || e.c < min.c) min = e;
  }
  if (entry === undefined) {
    if (s.e.length < s.k) {
      entry = { id, c: 0, err: 0, t: ts, x: new Array<number>(s.w).fill(0) };
      s.e.push(entry);
    } else {
      entry = min!;
      entry.id = id;
      entry.err = entry.c;
      entry.t = ts;
      // Payload sums of the evicted item are kept as the newcomer's (over-)estimate, like its count.
    }
  }
  entry.c++;
  if (payload) for (let i = 0; i < s.w; i++) entry.x[i]! += payload[i] ?? 0;
  return entry;
}

/** Entries by descending count (ties by id, for determinism). A new array; entries are shared. */
export function topkSorted(s: TopK): TopEntry[] {
  return sortByCount(s.e.slice());
}

/**
 * `topkSorted(s)` written into `out`, an array the caller keeps and reuses: no array is allocated
 * once `out` has grown to k, for callers that sort the same small sketches on every scoring.
 */
export function topkSortedInto(s: TopK, out: TopEntry[]): TopEntry[] {
  out.length = 0;
  for (const e of s.e) out.push(e);
  return sortByCount(out);
}

/** `topkSorted(s)[0]` without the copy: the largest count, the smallest id among equal counts. */
export function topkTop(s: TopK): TopEntry | undefined {
  let top: TopEntry | undefined;
  for (const e of s.e) if (top === undefined || byCount(e, top) < 0) top = e;
  return top;
}

const byCount = (a: TopEntry, b: TopEntry) => b.c - a.c || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * `entries.sort(byCount)` in place, by insertion: sketches are small (k ≤ 8 in profiles, at most
 * 16 entries in a merge) and mostly in order already, while `Array.prototype.sort` allocates a
 * work array on every call (a campaign pass's merges sort thousands of times). `byCount` is a
 * total order on distinct ids, so every correct sort gives this order.
 */
function sortByCount(entries: TopEntry[]): TopEntry[] {
  for (let i = 1; i < entries.length; i++) {
    const e = entries[i]!;
    let j = i - 1;
    while (j >= 0 && byCount(entries[j]!, e) > 0) {
      entries[j + 1] = entries[j]!;
      j--;
    }
    entries[j + 1] = e;
  }
  return entries;
}

/**
 * Adds `src`'s entries into `entries`: counts, errors and payloads add to an entry of the same
 * id, others are appended as copies. Sketches hold a handful of entries, so a linear search
 * finds an id faster than a Map (a Map index per fold measured slower on campaign merges).
 */
function addEntries(entries: TopEntry[], src: readonly TopEntry[]): void {
  for (const e of src) {
    let prev: TopEntry | undefined;
    for (let i = 0; i < entries.length; i++)
      if (entries[i]!.id === e.id) {
        prev = entries[i]!;
        break;
      }
    if (prev) {
      prev.c += e.c;
      prev.err += e.err;
      prev.t = Math.min(prev.t, e.t);
      for (let i = 0; i < prev.x.length; i++) prev.x[i]! += e.x[i] ?? 0;
    } else entries.push({ id: e.id, c: e.c, err: e.err, t: e.t, x: [...e.x] });
  }
}

/** Sorts `entries` by `byCount` and cuts them at `k`. */
function keepTop(entries: TopEntry[], k: number): void {
  sortByCount(entries);
  if (entries.length > k) entries.length = k;
}

/** Merge of two sketches into a new one of size max(k): counts and payloads add. */
export function topkMerge(a: TopK, b: TopK): TopK {
  const all: TopEntry[] = [];
  addEntries(all, a.e);
  addEntries(all, b.e);
  const k = Math.max(a.k, b.k);
  keepTop(all, k);
  return { k, w: a.w, e: all };
}

/**
 * `topkMerge(acc, b)` written into `acc`, which the caller owns (entries included): the same
 * entries, since the merge's result is the union sorted by `byCount`, a total order, and cut at k.
 */
export function topkFoldInto(acc: TopK, b: TopK): void {
  addEntries(acc.e, b.e);
  acc.k = Math.max(acc.k, b.k);
  keepTop(acc.e, acc.k);
}
