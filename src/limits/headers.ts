/**
 * @module limits/headers
 * The `x-ratelimit-*` response headers and `Retry-After`, formatted as OpenAI sends them:
 * "x-ratelimit-reset-requests: 1s", "x-ratelimit-reset-tokens: 6m0s" (Go duration strings).
 */
import type { LimitStatus } from './types.js';

/**
 * Formats milliseconds as a Go duration string, as OpenAI does: `20ms`, `1s`, `8.64s`, `6m0s`,
 * `1h0m0s`, and `0s` for zero.
 */
export function formatResetDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const secMs = total % 60_000;
  const whole = Math.floor(secMs / 1000);
  const frac = secMs % 1000;
  const seconds = frac === 0 ? `${whole}` : `${whole}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

/** The x-ratelimit-* headers for a status; a window without a limit contributes no headers. */
export function rateLimitHeaders(status: LimitStatus): Record<string, string> {
  const out: Record<string, string> = {};
  if (status.requests) {
    out['x-ratelimit-limit-requests'] = String(status.requests.limit);
    out['x-ratelimit-remaining-requests'] = String(status.requests.remaining);
    out['x-ratelimit-reset-requests'] = formatResetDuration(status.requests.resetMs);
  }
  if (status.tokens) {
    out['x-ratelimit-limit-tokens'] = String(status.tokens.limit);
    out['x-ratelimit-remaining-tokens'] = String(status.tokens.remaining);
    out['x-ratelimit-reset-tokens'] = formatResetDuration(status.tokens.resetMs);
  }
  return out;
}

/** `Retry-After` in whole seconds, rounded up, and never 0 on a refusal. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
