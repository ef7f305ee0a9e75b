import { UndirectedGraph } from 'graphology';
import louvainImport from 'graphology-communities-louvain';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/detect/config.js';
import { behaviourVector } from '../../src/detect/linkage/behaviour.js';
import { ProfileFacts } from '../../src/detect/linkage/facts.js';
import type { Edge } from '../../src/detect/linkage/graph.js';
import { distinctSlots, hasDistinctSlots } from '../../src/detect/linkage/lsh-index.js';
import { requestShape } from '../../src/detect/linkage/shape.js';
import { MIN_MODULARITY, SplitMemo, splitComponent } from '../../src/detect/linkage/split.js';
import { readActivity } from '../../src/detect/linkage/timing.js';
import { salientAll } from '../../src/detect/population.js';
import { type AccountProfile, newProfile, updateProfile } from '../../src/detect/profile.js';
import { hexHash } from '../../src/detect/sketches/hll.js';
import { hash64, mulberry32 } from '../../src/events/hash.js';
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
        const reading = facts.activity(q, q.actHead);
        const fresh = readActivity(q, q.actHead);
        expect({ ...reading, v: [...reading.v.subarray(0, reading.size)] }).toEqual({
          ...fresh,
          v: [...fresh.v],
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(facts.shape(profiles.get('k_a')!)).not.toBeNull();
  });
});

type Louvain = typeof louvainImport.default;
const louvain: Louvain =
  (louvainImport as unknown as { default?: Louvain }).default ?? (louvainImport as unknown as Louvain);

/** The split as it was before round 6 (Louvain on a graphology `UndirectedGraph` built edge by
 * edge), with graphology's modularity deciding whether to keep it. */
function splitOnGraphology(
  members: readonly number[],
  edges: readonly Edge[],
  minStrength: number,
): number[][] {
  const graph = new UndirectedGraph();
  for (const m of members) graph.addNode(String(m));
  for (const e of edges) {
    if (e.strength < minStrength || !graph.hasNode(String(e.a)) || !graph.hasNode(String(e.b))) continue;
    if (graph.hasEdge(String(e.a), String(e.b))) continue;
    graph.addUndirectedEdge(String(e.a), String(e.b), { weight: e.strength });
  }
  const { communities, modularity } = louvain.detailed(graph, {
    getEdgeWeight: 'weight',
    rng: mulberry32(members.length),
    resolution: 1,
  });
  const groups = new Map<number, number[]>();
  for (const m of members)
    groups.set(communities[String(m)]!, [...(groups.get(communities[String(m)]!) ?? []), m]);
  // graphology's own modularity decides whether the split is kept (split.ts computes its own).
  if (groups.size > 1 && modularity < MIN_MODULARITY) return [[...members]];
  return [...groups.values()].map((g) => g.sort((x, y) => x - y)).sort((x, y) => x[0]! - y[0]!);
}

/** Random groups of keys, dense inside and sparsely bridged, with duplicate, reversed and weak edges. */
function groupedGraph(seed: number) {
  const r = rng(seed);
  const size = 12 + Math.floor(r() * 80);
  const members = Array.from({ length: size }, (_, i) => i * 7 + Math.floor(r() * 7)).sort((x, y) => x - y);
  const groupOf = members.map(() => Math.floor(r() * (1 + Math.floor(r() * 6))));
  const edges: Edge[] = [];
  for (let i = 0; i < size * 6; i++) {
    const x = Math.floor(r() * size);
    const y = Math.floor(r() * size);
    if (x === y || (groupOf[x] !== groupOf[y] && r() < 0.9)) continue;
    const [a, b] = r() < 0.9 ? [members[x]!, members[y]!] : [1_000_000 + x, members[y]!];
    edges.push({ a, b, evidence: {}, strength: 0.3 + 0.7 * r(), nearPairs: 0 });
  }
  return { members, edges };
}

describe('splitComponent', () => {
  it('gives the communities of Louvain on a graphology graph, over 300 random components', () => {
    let split = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const { members, edges } = groupedGraph(seed);
      const got = splitComponent(members, edges, 0.6, 12);
      expect(got).toEqual(splitOnGraphology(members, edges, 0.6));
      if (got.length > 1) split++;
    }
    expect(split).toBeGreaterThan(100);
  });
  it('keeps a densely linked component whole, where Louvain alone cuts it into halves of no modularity', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const r = rng(seed);
      const members = Array.from({ length: 14 }, (_, i) => i);
      const edges: Edge[] = [];
      for (let a = 0; a < 14; a++)
        for (let b = a + 1; b < 14; b++)
          if (r() < 0.8) edges.push({ a, b, evidence: {}, strength: 0.6 + 0.4 * r(), nearPairs: 0 });
      expect(splitComponent(members, edges, 0.6, 12)).toEqual([members]);
      const graph = new UndirectedGraph();
      for (const m of members) graph.addNode(String(m));
      for (const e of edges) graph.addUndirectedEdge(String(e.a), String(e.b), { weight: e.strength });
      const plain = louvain.detailed(graph, { getEdgeWeight: 'weight', rng: mulberry32(14), resolution: 1 });
      expect(plain.count).toBeGreaterThan(1);
      expect(plain.modularity).toBeLessThan(MIN_MODULARITY);
    }
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
    variants.push(edges.map((e, i) => (i === 9 ? { ...e, strength: e.strength + 1e-12 } : e)));
    variants.push(edges.map((e, i) => (i === 4 ? { ...e, a: e.b, b: e.a } : e)));
    variants.push(edges, edges.slice(0, 100));
    for (const v of variants) {
      const got = memo.split(members, v, 0.6, 12);
      expect(got).toEqual(splitComponent(members, v, 0.6, 12));
      got[0]!.push(-1); // callers own what they get: the memo keeps its copy
      memo.endPass();
    }
    expect(memo.split(members.slice(0, 5), edges, 0.6, 12)).toEqual([members.slice(0, 5)]);
  });
});
