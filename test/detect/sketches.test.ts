import { describe, expect, it } from 'vitest';
import { countMinAdd, countMinGet, countMinNew } from '../../src/detect/sketches/countmin.js';
import {
  decayedAdd,
  decayedMerge,
  decayedNew,
  decayedRate,
  decayedValue,
} from '../../src/detect/sketches/decayed.js';
import { hllAdd, hllCount, hllMerge, hllNew } from '../../src/detect/sketches/hll.js';
import { RecentIds } from '../../src/detect/sketches/recent-ids.js';
import { reservoirAdd, reservoirNew } from '../../src/detect/sketches/reservoir.js';
import { decodeState, encodeState } from '../../src/detect/sketches/serialize.js';
import {
  type TopEntry,
  topkAdd,
  topkMerge,
  topkNew,
  topkSorted,
  topkSortedInto,
  topkTop,
} from '../../src/detect/sketches/topk.js';
import { hash32 } from '../../src/events/hash.js';
import { rng } from './fixtures.js';

describe('HyperLogLog', () => {
  for (const n of [10, 100, 1_000, 10_000, 100_000]) {
    it(`estimates ${n} distinct items within 3 standard errors (p=8)`, () => {
      const h = hllNew(8);
      for (let i = 0; i < n; i++) hllAdd(h, hash32(`item-${i}`));
      for (let i = 0; i < n; i++) hllAdd(h, hash32(`item-${i}`)); // duplicates change nothing
      const err = Math.abs(hllCount(h) - n) / n;
      expect(err).toBeLessThan(3 * (1.04 / Math.sqrt(256)));
    });
  }
  it('merges as the union', () => {
    const a = hllNew();
    const b = hllNew();
    for (let i = 0; i < 3000; i++) hllAdd(a, hash32(`x${i}`));
    for (let i = 2000; i < 5000; i++) hllAdd(b, hash32(`x${i}`));
    expect(Math.abs(hllCount(hllMerge(a, b)) - 5000) / 5000).toBeLessThan(0.2);
    expect(hllCount(a)).toBeLessThan(3600); // inputs untouched
  });
  it('is exact-ish at small cardinalities (linear counting)', () => {
    const h = hllNew();
    for (let i = 0; i < 5; i++) hllAdd(h, hash32(`y${i}`));
    expect(Math.round(hllCount(h))).toBe(5);
  });
});

describe('recent ids', () => {
  const ids = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `req_${tag}_${i.toString(36)}`);

  it('tells an id seen among the recent ones, and only those', () => {
    const r = new RecentIds(1000);
    const first = ids(400, 'a');
    expect(first.map((id) => r.seen(id)).filter(Boolean)).toHaveLength(0);
    expect(first.every((id) => r.seen(id))).toBe(true);
    expect(r.size).toBe(400);
  });

  it('forgets ids past the window, remembers at least half a window back, and stays bounded', () => {
    const r = new RecentIds(1000);
    const all = ids(5000, 'b');
    for (const id of all) r.seen(id);
    expect(r.size).toBeLessThanOrEqual(1000);
    expect(all.slice(-500).every((id) => r.seen(id))).toBe(true);
    expect(all.slice(0, 500).some((id) => r.seen(id))).toBe(false);
    expect(r.bytes).toBe(2 * 1024 * 8);
  });

  it('takes no new id for a recent one over a million distinct ids (no false duplicate)', () => {
    const r = new RecentIds(1 << 18);
    let dups = 0;
    for (const id of ids(1_000_000, 'c')) if (r.seen(id)) dups++;
    expect(dups).toBe(0);
  });
});

describe('decayed counter', () => {
  const HL = 3_600_000;
  it('halves after one half-life', () => {
    const d = decayedNew();
    decayedAdd(d, 1_000, 100, HL);
    expect(decayedValue(d, 1_000 + HL, HL)).toBeCloseTo(50, 6);
    expect(decayedValue(d, 1_000 + 2 * HL, HL)).toBeCloseTo(25, 6);
  });
  it('converges to rate × halfLife / ln 2 at a steady rate', () => {
    const d = decayedNew();
    for (let t = 1; t <= 20 * HL; t += 60_000) decayedAdd(d, t, 1, HL);
    expect(decayedRate(d, 20 * HL, HL) * 60_000).toBeCloseTo(1, 1);
  });
  it('tolerates small disorder and merges', () => {
    const d = decayedNew();
    decayedAdd(d, 10_000, 1, HL);
    decayedAdd(d, 9_000, 1, HL);
    expect(d.v).toBe(2);
    const m = decayedMerge(d, { v: 4, t: 10_000 + HL }, HL);
    expect(m.v).toBeCloseTo(5, 6);
  });
});

describe('Space-Saving top-k', () => {
  it('keeps the heavy hitters of a skewed stream', () => {
    const s = topkNew(4, 1);
    for (let i = 0; i < 1000; i++) {
      topkAdd(s, 'heavy', i, [2]);
      if (i % 2 === 0) topkAdd(s, 'medium', i);
      topkAdd(s, `noise${i}`, i);
    }
    const top = topkSorted(s);
    expect(top[0]!.id).toBe('heavy');
    expect(top[0]!.c - top[0]!.err).toBeGreaterThanOrEqual(1000);
    expect(top[0]!.x[0]).toBeGreaterThanOrEqual(2000);
    expect(top.map((e) => e.id)).toContain('medium');
    expect(s.e.length).toBe(4);
  });
  it('merges counts', () => {
    const a = topkNew(3);
    const b = topkNew(3);
    for (let i = 0; i < 5; i++) topkAdd(a, 'x', i);
    for (let i = 0; i < 7; i++) topkAdd(b, 'x', i);
    expect(topkSorted(topkMerge(a, b))[0]).toMatchObject({ id: 'x', c: 12 });
    expect(a.e[0]!.c).toBe(5);
  });
  it('sorts by descending count, then id, as Array.prototype.sort did (tied counts included)', () => {
    const r = rng(3);
    const byCount = (x: TopEntry, y: TopEntry) => y.c - x.c || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
    const reused: TopEntry[] = [];
    for (let round = 0; round < 200; round++) {
      const a = topkNew(8);
      const b = topkNew(8);
      for (let i = 0; i < 60; i++) topkAdd(r() < 0.5 ? a : b, `id${Math.floor(r() * r() * 14)}`, i);
      expect(topkSorted(a)).toEqual([...a.e].sort(byCount));
      // The allocation-free views agree: the top entry, and the order written into a reused array.
      expect(topkTop(a)).toBe(topkSorted(a)[0]);
      expect(topkSortedInto(b, reused)).toEqual([...b.e].sort(byCount));
      expect(topkSortedInto(b, reused)).toBe(reused);
      const merged = topkMerge(a, b);
      const union = new Map<string, number>();
      for (const e of [...a.e, ...b.e]) union.set(e.id, (union.get(e.id) ?? 0) + e.c);
      const expected = [...union].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, 8);
      expect(merged.e.map((e) => [e.id, e.c])).toEqual(expected);
    }
  });
});

describe('count-min', () => {
  it('never undercounts', () => {
    const s = countMinNew(4, 256);
    for (let i = 0; i < 2000; i++) countMinAdd(s, i % 50);
    for (let k = 0; k < 50; k++) expect(countMinGet(s, k)).toBeGreaterThanOrEqual(40);
    expect(countMinGet(s, 7)).toBeLessThan(80);
  });
});

describe('reservoir', () => {
  it('keeps a bounded, deterministic sample', () => {
    const a = reservoirNew<number>(8);
    const b = reservoirNew<number>(8);
    for (let i = 0; i < 10_000; i++) {
      reservoirAdd(a, i, 42);
      reservoirAdd(b, i, 42);
    }
    expect(a.items).toHaveLength(8);
    expect(a.items).toEqual(b.items);
    expect(a.items.some((x) => x > 5000)).toBe(true);
  });
});

describe('state serialization', () => {
  it('round-trips typed arrays and maps', () => {
    const state = {
      h: new Uint8Array([1, 2, 3]),
      a: new Uint16Array([500, 7]),
      m: new Map([
        [5, 9],
        [1, 2],
      ]),
      s: 'x',
      n: null,
    };
    const back = decodeState(JSON.parse(JSON.stringify(encodeState(state)))) as typeof state;
    expect([...back.h]).toEqual([1, 2, 3]);
    expect(back.a).toBeInstanceOf(Uint16Array);
    expect([...back.a]).toEqual([500, 7]);
    expect([...back.m.entries()]).toEqual([
      [5, 9],
      [1, 2],
    ]);
    expect(back.s).toBe('x');
  });
});
