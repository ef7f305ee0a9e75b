import { describe, expect, it } from 'vitest';
import { Rng, seedOf } from '../../src/sim/rng.js';
import { intensity, machineSchedule, mergeSchedules, sessionSchedule } from '../../src/sim/time.js';

describe('Rng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.u32()
      )(new Rng(7)),
    );
    const b = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.u32()
      )(new Rng(7)),
    );
    const c = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.u32()
      )(new Rng(8)),
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
  it('forks independent streams by label, regardless of draws on the parent', () => {
    const r1 = new Rng(1);
    const r2 = new Rng(1);
    r2.u32();
    r2.u32();
    expect(r1.fork('x').u32()).toBe(r2.fork('x').u32());
    expect(r1.fork('x').u32()).not.toBe(r1.fork('y').u32());
    expect(seedOf('a')).not.toBe(seedOf('b'));
  });
  it('draws in range with plausible moments', () => {
    const r = new Rng(3);
    const xs = Array.from({ length: 20_000 }, () => r.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
    const ln = Array.from({ length: 20_000 }, () => r.logNormal(100, 1)).sort((a, b) => a - b);
    expect(ln[10_000]!).toBeGreaterThan(85);
    expect(ln[10_000]!).toBeLessThan(115);
    const ints = new Set(Array.from({ length: 1000 }, () => r.int(1, 6)));
    expect([...ints].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.id('k_', 16)).toMatch(/^k_[a-z0-9]{16}$/);
  });
});

describe('time model', () => {
  const start = Date.UTC(2026, 2, 2);
  const end = start + 7 * 86_400_000;
  it('office rhythm is busy at 10:00 and quiet at 03:00 local', () => {
    const r = { kind: 'office' as const, tzOffsetH: 0, weekend: 0.1 };
    expect(intensity(r, start + 10 * 3_600_000)).toBeGreaterThan(0.8);
    expect(intensity(r, start + 3 * 3_600_000)).toBeLessThan(0.1);
    // 2026-03-07 is a Saturday
    expect(intensity(r, Date.UTC(2026, 2, 7, 10))).toBeLessThan(0.2);
  });
  it('session schedules are sorted, inside the period, turns in order', () => {
    const s = sessionSchedule(
      new Rng(1),
      start,
      end,
      { kind: 'consumer', tzOffsetH: 2, weekend: 1 },
      {
        sessions: 200,
        meanTurns: 3,
        turnGapMs: 30_000,
      },
    );
    expect(s.ts.length).toBeGreaterThan(200);
    for (let i = 1; i < s.ts.length; i++) expect(s.ts[i]!).toBeGreaterThanOrEqual(s.ts[i - 1]!);
    expect(Math.min(...s.ts)).toBeGreaterThanOrEqual(start);
    expect(Math.max(...s.ts)).toBeLessThan(end);
    const lastTurn = new Map<number, number>();
    for (let i = 0; i < s.ts.length; i++) {
      expect(s.turn[i]).toBe((lastTurn.get(s.session[i]!) ?? -1) + 1);
      lastTurn.set(s.session[i]!, s.turn[i]!);
    }
  });
  it('a metronome schedule has near-constant gaps; merging keeps everything sorted', () => {
    const m = machineSchedule(new Rng(2), start, end, { count: 100, jitter: 0 });
    const gaps = m.ts.slice(1).map((t, i) => t - m.ts[i]!);
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(1);
    const { schedule, part } = mergeSchedules([
      m,
      machineSchedule(new Rng(3), start, end, { count: 50, jitter: 1 }),
    ]);
    expect(schedule.ts.length).toBe(m.ts.length + part.filter((p) => p === 1).length);
    for (let i = 1; i < schedule.ts.length; i++)
      expect(schedule.ts[i]!).toBeGreaterThanOrEqual(schedule.ts[i - 1]!);
  });
});
