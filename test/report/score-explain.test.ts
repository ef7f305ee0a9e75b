import { describe, expect, it } from 'vitest';
import { analyzeEvents } from '../../src/detect/engine.js';
import { explainScore } from '../../src/report/score-explain.js';
import { event, T0 } from './fixtures.js';

describe('explainScore', () => {
  it('applies the documented model: bias, support, weights and the intent gate', () => {
    const x = explainScore({
      reasons: [
        { signal: 'harvest_ratio', score: 1, detail: '' },
        { signal: 'volume', score: 0.5, detail: '' },
      ],
      requests: 12,
      score: 0.2,
      verdict: 'benign',
      engineConfig: { scoring: { bias: 4, minRequests: 24, weights: { harvest_ratio: 2, volume: 1 } } },
    });
    expect(x.support).toBe(0.5); // 12 / 24
    // volume is a weak automation signal: it counts but does not open the intent gate.
    expect(x.automation).toBe(0);
    expect(x.intentGate).toBe(0.5);
    // harvest_ratio is generic and nothing corroborates it: it counts × 0.5 (genericFloor), and
    // opens the automation gate only that far.
    expect(x.corroboration).toBe(0);
    expect(x.genericGate).toBe(0.5);
    expect(x.intent).toBe(0.5);
    expect(x.automationGate).toBe(0.75);
    // harvest_ratio (intent): 0.5 · 2.0 · (0.5 · 0.5) · 1 = 0.25; volume (automation): 0.5 · 1.0 · 0.75 · 0.5 = 0.1875.
    expect(x.terms.map((t) => t.contribution)).toEqual([0.25, 0.1875]);
    expect(x.zListed).toBeCloseTo(-3.5625, 10);
    expect(x.absent).toContain('logprob_extraction');
    expect(x.absent).not.toContain('volume');
  });

  it('uses the weights recorded in the findings and treats links and campaigns as non-weighted', () => {
    const x = explainScore({
      reasons: [
        { signal: 'campaign', score: 0.9, detail: '' },
        { signal: 'link.shared_subnet', score: 0.8, detail: '' },
        { signal: 'harvest_ratio', score: 1, detail: '' },
        { signal: 'machine_timing', score: 0.5, detail: '' },
      ],
      requests: 100,
      score: 0.9,
      verdict: 'distillation',
      engineConfig: { scoring: { bias: 3, weights: { harvest_ratio: 5, machine_timing: 2 } } },
    });
    expect(x.configSource).toBe('findings');
    expect(x.inherited).toBe(true);
    // machine_timing 0.5 corroborates: generic gate 0.5 + 0.5·0.5 = 0.75, so I = 0.75. Intent gate
    // 0.5 + 0.5·0.5 = 0.75; automation gate 0.5 + 0.5·0.75 = 0.875.
    expect(x.genericGate).toBe(0.75);
    expect(x.terms.map((t) => [t.kind, t.contribution])).toEqual([
      ['campaign', null],
      ['link', null],
      ['signal', 5 * 0.75 * 0.75],
      ['signal', 2 * 0.5 * 0.875],
    ]);
    expect(x.zListed).toBeCloseTo(-3 + 2.8125 + 0.875, 10);
  });

  it('scores a campaign of several orgs without the generic discount, as the engine does', () => {
    const input = {
      reasons: [{ signal: 'harvest_ratio', score: 1, detail: '' }],
      requests: 100,
      score: 0.5,
      verdict: 'suspicious' as const,
      engineConfig: { scoring: { bias: 4, weights: { harvest_ratio: 2 } } },
    };
    expect(explainScore({ ...input, orgs: 3 }).genericGate).toBe(1);
    expect(explainScore({ ...input, orgs: 1 }).genericGate).toBe(0.5);
    expect(explainScore(input).genericGate).toBe(0.5);
  });

  it('never exceeds the engine score: the listed reasons are a lower bound of z', () => {
    const events = [];
    for (let i = 0; i < 200; i++)
      events.push(
        event({
          key: 'k_h',
          ts: T0 + i * 30_000,
          prompt: `Solve problem ${i} step by step and show all of your reasoning.`,
          completionTokens: 3000,
        }),
      );
    const f = analyzeEvents(events);
    const a = f.accounts[0]!;
    const x = explainScore({ ...a, engineConfig: f.engine?.config });
    expect(x.configSource).toBe('findings');
    expect(a.reasons.length).toBeGreaterThan(0);
    expect(x.remainder).toBeGreaterThanOrEqual(-0.01);
  });
});
