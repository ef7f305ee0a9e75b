/**
 * @module web/lib/series
 * Pure time-series helpers for the charts: pick a bucket size for a time range, bucket events
 * into requests/tokens per bucket, and build the cumulative count of flagged accounts.
 */

export interface Point {
  ts: number;
  requests: number;
  tokens: number;
}

/** Columnar series as uPlot wants it: x in seconds, then one array per series. */
export interface Series {
  x: number[];
  requests: number[];
  tokens: number[];
}

const NICE_BUCKETS_MS = [1_000, 5_000, 15_000, 60_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000];

/** Smallest "nice" bucket that keeps the range under `maxBuckets` buckets. */
export function bucketSize(rangeMs: number, maxBuckets = 240): number {
  for (const b of NICE_BUCKETS_MS) if (rangeMs / b <= maxBuckets) return b;
  return NICE_BUCKETS_MS[NICE_BUCKETS_MS.length - 1]!;
}

export interface Countable {
  ts: number;
  promptTokens: number;
  completionTokens: number;
}

/** Buckets events by event time; empty buckets between the first and last are filled with zeros. */
export function bucketize(
  events: readonly Countable[],
  bucketMs?: number,
): { series: Series; bucketMs: number } {
  if (events.length === 0)
    return { series: { x: [], requests: [], tokens: [] }, bucketMs: bucketMs ?? 60_000 };
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const e of events) {
    if (e.ts < min) min = e.ts;
    if (e.ts > max) max = e.ts;
  }
  const size = bucketMs ?? bucketSize(max - min);
  const start = Math.floor(min / size) * size;
  const n = Math.floor((max - start) / size) + 1;
  const requests = new Array<number>(n).fill(0);
  const tokens = new Array<number>(n).fill(0);
  for (const e of events) {
    const i = Math.floor((e.ts - start) / size);
    requests[i] = (requests[i] ?? 0) + 1;
    tokens[i] = (tokens[i] ?? 0) + e.promptTokens + e.completionTokens;
  }
  const x = Array.from({ length: n }, (_, i) => (start + i * size) / 1000);
  return { series: { x, requests, tokens }, bucketMs: size };
}

/** Cumulative number of accounts flagged by each x (seconds), from their first-flagged times. */
export function cumulativeFlagged(x: readonly number[], flaggedAt: readonly number[]): number[] {
  const sorted = [...flaggedAt].sort((a, b) => a - b);
  const out: number[] = [];
  let j = 0;
  for (const sec of x) {
    const limit = (sec + 0.000_5) * 1000;
    while (j < sorted.length && sorted[j]! <= limit) j++;
    out.push(j);
  }
  return out;
}

/** Longest run of empty buckets filled with zeros between the history and a live request. */
const MAX_GAP_BUCKETS = 500;

/** Adds one live request to a series, returning a new series (the old one is not changed). */
export function appendLive(series: Series, ts: number, tokens: number, bucketMs: number): Series {
  const bucketSec = (Math.floor(ts / bucketMs) * bucketMs) / 1000;
  const last = series.x[series.x.length - 1];
  if (last !== undefined && bucketSec < last) {
    const i = series.x.indexOf(bucketSec);
    if (i < 0) return series;
    return {
      x: series.x,
      requests: series.requests.map((v, k) => (k === i ? v + 1 : v)),
      tokens: series.tokens.map((v, k) => (k === i ? v + tokens : v)),
    };
  }
  if (last === bucketSec) {
    const i = series.x.length - 1;
    return {
      x: series.x,
      requests: [...series.requests.slice(0, i), (series.requests[i] ?? 0) + 1],
      tokens: [...series.tokens.slice(0, i), (series.tokens[i] ?? 0) + tokens],
    };
  }
  const gap: number[] = [];
  const step = bucketMs / 1000;
  // A live request long after the history (a replayed log, then live traffic): no zero-fill.
  if (last !== undefined && (bucketSec - last) / step <= MAX_GAP_BUCKETS)
    for (let s = last + step; s < bucketSec; s += step) gap.push(s);
  return {
    x: [...series.x, ...gap, bucketSec],
    requests: [...series.requests, ...gap.map(() => 0), 1],
    tokens: [...series.tokens, ...gap.map(() => 0), tokens],
  };
}
