/**
 * @module upstream/errors
 * The one error type of upstream calls, with stable codes and the status the gateway answers
 * with (502 unreachable, 504 timeout, 499 when the client went away first).
 */

export const UPSTREAM_ERROR_STATUS = {
  upstream_unreachable: 502,
  upstream_timeout: 504,
  upstream_aborted: 499,
} as const;

export type UpstreamErrorCode = keyof typeof UPSTREAM_ERROR_STATUS;

export class UpstreamError extends Error {
  readonly status: number;
  constructor(
    readonly code: UpstreamErrorCode,
    readonly upstream: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UpstreamError';
    this.status = UPSTREAM_ERROR_STATUS[code];
  }
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);
const ABORT_CODES = new Set(['UND_ERR_ABORTED', 'ABORT_ERR']);

const codeOf = (err: unknown): string =>
  typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : '';

/**
 * Maps any error thrown by a request to an upstream, or by reading its body, to an
 * `UpstreamError`. Use it on body stream errors as well: a body timeout surfaces there.
 */
export function toUpstreamError(err: unknown, upstream: string): UpstreamError {
  if (err instanceof UpstreamError) return err;
  const code = codeOf(err);
  const name = err instanceof Error ? err.name : '';
  const detail = err instanceof Error ? err.message : String(err);
  if (TIMEOUT_CODES.has(code) || name === 'TimeoutError') {
    return new UpstreamError('upstream_timeout', upstream, `upstream ${upstream} timed out (${detail})`, {
      cause: err,
    });
  }
  if (ABORT_CODES.has(code) || name === 'AbortError') {
    return new UpstreamError('upstream_aborted', upstream, `request to upstream ${upstream} was aborted`, {
      cause: err,
    });
  }
  return new UpstreamError(
    'upstream_unreachable',
    upstream,
    `upstream ${upstream} is unreachable (${code || detail})`,
    {
      cause: err,
    },
  );
}
