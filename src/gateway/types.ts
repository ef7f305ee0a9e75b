/**
 * @module gateway/types
 * What the gateway plugin needs from the rest of the process, as small structural interfaces
 * (the real implementations live in tenancy/, limits/, upstream/, policy/ and events/), plus its
 * settings with their defaults.
 */
import type { Dispatcher } from 'undici';
import type { RequestEvent } from '../events/types.js';
import type { LimitsStore } from '../limits/types.js';
import type { DecisionLookup } from '../policy/types.js';
import type { KeyContext } from '../tenancy/types.js';
import type { EventSink } from './sink.js';

/** Resolves a bearer secret to its key (tenancy's KeyResolver). */
export interface KeyAuthenticator {
  authenticate(secret: string): Promise<KeyContext | null>;
  /**
   * Optional synchronous cache lookup: the context, null for a known unknown secret, undefined
   * when only `authenticate` can tell. Lets the gateway admit a cached key without a promise.
   */
  peek?(secret: string): KeyContext | null | undefined;
}

export interface UpstreamCall {
  /** Relative to the upstream's base URL, e.g. `/chat/completions`. */
  path: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: Buffer | string;
  signal?: AbortSignal;
}

/** One upstream (upstream's Upstream on an undici pool). */
export interface UpstreamTarget {
  readonly name: string;
  request(call: UpstreamCall): Promise<Dispatcher.ResponseData>;
}

/** A model as listed by `GET /v1/models`. */
export interface ListedModel {
  id: string;
  object?: string;
  created?: number;
  owned_by?: string;
}

/** Model → upstream routing (upstream's UpstreamRegistry). */
export interface UpstreamRouter {
  route(model: string): UpstreamTarget | undefined;
  models(): Promise<ListedModel[]>;
}

export interface EventPublisher {
  publish(event: RequestEvent): void;
}

export interface GatewaySettings {
  /** Keep prompt and answer text on events. */
  storePrompts: boolean;
  /** Peers whose X-Forwarded-For is believed (IPs or CIDR blocks). */
  trustedProxies: string[];
  bodyLimitBytes: number;
  /** Largest `n` accepted. */
  maxN: number;
  /** Largest max_tokens / max_completion_tokens / max_output_tokens accepted. */
  maxTokensLimit: number;
  /** Output tokens reserved per choice when the request sets no maximum. */
  defaultOutputTokens: number;
}

export const DEFAULT_GATEWAY_SETTINGS: GatewaySettings = {
  storePrompts: false,
  trustedProxies: ['127.0.0.1', '::1'],
  bodyLimitBytes: 10 * 1024 * 1024,
  maxN: 128,
  maxTokensLimit: 1_000_000,
  defaultOutputTokens: 1024,
};

/** Counters the gateway keeps (prom-client in the app; optional). */
export interface GatewayMetrics {
  /** A request refused before it had a valid key (these are not events). */
  authFailure(code: string): void;
  /** A finished request: endpoint, status, and latency in milliseconds. */
  request(endpoint: string, status: number, latencyMs: number): void;
}

export interface GatewayOptions {
  resolver: KeyAuthenticator;
  decisions: DecisionLookup;
  limits: LimitsStore;
  upstreams: UpstreamRouter;
  bus: EventPublisher;
  /** Where finished requests go; by default events are built inline and published on `bus`. */
  sink?: EventSink;
  settings?: Partial<GatewaySettings>;
  metrics?: GatewayMetrics;
  /** Wall clock in epoch ms (injected in tests). */
  now?: () => number;
}
