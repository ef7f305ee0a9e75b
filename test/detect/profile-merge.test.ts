import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/detect/config.js';
import {
  type AccountProfile,
  mergeAll,
  mergeProfiles,
  newProfile,
  updateProfile,
} from '../../src/detect/profile.js';
import { hllMergeInto, hllNew } from '../../src/detect/sketches/hll.js';
import { DAY, harvester } from './fixtures.js';

const cfg = resolveConfig({});

function profileOf(key: string, seed: number, count: number): AccountProfile {
  const p = newProfile(key, key, `org_${seed % 3}`, cfg);
  for (const e of harvester(key, seed, count, (1 + (seed % 4)) * DAY)) updateProfile(p, e, cfg);
  return p;
}

/** The merge as it was first written: a new profile per pairwise step. */
function pairwise(profiles: AccountProfile[]): AccountProfile {
  let acc = mergeProfiles(profiles[0]!, profiles[1]!, cfg, false);
  for (let i = 2; i < profiles.length; i++) acc = mergeProfiles(acc, profiles[i]!, cfg, false);
  const hll = {} as AccountProfile['hll'];
  for (const k of Object.keys(profiles[0]!.hll) as (keyof AccountProfile['hll'])[]) {
    hll[k] = hllNew(profiles[0]!.hll[k].p);
    for (const p of profiles) hllMergeInto(hll[k], p.hll[k]);
  }
  return { ...acc, hll };
}

describe('mergeAll', () => {
  it('equals the pairwise merge, and leaves its inputs untouched', () => {
    for (const size of [2, 3, 7]) {
      const profiles = Array.from({ length: size }, (_, i) => profileOf(`k_${i}`, 10 + i * 7, 20 + i * 13));
      const before = JSON.stringify(profiles, (_, v) => (v instanceof Map ? [...v] : v));
      const merged = mergeAll(profiles, cfg);
      expect(merged).toEqual(pairwise(profiles));
      expect(Object.keys(merged)).toEqual(Object.keys(pairwise(profiles)));
      expect(JSON.stringify(profiles, (_, v) => (v instanceof Map ? [...v] : v))).toBe(before);
      expect(merged.n).toBe(profiles.reduce((s, p) => s + p.n, 0));
    }
  });
});
