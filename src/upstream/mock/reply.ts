/**
 * @module upstream/mock/reply
 * The mock's wire-independent reply: a JSON body or a list of ready SSE frames, plus the usage it
 * reports (for stats). Endpoint modules build replies; the server writes them.
 */

export interface ReplyUsage {
  prompt: number;
  completion: number;
}

export type MockReply =
  | { kind: 'json'; status: number; body: unknown; usage: ReplyUsage }
  | { kind: 'sse'; frames: string[]; usage: ReplyUsage };

/** Per-request context given to the endpoint builders. */
export interface ReplyEnv {
  /** Seed from the body hash and the global seed. */
  seed: number;
  /** Unix seconds. */
  created: number;
  /** `x-mock-no-usage`: omit usage everywhere. */
  noUsage: boolean;
}

export const sseData = (payload: unknown): string => `data: ${JSON.stringify(payload)}\n\n`;
export const sseEvent = (type: string, payload: unknown): string =>
  `event: ${type}\ndata: ${JSON.stringify(payload)}\n\n`;
export const SSE_DONE = 'data: [DONE]\n\n';

/** OpenAI's error body. */
export function errorBody(status: number, message: string): { error: Record<string, unknown> } {
  const [type, code] =
    status === 401
      ? ['invalid_request_error', 'invalid_api_key']
      : status === 404
        ? ['invalid_request_error', 'model_not_found']
        : status === 429
          ? ['requests', 'rate_limit_exceeded']
          : status >= 500
            ? ['server_error', null]
            : ['invalid_request_error', null];
  return { error: { message, type, param: null, code } };
}
