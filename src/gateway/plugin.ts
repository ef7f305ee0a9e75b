/**
 * @module gateway/plugin
 * The OpenAI-compatible gateway as a Fastify plugin. A request moves through named hooks:
 * onRequest (state, client IP, auth, decision check) → content-type parser (raw bytes kept,
 * JSON parsed once) → preHandler (validation, model routing, `limits.reserve`) → handler
 * (proxy, `handler.ts`) → onResponse / the response's close (settle or release, then the
 * RequestEvent, deferred with setImmediate). Every path converges on one idempotent `finish`,
 * so a concurrency slot never leaks, client cancels included.
 */
import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Endpoint } from '../events/types.js';
import { rateLimitHeaders, retryAfterSeconds } from '../limits/headers.js';
import { refusalBody, refusalType } from '../limits/refusal.js';
import { subjectsFor } from '../limits/rules.js';
import type { LimitName, LimitSubject, ReserveResult } from '../limits/types.js';
import type { KeyContext } from '../tenancy/types.js';
import { admitKey, enforceDecision, secretOf } from './auth.js';
import { clientIp, TrustedProxies } from './client-ip.js';
import { GatewayError, toGatewayError } from './errors.js';
import { finishRecord, meterState, settledTokens } from './event.js';
import { proxyHandler } from './handler.js';
import { uuidv7 } from './ids.js';
import { estimateTokens, type Metered, promptSize } from './metering.js';
import { InlineEventSink } from './sink.js';
import { newState, type RequestState } from './state.js';
import { DEFAULT_GATEWAY_SETTINGS, type GatewayOptions, type GatewaySettings } from './types.js';
import { makeValidator } from './validate.js';

declare module 'fastify' {
  interface FastifyRequest {
    dg: RequestState | null;
  }
  interface FastifyContextConfig {
    /** The endpoint family of a gateway route (absent: no event is recorded). */
    dgEndpoint?: Endpoint;
  }
}

const ROUTES: Array<[string, Endpoint]> = [
  ['/v1/chat/completions', 'chat'],
  ['/v1/completions', 'completions'],
  ['/v1/embeddings', 'embeddings'],
  ['/v1/responses', 'responses'],
];

const QUOTA_LIMITS = /tokens_per_(day|month)$/;

export async function gatewayPlugin(app: FastifyInstance, opts: GatewayOptions): Promise<void> {
  const settings: GatewaySettings = { ...DEFAULT_GATEWAY_SETTINGS, ...opts.settings };
  const now = opts.now ?? Date.now;
  const trusted = new TrustedProxies(settings.trustedProxies);
  const validate = makeValidator(settings);
  const { limits, metrics } = opts;
  const sink =
    opts.sink ??
    new InlineEventSink(opts.bus, (err) => app.log.error({ err }, 'could not build the request event'));

  app.decorateRequest('dg', null);

  // Only JSON is accepted; the raw bytes are kept so the body is forwarded unchanged.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: settings.bodyLimitBytes },
    (request, raw, done) => {
      const buf = raw as Buffer;
      if (request.dg) request.dg.raw = buf;
      try {
        done(null, JSON.parse(buf.toString('utf8')));
      } catch {
        done(new GatewayError('invalid_json'), undefined);
      }
    },
  );

  // Callback-style hooks throughout: no promise per request where nothing is awaited (a cached
  // key is admitted synchronously; only a key lookup in the store or `limits.reserve` waits).
  app.addHook('onRequest', (request, reply, done) => {
    const endpoint = request.routeOptions.config.dgEndpoint ?? null;
    const ts = now();
    const s = newState(uuidv7(ts), ts, performance.now(), endpoint);
    request.dg = s;
    // The client going away at any point (the socket closes before the answer is finished)
    // aborts the upstream call and ends the request with 499.
    reply.raw.on('close', () => {
      if (reply.raw.writableFinished || s.finalized) return;
      s.clientClosed = !s.upstreamBroke;
      s.abort?.abort();
      finish(request, s.upstreamBroke ? reply.statusCode : 499);
    });
    s.ip = clientIp(request.raw.socket.remoteAddress, request.headers['x-forwarded-for'], trusted);
    const secret = secretOf(request.headers);
    if (secret === null) return refuseAuth(new GatewayError('missing_api_key'), done);
    const cached = opts.resolver.peek?.(secret);
    if (cached !== undefined) return admit(s, cached, done);
    opts.resolver.authenticate(secret).then(
      (key) => admit(s, key, done),
      (err: unknown) => done(err as Error),
    );
  });

  function admit(s: RequestState, key: KeyContext | null, done: HookHandlerDoneFunction): void {
    try {
      s.key = admitKey(key);
    } catch (err) {
      refuseAuth(err as GatewayError, done);
      return;
    }
    try {
      if (s.endpoint !== null)
        s.throttleFactor = enforceDecision(opts.decisions.effective(s.key.keyId, s.key.orgId, s.ts));
    } catch (err) {
      done(err as Error);
      return;
    }
    done();
  }

  function refuseAuth(err: GatewayError, done: HookHandlerDoneFunction): void {
    metrics?.authFailure(err.code);
    done(err);
  }

  app.addHook('preHandler', (request, _reply, done) => {
    const s = request.dg;
    if (s === null || s.key === null || s.endpoint === null) return done();
    let estimatedTokens: number;
    try {
      estimatedTokens = admitBody(s as RequestState & { endpoint: Endpoint }, request.body);
    } catch (err) {
      return done(err as Error);
    }
    const reserved = (result: ReserveResult): void => {
      let refused: GatewayError | null = null;
      try {
        s.limitHeaders = rateLimitHeaders(result.status);
        if (result.ok && s.finalized) {
          // The client went while we waited: its end already ran, so free the slot here.
          limits.release(result.reservation, now()).then(() => done(), done);
          return;
        }
        if (result.ok) s.reservation = result.reservation;
        else {
          s.limitedBy = result.limitedBy;
          s.limitHeaders['retry-after'] = String(retryAfterSeconds(result.retryAfterMs));
          refused = refusal(result.limitedBy, result.retryAfterMs);
        }
      } catch (err) {
        done(err as Error);
        return;
      }
      if (refused === null) done();
      else done(refused);
    };
    limits
      .reserve({ requestId: s.id, subjects: s.subjects!, estimatedTokens, now: now() })
      .then(reserved, done);
  });

  /** Validates the body, routes the model and sizes the request; returns the token estimate. */
  function admitBody(s: RequestState & { endpoint: Endpoint }, raw: unknown): number {
    const body = validate(s.endpoint, raw);
    s.body = body;
    const target = opts.upstreams.route(body.model);
    if (target === undefined)
      throw new GatewayError('model_not_found', {
        message: `The model '${body.model}' does not exist or you do not have access to it.`,
        param: 'model',
      });
    s.target = target;
    s.subjects = subjectsOf(s.key!, s.throttleFactor);
    const { chars, images } = promptSize(s.endpoint, body);
    s.images = images;
    const maxOut =
      s.endpoint === 'embeddings'
        ? 0
        : (numberOr(body.max_completion_tokens) ??
          numberOr(body.max_tokens) ??
          numberOr(body.max_output_tokens) ??
          settings.defaultOutputTokens);
    return estimateTokens(chars, images, maxOut, numberOr(body.n) ?? 1);
  }

  app.addHook('onResponse', (request, reply, done) => {
    if (request.dg) finish(request, reply.statusCode);
    done();
  });

  app.setErrorHandler(async (err, request, reply) => {
    const g = toGatewayError(err);
    const s = request.dg;
    if (s !== null) {
      s.errorCode = g.code;
      if (s.limitHeaders === null && s.key !== null && s.endpoint !== null) {
        s.limitHeaders = rateLimitHeaders(await limits.peek(s.subjects ?? subjectsFor(s.key), now()));
      }
    }
    if (g.status >= 500) request.log.warn({ err }, 'gateway error');
    reply.code(g.status);
    if (s?.limitHeaders) reply.headers(s.limitHeaders);
    return g.body();
  });

  for (const [url, endpoint] of ROUTES) {
    app.post(url, { config: { dgEndpoint: endpoint } }, (request, reply) => proxyHandler(request, reply));
  }

  app.get('/v1/models', async () => ({ object: 'list', data: await opts.upstreams.models() }));

  /**
   * The single end of every request, whichever of onResponse or the response's close comes
   * first: settle or release the reservation, then record the event.
   */
  function finish(request: FastifyRequest, status: number): void {
    const s = request.dg;
    if (s === null || s.finalized) return;
    s.finalized = true;
    const latencyMs = performance.now() - s.t0;
    if (s.endpoint === null || s.key === null) return;
    if (s.clientClosed && s.errorCode === null) s.errorCode = 'client_closed_request';
    ended.push({ request, s: s as RequestState & { endpoint: Endpoint }, status, latencyMs });
    if (ended.length === 1) setImmediate(recordEnded);
  }

  /** Requests finished in this tick, recorded together after it (one setImmediate per tick). */
  let ended: Ended[] = [];

  function recordEnded(): void {
    const batch = ended;
    ended = [];
    for (const e of batch) record(e.request, e.s, e.status, e.latencyMs);
  }

  function record(
    request: FastifyRequest,
    s: RequestState & { endpoint: Endpoint },
    status: number,
    latencyMs: number,
  ): void {
    let usage: Metered | null = null;
    try {
      usage = meterState(s);
      sink.record(
        finishRecord(s, request.headers, { status, latencyMs, usage, storeText: settings.storePrompts }),
      );
    } catch (err) {
      request.log.error({ err }, 'could not record the request');
    } finally {
      metrics?.request(s.endpoint, status, latencyMs);
      const r = s.reservation;
      if (r !== null) {
        const done =
          usage === null ? limits.release(r, now()) : limits.settle(r, settledTokens(usage), now());
        done.catch((err: unknown) => request.log.error({ err }, 'could not settle a reservation'));
      }
    }
  }
}

interface Ended {
  request: FastifyRequest;
  s: RequestState & { endpoint: Endpoint };
  status: number;
  latencyMs: number;
}

function refusal(limitedBy: LimitName, retryAfterMs: number): GatewayError {
  const body = refusalBody(limitedBy, retryAfterMs);
  const quota = QUOTA_LIMITS.test(limitedBy);
  return new GatewayError(quota ? 'insufficient_quota' : 'rate_limit_exceeded', {
    message: body.error.message,
    type: quota ? 'insufficient_quota' : refusalType(limitedBy),
  });
}

/** The subjects of an unthrottled key, one array per key context (the limits store caches by subject). */
const unthrottled = new WeakMap<KeyContext, LimitSubject[]>();

function subjectsOf(key: KeyContext, throttleFactor: number | undefined): LimitSubject[] {
  if (throttleFactor !== undefined) return subjectsFor(key, throttleFactor);
  let subjects = unthrottled.get(key);
  if (subjects === undefined) {
    subjects = subjectsFor(key);
    unthrottled.set(key, subjects);
  }
  return subjects;
}

function numberOr(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
