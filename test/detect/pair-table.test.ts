/**
 * The link graph's pair table (linkage/pair-table.ts) against a Map: same rows for the same keys,
 * through growth and rehashing, and rows listed in ascending key order.
 */
import { describe, expect, it } from 'vitest';
import { PairTable } from '../../src/detect/linkage/pair-table.js';
import { rng } from './fixtures.js';

function fill(keys: number[], width = 3) {
  const table = new PairTable(width, 4);
  const ref = new Map<number, number>();
  for (const [i, key] of keys.entries()) {
    const r = table.row(key);
    if (!ref.has(key)) ref.set(key, ref.size);
    expect(r).toBe(ref.get(key));
    table.rows[r * width + (i % width)]! += 1;
  }
  return { table, ref };
}

describe('PairTable', () => {
  it('gives each key one row, in first-seen order, through growth', () => {
    const r = rng(5);
    const keys = Array.from({ length: 20_000 }, () => Math.floor(r() * 6_000) * 789 + Math.floor(r() * 789));
    const { table, ref } = fill(keys);
    expect(table.size).toBe(ref.size);
    for (const [key, row] of ref) expect(table.find(key)).toBe(row);
    expect(table.find(-5)).toBe(-1);
    expect(table.find(6_000 * 789 + 1)).toBe(-1);
    let bumps = 0;
    for (let i = 0; i < table.size * 3; i++) bumps += table.rows[i]!;
    expect(bumps).toBe(keys.length);
  });

  it('starts empty again after clear, with all-zero rows', () => {
    const r = rng(7);
    const table = new PairTable(3, 4);
    for (let pass = 0; pass < 3; pass++) {
      table.clear();
      expect(table.size).toBe(0);
      const keys = Array.from({ length: 2_000 + pass * 3_000 }, () => Math.floor(r() * 50_000));
      const ref = new Map<number, number>();
      for (const key of keys) {
        const row = table.row(key);
        if (!ref.has(key)) {
          ref.set(key, ref.size);
          expect([...table.rows.subarray(row * 3, row * 3 + 3)]).toEqual([0, 0, 0]);
        }
        expect(row).toBe(ref.get(key));
        table.rows[row * 3 + (key % 3)]! += 1;
      }
      expect(table.find(-5)).toBe(-1);
      expect(table.find(50_001)).toBe(-1);
    }
  });

  it('lists rows in ascending key order, for keys a·n+b below and past 2³²', () => {
    const r = rng(9);
    for (const n of [300, 100_000]) {
      const keys = Array.from({ length: 3_000 }, () => Math.floor(r() * n) * n + Math.floor(r() * n));
      const { table } = fill(keys);
      const order = [...table.sortedRows(n)];
      expect(order).toHaveLength(table.size);
      expect(new Set(order).size).toBe(table.size);
      const sorted = order.map((row) => table.rowKey[row]!);
      expect(sorted).toEqual([...new Set(keys)].sort((a, b) => a - b));
    }
  });

  it('puts any subset of the rows in ascending key order', () => {
    const r = rng(11);
    for (const n of [300, 100_000]) {
      const keys = Array.from({ length: 3_000 }, () => Math.floor(r() * n) * n + Math.floor(r() * n));
      const { table } = fill(keys);
      const subset = Int32Array.from({ length: table.size }, (_, row) => row).filter(() => r() < 0.4);
      const order = [...table.sortRows(subset, n)];
      expect(order).toEqual([...table.sortedRows(n)].filter((row) => subset.includes(row)));
    }
  });
});
