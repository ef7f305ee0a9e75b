/**
 * @module detect/linkage/org-index
 * Orgs of a campaign pass's keys as dense numbers, for counting the distinct orgs of a list of
 * keys (a posting, an LSH bucket) with a stamped array instead of a `Set` or `Map` of org strings
 * per list: a pass counts thousands of such lists.
 */
import type { AccountProfile } from '../profile.js';

export class OrgIndex {
  /** Each key's org number. */
  private readonly orgOf: Int32Array;
  /** The number of the empty org, which a key past the profiles counts as. */
  private readonly none: number;
  /** Per org: the stamp of the count that last saw it, and a flag that count keeps for it. */
  private readonly seen: Int32Array;
  private readonly flag: Uint8Array;
  private stamp = 0;

  constructor(profiles: readonly AccountProfile[]) {
    const numbers = new Map<string, number>();
    this.orgOf = new Int32Array(profiles.length);
    for (let i = 0; i < profiles.length; i++) {
      const org = profiles[i]!.org;
      let k = numbers.get(org);
      if (k === undefined) {
        k = numbers.size;
        numbers.set(org, k);
      }
      this.orgOf[i] = k;
    }
    this.none = numbers.get('') ?? numbers.size;
    this.seen = new Int32Array(numbers.size + 1);
    this.flag = new Uint8Array(numbers.size + 1);
  }

  private org(key: number): number {
    return key < this.orgOf.length ? this.orgOf[key]! : this.none;
  }

  /** Starts a new count: every org is unseen again. */
  begin(): void {
    if (++this.stamp === 0x7fffffff) {
      this.seen.fill(0);
      this.stamp = 1;
    }
  }

  /** Whether `key` is the first key of its org since `begin`. */
  first(key: number): boolean {
    const o = this.org(key);
    if (this.seen[o] === this.stamp) return false;
    this.seen[o] = this.stamp;
    return true;
  }

  /** Distinct orgs of `keys`. */
  distinct(keys: readonly number[]): number {
    this.begin();
    let count = 0;
    for (let i = 0; i < keys.length; i++) if (this.first(keys[i]!)) count++;
    return count;
  }

  /** Distinct orgs of `keys` in which every one of those keys passes `test`. */
  distinctWhereAll(keys: readonly number[], test: (key: number) => boolean): number {
    this.begin();
    for (let i = 0; i < keys.length; i++) {
      const o = this.org(keys[i]!);
      const ok = test(keys[i]!);
      if (this.first(keys[i]!)) this.flag[o] = ok ? 1 : 0;
      else if (!ok) this.flag[o] = 0;
    }
    this.begin();
    let count = 0;
    for (let i = 0; i < keys.length; i++)
      if (this.first(keys[i]!) && this.flag[this.org(keys[i]!)] === 1) count++;
    return count;
  }
}
