/**
 * The incremental structures of the campaign pass (engine round 4) against what they replace:
 * after any sequence of updates they must equal a from-scratch computation.
 */
import { describe, expect, it } from 'vitest';
import { type DetectConfig, resolveConfig } from '../../src/detect/config.js';
import { ProfileFacts } from '../../src/detect/linkage/facts.js';
import { type Activity, activityHolds, readActivity, syncOf } from '../../src/detect/linkage/timing.js';
import {
  buildPopulation,
  OrgCounts,
  type Population,
  salientAll,
  sameSalient,
} from '../../src/detect/population.js';
import { type AccountProfile, mergeAll, newProfile, updateProfile } from '../../src/detect/profile.js';
import { ramp } from '../../src/detect/signals/util.js';
import { hllMergeInto, hllNew } from '../../src/detect/sketches/hll.js';
import { type TopK, topkAdd, topkFoldInto, topkMerge, topkNew } from '../../src/detect/sketches/topk.js';
import { byTime, chatApp, frameworkOrgs, HOUR, harvester, hydra, rng } from './fixtures.js';

const counted = (pop: Population) => [
  pop.frameOrgs,
  pop.skelOrgs,
  pop.systemOrgs,
  pop.subnetOrgs,
  pop.fpOrgs,
  pop.metaOrgs,
];
const sorted = (m: ReadonlyMap<string, number>) => [...m].sort((a, b) => (a[0] < b[0] ? -1 : 1));

/** Mixed traffic: two hydras, framework users in many orgs, harvesters and chat apps. */
function mixedEvents() {
  return byTime([
    ...hydra('h1_', 6, 3, 60),
    ...hydra('h2_', 4, 9, 50),
    ...frameworkOrgs('fw_', 12, 4, 30),
    ...harvester('k_h', 5, 150),
    ...chatApp('k_c1', 6, 90),
    ...chatApp('k_c2', 7, 90),
  ]);
}

function replay(cfg: DetectConfig, check: (profiles: AccountProfile[], step: number) => void) {
  const profiles: AccountProfile[] = [];
  const byKey = new Map<string, AccountProfile>();
  const r = rng(17);
  for (const [i, e] of mixedEvents().entries()) {
    let p = byKey.get(e.keyId);
    if (!p) {
      p = newProfile(e.keyId, e.accountId, e.orgId, cfg);
      byKey.set(e.keyId, p);
      profiles.push(p);
    }
    updateProfile(p, e, cfg);
    if (r() < 0.02) check(profiles, i);
  }
  check(profiles, -1);
}

/* The from-scratch reference the readings replace: each key's whole ring, aligned on `head`. */
/** Activity ring aligned on absolute bucket `head` (newest last), L2-normalized, with its active bucket count. */
function activityVector(p: AccountProfile, head: number): { v: Float64Array; active: number } {
  const len = p.act.length;
  const v = new Float64Array(len);
  let norm = 0;
  let active = 0;
  if (p.actHead >= 0) {
    for (let back = 0; back < len; back++) {
      const abs = head - back;
      if (abs > p.actHead || p.actHead - abs >= len) continue;
      const x = p.act[((abs % len) + len) % len]!;
      v[len - 1 - back] = x;
      norm += x * x;
      if (x > 0) active++;
    }
  }
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < len; i++) v[i]! *= inv;
  }
  return { v, active };
}

/** Synchronized-activity evidence from two aligned activity vectors. */
function syncFromVectors(
  a: { v: Float64Array; active: number },
  b: { v: Float64Array; active: number },
): number {
  const active = ramp(Math.min(a.active, b.active), 6, 24);
  if (active === 0) return 0; // too few active buckets: no evidence, whatever the alignment
  let dot = 0;
  for (let i = 0; i < a.v.length; i++) dot += a.v[i]! * b.v[i]!;
  return ramp(dot, 0.6, 0.9) * active;
}

/** The population apart from its org-count maps (compared on their own, sorted). */
const withoutCounts = (p: Population) => ({
  ...p,
  frameOrgs: 0,
  skelOrgs: 0,
  systemOrgs: 0,
  subnetOrgs: 0,
  fpOrgs: 0,
  metaOrgs: 0,
});

describe('OrgCounts', () => {
  for (const cap of [256, 3]) {
    it(`gives the from-scratch population counts after every pass (postingCap ${cap})`, () => {
      const cfg = resolveConfig({ linkage: { postingCap: cap } });
      const facts = new ProfileFacts(cfg.linkage.minShare);
      const kept = new OrgCounts(cfg.linkage.postingCap);
      const first = new Map<string, number>();
      let passes = 0;
      let widest = 0;
      replay(cfg, (profiles, step) => {
        const now = profiles.reduce((m, p) => Math.max(m, p.lastTs), 0);
        const fresh = buildPopulation(profiles, now, 0, first, cfg);
        const incremental = buildPopulation(profiles, now, 0, first, cfg, facts, kept);
        expect(counted(incremental).map(sorted), `step ${step}`).toEqual(counted(fresh).map(sorted));
        expect(withoutCounts(incremental)).toEqual(withoutCounts(fresh));
        for (const m of counted(fresh)) for (const v of m.values()) widest = Math.max(widest, v);
        passes++;
      });
      expect(passes).toBeGreaterThan(10);
      expect(widest).toBeGreaterThanOrEqual(Math.min(cap, 3));
    });
  }

  it('sameSalient tells exactly when salientAll would give the same lists', () => {
    const cfg = resolveConfig();
    const share = cfg.linkage.minShare;
    let same = 0;
    let changed = 0;
    const last = new Map<AccountProfile, string[][]>();
    replay(cfg, (profiles) => {
      for (const p of profiles) {
        const fresh = salientAll(p, share);
        const before = last.get(p) ?? [];
        const equal = JSON.stringify(before) === JSON.stringify(fresh);
        expect(sameSalient(p, share, before)).toBe(equal);
        expect(sameSalient(p, share, fresh)).toBe(true);
        if (equal) same++;
        else changed++;
        last.set(p, fresh);
      }
    });
    expect(same).toBeGreaterThan(10);
    expect(changed).toBeGreaterThan(10);
    const p = newProfile('k', 'a', 'o', cfg);
    expect(sameSalient(p, share, [])).toBe(false);
    expect(sameSalient(p, share, salientAll(p, share))).toBe(true);
  });

  it('ProfileFacts keeps the same lists while they do not change, and OrgCounts stays exact', () => {
    const cfg = resolveConfig();
    const facts = new ProfileFacts(cfg.linkage.minShare);
    let kept = 0;
    const seen = new Map<AccountProfile, readonly (readonly string[])[]>();
    replay(cfg, (profiles) => {
      for (const p of profiles) {
        const lists = facts.salient(p);
        expect(lists).toEqual(salientAll(p, cfg.linkage.minShare));
        if (seen.get(p) === lists) kept++;
        seen.set(p, lists);
      }
    });
    expect(kept).toBeGreaterThan(10);
  });

  it('leaves earlier populations as they were (snapshots)', () => {
    const cfg = resolveConfig();
    const facts = new ProfileFacts(cfg.linkage.minShare);
    const kept = new OrgCounts(cfg.linkage.postingCap);
    const taken: { pop: Population; copy: string }[] = [];
    replay(cfg, (profiles) => {
      const pop = buildPopulation(profiles, 0, 0, new Map(), cfg, facts, kept);
      taken.push({ pop, copy: JSON.stringify(counted(pop).map(sorted)) });
    });
    for (const t of taken) expect(JSON.stringify(counted(t.pop).map(sorted))).toBe(t.copy);
  });
});

describe('activity readings', () => {
  /** A profile with random activity over `buckets` recent buckets, newest at `head`. */
  function active(seed: number, head: number, buckets: number, cfg: DetectConfig): AccountProfile {
    const r = rng(seed);
    const p = newProfile(`k${seed}`, 'a', 'o', cfg);
    for (let b = head - buckets + 1; b <= head; b++) {
      if (r() < 0.4) continue;
      const count = 1 + Math.floor(r() * 5);
      for (let i = 0; i < count; i++) p.act[((b % p.act.length) + p.act.length) % p.act.length]!++;
    }
    p.actHead = head;
    return p;
  }

  it('read at the head, or kept from an earlier head while they hold, give syncFromVectors', () => {
    const cfg = resolveConfig();
    const len = cfg.windows.activityBuckets;
    const r = rng(3);
    let held = 0;
    for (let i = 0; i < 300; i++) {
      const head0 = 50_000 + Math.floor(r() * 400);
      const a = active(i * 2 + 1, head0 - Math.floor(r() * 200), 1 + Math.floor(r() * len), cfg);
      const b = active(i * 2 + 2, head0 - Math.floor(r() * 40), 1 + Math.floor(r() * 60), cfg);
      const ra = readActivity(a, head0);
      const rb = readActivity(b, head0);
      expect(syncOf(ra, rb)).toBe(syncFromVectors(activityVector(a, head0), activityVector(b, head0)));
      expect(ra.active).toBe(activityVector(a, head0).active);
      // Later heads: where the earlier readings hold they give what a fresh read gives.
      for (const step of [1, 7, 60, 200]) {
        const head = head0 + step;
        const fresh = syncFromVectors(activityVector(a, head), activityVector(b, head));
        const ka = activityHolds(ra, head, len) ? ra : readActivity(a, head);
        const kb = activityHolds(rb, head, len) ? rb : readActivity(b, head);
        if (ka === ra && kb === rb) held++;
        expect(syncOf(ka, kb)).toBe(fresh);
        expect(syncOf(kb, ka)).toBe(syncFromVectors(activityVector(b, head), activityVector(a, head)));
      }
    }
    expect(held).toBeGreaterThan(50);
  });

  it('of a key without activity are empty', () => {
    const cfg = resolveConfig();
    const p = newProfile('k', 'a', 'o', cfg);
    expect(readActivity(p, 10).active).toBe(0);
    expect(syncOf(readActivity(p, 10), readActivity(p, 10))).toBe(0);
  });

  it('ProfileFacts re-reads a key once it sends again', () => {
    const cfg = resolveConfig();
    const facts = new ProfileFacts(cfg.linkage.minShare);
    const events = harvester('k', 4, 40, 6 * HOUR);
    const p = newProfile('k', 'a', 'o', cfg);
    for (const e of events.slice(0, 20)) updateProfile(p, e, cfg);
    /** A reading's values (its array may be longer than its size: readings are rewritten in place). */
    const valuesOf = (a: Activity) => ({ ...a, v: [...a.v.subarray(0, a.size)] });
    const first = facts.activity(p, p.actHead);
    const before = valuesOf(first);
    expect(facts.activity(p, p.actHead)).toBe(first);
    for (const e of events.slice(20)) updateProfile(p, e, cfg);
    const second = facts.activity(p, p.actHead);
    expect(valuesOf(second)).not.toEqual(before);
    expect(valuesOf(second)).toEqual(valuesOf(readActivity(p, p.actHead)));
    expect(syncOf(second, second)).toBe(
      syncFromVectors(activityVector(p, p.actHead), activityVector(p, p.actHead)),
    );
  });
});

describe('merge folds', () => {
  const ids = (r: () => number, pool: number) => `id${Math.floor(r() ** 2 * pool)}`;

  it('topkFoldInto gives topkMerge, fold after fold', () => {
    const r = rng(9);
    for (let round = 0; round < 200; round++) {
      const k = 2 + Math.floor(r() * 8);
      const w = Math.floor(r() * 3);
      const sketches: TopK[] = Array.from({ length: 2 + Math.floor(r() * 6) }, () => {
        const s = topkNew(k - Math.floor(r() * 2), w);
        const n = Math.floor(r() * 40);
        for (let i = 0; i < n; i++)
          topkAdd(
            s,
            ids(r, 20),
            Math.floor(r() * 1000),
            Array.from({ length: w }, () => Math.floor(r() * 9)),
          );
        return s;
      });
      let expected = topkMerge(sketches[0]!, sketches[1]!);
      const acc = topkMerge(sketches[0]!, sketches[1]!);
      for (const s of sketches.slice(2)) {
        expected = topkMerge(expected, s);
        topkFoldInto(acc, s);
        expect(acc).toEqual(expected);
      }
    }
  });

  it('hllMergeInto takes the register-wise maximum (word-wise and byte-wise paths)', () => {
    const r = rng(21);
    for (let round = 0; round < 200; round++) {
      const p = [4, 6, 8][round % 3]!;
      const a = hllNew(p);
      const b = hllNew(p);
      for (let i = 0; i < a.r.length; i++) {
        a.r[i] = r() < 0.3 ? 0 : Math.floor(r() * 34);
        b.r[i] = r() < 0.3 ? 0 : Math.floor(r() * 34);
      }
      const want = a.r.map((x, i) => Math.max(x, b.r[i]!));
      const dst = { p, r: Uint8Array.from(a.r) };
      hllMergeInto(dst, b);
      expect([...dst.r]).toEqual([...want]);
      // An unaligned view takes the byte-wise path.
      const buf = new Uint8Array(a.r.length + 1);
      const odd = { p, r: buf.subarray(1) };
      odd.r.set(a.r);
      hllMergeInto(odd, b);
      expect([...odd.r]).toEqual([...want]);
    }
  });

  it('mergeAll folds activity rings of keys active at different times', () => {
    const cfg = resolveConfig();
    const profiles = [0, 1, 2, 3, 4].map((i) => {
      const p = newProfile(`k${i}`, 'a', 'o', cfg);
      for (const e of harvester(`k${i}`, i + 1, 30, (i + 1) * 12 * HOUR).map((e) => ({
        ...e,
        ts: e.ts + i * 20 * HOUR,
      })))
        updateProfile(p, e, cfg);
      return p;
    });
    profiles.push(newProfile('idle', 'a', 'o', cfg));
    for (const order of [profiles, [...profiles].reverse()]) {
      const merged = mergeAll(order, cfg);
      const head = Math.max(...order.map((p) => p.actHead));
      const len = cfg.windows.activityBuckets;
      const want = new Uint16Array(len);
      for (let abs = head - len + 1; abs <= head; abs++) {
        const i = ((abs % len) + len) % len;
        let sum = 0;
        for (const p of order)
          if (p.actHead >= 0 && abs <= p.actHead && p.actHead - abs < len) sum += p.act[i]!;
        want[i] = Math.min(0xffff, sum);
      }
      expect(merged.actHead).toBe(head);
      expect([...merged.act]).toEqual([...want]);
    }
  });
});
