/**
 * @module detect/population
 * Population context for the signals: how common a hash is across orgs (so rare evidence weighs
 * more), the distribution of per-account volume, and when each model was first seen. Built
 * from the bounded per-key profiles on the campaign cadence, never from raw events; the engine
 * keeps the org counts between passes (`OrgCounts`) and applies only the keys that changed.
 */
import type { DetectConfig } from './config.js';
import type { AccountProfile } from './profile.js';
import { decayedValue } from './sketches/decayed.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface Population {
  now: number;
  /** Event time of the first event the engine saw. */
  startTs: number;
  accounts: number;
  orgs: number;
  /** Median and 90th percentile of output tokens per account-day (null when too few accounts). */
  outRateP50: number | null;
  outRateP90: number | null;
  /** Distinct orgs per hash, over the hashes that cover ≥ minShare of some key's traffic. */
  frameOrgs: Map<string, number>;
  skelOrgs: Map<string, number>;
  systemOrgs: Map<string, number>;
  subnetOrgs: Map<string, number>;
  fpOrgs: Map<string, number>;
  metaOrgs: Map<string, number>;
  toolOrgs: Map<string, number>;
  /** Event time each model was first requested (any key). */
  modelFirstSeen: ReadonlyMap<string, number>;
  /** Orgs at or above which a shared hash is common, not evidence. */
  commonLimit: number;
}

export function emptyPopulation(now = 0, startTs = 0): Population {
  return {
    now,
    startTs,
    accounts: 0,
    orgs: 0,
    outRateP50: null,
    outRateP90: null,
    frameOrgs: new Map(),
    skelOrgs: new Map(),
    systemOrgs: new Map(),
    subnetOrgs: new Map(),
    fpOrgs: new Map(),
    metaOrgs: new Map(),
    toolOrgs: new Map(),
    modelFirstSeen: new Map(),
    commonLimit: Number.POSITIVE_INFINITY,
  };
}

/** Output tokens per day of a profile at `now`: decayed count over its effective window. */
export function outRatePerDay(p: AccountProfile, now: number, cfg: DetectConfig): number {
  const hl = cfg.windows.slowHalfLifeMs;
  const window = Math.max(HOUR, Math.min(now - p.firstTs, hl / Math.LN2));
  return (decayedValue(p.slowOut, now, hl) / window) * DAY;
}

/** Requests per hour, recent (fast half-life) vs own history (slow half-life). */
export function requestRates(
  p: AccountProfile,
  now: number,
  cfg: DetectConfig,
): { fast: number; slow: number } {
  const w = cfg.windows;
  const age = Math.max(HOUR, now - p.firstTs);
  const fastWin = Math.max(HOUR / 4, Math.min(age, w.fastHalfLifeMs / Math.LN2));
  const slowWin = Math.min(age, w.slowHalfLifeMs / Math.LN2);
  return {
    fast: (decayedValue(p.fast, now, w.fastHalfLifeMs) / fastWin) * HOUR,
    slow: (decayedValue(p.slow, now, w.slowHalfLifeMs) / slowWin) * HOUR,
  };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

type Counter = Map<string, Set<string> | number>;

function addOrg(m: Counter, id: string, org: string, cap: number): void {
  const cur = m.get(id);
  if (typeof cur === 'number') m.set(id, cur + 1);
  else if (cur === undefined) m.set(id, new Set([org]));
  else {
    cur.add(org);
    // Past the cap we stop remembering which orgs, and only count (a slight overcount).
    if (cur.size >= cap) m.set(id, cur.size);
  }
}

const finish = (m: Counter) =>
  new Map([...m].map(([k, v]) => [k, typeof v === 'number' ? v : v.size] as [string, number]));

/** Hash ids in a top-k that cover at least `minShare` of the profile's requests. */
export function salient(
  p: AccountProfile,
  which: 'frames' | 'skels' | 'systems' | 'subnets' | 'fps' | 'meta' | 'tools',
  minShare: number,
): string[] {
  const out: string[] = [];
  const min = Math.max(2, minShare * p.n);
  for (const e of p[which].e) if (e.c - e.err >= min && e.id !== '-') out.push(e.id);
  return out;
}

/** The kinds of salient ids, in the order the population and the posting lists read them. */
export const SALIENT_KINDS = ['frames', 'skels', 'systems', 'subnets', 'fps', 'meta', 'tools'] as const;

/** Salient ids of every kind, in `SALIENT_KINDS` order (`meta` with no minimum share). */
export function salientAll(p: AccountProfile, minShare: number): string[][] {
  return Array.from(SALIENT_KINDS, (k) => salient(p, k, k === 'meta' ? 0 : minShare));
}

/**
 * Whether `salientAll(p, minShare)` would give `lists` (the same ids in the same order, every kind),
 * read from the sketches without building the lists: a pass that finds a key's lists unchanged
 * keeps the old ones (linkage/facts.ts), so nothing new is allocated and kept for that key.
 */
export function sameSalient(
  p: AccountProfile,
  minShare: number,
  lists: readonly (readonly string[])[],
): boolean {
  if (lists.length !== SALIENT_KINDS.length) return false;
  for (let k = 0; k < SALIENT_KINDS.length; k++) {
    const kind = SALIENT_KINDS[k]!;
    const list = lists[k]!;
    const min = Math.max(2, (kind === 'meta' ? 0 : minShare) * p.n);
    let j = 0;
    for (const e of p[kind].e) {
      if (e.c - e.err < min || e.id === '-') continue;
      if (list[j] !== e.id) return false;
      j++;
    }
    if (j !== list.length) return false;
  }
  return true;
}

/** Where a pass reads salient ids (linkage/facts.ts remembers them per profile between passes). */
export interface SalientSource {
  salient(p: AccountProfile): readonly (readonly string[])[];
}

/**
 * Distinct orgs per salient id of each kind, kept from pass to pass: each pass applies only the
 * keys whose salient lists changed since the last one (the lists `ProfileFacts` hands out stay the
 * same object while a key sends nothing), instead of recounting every key. Gives what
 * `buildPopulation` counts from scratch: an id seen in fewer than `postingCap` orgs counts its
 * distinct orgs; past the cap the batch count depends on the key order (it stops remembering orgs
 * and counts keys), so those few ids are recounted in key order.
 */
export class OrgCounts {
  /** Per kind: id → org → keys of that org with the id salient. */
  private readonly byOrg = SALIENT_KINDS.map(() => new Map<string, Map<string, number>>());
  /** Per kind: id → distinct orgs (or the batch count past the cap). */
  private readonly counts = SALIENT_KINDS.map(() => new Map<string, number>());
  /** Per kind: the copy the last population got, and whether the counts moved since. */
  private readonly snapshots = SALIENT_KINDS.map(() => new Map<string, number>());
  private readonly moved = SALIENT_KINDS.map(() => false);
  /** Lists applied per key index, and ids at or past the cap per kind. */
  private readonly applied: (readonly (readonly string[])[] | undefined)[] = [];
  private readonly capped = SALIENT_KINDS.map(() => new Set<string>());

  constructor(private readonly cap: number) {}

  /**
   * Brings the counts to `profiles` (indexed in arrival order; a key's org never changes) and
   * returns them per kind, as maps never changed afterwards (a population is a snapshot; a kind
   * whose counts did not move keeps the previous pass's map).
   */
  update(profiles: readonly AccountProfile[], source: SalientSource): Map<string, number>[] {
    for (let i = 0; i < profiles.length; i++) {
      const p = profiles[i]!;
      const lists = source.salient(p);
      const old = this.applied[i];
      if (old === lists) continue;
      for (let k = 0; k < SALIENT_KINDS.length; k++) {
        const before = old?.[k] ?? [];
        const after = lists[k]!;
        if (sameIds(before, after)) continue;
        for (const id of before) if (!after.includes(id)) this.move(k, id, p.org, -1);
        for (const id of after) if (!before.includes(id)) this.move(k, id, p.org, 1);
      }
      this.applied[i] = lists;
    }
    for (let k = 0; k < SALIENT_KINDS.length; k++) {
      const counts = this.counts[k]!;
      for (const id of this.capped[k]!) {
        const exact = this.batchCount(profiles, source, k, id);
        if (counts.get(id) !== exact) {
          counts.set(id, exact);
          this.moved[k] = true;
        }
      }
      if (this.moved[k]) {
        this.snapshots[k] = new Map(counts);
        this.moved[k] = false;
      }
    }
    return [...this.snapshots];
  }

  private move(k: number, id: string, org: string, by: 1 | -1): void {
    const ids = this.byOrg[k]!;
    let orgs = ids.get(id);
    if (!orgs) {
      orgs = new Map();
      ids.set(id, orgs);
    }
    const next = (orgs.get(org) ?? 0) + by;
    if (next > 0) orgs.set(org, next);
    else orgs.delete(org);
    const counts = this.counts[k]!;
    this.moved[k] = true;
    if (orgs.size === 0) {
      ids.delete(id);
      counts.delete(id);
      this.capped[k]!.delete(id);
      return;
    }
    counts.set(id, orgs.size);
    if (orgs.size >= this.cap) this.capped[k]!.add(id);
    else this.capped[k]!.delete(id);
  }

  /** Rough retained bytes (for the engine's `stats().approxBytes`). */
  approxBytes(): number {
    let bytes = this.applied.length * 8;
    for (const ids of this.byOrg) for (const orgs of ids.values()) bytes += 80 + orgs.size * 50;
    return bytes;
  }

  /** `buildPopulation`'s count of one id, in key order (`addOrg` for that id alone). */
  private batchCount(profiles: readonly AccountProfile[], source: SalientSource, k: number, id: string) {
    const m: Counter = new Map();
    for (const p of profiles)
      for (const x of source.salient(p)[k]!) if (x === id) addOrg(m, id, p.org, this.cap);
    const v = m.get(id);
    return v === undefined ? 0 : typeof v === 'number' ? v : v.size;
  }
}

/** Same ids in the same order (salient lists are short). */
function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function buildPopulation(
  profiles: Iterable<AccountProfile>,
  now: number,
  startTs: number,
  modelFirstSeen: ReadonlyMap<string, number>,
  cfg: DetectConfig,
  facts?: SalientSource,
  /** Org counts kept between passes (the engine's; needs `facts` and an array of profiles). */
  kept?: OrgCounts,
): Population {
  const l = cfg.linkage;
  const frames: Counter = new Map();
  const skels: Counter = new Map();
  const systems: Counter = new Map();
  const subnets: Counter = new Map();
  const fps: Counter = new Map();
  const metas: Counter = new Map();
  const tools: Counter = new Map();
  const counters = [frames, skels, systems, subnets, fps, metas, tools];
  const orgs = new Set<string>();
  const rates: number[] = [];
  let accounts = 0;
  const incremental = kept !== undefined && facts !== undefined && Array.isArray(profiles);
  const keptCounts = incremental ? kept.update(profiles, facts) : null;
  for (const p of profiles) {
    accounts++;
    orgs.add(p.org);
    if (p.n >= 5) rates.push(outRatePerDay(p, now, cfg));
    if (incremental) continue;
    const lists = facts ? facts.salient(p) : salientAll(p, l.minShare);
    for (let k = 0; k < counters.length; k++)
      for (const id of lists[k]!) addOrg(counters[k]!, id, p.org, l.postingCap);
  }
  rates.sort((a, b) => a - b);
  const enough = rates.length >= cfg.signals.minPopulation;
  const counted = keptCounts ?? Array.from(counters, finish);
  return {
    now,
    startTs,
    accounts,
    orgs: orgs.size,
    outRateP50: enough ? quantile(rates, 0.5) : null,
    outRateP90: enough ? quantile(rates, 0.9) : null,
    frameOrgs: counted[0]!,
    skelOrgs: counted[1]!,
    systemOrgs: counted[2]!,
    subnetOrgs: counted[3]!,
    fpOrgs: counted[4]!,
    metaOrgs: counted[5]!,
    toolOrgs: counted[6]!,
    modelFirstSeen,
    commonLimit: Math.max(l.commonOrgs, Math.ceil(l.commonShare * orgs.size)),
  };
}

/**
 * How much a hash shared by `orgs` orgs says, in [0,1]: 1 while it is shared by at most a quarter of
 * the common limit, falling linearly to 0 at the limit ("a system prompt that 5,000 orgs share says
 * little; one that 40 new accounts share says much").
 */
export function rarity(orgs: number, pop: Population): number {
  const limit = pop.commonLimit;
  if (!Number.isFinite(limit)) return 1;
  if (orgs >= limit) return 0;
  const quarter = limit / 4;
  return orgs <= quarter ? 1 : 1 - (orgs - quarter) / (limit - quarter);
}
