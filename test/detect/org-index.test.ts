/**
 * The pass's org numbers (linkage/org-index.ts) against Sets and Maps of org strings: distinct
 * orgs of a list of keys, orgs whose listed keys all pass a test, and keys past the profiles
 * counting as the empty org (as `profiles[k]?.org ?? ''` did).
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/detect/config.js';
import { OrgIndex } from '../../src/detect/linkage/org-index.js';
import { newProfile } from '../../src/detect/profile.js';
import { rng } from './fixtures.js';

describe('OrgIndex', () => {
  it('counts distinct orgs, and orgs whose keys all pass a test, as Sets of org strings do', () => {
    const r = rng(17);
    const cfg = resolveConfig();
    for (const withEmpty of [false, true]) {
      const orgs = Array.from({ length: 12 }, (_, i) => (withEmpty && i === 3 ? '' : `org${i}`));
      const profiles = Array.from({ length: 200 }, (_, i) =>
        newProfile(`k${i}`, 'a', orgs[Math.floor(r() * r() * orgs.length)]!, cfg),
      );
      const index = new OrgIndex(profiles);
      const orgOf = (k: number) => profiles[k]?.org ?? '';
      for (let round = 0; round < 300; round++) {
        const keys = Array.from({ length: 1 + Math.floor(r() * 40) }, () => Math.floor(r() * 210));
        expect(index.distinct(keys)).toBe(new Set(keys.map(orgOf)).size);
        const suspect = new Set(keys.filter(() => r() < 0.7));
        const allSuspect = new Map<string, boolean>();
        for (const k of keys) allSuspect.set(orgOf(k), (allSuspect.get(orgOf(k)) ?? true) && suspect.has(k));
        const expected = [...allSuspect.values()].filter(Boolean).length;
        expect(index.distinctWhereAll(keys, (k) => suspect.has(k))).toBe(expected);
      }
    }
  });
});
