/**
 * @module sim/time
 * The time model: when a key sends. Benign traffic follows a diurnal curve in the org's own
 * timezone with weekday effects (office hours, evenings, nightly batch windows, bursts of work
 * sessions); machine traffic can be flat around the clock or metronomic with jitter. All
 * functions are pure in their Rng and return sorted schedules.
 */
import type { Rng } from './rng.js';
import type { Schedule } from './types.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const MINUTE = 60_000;

/** Shape of a key's activity over the day and the week. */
export type RhythmKind = 'consumer' | 'office' | 'night' | 'flat';

export interface Rhythm {
  kind: RhythmKind;
  /** Offset of the org's local time from UTC, in hours. */
  tzOffsetH: number;
  /** Relative activity on Saturday and Sunday (1 = same as weekdays). */
  weekend: number;
}

/** Relative intensity in [0,1] of a rhythm at hour-of-day `h` (local, fractional). */
export function hourCurve(kind: RhythmKind, h: number): number {
  switch (kind) {
    case 'flat':
      return 1;
    case 'office': {
      if (h < 7 || h >= 20) return 0.04;
      const peak = h < 12.5 ? 1 - Math.abs(h - 10.5) / 5 : 1 - Math.abs(h - 15) / 6;
      return Math.max(0.15, peak) * (h >= 12 && h < 13 ? 0.6 : 1);
    }
    case 'consumer':
      return 0.08 + 0.92 * Math.max(0, Math.sin(((h - 7) / 17) * Math.PI)) ** 1.2 * (h > 19 ? 1.1 : 1);
    case 'night':
      return h >= 1 && h < 5 ? 1 : h >= 0 && h < 6 ? 0.35 : 0.01;
  }
}

/** Relative intensity of a rhythm at epoch-ms `ts`. */
export function intensity(r: Rhythm, ts: number): number {
  const local = ts + r.tzOffsetH * HOUR;
  const h = (local % DAY) / HOUR;
  const dow = Math.floor(local / DAY + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  const weekend = dow === 0 || dow === 6 ? r.weekend : 1;
  return Math.min(1, hourCurve(r.kind, h) * weekend);
}

/** A random realistic timezone offset: Americas, Europe/Africa, Asia-Pacific. */
export function randomTz(rng: Rng): number {
  return rng.weighted(
    [-8, -7, -6, -5, -3, 0, 1, 2, 3, 5.5, 8, 9, 10],
    [10, 3, 5, 12, 3, 8, 12, 4, 2, 8, 10, 5, 3],
  );
}

/** Draws a time in [start, end) following the rhythm (rejection sampling). */
export function drawTime(rng: Rng, start: number, end: number, r: Rhythm): number {
  for (let i = 0; i < 200; i++) {
    const t = rng.float(start, end);
    if (rng.next() < intensity(r, t)) return t;
  }
  return rng.float(start, end);
}

export interface SessionOptions {
  /** Number of sessions (conversations, jobs, work bursts). */
  sessions: number;
  /** Mean turns per session (geometric, at least 1), or a fixed count when `fixedTurns`. */
  meanTurns: number;
  fixedTurns?: boolean;
  /** Median gap between turns of a session, ms (log-normal, sigma 0.8). */
  turnGapMs: number;
}

/** Sessions placed by the rhythm, each with a run of turns a short gap apart. */
export function sessionSchedule(
  rng: Rng,
  start: number,
  end: number,
  r: Rhythm,
  o: SessionOptions,
): Schedule {
  const rows: Array<[number, number, number]> = [];
  for (let s = 0; s < o.sessions; s++) {
    let t = drawTime(rng, start, end, r);
    const turns = o.fixedTurns ? Math.max(1, Math.round(o.meanTurns)) : geometric(rng, o.meanTurns);
    for (let k = 0; k < turns && t < end; k++) {
      rows.push([Math.floor(t), s, k]);
      t += rng.logNormal(o.turnGapMs, 0.8);
    }
  }
  return toSchedule(rows);
}

/** Geometric count with the given mean (≥ 1). */
export function geometric(rng: Rng, mean: number): number {
  if (mean <= 1) return 1;
  const p = 1 / mean;
  let k = 1;
  while (!rng.chance(p) && k < 200) k++;
  return k;
}

export interface MachineOptions {
  count: number;
  /** Relative jitter of inter-arrival gaps (0 = metronome, 1 = Poisson-like). */
  jitter: number;
  /** Optional phase offset as a fraction of the period (round-robin across keys). */
  phase?: number;
}

/** Machine-like traffic: `count` requests evenly spread over [start, end) with jitter. */
export function machineSchedule(rng: Rng, start: number, end: number, o: MachineOptions): Schedule {
  const rows: Array<[number, number, number]> = [];
  const period = (end - start) / Math.max(1, o.count);
  let t = start + period * (o.phase ?? rng.next());
  for (let i = 0; i < o.count && t < end; i++) {
    rows.push([Math.floor(t), i, 0]);
    const gap = o.jitter >= 1 ? rng.exponential(period) : period * (1 + o.jitter * (rng.next() * 2 - 1));
    t += Math.max(50, gap);
  }
  return toSchedule(rows);
}

/**
 * Each request of `s` opens a conversation of `turns[0]`–`turns[1]` turns (uniform), the next
 * turn `gapMs` apart (median, log-normal, sigma 0.5): a program that sends each follow-up once
 * the answer is back. Turns past `end` are dropped.
 */
export function withTurns(
  rng: Rng,
  s: Schedule,
  o: { turns: readonly [number, number]; gapMs: number; end: number },
): Schedule {
  const rows: Array<[number, number, number]> = [];
  for (let i = 0; i < s.ts.length; i++) {
    let t = s.ts[i]!;
    const turns = rng.int(o.turns[0], o.turns[1]);
    for (let k = 0; k < turns && t < o.end; k++) {
      rows.push([Math.floor(t), i, k]);
      t += rng.logNormal(o.gapMs, 0.5);
    }
  }
  return toSchedule(rows);
}

/** Single-request sessions drawn independently from a rhythm. */
export function rhythmSchedule(rng: Rng, start: number, end: number, r: Rhythm, count: number): Schedule {
  return sessionSchedule(rng, start, end, r, {
    sessions: count,
    meanTurns: 1,
    fixedTurns: true,
    turnGapMs: 1,
  });
}

/** Merges schedules (e.g. a key's benign and harvest traffic); sessions are renumbered apart. */
export function mergeSchedules(parts: Schedule[]): { schedule: Schedule; part: number[] } {
  const rows: Array<[number, number, number, number]> = [];
  let base = 0;
  parts.forEach((p, idx) => {
    let max = -1;
    for (let i = 0; i < p.ts.length; i++) {
      rows.push([p.ts[i]!, p.session[i]! + base, p.turn[i]!, idx]);
      if (p.session[i]! > max) max = p.session[i]!;
    }
    base += max + 1;
  });
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  return {
    schedule: { ts: rows.map((r) => r[0]), session: rows.map((r) => r[1]), turn: rows.map((r) => r[2]) },
    part: rows.map((r) => r[3]),
  };
}

function toSchedule(rows: Array<[number, number, number]>): Schedule {
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  return { ts: rows.map((r) => r[0]), session: rows.map((r) => r[1]), turn: rows.map((r) => r[2]) };
}
