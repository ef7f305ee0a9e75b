/**
 * @module gateway/errors
 * Every error the gateway answers, defined once: a stable code, OpenAI's error `type` and the
 * HTTP status OpenAI would use. The body is always OpenAI's shape
 * `{"error":{"message","type","param","code"}}`, so every OpenAI SDK surfaces it as usual.
 */

export interface ErrorSpec {
  status: number;
  type: string;
  message: string;
}

/** The catalogue: code → status, OpenAI type and default message. */
export const ERRORS = {
  missing_api_key: {
    status: 401,
    type: 'invalid_request_error',
    message:
      'You didn’t provide an API key. Provide it in the Authorization header (Authorization: Bearer YOUR_KEY).',
  },
  invalid_api_key: { status: 401, type: 'invalid_request_error', message: 'Incorrect API key provided.' },
  key_revoked: { status: 401, type: 'invalid_request_error', message: 'This API key has been revoked.' },
  account_blocked: {
    status: 403,
    type: 'permission_error',
    message: 'This account has been blocked. Contact support if you believe this is a mistake.',
  },
  verification_required: {
    status: 403,
    type: 'permission_error',
    message: 'This account must be verified before it can use the API. Contact support.',
  },
  model_not_found: {
    status: 404,
    type: 'invalid_request_error',
    message: 'The model does not exist or you do not have access to it.',
  },
  unknown_url: { status: 404, type: 'invalid_request_error', message: 'Invalid URL.' },
  invalid_request_error: { status: 400, type: 'invalid_request_error', message: 'Invalid request.' },
  invalid_json: {
    status: 400,
    type: 'invalid_request_error',
    message: 'We could not parse the JSON body of your request. Send valid JSON.',
  },
  unsupported_media_type: {
    status: 415,
    type: 'invalid_request_error',
    message: 'Unsupported Content-Type. Send the body as application/json.',
  },
  request_too_large: {
    status: 413,
    type: 'invalid_request_error',
    message: 'The request body is larger than this gateway accepts.',
  },
  rate_limit_exceeded: { status: 429, type: 'requests', message: 'Rate limit reached.' },
  insufficient_quota: {
    status: 429,
    type: 'insufficient_quota',
    message: 'You exceeded your current token quota.',
  },
  upstream_error: { status: 502, type: 'server_error', message: 'The upstream model server failed.' },
  upstream_timeout: {
    status: 504,
    type: 'server_error',
    message: 'The upstream model server did not answer in time.',
  },
  internal_error: { status: 500, type: 'server_error', message: 'The gateway failed on this request.' },
  /** Not sent to anyone: recorded on events whose client went away before the answer ended. */
  client_closed_request: { status: 499, type: 'client_closed', message: 'The client closed the request.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** The wire body of an error. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** A gateway error: thrown or returned by the request path, rendered by `errorBody`. */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly type: string;
  readonly param: string | null;

  constructor(code: ErrorCode, opts: { message?: string; param?: string | null; type?: string } = {}) {
    const spec: ErrorSpec = ERRORS[code];
    super(opts.message ?? spec.message);
    this.name = 'GatewayError';
    this.code = code;
    this.status = spec.status;
    this.type = opts.type ?? spec.type;
    this.param = opts.param ?? null;
  }

  body(): OpenAIErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'request_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request_error',
  FST_ERR_CTP_EMPTY_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported_media_type',
};

/**
 * Any error reaching the error handler (ours, Fastify's parser errors, anything else) as a
 * GatewayError. Unknown errors become a 500 `internal_error` without leaking their message.
 */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  const mapped = typeof code === 'string' ? FASTIFY_CODES[code] : undefined;
  if (mapped) return new GatewayError(mapped);
  const status = typeof err === 'object' && err !== null ? (err as { statusCode?: unknown }).statusCode : 0;
  if (status === 413) return new GatewayError('request_too_large');
  if (status === 415) return new GatewayError('unsupported_media_type');
  if (typeof status === 'number' && status >= 400 && status < 500)
    return new GatewayError('invalid_request_error', { message: (err as Error).message });
  return new GatewayError('internal_error');
}
