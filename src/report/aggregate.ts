/**
 * @module report/aggregate
 * Pure summaries of stored RequestEvents for the evidence report: the activity series (per hour
 * when the events span eight days or less, per day otherwise), the traffic profile (models,
 * endpoints, networks, clients, extraction-relevant parameters) and the most frequent prompt
 * skeletons. Raw prompt text is copied only when `includePrompts` is set.
 */
import { subnetOf } from '../detect/profile.js';
import { skeleton } from '../events/features.js';
import type { RequestEvent } from '../events/types.js';
import type {
  ActivityBucket,
  ActivitySeries,
  PromptSample,
  Tally,
  TrafficProfile,
} from './evidence-input.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export interface AggregateOptions {
  includePrompts?: boolean;
  /** Prompt skeletons kept (most frequent first). */
  maxSamples?: number;
  /** Entries kept per tally (models, networks, …). */
  maxTally?: number;
  /** Events spanning at most this long are bucketed by hour, longer spans by day. */
  hourlyUpToMs?: number;
}

export const AGGREGATE_DEFAULTS = {
  includePrompts: false,
  maxSamples: 8,
  maxTally: 6,
  hourlyUpToMs: 8 * DAY_MS,
} satisfies Required<AggregateOptions>;

export interface EventSummary {
  activity: ActivitySeries | null;
  traffic: TrafficProfile | null;
  samples: PromptSample[];
  promptsStored: boolean;
  firstTs: number | null;
  lastTs: number | null;
}

export function summarizeEvents(
  events: readonly RequestEvent[],
  options: AggregateOptions = {},
): EventSummary {
  const o = { ...AGGREGATE_DEFAULTS, ...options };
  if (events.length === 0)
    return { activity: null, traffic: null, samples: [], promptsStored: false, firstTs: null, lastTs: null };
  let firstTs = Number.POSITIVE_INFINITY;
  let lastTs = Number.NEGATIVE_INFINITY;
  for (const e of events) {
    firstTs = Math.min(firstTs, e.ts);
    lastTs = Math.max(lastTs, e.ts);
  }
  return {
    activity: activitySeries(events, lastTs - firstTs <= o.hourlyUpToMs ? 'hour' : 'day'),
    traffic: trafficProfile(events, o.maxTally),
    samples: promptSamples(events, o.maxSamples, o.includePrompts),
    promptsStored: events.some((e) => typeof e.prompt.text === 'string'),
    firstTs,
    lastTs,
  };
}

/** Contiguous buckets (empty ones included) from the first to the last event. */
export function activitySeries(events: readonly RequestEvent[], unit: 'hour' | 'day'): ActivitySeries {
  const width = unit === 'hour' ? HOUR_MS : DAY_MS;
  const byStart = new Map<number, ActivityBucket>();
  for (const e of events) {
    const start = Math.floor(e.ts / width) * width;
    const b = byStart.get(start) ?? { start, requests: 0, inputTokens: 0, outputTokens: 0, errors: 0 };
    b.requests++;
    b.inputTokens += e.usage.promptTokens;
    b.outputTokens += e.usage.completionTokens;
    if (e.status >= 400) b.errors++;
    byStart.set(start, b);
  }
  const starts = [...byStart.keys()];
  const first = Math.min(...starts);
  const last = Math.max(...starts);
  const buckets: ActivityBucket[] = [];
  for (let t = first; t <= last; t += width)
    buckets.push(byStart.get(t) ?? { start: t, requests: 0, inputTokens: 0, outputTokens: 0, errors: 0 });
  return { unit, buckets };
}

function tally(values: Iterable<string | null>, max: number): Tally {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null && v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, max);
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

export function trafficProfile(events: readonly RequestEvent[], maxTally: number): TrafficProfile {
  const maxTokens: number[] = [];
  let cot = 0;
  let grading = 0;
  let withImages = 0;
  let logprobs = 0;
  let singleTurn = 0;
  for (const e of events) {
    if (e.params.maxTokens !== null) maxTokens.push(e.params.maxTokens);
    if (e.prompt.cot) cot++;
    if (e.prompt.grading) grading++;
    if (e.prompt.images > 0) withImages++;
    if (e.params.logprobs || e.params.topLogprobs > 0) logprobs++;
    if (e.prompt.assistantTurns === 0) singleTurn++;
  }
  return {
    models: tally(
      events.map((e) => e.model),
      maxTally,
    ),
    endpoints: tally(
      events.map((e) => e.endpoint),
      maxTally,
    ),
    subnets: tally(
      events.map((e) => subnetOf(e.ip)),
      maxTally,
    ),
    distinctIps: new Set(events.map((e) => e.ip).filter((ip) => ip !== null)).size,
    distinctFingerprints: new Set(events.map((e) => e.fingerprint).filter((f) => f !== null)).size,
    userAgents: tally(
      events.map((e) => e.userAgent),
      maxTally,
    ),
    cot,
    grading,
    withImages,
    logprobs,
    medianMaxTokens: median(maxTokens),
    singleTurn,
  };
}

/** The most frequent prompt skeletons; text only as a skeleton, raw text only when asked for. */
export function promptSamples(
  events: readonly RequestEvent[],
  max: number,
  includePrompts: boolean,
): PromptSample[] {
  const groups = new Map<string, { sample: PromptSample; keys: Set<string>; text: string | null }>();
  for (const e of events) {
    const p = e.prompt;
    let g = groups.get(p.skeletonHash);
    if (!g) {
      g = {
        keys: new Set(),
        text: null,
        sample: {
          skeletonHash: p.skeletonHash,
          frameHash: p.frameHash,
          count: 0,
          keys: 0,
          domain: p.domain,
          cot: p.cot,
          grading: p.grading,
          skeleton: null,
          raw: null,
        },
      };
      groups.set(p.skeletonHash, g);
    }
    g.sample.count++;
    g.keys.add(e.keyId);
    if (g.text === null && typeof p.text === 'string') g.text = p.text;
  }
  // Skeletons are computed for the samples kept only (a log can hold thousands of distinct prompts).
  return [...groups.values()]
    .sort(
      (a, b) => b.sample.count - a.sample.count || (a.sample.skeletonHash < b.sample.skeletonHash ? -1 : 1),
    )
    .slice(0, max)
    .map(({ sample, keys, text }) => ({
      ...sample,
      keys: keys.size,
      skeleton: text === null ? null : skeleton(text),
      raw: includePrompts ? text : null,
    }));
}
