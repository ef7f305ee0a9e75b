/**
 * @module gateway/proxy
 * What crosses the gateway on the way to the upstream and back. The request body goes out as
 * the client sent it, byte for byte, except that a stream gets `stream_options.include_usage`
 * when the client did not ask (exact metering needs the usage chunk). The client's key and
 * hop-by-hop headers (RFC 9110 §7.6.1) never leave; the reply's headers are built from an
 * allow-list, never by mutating the upstream's response.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isObj, type Obj } from '../events/text.js';
import type { Endpoint } from '../events/types.js';
import { GatewayError, type OpenAIErrorBody } from './errors.js';

/** Request headers never forwarded: credentials, hop-by-hop, framing, and the client's proxy trail. */
const DROP_REQUEST_HEADERS = new Set([
  'authorization',
  'api-key',
  'cookie',
  'host',
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-authenticate',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'content-length',
  'accept-encoding',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
  'openai-organization',
  'openai-project',
]);

/** Headers for the upstream request (the upstream sets its own key). */
export function upstreamHeaders(client: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  const connection = client.connection;
  const listed = typeof connection === 'string' ? connection.toLowerCase().split(/\s*,\s*/) : [];
  for (const name in client) {
    if (DROP_REQUEST_HEADERS.has(name) || (listed.length > 0 && listed.includes(name))) continue;
    const value = client[name];
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  out['content-type'] = 'application/json';
  return out;
}

/** The upstream response headers a client may see: content type, `openai-*` and `x-request-id`. */
export function replyHeaders(upstream: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in upstream) {
    if (name !== 'content-type' && name !== 'x-request-id' && !name.startsWith('openai-')) continue;
    const value = upstream[name];
    if (typeof value === 'string') out[name] = value;
    else if (Array.isArray(value)) out[name] = value.join(', ');
  }
  return out;
}

const INCLUDE_USAGE = Buffer.from('"stream_options":{"include_usage":true},');

export interface OutgoingBody {
  bytes: Buffer;
  /** The gateway added `include_usage`: the usage-only chunk must be cut from the relay. */
  injected: boolean;
}

/**
 * The body to forward. Streams of chat and completions get `include_usage`: spliced in as the
 * first field when the client sent no `stream_options` (the original bytes are kept around it),
 * or re-serialized into a copy when `stream_options` exists without it.
 */
export function outgoingBody(endpoint: Endpoint, raw: Buffer, body: Obj): OutgoingBody {
  if (body.stream !== true || (endpoint !== 'chat' && endpoint !== 'completions'))
    return { bytes: raw, injected: false };
  const options = body.stream_options;
  if (isObj(options) && options.include_usage === true) return { bytes: raw, injected: false };
  if (options === undefined) {
    const brace = raw.indexOf(123); // '{'
    if (brace !== -1)
      return {
        bytes: Buffer.concat([raw.subarray(0, brace + 1), INCLUDE_USAGE, raw.subarray(brace + 1)]),
        injected: true,
      };
  }
  const copy = { ...body, stream_options: { ...(isObj(options) ? options : {}), include_usage: true } };
  return { bytes: Buffer.from(JSON.stringify(copy)), injected: true };
}

/** Upstream path of an endpoint, relative to the upstream's `/v1` base. */
export const UPSTREAM_PATHS: Record<Endpoint, string> = {
  chat: '/chat/completions',
  completions: '/completions',
  embeddings: '/embeddings',
  responses: '/responses',
};

/** An upstream's error answer: relayed as is when it is OpenAI-shaped, else a 502. */
export type UpstreamFailure =
  | { kind: 'relay'; status: number; body: Buffer; code: string }
  | { kind: 'gateway'; error: GatewayError };

export function upstreamFailure(status: number, body: Buffer): UpstreamFailure {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    parsed = null;
  }
  const err = isObj(parsed) && isObj(parsed.error) ? (parsed as unknown as OpenAIErrorBody).error : null;
  if (err && typeof err.message === 'string') {
    const code =
      typeof err.code === 'string' ? err.code : typeof err.type === 'string' ? err.type : 'upstream_error';
    return { kind: 'relay', status, body, code };
  }
  return {
    kind: 'gateway',
    error: new GatewayError('upstream_error', { message: `The upstream answered HTTP ${status}.` }),
  };
}

/** Maps a thrown upstream call (undici or upstream's UpstreamError) to the answer the client gets. */
export function upstreamThrown(err: unknown): GatewayError {
  const code = isObj(err) ? err.code : undefined;
  const name = err instanceof Error ? err.name : '';
  if (
    code === 'upstream_timeout' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    name === 'TimeoutError'
  )
    return new GatewayError('upstream_timeout');
  return new GatewayError('upstream_error', {
    message: 'The upstream model server could not be reached or failed mid-request.',
  });
}
