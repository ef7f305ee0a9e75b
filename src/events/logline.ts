/**
 * @module events/logline
 * The log-line format (docs/log-format.md): one JSON object per line describing one request
 * to an OpenAI-compatible API. `parseLogLine` turns a line into the same RequestEvent the
 * gateway records, through the same feature extractor. It never throws: a bad line comes
 * back as `{ ok: false, error }` so callers can count it and go on.
 */

import { z } from 'zod';
import {
  clientOf,
  extractOutputFeatures,
  extractParams,
  extractPromptFeatures,
  IMAGE_TOKENS,
} from './features.js';
import { digest64 } from './hash.js';
import { inferEndpoint } from './text.js';
import { countTokens } from './tokens.js';
import { EVENT_VERSION, type RequestEvent } from './types.js';

export const LogLine = z.object({
  ts: z.union([z.string(), z.number()]),
  key: z.string().min(1),
  request: z.record(z.string(), z.unknown()),
  id: z.string().optional(),
  org: z.string().optional(),
  account: z.string().optional(),
  ip: z.string().optional(),
  user_agent: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  endpoint: z.string().optional(),
  response: z.record(z.string(), z.unknown()).optional(),
  status: z.number().int().optional(),
  latency_ms: z.number().optional(),
  upstream: z.string().optional(),
  meta: z.record(z.string(), z.string()).optional(),
});
export type LogLine = z.infer<typeof LogLine>;

export type ParseResult = { ok: true; event: RequestEvent } | { ok: false; error: string };

export interface ParseOptions {
  storeText?: boolean;
}

function parseTs(ts: string | number): number | null {
  const ms = typeof ts === 'number' ? ts : (isoMillis(ts) ?? Date.parse(ts));
  return Number.isFinite(ms) ? ms : null;
}

/** Code of '0'. */
const ZERO = 48;

/** The number of the `count` ASCII digits of `s` from `at`, or -1 if one is not a digit. */
function digits(s: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = s.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * `Date.parse(ts)` for the common `YYYY-MM-DDTHH:MM:SS.sssZ` with fields well inside their
 * ranges (days up to 28, years from 1970: no month-length or two-digit-year rules apply), else
 * null (ask `Date.parse`). Cheaper than the general parser, which every line calls.
 */
function isoMillis(ts: string): number | null {
  if (ts.length !== 24 || ts.charCodeAt(23) !== 90 /* Z */) return null;
  if (ts[4] !== '-' || ts[7] !== '-' || ts[10] !== 'T' || ts[13] !== ':' || ts[16] !== ':' || ts[19] !== '.')
    return null;
  const year = digits(ts, 0, 4);
  const month = digits(ts, 5, 2);
  const day = digits(ts, 8, 2);
  const hour = digits(ts, 11, 2);
  const minute = digits(ts, 14, 2);
  const second = digits(ts, 17, 2);
  const milli = digits(ts, 20, 3);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 28) return null;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || milli < 0)
    return null;
  return Date.UTC(year, month - 1, day, hour, minute, second, milli);
}

export function parseLogLine(line: string, opts: ParseOptions = {}): ParseResult {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (err) {
    return { ok: false, error: `invalid JSON: ${(err as Error).message}` };
  }
  // The common, valid line is recognised without zod; anything else goes through the schema,
  // which decides and words the error.
  if (plainlyValid(raw)) return logLineToEvent(raw, line, opts);
  const parsed = LogLine.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${issue?.path.join('.') || 'line'}: ${issue?.message ?? 'invalid'}` };
  }
  return logLineToEvent(parsed.data, line, opts);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const optString = (v: unknown) => v === undefined || typeof v === 'string';
function optStringRecord(v: unknown): boolean {
  if (v === undefined) return true;
  if (!isRecord(v)) return false;
  for (const k in v) if (typeof v[k] !== 'string') return false;
  return true;
}

/**
 * True only when `raw` certainly satisfies the LogLine schema (never looser than it): false
 * does not mean invalid, only "ask zod".
 */
export function plainlyValid(raw: unknown): raw is LogLine {
  if (!isRecord(raw)) return false;
  const r = raw;
  return (
    (typeof r.ts === 'string' || (typeof r.ts === 'number' && Number.isFinite(r.ts))) &&
    typeof r.key === 'string' &&
    r.key.length >= 1 &&
    isRecord(r.request) &&
    optString(r.id) &&
    optString(r.org) &&
    optString(r.account) &&
    optString(r.ip) &&
    optString(r.user_agent) &&
    optString(r.endpoint) &&
    optString(r.upstream) &&
    (r.response === undefined || isRecord(r.response)) &&
    (r.status === undefined || Number.isSafeInteger(r.status)) &&
    (r.latency_ms === undefined || (typeof r.latency_ms === 'number' && Number.isFinite(r.latency_ms))) &&
    optStringRecord(r.headers) &&
    optStringRecord(r.meta)
  );
}

export function logLineToEvent(l: LogLine, rawLine: string, opts: ParseOptions = {}): ParseResult {
  const ts = parseTs(l.ts);
  if (ts === null) return { ok: false, error: `ts: not a date: ${String(l.ts).slice(0, 40)}` };
  const endpoint = inferEndpoint(l.request, l.endpoint);
  if (endpoint === null)
    return { ok: false, error: 'request: not a chat, completions, responses or embeddings body' };
  const storeText = opts.storeText ?? false;
  const params = extractParams(endpoint, l.request);
  const usage = (l.response?.usage ?? null) as Record<string, unknown> | null;
  const reportedPrompt = num(usage?.prompt_tokens) ?? num(usage?.input_tokens);
  const reportedCompletion = num(usage?.completion_tokens) ?? num(usage?.output_tokens);
  const prompt = extractPromptFeatures(endpoint, l.request, params, {
    storeText,
    countTokens: reportedPrompt === null,
  });
  if (reportedPrompt !== null) prompt.tokens = reportedPrompt;
  const output = extractOutputFeatures(endpoint, l.response ?? null, { storeText: true });
  const estimated = reportedPrompt === null || (reportedCompletion === null && endpoint !== 'embeddings');
  if (reportedCompletion === null && output.text) output.tokens = countTokens(output.text);
  if (!storeText) delete output.text;
  const userAgent = l.user_agent ?? l.headers?.['user-agent'] ?? null;
  const { sdk, fingerprint } = clientOf(userAgent, l.headers);
  const status = l.status ?? 200;
  const event: RequestEvent = {
    v: EVENT_VERSION,
    id: l.id ?? digest64(rawLine),
    ts,
    keyId: l.key,
    accountId: l.account ?? l.key,
    orgId: l.org ?? l.key,
    ip: l.ip ?? null,
    userAgent,
    sdk,
    fingerprint,
    endpoint,
    model: typeof l.request.model === 'string' ? l.request.model : null,
    params,
    prompt,
    output,
    usage: {
      promptTokens: reportedPrompt ?? prompt.tokens + prompt.images * IMAGE_TOKENS,
      completionTokens: output.tokens,
      imageTokens: prompt.images * IMAGE_TOKENS,
      estimated,
    },
    status,
    errorCode: status >= 400 ? errorCodeOf(l.response) : null,
    latencyMs: l.latency_ms ?? 0,
    ttftMs: null,
    upstream: l.upstream ?? null,
    limitedBy: status === 429 ? 'external' : null,
  };
  if (l.meta) event.meta = l.meta;
  return { ok: true, event };
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function errorCodeOf(response: Record<string, unknown> | undefined): string | null {
  const err = response?.error as Record<string, unknown> | undefined;
  return typeof err?.code === 'string' ? err.code : typeof err?.type === 'string' ? err.type : 'error';
}
