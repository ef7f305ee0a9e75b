import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecisionCache, type NewDecision } from '../../src/policy/decisions.js';
import type { Decision } from '../../src/policy/types.js';
import { openStore, type Store } from '../../src/store/index.js';

let store: Store;
let now = 1_000;
let cache: DecisionCache;

beforeAll(async () => {
  store = await openStore('sqlite::memory:');
  cache = new DecisionCache(store.decisions, store.audit, { mode: 'enforce', now: () => now });
});
afterAll(async () => {
  await store.close();
});

const key = (id: string, action: NewDecision['action'], over: Partial<NewDecision> = {}): NewDecision => ({
  subject: { scope: 'key', id },
  action,
  source: 'engine',
  reasons: ['test'],
  ...over,
});
const org = (id: string, action: NewDecision['action'], over: Partial<NewDecision> = {}): NewDecision => ({
  subject: { scope: 'org', id },
  action,
  source: 'engine',
  reasons: ['test'],
  ...over,
});
const tick = () => {
  now += 10;
};

describe('DecisionCache.effective', () => {
  it('is null without decisions', () => {
    expect(cache.effective('k0', 'o0', now)).toBeNull();
  });

  it('prefers the key decision over the org decision', async () => {
    await cache.record(org('o1', 'block'));
    tick();
    expect(cache.effective('k1', 'o1', now)?.action).toBe('block');
    await cache.record(key('k1', 'flag'));
    tick();
    expect(cache.effective('k1', 'o1', now)?.action).toBe('flag');
    expect(cache.effective('k1b', 'o1', now)?.action).toBe('block');
  });

  it('takes the latest decision per subject and ignores expired ones', async () => {
    await cache.record(key('k2', 'flag'));
    tick();
    await cache.record(key('k2', 'block', { expiresAt: now + 50 }));
    tick();
    expect(cache.effective('k2', 'o2', now)?.action).toBe('block');
    now += 100;
    expect(cache.effective('k2', 'o2', now)?.action).toBe('flag');
  });

  it('keeps a person’s allow over later engine decisions, until a person changes it', async () => {
    await cache.record(key('k3', 'block'));
    tick();
    await cache.record(key('k3', 'allow', { source: 'admin:ops', reasons: ['customer verified'] }));
    tick();
    await cache.record(key('k3', 'block'));
    tick();
    expect(cache.effective('k3', 'o3', now)?.action).toBe('allow');
    await cache.record(key('k3', 'throttle', { source: 'admin:ops', throttleFactor: 0.5 }));
    tick();
    expect(cache.effective('k3', 'o3', now)).toMatchObject({ action: 'throttle', throttleFactor: 0.5 });
  });

  it('lets an org allow from a person override engine decisions on its keys', async () => {
    await cache.record(org('o4', 'allow', { source: 'admin:ops' }));
    tick();
    await cache.record(key('k4', 'block'));
    tick();
    expect(cache.effective('k4', 'o4', now)?.action).toBe('allow');
    await cache.record(key('k4', 'block', { source: 'admin:ops' }));
    tick();
    expect(cache.effective('k4', 'o4', now)?.action).toBe('block');
  });

  it('returns shadow decisions marked shadow, but never in place of an enforced one', async () => {
    const shadowCache = new DecisionCache(store.decisions, store.audit, { mode: 'shadow', now: () => now });
    const d = await shadowCache.record(key('k5', 'block'));
    tick();
    expect(d.shadow).toBe(true);
    expect(shadowCache.effective('k5', 'o5', now)).toMatchObject({ action: 'block', shadow: true });
    await shadowCache.record(key('k5', 'throttle', { source: 'admin:ops', throttleFactor: 0.2 }));
    tick();
    await shadowCache.record(key('k5', 'block'));
    tick();
    expect(shadowCache.effective('k5', 'o5', now)).toMatchObject({ action: 'throttle', shadow: false });
    await shadowCache.record(org('o6', 'block', { source: 'admin:ops' }));
    await shadowCache.record(key('k6', 'flag'));
    tick();
    expect(shadowCache.effective('k6', 'o6', now)).toMatchObject({ action: 'block', shadow: false });
  });

  it('undoes with observe', async () => {
    await cache.record(key('k7', 'block'));
    tick();
    await cache.record(key('k7', 'observe', { source: 'admin:ops', reasons: ['false positive'] }));
    tick();
    expect(cache.effective('k7', 'o7', now)?.action).toBe('observe');
  });
});

describe('DecisionCache.record', () => {
  it('persists, audits with the previous action, and announces', async () => {
    const seen: Decision[] = [];
    const off = cache.updates.subscribe((d) => seen.push(d));
    await cache.record(key('k8', 'flag'));
    tick();
    const d = await cache.record(
      key('k8', 'block', { source: 'admin:ops', reasons: ['abuse'] }),
      'admin:ops',
    );
    tick();
    off();
    expect(seen.map((x) => x.action)).toEqual(['flag', 'block']);
    expect((await store.decisions.list({ subject: d.subject })).map((x) => x.id)).toContain(d.id);
    const [last] = await store.audit.listBySubject(d.subject, 1);
    expect(last).toMatchObject({
      actor: 'admin:ops',
      action: 'block',
      previousAction: 'flag',
      reason: 'abuse',
    });
  });

  it('validates actions and throttle factors', async () => {
    await expect(cache.record(key('k9', 'throttle'))).rejects.toMatchObject({ code: 'invalid_decision' });
    await expect(cache.record(key('k9', 'throttle', { throttleFactor: 1.5 }))).rejects.toThrow(
      /0 < factor < 1/,
    );
    await expect(cache.record(key('k9', 'block', { throttleFactor: 0.5 }))).rejects.toThrow();
    await expect(cache.record(key('k9', 'nuke' as never))).rejects.toThrow(/unknown action/);
  });

  it('reloads the decisions in force from the store', async () => {
    await cache.record(key('k10', 'verify', { source: 'admin:ops' }));
    tick();
    const fresh = await new DecisionCache(store.decisions, store.audit, { now: () => now }).load();
    expect(fresh.effective('k10', 'o10', now)?.action).toBe('verify');
    expect(fresh.effective('k3', 'o3', now)?.action).toBe('throttle');
    expect(fresh.list(now).length).toBeGreaterThan(3);
  });

  it('applies decisions from elsewhere once', async () => {
    const other = new DecisionCache(store.decisions, store.audit, { now: () => now });
    const d = await cache.record(key('k11', 'block'));
    other.apply(d);
    other.apply(d);
    expect(other.effective('k11', 'o', now + 1)?.id).toBe(d.id);
  });
});
