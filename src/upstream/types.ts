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
