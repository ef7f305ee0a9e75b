import { describe, expect, it } from 'vitest';
import {
  accountDetailOf,
  accountRowOf,
  campaignDetailOf,
  decisionOf,
  eventOf,
  evidenceLabel,
  pageOf,
} from '../../web/src/api/normalize.js';
import { appendLive, bucketize, bucketSize, cumulativeFlagged } from '../../web/src/lib/series.js';

describe('web/api/normalize', () => {
  it('reads an account row from snake_case with a nested finding and computes the harvest ratio', () => {
    const row = accountRowOf({
      key: 'k_1',
      org: 'o_1',
      requests: 10,
      prompt_tokens: 200,
      completion_tokens: 5000,
      finding: {
        score: 0.9,
        verdict: 'distillation',
        campaign: 'c_1',
        reasons: [{ signal: 'harvest_ratio', score: 0.8, detail: 'x' }],
      },
    });
    expect(row).toMatchObject({
      key: 'k_1',
      org: 'o_1',
      requests: 10,
      outputTokens: 5000,
      score: 0.9,
      verdict: 'distillation',
      campaign: 'c_1',
    });
    expect(row.harvestRatio).toBe(25);
    expect(row.reasons[0]?.signal).toBe('harvest_ratio');
  });

  it('tolerates missing fields and unknown verdicts', () => {
    const row = accountRowOf({ id: 'k_2', verdict: 'weird' });
    expect(row.key).toBe('k_2');
    expect(row.verdict).toBeNull();
    expect(row.harvestRatio).toBeNull();
    expect(row.reasons).toEqual([]);
  });

  it('reads pages from an envelope or a bare array', () => {
    expect(pageOf({ accounts: [{ key: 'a' }], total: 100000 }, accountRowOf, 0, 'accounts').total).toBe(
      100000,
    );
    expect(pageOf([{ key: 'a' }, { key: 'b' }], accountRowOf, 50).items.map((r) => r.key)).toEqual([
      'a',
      'b',
    ]);
  });

  it('reads an event from a store row whose data column is JSON text', () => {
    const e = eventOf({
      id: 'r1',
      ts: 1000,
      key_id: 'k_1',
      data: JSON.stringify({
        id: 'r1',
        ts: 1000,
        keyId: 'k_1',
        usage: { promptTokens: 3, completionTokens: 7 },
        prompt: { skeletonHash: 'abc' },
      }),
    });
    expect(e).toMatchObject({
      id: 'r1',
      ts: 1000,
      key: 'k_1',
      promptTokens: 3,
      completionTokens: 7,
      skeletonHash: 'abc',
      promptText: null,
    });
  });

  it('reads decisions in camelCase (Decision type) and marks shadow ones', () => {
    const d = decisionOf({
      id: 'd1',
      subject: { scope: 'key', id: 'k_1' },
      action: 'block',
      source: 'admin:ui',
      reasons: ['r'],
      shadow: true,
      createdAt: 5,
    });
    expect(d).toMatchObject({ scope: 'key', subject: 'k_1', action: 'block', shadow: true, createdAt: 5 });
  });

  it('reads account detail with key and org limits and sorts decisions newest first', () => {
    const d = accountDetailOf({
      key: { id: 'k_1', orgId: 'o_1', prefix: 'dg-abc', limits: { rpm: 60 }, revokedAt: null },
      org: { id: 'o_1', name: 'acme', limits: { tpm: 1000 } },
      decisions: [
        { id: 'a', action: 'flag', createdAt: 1 },
        { id: 'b', action: 'block', createdAt: 2 },
      ],
    });
    expect(d.keyId).toBe('k_1');
    expect(d.orgId).toBe('o_1');
    expect(d.limits.find((l) => l.name === 'Requests per minute')).toMatchObject({ key: 60, org: null });
    expect(d.limits.find((l) => l.name === 'Tokens per minute')).toMatchObject({ key: null, org: 1000 });
    expect(d.decisions.map((x) => x.id)).toEqual(['b', 'a']);
  });

  it('reads pairwise campaign links and names their evidence', () => {
    const d = campaignDetailOf({
      id: 'c_1',
      keys: ['k_1', 'k_2'],
      score: 0.99,
      verdict: 'distillation',
      links: [
        {
          source: 'k_1',
          target: 'k_2',
          evidence: ['link.shared_subnet', 'frame', 'fingerprint'],
          weight: 0.7,
        },
      ],
    });
    expect(d.links).toEqual([{ a: 'k_1', b: 'k_2', kinds: ['/24', 'template', 'fingerprint'], weight: 0.7 }]);
    expect(evidenceLabel('link.system_prompt')).toBe('system prompt');
    expect(evidenceLabel('link.sync_activity')).toBe('timing');
    expect(evidenceLabel('link.near_duplicate_prompts')).toBe('near-duplicate prompts');
    expect(evidenceLabel('link.synchronized_activity')).toBe('timing');
    expect(evidenceLabel('link.shared_meta')).toBe('shared metadata');
  });
});

describe('web/lib/series', () => {
  it('picks a bucket size that keeps the chart under the bucket budget', () => {
    expect(bucketSize(60_000)).toBe(1_000);
    expect(bucketSize(7 * 86_400_000)).toBe(3_600_000);
  });

  it('buckets events by event time and fills gaps with zeros', () => {
    const { series, bucketMs } = bucketize(
      [
        { ts: 60_000, promptTokens: 1, completionTokens: 2 },
        { ts: 60_500, promptTokens: 1, completionTokens: 2 },
        { ts: 240_000, promptTokens: 0, completionTokens: 10 },
      ],
      60_000,
    );
    expect(bucketMs).toBe(60_000);
    expect(series.x).toEqual([60, 120, 180, 240]);
    expect(series.requests).toEqual([2, 0, 0, 1]);
    expect(series.tokens).toEqual([6, 0, 0, 10]);
  });

  it('appends live requests without mutating the previous series', () => {
    const s0 = { x: [60], requests: [1], tokens: [5] };
    const s1 = appendLive(s0, 60_100, 3, 60_000);
    const s2 = appendLive(s1, 185_000, 4, 60_000);
    expect(s0).toEqual({ x: [60], requests: [1], tokens: [5] });
    expect(s1).toEqual({ x: [60], requests: [2], tokens: [8] });
    expect(s2).toEqual({ x: [60, 120, 180], requests: [2, 0, 1], tokens: [8, 0, 4] });
  });

  it('counts flagged accounts cumulatively', () => {
    expect(cumulativeFlagged([1, 2, 3], [1500, 1000, 2500, 9000])).toEqual([1, 2, 3]);
  });
});

describe('web/lib/series live gap', () => {
  it('does not zero-fill a huge gap between replayed history and live traffic', () => {
    const s = appendLive({ x: [60], requests: [1], tokens: [1] }, 60_000 + 86_400_000 * 30, 2, 60_000);
    expect(s.x.length).toBe(2);
    expect(s.requests).toEqual([1, 1]);
  });
});
