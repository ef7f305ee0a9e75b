/**
 * @module limits
 * Public surface of the limits library: the store contract, the memory store, headers, rules
 * and refusals.
 */

export { LimitsError } from './errors.js';
export { formatResetDuration, rateLimitHeaders, retryAfterSeconds } from './headers.js';
export { type MemoryLimitsOptions, MemoryLimitsStore } from './memory.js';
export { type RateLimitErrorBody, refusalBody, refusalResponse, refusalType } from './refusal.js';
export { subjectsFor, throttled } from './rules.js';
export type * from './types.js';
