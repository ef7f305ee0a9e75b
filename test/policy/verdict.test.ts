import { describe, expect, it } from 'vitest';
import { actionFor, DEFAULT_ACTION_MAP, enforces, isAllowlisted } from '../../src/policy/verdict.js';

const empty = { orgs: [], keys: [] };

describe('actionFor', () => {
  it('maps verdicts with the default map, in shadow mode by default', () => {
    expect(actionFor('benign', { allowlist: empty }, { key: 'k1', org: 'o1' })).toEqual({
      action: 'observe',
      shadow: true,
    });
    expect(actionFor('suspicious', { allowlist: empty }, { key: 'k1' })).toEqual({
      action: 'flag',
      shadow: true,
    });
    expect(actionFor('distillation', { allowlist: empty }, { key: 'k1' })).toEqual({
      action: 'block',
      shadow: true,
    });
    expect(DEFAULT_ACTION_MAP.distillation).toBe('block');
  });
  it('enforces only in enforce mode', () => {
    const shadow = actionFor('distillation', { mode: 'shadow', allowlist: empty }, { key: 'k' });
    const live = actionFor('distillation', { mode: 'enforce', allowlist: empty }, { key: 'k' });
    expect(enforces(shadow)).toBe(false);
    expect(enforces(live)).toBe(true);
    expect(enforces(actionFor('suspicious', { mode: 'enforce', allowlist: empty }, { key: 'k' }))).toBe(
      false,
    );
  });
  it('takes a custom map (throttle, verify)', () => {
    const map = { benign: 'observe', suspicious: 'throttle', distillation: 'verify' } as const;
    expect(actionFor('suspicious', { mode: 'enforce', map, allowlist: empty }, { key: 'k' }).action).toBe(
      'throttle',
    );
    expect(actionFor('distillation', { mode: 'enforce', map, allowlist: empty }, { key: 'k' }).action).toBe(
      'verify',
    );
  });
  it('always allows allowlisted keys and orgs', () => {
    const policy = { mode: 'enforce' as const, allowlist: { orgs: ['o-trusted'], keys: ['k-trusted'] } };
    expect(actionFor('distillation', policy, { key: 'k-trusted', org: 'o-x' })).toEqual({
      action: 'allow',
      shadow: false,
    });
    expect(actionFor('distillation', policy, { key: 'k-other', org: 'o-trusted' }).action).toBe('allow');
    expect(actionFor('distillation', policy, { key: 'k-other', org: 'o-x' }).action).toBe('block');
  });
  it('accepts decision subjects', () => {
    const policy = { allowlist: { orgs: ['o1'], keys: ['k1'] } };
    expect(isAllowlisted(policy, { scope: 'org', id: 'o1' })).toBe(true);
    expect(isAllowlisted(policy, { scope: 'key', id: 'o1' })).toBe(false);
    expect(actionFor('suspicious', policy, { scope: 'key', id: 'k1' }).action).toBe('allow');
  });
});
