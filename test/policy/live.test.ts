import { describe, expect, it } from 'vitest';
import type { VerdictChange } from '../../src/detect/engine.js';
import { decisionFor, policyFromConfig } from '../../src/policy/live.js';

const change = (verdict: VerdictChange['verdict'], over: Partial<VerdictChange> = {}): VerdictChange => ({
  kind: 'account',
  id: 'k1',
  keys: ['k1'],
  org: 'o1',
  verdict,
  score: 0.91,
  reasons: [
    { signal: 'harvest_ratio', score: 0.9, detail: 'output/input 38×' },
    { signal: 'template_reuse', score: 0.8, detail: '3 frames cover 97% of 4,100 requests' },
  ],
  at: 0,
  ...over,
});

describe('policyFromConfig', () => {
  it('defaults to shadow and reads the allowlist defensively', () => {
    expect(policyFromConfig({})).toEqual({ mode: 'shadow' });
    expect(policyFromConfig({ mode: 'enforce', allowlist: { keys: ['k9', 3], orgs: 'nope' } })).toEqual({
      mode: 'enforce',
      allowlist: { keys: ['k9'], orgs: [] },
    });
  });
});

describe('decisionFor', () => {
  it('maps a distillation verdict to block with the engine reasons', () => {
    const d = decisionFor(change('distillation'), { mode: 'enforce' }, null);
    expect(d?.action).toBe('block');
    expect(d?.reasons[0]).toContain('distillation');
    expect(d?.reasons.some((r) => r.startsWith('harvest_ratio: output/input 38×'))).toBe(true);
  });
  it('records nothing when the action would not change', () => {
    expect(decisionFor(change('benign'), {}, null)).toBeNull();
    expect(decisionFor(change('suspicious'), {}, 'flag')).toBeNull();
  });
  it('follows a configured action map and the allowlist', () => {
    expect(decisionFor(change('distillation'), { map: { distillation: 'verify' } }, null)?.action).toBe(
      'verify',
    );
    expect(decisionFor(change('distillation'), { allowlist: { orgs: ['o1'] } }, null)?.action).toBe('allow');
  });
  it('undoes an engine block when the verdict falls back to benign', () => {
    expect(decisionFor(change('benign'), {}, 'block')?.action).toBe('observe');
  });
  it('ignores campaign-level changes (members get their own account changes)', () => {
    expect(decisionFor(change('distillation', { kind: 'campaign' }), {}, null)).toBeNull();
  });
});
