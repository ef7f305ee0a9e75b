import { describe, expect, it } from 'vitest';
import { formatResetDuration, rateLimitHeaders, retryAfterSeconds } from '../../src/limits/headers.js';
import { refusalBody, refusalResponse, refusalType } from '../../src/limits/refusal.js';
import { subjectsFor, throttled } from '../../src/limits/rules.js';
import type { KeyContext } from '../../src/tenancy/types.js';

describe('formatResetDuration', () => {
  it.each([
    [0, '0s'],
    [20, '20ms'],
    [999.6, '1s'],
    [1000, '1s'],
    [1500, '1.5s'],
    [8640, '8.64s'],
    [59_999, '59.999s'],
    [60_000, '1m0s'],
    [86_400, '1m26.4s'],
    [360_000, '6m0s'],
    [3_600_000, '1h0m0s'],
    [3_723_000, '1h2m3s'],
    [-5, '0s'],
  ])('%s ms → %s', (ms, text) => expect(formatResetDuration(ms)).toBe(text));
});

describe('rateLimitHeaders', () => {
  it('emits both families as OpenAI does', () => {
    expect(
      rateLimitHeaders({
        requests: { limit: 100, remaining: 99, resetMs: 600 },
        tokens: { limit: 30_000, remaining: 29_000, resetMs: 2000 },
      }),
    ).toEqual({
      'x-ratelimit-limit-requests': '100',
      'x-ratelimit-remaining-requests': '99',
      'x-ratelimit-reset-requests': '600ms',
      'x-ratelimit-limit-tokens': '30000',
      'x-ratelimit-remaining-tokens': '29000',
      'x-ratelimit-reset-tokens': '2s',
    });
  });
  it('omits a family without a limit', () => {
    expect(rateLimitHeaders({ requests: null, tokens: null })).toEqual({});
    expect(
      Object.keys(rateLimitHeaders({ requests: { limit: 1, remaining: 0, resetMs: 60_000 }, tokens: null })),
    ).toEqual(['x-ratelimit-limit-requests', 'x-ratelimit-remaining-requests', 'x-ratelimit-reset-requests']);
  });
  it('rounds Retry-After up to whole seconds, at least 1', () => {
    expect(retryAfterSeconds(0)).toBe(1);
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(1000)).toBe(1);
    expect(retryAfterSeconds(1001)).toBe(2);
    expect(retryAfterSeconds(60_000)).toBe(60);
  });
});

describe('refusal', () => {
  it('builds the OpenAI rate-limit error', () => {
    const body = refusalBody('org.tpm', 1500);
    expect(body.error).toMatchObject({ type: 'tokens', param: null, code: 'rate_limit_exceeded' });
    expect(body.error.message).toContain('org.tpm');
    expect(body.error.message).toContain('2s');
    expect(refusalType('key.rpm')).toBe('requests');
    expect(refusalType('key.concurrency')).toBe('requests');
    expect(refusalType('key.tokens_per_day')).toBe('tokens');
  });
  it('carries Retry-After and the x-ratelimit headers', () => {
    const r = refusalResponse('key.rpm', 250, {
      requests: { limit: 5, remaining: 0, resetMs: 60_000 },
      tokens: null,
    });
    expect(r.statusCode).toBe(429);
    expect(r.headers['retry-after']).toBe('1');
    expect(r.headers['x-ratelimit-remaining-requests']).toBe('0');
    expect(r.headers['x-ratelimit-reset-requests']).toBe('1m0s');
    expect(r.body.error.message).toContain('250ms');
  });
});

describe('rules', () => {
  it('throttles every limit, keeping each at least 1 and unlimited as unlimited', () => {
    expect(throttled({ rpm: 100, tpm: 10_000, concurrency: 1, tokensPerDay: 3 }, 0.1)).toEqual({
      rpm: 10,
      tpm: 1000,
      concurrency: 1,
      tokensPerDay: 1,
    });
    expect(throttled({}, 0.5)).toEqual({});
  });
  it('builds key and org subjects from a key context', () => {
    const ctx: KeyContext = {
      keyId: 'k1',
      accountId: 'a1',
      orgId: 'o1',
      prefix: 'dg-abc',
      revoked: false,
      keyLimits: { rpm: 10 },
      orgLimits: { tpm: 1000 },
      labels: {},
    };
    expect(subjectsFor(ctx)).toEqual([
      { scope: 'key', id: 'k1', rule: { rpm: 10 } },
      { scope: 'org', id: 'o1', rule: { tpm: 1000 } },
    ]);
    expect(subjectsFor(ctx, 0.5)[1]!.rule).toEqual({ tpm: 500 });
  });
});
