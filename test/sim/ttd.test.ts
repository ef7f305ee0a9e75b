import { describe, expect, it } from 'vitest';
import { ttdByPersona } from '../../bench/lib/aggregate.js';
import type { RunScore } from '../../bench/lib/score.js';

type Ttd = RunScore['campaigns']['ttd'][number];
const run = (ttd: Ttd[]) => ({ campaigns: { ttd } }) as unknown as RunScore;
const camp = (persona: string, before: number, requests: number, keys: number): Ttd => ({
  campaign: `${persona}-${before}-${requests}`,
  persona,
  share: before / requests,
  before,
  requests,
  keys,
});

describe('ttdByPersona', () => {
  it('pools campaigns of a persona over runs and counts those flagged before 5%', () => {
    const rows = ttdByPersona([
      run([camp('slow_low', 87, 203, 8), camp('hydra', 40, 2_000, 20)]),
      run([camp('slow_low', 30, 600, 10), camp('hydra', 20, 1_000, 10)]),
    ]);
    expect(rows.map((r) => r.persona)).toEqual(['hydra', 'slow_low']);
    const [hydra, slow] = rows;
    expect(hydra).toMatchObject({ campaigns: 2, found: 2, under5: 2, medianBefore: 30 });
    expect(hydra!.medianAt5).toBeCloseTo(75); // 50 and 100 requests at the 5% mark
    expect(slow).toMatchObject({ campaigns: 2, found: 2, under5: 0 });
    expect(slow!.medianShare).toBeCloseTo((87 / 203 + 30 / 600) / 2);
    // 10.15 requests over 8 keys and 30 over 10: ~1.3 and 3 per key at the mark.
    expect(slow!.medianPerKeyAt5).toBeCloseTo((10.15 / 8 + 3) / 2);
  });

  it('counts a campaign never flagged as not found, and leaves it out of requests to first flag', () => {
    const [row] = ttdByPersona([run([camp('mixed_org', 45, 45, 1), camp('mixed_org', 10, 100, 1)])]);
    expect(row).toMatchObject({ campaigns: 2, found: 1, under5: 0, medianBefore: 10, medianShare: 0.55 });
  });
});
