/**
 * @module limits/refusal
 * The 429 a refused request gets: OpenAI's error shape, `Retry-After`, and the x-ratelimit-*
 * headers. OpenAI: `{"error":{"message":"Rate limit reached for … on requests per min (RPM)…",
 * "type":"requests","param":null,"code":"rate_limit_exceeded"}}`.
 */
import { rateLimitHeaders, retryAfterSeconds } from './headers.js';
import type { LimitName, LimitStatus } from './types.js';

export interface RateLimitErrorBody {
  error: { message: string; type: 'requests' | 'tokens'; param: null; code: 'rate_limit_exceeded' };
}

const DESCRIPTIONS: Record<string, string> = {
  rpm: 'requests per min (RPM)',
  tpm: 'tokens per min (TPM)',
  concurrency: 'concurrent requests',
  tokens_per_day: 'tokens per day',
  tokens_per_month: 'tokens per month',
};

/** `requests` for request-count limits (RPM, concurrency), `tokens` for token limits. */
export function refusalType(limitedBy: LimitName): 'requests' | 'tokens' {
  return limitedBy.endsWith('.rpm') || limitedBy.endsWith('.concurrency') ? 'requests' : 'tokens';
}

export function refusalBody(limitedBy: LimitName, retryAfterMs: number): RateLimitErrorBody {
  const [scope, limit] = limitedBy.split('.') as [string, string];
  const wait =
    retryAfterMs < 1000 ? `${Math.max(1, Math.ceil(retryAfterMs))}ms` : `${retryAfterSeconds(retryAfterMs)}s`;
  return {
    error: {
      message: `Rate limit reached for this ${scope} on ${DESCRIPTIONS[limit] ?? limit} (${limitedBy}). Please try again in ${wait}.`,
      type: refusalType(limitedBy),
      param: null,
      code: 'rate_limit_exceeded',
    },
  };
}

/** Status 429 with the body and every header a refusal carries. */
export function refusalResponse(
  limitedBy: LimitName,
  retryAfterMs: number,
  status: LimitStatus,
): { statusCode: 429; headers: Record<string, string>; body: RateLimitErrorBody } {
  return {
    statusCode: 429,
    headers: { ...rateLimitHeaders(status), 'retry-after': String(retryAfterSeconds(retryAfterMs)) },
    body: refusalBody(limitedBy, retryAfterMs),
  };
}
