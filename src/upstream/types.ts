/**
 * @module upstream/types
 * Named upstreams and the routing contract. An upstream with no `models` serves every model.
 */

export interface UpstreamConfig {
  name: string;
  /** Base URL up to and including the API version prefix, e.g. `https://api.openai.com/v1`. */
  baseUrl: string;
  apiKey?: string;
  /** Whole-request timeout in milliseconds (headers and body). */
  timeoutMs: number;
  /** Models served; empty or absent means every model. */
  models?: string[];
  /** Keep-alive connections in the pool. */
  connections?: number;
}

/** One entry of `GET /v1/models` (OpenAI's model object). */
export interface ModelInfo {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

/** A request to one upstream; `path` is relative to its `baseUrl` (e.g. `/chat/completions`). */
export interface UpstreamRequest {
  path: string;
  method?: 'GET' | 'POST';
  /** Client headers to forward; hop-by-hop headers and the client's credentials are dropped. */
  headers?: Record<string, string | string[] | undefined>;
  body?: string | Uint8Array | null;
  /** Aborting it aborts the upstream request (client disconnects). */
  signal?: AbortSignal;
}
