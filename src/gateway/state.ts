/**
 * @module gateway/state
 * The per-request record the hooks fill in as a request moves through the gateway, and that
 * `event.ts` turns into a RequestEvent once the answer is finished. One small object per
 * request; hooks write their own fields only.
 */
import type { Endpoint } from '../events/types.js';
import type { LimitSubject, Reservation } from '../limits/types.js';
import type { KeyContext } from '../tenancy/types.js';
import type { SseRelay } from './sse.js';
import type { UpstreamTarget } from './types.js';
import type { RequestBody } from './validate.js';

export interface RequestState {
  id: string;
  /** Arrival, epoch ms (event time). */
  ts: number;
  /** Arrival, performance.now() (for latency). */
  t0: number;
  /** Null for routes that record no event (GET /v1/models). */
  endpoint: Endpoint | null;
  key: KeyContext | null;
  ip: string | null;
  /** The body bytes as received (forwarded unchanged). */
  raw: Buffer | null;
  body: RequestBody | null;
  /** Image parts of the prompt (counted once, for the estimate and for metering). */
  images: number;
  throttleFactor: number | undefined;
  subjects: LimitSubject[] | null;
  reservation: Reservation | null;
  /** x-ratelimit-* (and Retry-After) for the answer. */
  limitHeaders: Record<string, string> | null;
  limitedBy: string | null;
  target: UpstreamTarget | null;
  /** Aborts the upstream call (fired when the client goes away). */
  abort: { abort(): void } | null;
  /** Non-streamed upstream answer (2xx), parsed after the reply for usage and features. */
  result: Buffer | null;
  relay: SseRelay | null;
  ttftMs: number | null;
  errorCode: string | null;
  /** The client went away before the answer ended. */
  clientClosed: boolean;
  /** The upstream failed after the answer had started (mid-stream). */
  upstreamBroke: boolean;
  finalized: boolean;
}

export function newState(id: string, ts: number, t0: number, endpoint: Endpoint | null): RequestState {
  return {
    id,
    ts,
    t0,
    endpoint,
    key: null,
    ip: null,
    raw: null,
    body: null,
    images: 0,
    throttleFactor: undefined,
    subjects: null,
    reservation: null,
    limitHeaders: null,
    limitedBy: null,
    target: null,
    abort: null,
    result: null,
    relay: null,
    ttftMs: null,
    errorCode: null,
    clientClosed: false,
    upstreamBroke: false,
    finalized: false,
  };
}
