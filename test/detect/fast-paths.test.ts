import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/detect/config.js';
import { behaviourVector } from '../../src/detect/linkage/behaviour.js';
import { ProfileFacts } from '../../src/detect/linkage/facts.js';
import type { Edge } from '../../src/detect/linkage/graph.js';
import { distinctSlots, hasDistinctSlots } from '../../src/detect/linkage/lsh-index.js';
import { requestShape } from '../../src/detect/linkage/shape.js';
import { SplitMemo, splitComponent } from '../../src/detect/linkage/split.js';
import { salientAll } from '../../src/detect/population.js';
import { type AccountProfile, newProfile, updateProfile } from '../../src/detect/profile.js';
import { hexHash } from '../../src/detect/sketches/hll.js';
import { hash64 } from '../../src/events/hash.js';
import { MINHASH_SIZE, minhash } from '../../src/events/minhash.js';
import { byTime, chatApp, harvester, rng } from './fixtures.js';

describe('hexHash', () => {
  it('reads the first 8 hex digits like parseInt, odd inputs included', () => {
    const inputs = [
      '',
      'abc',
      '0000000000000000',
      'FFFFFFFFffffffff',
      'deadBEEF',
      '12zz5678abcd',
      'zz',
      ' 1234567',
    ];
    for (let i = 0; i < 500; i++) inputs.push(hash64(`t${i}`));
    for (const h of inputs) expect(hexHash(h)).toBe(Number.parseInt(h.slice(0, 8), 16) >>> 0);
  });
});

describe('hasDistinctSlots', () => {
  it('agrees with counting distinct slots, for every threshold', () => {
    const r = rng(5);
    const sigs = [minhash(''), minhash('a b c'), minhash('one two three four five six seven eight nine ten')];
    for (let i = 0; i < 300; i++) {
      const pool = 1 + Math.floor(r() * 40);
      sigs.push(Array.from({ length: MINHASH_SIZE }, () => (Math.floor(r() * pool) * 0x01000193) >>> 0));
    }
    for (const sig of sigs)
      for (const min of [0, 1, 5, 12, 20, 32, 33])
        expect(hasDistinctSlots(sig, min)).toBe(distinctSlots(sig) >= min);
  });
});

describe('ProfileFacts', () => {
  it('gives what a fresh read gives, and reads a profile again after its next event', () => {
    const cfg = resolveConfig();
    const facts = new ProfileFacts(cfg.linkage.minShare);
    const events = byTime([...harvester('k_a', 3, 120), ...chatApp('k_b', 4, 80)]);
    const profiles = new Map<string, AccountProfile>();
    let checked = 0;
    for (const [i, e] of events.entries()) {
      let p = profiles.get(e.keyId);
      if (!p) {
        p = newProfile(e.keyId, e.accountId, e.orgId, cfg);
        profiles.set(e.keyId, p);
      }
      updateProfile(p, e, cfg);
      if (i % 7 !== 0) continue;
      for (const q of profiles.values()) {
        expect(facts.salient(q)).toEqual(salientAll(q, cfg.linkage.minShare));
        expect(facts.shape(q)).toBe(requestShape(q));
        expect([...facts.vector(q)]).toEqual([...behaviourVector(q)]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(facts.shape(profiles.get('k_a')!)).not.toBeNull();
  });
});

describe('SplitMemo', () => {
  it('gives what splitComponent gives, for repeated, reordered and changed inputs', () => {
    const r = rng(11);
    const memo = new SplitMemo();
    const members = Array.from({ length: 40 }, (_, i) => i * 3);
    const edges: Edge[] = [];
    for (let i = 0; i < 160; i++) {
      const a = members[Math.floor(r() * 40)]!;
      const b = members[Math.floor(r() * 40)]!;
      if (a < b) edges.push({ a, b, evidence: {}, strength: 0.5 + r() / 2, nearPairs: 0 });
    }
    const variants = [edges, edges, edges.slice(0, 100), [...edges].reverse(), edges];
    variants.push(edges.map((e, i) => (i === 7 ? { ...e, strength: e.strength / 3 } : e)));
    for (const v of variants) {
      const got = memo.split(members, v, 0.6, 12);
      expect(got).toEqual(splitComponent(members, v, 0.6, 12));
      got[0]!.push(-1); // callers own what they get: the memo keeps its copy
      memo.endPass();
    }
    expect(memo.split(members.slice(0, 5), edges, 0.6, 12)).toEqual([members.slice(0, 5)]);
  });
});
