/**
 * @module gateway/handler
 * The route handler: forward the admitted request to its upstream and relay the answer. A
 * non-streamed answer is read whole and sent as is (parsed only after the reply, for metering);
 * a stream is relayed chunk by chunk through `SseRelay` as it arrives. The client going away
 * aborts the upstream request (`UpstreamAbort` is fired from the socket's close).
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { PassThrough, type Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from './errors.js';
import {
  outgoingBody,
  replyHeaders,
  UPSTREAM_PATHS,
  upstreamFailure,
  upstreamHeaders,
  upstreamThrown,
} from './proxy.js';
import { SseRelay } from './sse.js';

export async function proxyHandler(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const s = request.dg;
  if (s === null || s.endpoint === null || s.target === null || s.body === null || s.raw === null)
    throw new GatewayError('internal_error');
  // The client went away before we forwarded anything: do not call the upstream.
  if (s.finalized) throw new GatewayError('client_closed_request');
  const out = outgoingBody(s.endpoint, s.raw, s.body);
  const abort = new UpstreamAbort();
  s.abort = abort;
  let res: Awaited<ReturnType<typeof s.target.request>>;
  try {
    res = await s.target.request({
      path: UPSTREAM_PATHS[s.endpoint],
      method: 'POST',
      headers: upstreamHeaders(request.headers),
      body: out.bytes,
      // undici takes an EventEmitter with `aborted` as a signal ("signal: AbortSignal |
      // EventEmitter | null", undici's request options).
      signal: abort as unknown as AbortSignal,
    });
  } catch (err) {
    throw upstreamThrown(err);
  }
  const headers = replyHeaders(res.headers);
  if (s.limitHeaders) Object.assign(headers, s.limitHeaders);
  reply.code(res.statusCode).headers(headers);

  if (res.statusCode >= 400) {
    const failure = upstreamFailure(res.statusCode, await readBody(res.body));
    if (failure.kind === 'gateway') throw failure.error;
    s.errorCode = failure.code;
    return reply.type('application/json').send(failure.body);
  }
  const contentType = res.headers['content-type'];
  if (typeof contentType !== 'string' || !contentType.startsWith('text/event-stream')) {
    s.result = await readBody(res.body);
    return reply.send(s.result);
  }
  return reply.header('cache-control', 'no-cache').send(relayStream(res.body, request, out.injected));
}

/**
 * Aborts the upstream call when the client goes away. An AbortController costs several µs per
 * request (an EventTarget, and undici's listener on it); this emitter does the same job.
 */
export class UpstreamAbort extends EventEmitter {
  aborted = false;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.emit('abort');
  }
}

/** Reads a whole upstream body with undici's `bytes()` (one 'data' listener, no async iterator). */
async function readBody(body: Readable & { bytes(): Promise<Uint8Array> }): Promise<Buffer> {
  try {
    const bytes = await body.bytes();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (err) {
    throw upstreamThrown(err);
  }
}

/** Pipes the upstream SSE body through the relay into a stream Fastify sends to the client. */
function relayStream(body: Readable, request: FastifyRequest, stripUsage: boolean): PassThrough {
  const s = request.dg!;
  const relay = new SseRelay({ endpoint: s.endpoint!, stripUsage });
  s.relay = relay;
  const pass = new PassThrough();
  body.on('data', (chunk: Buffer) => {
    if (s.ttftMs === null) s.ttftMs = performance.now() - s.t0;
    const bytes = relay.push(chunk);
    if (bytes !== null && !pass.write(bytes)) {
      body.pause();
      pass.once('drain', () => body.resume());
    }
  });
  body.once('end', () => {
    const rest = relay.end();
    if (rest !== null) pass.write(rest);
    pass.end();
  });
  body.once('error', (err) => {
    if (!s.clientClosed) {
      s.upstreamBroke = true;
      s.errorCode = 'upstream_error';
    }
    pass.destroy(err);
  });
  pass.once('close', () => {
    if (!body.destroyed) body.destroy();
  });
  return pass;
}
