/**
 * @module gateway/event
 * The end of a request, in two halves. On the request thread, `finishRecord` meters usage (the
 * upstream's figure, or an exact count when it gave none) so the reservation can be settled,
 * and packs everything else into a small, structured-clonable `EventRecord` (bytes, not parsed
 * objects). Off the request path, `buildEvent` turns a record into the ONE RequestEvent with the
 * shared extractor of `events/features.ts` (the same one the log analyzer uses); it runs in the
 * event worker (`event-worker.ts`) or, without one, in a setImmediate after the reply.
 */
import type { IncomingHttpHeaders } from 'node:http';
import {
  extractOutputFeatures,
  extractParams,
  extractPromptFeatures,
  fingerprintOf,
  sdkHeaders,
} from '../events/features.js';
import { isObj, type Obj, promptText } from '../events/text.js';
import { countTokens } from '../events/tokens.js';
import { type Endpoint, EVENT_VERSION, type OutputFeatures, type RequestEvent } from '../events/types.js';
import { type Metered, meter, usageOfAnswer } from './metering.js';
import type { RequestState } from './state.js';

/** Everything needed to build a request's event; only plain data, so it can cross to a worker. */
export interface EventRecord {
  id: string;
  ts: number;
  endpoint: Endpoint;
  keyId: string;
  accountId: string;
  orgId: string;
  ip: string | null;
  userAgent: string | null;
  sdk: Record<string, string>;
  /** The request body as received (parsed off the request path). */
  raw: Uint8Array | null;
  /** The non-streamed upstream answer (2xx). */
  result: Uint8Array | null;
  /** What a relayed stream told us. */
  stream: { finishReason: string | null; choices: number; text: string } | null;
  /** Metered usage; null when nothing was answered (refused or failed before the upstream). */
  usage: Metered | null;
  status: number;
  errorCode: string | null;
  latencyMs: number;
  ttftMs: number | null;
  upstream: string | null;
  limitedBy: string | null;
  storeText: boolean;
}

function parseJson(bytes: Uint8Array | null): Obj | null {
  if (bytes === null || bytes.length === 0) return null;
  try {
    const v: unknown = JSON.parse(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
    );
    return isObj(v) ? v : null;
  } catch {
    return null;
  }
}

/** True when the upstream produced an answer we bill (in full, or up to a cancel). */
export function answered(s: RequestState): boolean {
  return s.result !== null || (s.relay !== null && s.relay.capture.events > 0);
}

/**
 * Usage of an answered request, from the upstream's usage object; when it reported none, an
 * exact gpt-tokenizer count of the prompt and of the answer text, marked `estimated`.
 */
export function meterState(s: RequestState): Metered | null {
  if (!answered(s) || s.endpoint === null) return null;
  const body: Obj = s.body ?? {};
  const endpoint = s.endpoint;
  const result = s.result;
  // A non-streamed answer: only its usage object is parsed (it sits at the end).
  const reported = result !== null ? usageOfAnswer(result) : (s.relay?.capture.usage ?? null);
  const answerText = () => {
    if (s.relay !== null) return s.relay.text();
    const response = parseJson(result);
    return response === null
      ? ''
      : (extractOutputFeatures(endpoint, response, { storeText: true }).text ?? '');
  };
  return meter({
    reported,
    promptTokens: () => countTokens(promptText(endpoint, body).all),
    completionText: answerText,
    images: s.images,
  });
}

/** Packs a finished request into a record (on the request thread: no copies, no parsing). */
export function finishRecord(
  s: RequestState & { endpoint: Endpoint },
  headers: IncomingHttpHeaders,
  outcome: { status: number; latencyMs: number; usage: Metered | null; storeText: boolean },
): EventRecord {
  const key = s.key;
  const userAgent = typeof headers['user-agent'] === 'string' ? headers['user-agent'] : null;
  const capture = s.relay?.capture ?? null;
  return {
    id: s.id,
    ts: s.ts,
    endpoint: s.endpoint,
    keyId: key?.keyId ?? '',
    accountId: key?.accountId ?? '',
    orgId: key?.orgId ?? '',
    ip: s.ip,
    userAgent,
    sdk: sdkHeaders(headers),
    // The buffers as they are: the worker sink packs every record of a tick into one buffer.
    raw: s.raw,
    result: s.result,
    stream:
      capture === null || s.relay === null
        ? null
        : {
            finishReason: capture.finishReason,
            choices: capture.choices,
            text: outcome.storeText ? s.relay.text() : '',
          },
    usage: outcome.usage,
    status: outcome.status,
    errorCode: s.errorCode,
    latencyMs: Math.round(outcome.latencyMs * 1000) / 1000,
    ttftMs: s.ttftMs === null ? null : Math.round(s.ttftMs * 1000) / 1000,
    upstream: s.target?.name ?? null,
    limitedBy: s.limitedBy,
    storeText: outcome.storeText,
  };
}

/** Builds the RequestEvent of a record with the shared feature extractor. */
export function buildEvent(r: EventRecord): RequestEvent {
  const body = parseJson(r.raw) ?? {};
  const params = extractParams(r.endpoint, body);
  const prompt = extractPromptFeatures(r.endpoint, body, params, {
    storeText: r.storeText,
    countTokens: false,
  });
  const usage = r.usage ?? {
    promptTokens: 0,
    completionTokens: 0,
    reasoningTokens: 0,
    imageTokens: 0,
    estimated: false,
  };
  prompt.tokens = r.usage ? Math.max(0, usage.promptTokens - usage.imageTokens) : Math.ceil(prompt.chars / 4);
  const output = outputOf(r);
  output.tokens = usage.completionTokens;
  output.reasoningTokens = usage.reasoningTokens;
  return {
    v: EVENT_VERSION,
    id: r.id,
    ts: r.ts,
    keyId: r.keyId,
    accountId: r.accountId,
    orgId: r.orgId,
    ip: r.ip,
    userAgent: r.userAgent,
    sdk: r.sdk,
    fingerprint: fingerprintOf(r.userAgent, r.sdk),
    endpoint: r.endpoint,
    model: typeof body.model === 'string' ? body.model : null,
    params,
    prompt,
    output,
    usage: {
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
      imageTokens: r.usage ? usage.imageTokens : 0,
      estimated: usage.estimated,
    },
    status: r.status,
    errorCode: r.errorCode,
    latencyMs: r.latencyMs,
    ttftMs: r.ttftMs,
    upstream: r.upstream,
    limitedBy: r.limitedBy,
  };
}

function outputOf(r: EventRecord): OutputFeatures {
  if (r.stream !== null) {
    const out: OutputFeatures = {
      tokens: 0,
      reasoningTokens: 0,
      finishReason: r.stream.finishReason,
      choices: r.stream.choices,
    };
    if (r.storeText && r.stream.text.length > 0) out.text = r.stream.text;
    return out;
  }
  const response = parseJson(r.result);
  if (response === null) return { tokens: 0, reasoningTokens: 0, finishReason: null, choices: 0 };
  return extractOutputFeatures(r.endpoint, response, { storeText: r.storeText });
}

/** Tokens to settle a reservation with: the metered usage (prompt + output). */
export function settledTokens(usage: Metered): number {
  return usage.promptTokens + usage.completionTokens;
}
