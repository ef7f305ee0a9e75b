/**
 * @module upstream/upstream
 * One named upstream: an undici `Pool` (keep-alive, pipelining 1) to its origin. It forwards a
 * request under the upstream's base path with the upstream's own credentials (never the
 * client's), enforces the timeout on headers and body, and aborts when the caller's signal does.
 */
import { type Dispatcher, Pool } from 'undici';
import { toUpstreamError } from './errors.js';
import type { UpstreamConfig, UpstreamRequest } from './types.js';

export const UPSTREAM_DEFAULTS = {
  connections: 128,
  keepAliveTimeoutMs: 30_000,
  /** Connecting gets at most this long, even with a longer request timeout. */
  connectTimeoutMs: 10_000,
} as const;

/** Headers never forwarded: hop-by-hop, framing (recomputed for the body we send) and credentials. */
const DROPPED_HEADERS = new Set([
  'authorization',
  'api-key',
  'x-api-key',
  'host',
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'expect',
]);

/** Builds the headers sent upstream from the client's, without mutating them. */
export function forwardHeaders(
  headers: UpstreamRequest['headers'],
  apiKey: string | undefined,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (value === undefined || DROPPED_HEADERS.has(lower)) continue;
    out[lower] = value;
  }
  if (apiKey) out.authorization = `Bearer ${apiKey}`;
  return out;
}

export class Upstream {
  readonly name: string;
  readonly config: UpstreamConfig;
  private readonly pool: Pool;
  private readonly basePath: string;

  constructor(config: UpstreamConfig) {
    this.name = config.name;
    this.config = config;
    const url = new URL(config.baseUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
      connections: config.connections ?? UPSTREAM_DEFAULTS.connections,
      pipelining: 1,
      keepAliveTimeout: UPSTREAM_DEFAULTS.keepAliveTimeoutMs,
      headersTimeout: config.timeoutMs,
      bodyTimeout: config.timeoutMs,
      connect: { timeout: Math.min(config.timeoutMs, UPSTREAM_DEFAULTS.connectTimeoutMs) },
    });
  }

  /** True when this upstream serves `model` (no model list means every model). */
  serves(model: string): boolean {
    const models = this.config.models;
    return !models || models.length === 0 || models.includes(model);
  }

  /** Whether the upstream has an explicit model list. */
  get listsModels(): boolean {
    return (this.config.models?.length ?? 0) > 0;
  }

  /**
   * Sends one request. Resolves once the status and headers arrived; the body streams. Errors
   * (connection, timeout, abort) reject with an `UpstreamError`; errors while reading the body
   * can be mapped with `toUpstreamError`.
   */
  async request(req: UpstreamRequest): Promise<Dispatcher.ResponseData> {
    try {
      return await this.pool.request({
        path: `${this.basePath}${req.path}`,
        method: req.method ?? 'POST',
        headers: forwardHeaders(req.headers, this.config.apiKey),
        body: req.body ?? null,
        signal: req.signal,
      });
    } catch (err) {
      throw toUpstreamError(err, this.name);
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
