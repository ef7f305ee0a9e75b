/**
 * @module detect/linkage/evidence
 * Posting lists of linking evidence, built from the bounded profiles: which keys share a salient
 * template frame or skeleton, a rare system prompt, a /24 or /64, a client fingerprint, a
 * `meta` value, an org, or an LSH band of their sampled prompt signatures. Lists are capped
 * (`postingCap`) and a hash used by the common limit of orgs or more counts for nothing, unless
 * the keys sharing it all behave alike (cohesion): common is not evidence, a coordinated crowd is.
 */
import { lshBands, similarity } from '../../events/minhash.js';
import type { DetectConfig, LinkKind } from '../config.js';
import { type Population, rarity, SALIENT_KINDS, salientAll } from '../population.js';
import type { AccountProfile } from '../profile.js';
import { ramp } from '../signals/util.js';
import { behaviourVector, cosine } from './behaviour.js';
import { OrgIndex } from './org-index.js';
import { requestShape } from './shape.js';
import { stockSystemIds } from './stock.js';

export interface Posting {
  kind: LinkKind;
  /** Hash, subnet or value the members share. */
  id: string;
  /** Profile indices. */
  members: number[];
  /** Rarity of the shared item in [0,1]. */
  rarity: number;
  /** Orgs that use the item. */
  orgs: number;
}

type Kind = (typeof SALIENT_KINDS)[number];
/** One row per salient kind, in `SALIENT_KINDS` order (the order of `salientAll`'s lists). */
const SOURCES: Array<[Kind, LinkKind, keyof Population]> = [
  ['frames', 'template', 'frameOrgs'],
  ['skels', 'template', 'skelOrgs'],
  ['systems', 'system_prompt', 'systemOrgs'],
  ['subnets', 'subnet', 'subnetOrgs'],
  ['fps', 'fingerprint', 'fpOrgs'],
  ['meta', 'meta', 'metaOrgs'],
  ['tools', 'tool_set', 'toolOrgs'],
];
SOURCES.forEach(([src], k) => {
  if (src !== SALIENT_KINDS[k]) throw new Error(`posting source ${src} out of SALIENT_KINDS order`);
});

/**
 * One list map per posting kind, and the source rows that feed it: `frames` and `skels` both list
 * `template` items, in one map, as they always did (a template id shared as a frame by one key and
 * as a skeleton by another is one list). Rows past the sources are `same_org` and `request_shape`.
 */
const POSTING_ROWS: LinkKind[] = [...new Set(SOURCES.map(([, kind]) => kind)), 'same_org', 'request_shape'];
const ROW_OF = SOURCES.map(([, kind]) => POSTING_ROWS.indexOf(kind));
const SAME_ORG_ROW = POSTING_ROWS.indexOf('same_org');
const SHAPE_ROW = POSTING_ROWS.indexOf('request_shape');

/** Per-profile facts a pass may take from a memo (linkage/facts.ts) instead of recomputing them. */
export interface PostingFacts {
  salient(p: AccountProfile): readonly (readonly string[])[];
  shape(p: AccountProfile): string | null;
}

/**
 * Cohesion of a posting: mean cosine between its members' behaviour vectors and their centroid.
 * A hash shared by many orgs whose keys are mostly NEW (first seen after the warm-up) and all
 * behave alike is a coordinated crowd, not a popular library: its evidence keeps its weight
 * however many orgs share it ("one that 40 new accounts share says much"). Established
 * customers sharing a common item (a stock system prompt, an SDK's user agent) are not.
 */
export function cohesion(members: readonly number[], vector: (i: number) => Float64Array): number {
  if (members.length < 3) return 0;
  const first = vector(members[0]!);
  const centroid = new Float64Array(first.length);
  for (const m of members) {
    const v = vector(m);
    for (let i = 0; i < v.length; i++) centroid[i]! += v[i]!;
  }
  let sum = 0;
  for (const m of members) sum += cosine(vector(m), centroid);
  return sum / members.length;
}

/** Cohesion and share of new keys at which a widely shared item counts as fully rare again. */
const COHESIVE_FROM = 0.9;
const COHESIVE_FULL = 0.97;
const YOUNG_FROM = 0.3;
const YOUNG_FULL = 0.7;

/**
 * Orgs using a posting's item that look like customers: all its orgs but those whose keys sharing
 * the item all already look like harvesters on their own (own score at the suspect level). What
 * makes an item common is many ordinary customers using it, not a crowd of harvesting accounts
 * (each of which may be its own org). Own scores come from each key's profile alone, never from
 * linkage, so this does not feed back on itself. Exact while the posting is below its cap.
 */
function customerOrgs(post: Posting, orgs: OrgIndex, suspect: (i: number) => boolean): number {
  return Math.max(0, post.orgs - orgs.distinctWhereAll(post.members, suspect));
}

/** Share of members first seen after `since` (new accounts, not customers present from the start). */
function youngShare(members: readonly number[], profiles: readonly AccountProfile[], since: number): number {
  let young = 0;
  for (const m of members) if (profiles[m]!.firstTs >= since) young++;
  return young / Math.max(1, members.length);
}

/**
 * Items seen on one key only so far, in first-seen order, with the source row that counted their
 * orgs: a list is made when a second key shares the item (most items are one key's, and a list
 * of one is dropped anyway), and lists keep the order in which their items were first seen.
 * Module scratch, emptied by each `buildPostings` (a pass is synchronous).
 */
const firstMember: number[] = [];
const firstSource: number[] = [];
const madeAt: (Posting | undefined)[] = [];

/** An item's place in a pass: the pass that last saw it, and its index in that pass's scratch above. */
interface Slot {
  pass: number;
  at: number;
}

/**
 * The posting items' slots, kept between passes by their owner (the engine's link scratch), one
 * map per posting row (no `kind:id` string per lookup): the items of a pass are mostly the last
 * pass's, so a pass finds them instead of inserting every item into new maps. Items no pass has
 * seen lately are dropped once they outnumber the live ones.
 */
export class PostingSlots {
  readonly byRow = POSTING_ROWS.map(() => new Map<string, Slot>());
  /** The number of the current pass (slots of other passes count as new). */
  pass = 0;

  /** Drops the slots of items the current pass has not seen, once they are most of the slots. */
  prune(live: number): void {
    let total = 0;
    for (const byId of this.byRow) total += byId.size;
    if (total <= 2 * live + 1024) return;
    for (const byId of this.byRow)
      for (const [id, slot] of byId) if (slot.pass !== this.pass) byId.delete(id);
  }
}

export function buildPostings(
  profiles: readonly AccountProfile[],
  pop: Population,
  cfg: DetectConfig,
  vector: (i: number) => Float64Array = (i) => behaviourVector(profiles[i]!),
  suspect?: (i: number) => boolean,
  facts?: PostingFacts,
  /** The pass's org numbers (the link graph's); made here when absent. */
  orgs: OrgIndex = new OrgIndex(profiles),
  /** Item slots kept between passes (the engine's); new ones when absent. */
  slots: PostingSlots = new PostingSlots(),
): Posting[] {
  const l = cfg.linkage;
  const stock = stockSystemIds(l.stockSystemPrompts);
  const pass = ++slots.pass;
  firstMember.length = 0;
  firstSource.length = 0;
  madeAt.length = 0;
  /**
   * An item's list, made when a second key has it; until then its first key and source wait in the
   * scratch. An item's org count is read once, when its list is made. `source`: the SOURCES row
   * whose population count the item's orgs are (−1: counted as 1).
   */
  const add = (row: number, id: string, i: number, source: number) => {
    const byId = slots.byRow[row]!;
    let slot = byId.get(id);
    if (slot === undefined) {
      slot = { pass: 0, at: 0 };
      byId.set(id, slot);
    }
    if (slot.pass !== pass) {
      slot.pass = pass;
      slot.at = madeAt.length;
      firstMember.push(i);
      firstSource.push(source);
      madeAt.push(undefined);
      return;
    }
    const at = slot.at;
    let post = madeAt[at];
    if (post === undefined) {
      const first = firstMember[at]!;
      if (first === i) return;
      const from = firstSource[at]!;
      const orgs = from >= 0 ? ((pop[SOURCES[from]![2]] as Map<string, number>).get(id) ?? 1) : 1;
      post = { kind: POSTING_ROWS[row]!, id, members: [first], rarity: rarity(orgs, pop), orgs };
      madeAt[at] = post;
    }
    if (post.members.length < l.postingCap && post.members[post.members.length - 1] !== i)
      post.members.push(i);
  };
  for (let i = 0; i < profiles.length; i++) {
    const p = profiles[i]!;
    const salient = facts ? facts.salient(p) : salientAll(p, l.minShare);
    for (let k = 0; k < SOURCES.length; k++) for (const id of salient[k]!) add(ROW_OF[k]!, id, i, k);
    add(SAME_ORG_ROW, p.org, i, -1);
    const shape = facts ? facts.shape(p) : requestShape(p);
    if (shape) add(SHAPE_ROW, shape, i, -1);
  }
  slots.prune(madeAt.length);
  const out: Posting[] = [];
  for (const post of madeAt) {
    if (post === undefined) continue;
    if (post.members.length < 2) continue;
    // A stock system prompt is common by construction: no exception makes it evidence.
    if (post.kind === 'system_prompt' && stock.has(post.id)) continue;
    if (post.kind === 'request_shape') {
      // Shapes are counted here, from their members, rather than in the population.
      post.orgs =
        post.members.length >= l.postingCap ? Number.POSITIVE_INFINITY : orgs.distinct(post.members);
      post.rarity = rarity(post.orgs, pop);
    }
    if (post.rarity < 1 && post.kind !== 'same_org' && suspect && post.members.length < l.postingCap)
      post.rarity = Math.max(post.rarity, rarity(customerOrgs(post, orgs, suspect), pop));
    if (post.rarity < 1 && post.kind !== 'same_org') {
      const young = youngShare(post.members, profiles, pop.startTs + cfg.windows.newModelWarmupMs);
      if (young > YOUNG_FROM)
        post.rarity = Math.max(
          post.rarity,
          ramp(young, YOUNG_FROM, YOUNG_FULL) *
            ramp(cohesion(post.members, vector), COHESIVE_FROM, COHESIVE_FULL),
        );
    }
    if (post.rarity > 0) out.push(post);
  }
  madeAt.length = 0; // the lists are the caller's now
  return out;
}

/** Entries kept per LSH bucket, signature slots per key, verified pairs that are enough for one key pair. */
const BUCKET_CAP = 48;
const SIG_SLOTS = 64;
const ENOUGH = 3;

export interface NearDupPair {
  a: number;
  b: number;
  /** Verified near-duplicate signature pairs (Jaccard ≥ 0.5). */
  pairs: number;
  rarity: number;
}

/**
 * Near-duplicate prompts across keys by LSH over each key's reservoir of MinHash signatures
 * (8 bands × 4 rows: pairs above Jaccard ≈ 0.6 collide with high probability), verified by the
 * estimated similarity. Bands shared by the common limit of orgs or more are skipped.
 */
export function nearDuplicates(
  profiles: readonly AccountProfile[],
  pop: Population,
  _cfg: DetectConfig,
): NearDupPair[] {
  const buckets = new Map<number, number[]>();
  profiles.forEach((p, i) => {
    p.sigs.items.forEach((sig, s) => {
      for (const band of lshBands(sig)) {
        let b = buckets.get(band);
        if (!b) {
          b = [];
          buckets.set(band, b);
        }
        if (b.length < BUCKET_CAP) b.push(i * SIG_SLOTS + s);
      }
    });
  });
  const pairs = new Map<number, { seen: number[]; rarity: number }>();
  const n = profiles.length;
  for (const bucket of buckets.values()) {
    if (bucket.length < 2) continue;
    let orgs = 1;
    if (bucket.length > 2) {
      const set = new Set<string>();
      for (const x of bucket) set.add(profiles[Math.floor(x / SIG_SLOTS)]!.org);
      orgs = set.size;
    }
    if (orgs >= pop.commonLimit) continue;
    const r = rarity(orgs, pop);
    for (let x = 0; x < bucket.length; x++)
      for (let y = x + 1; y < bucket.length; y++) {
        const i = Math.floor(bucket[x]! / SIG_SLOTS);
        const j = Math.floor(bucket[y]! / SIG_SLOTS);
        if (i === j) continue;
        const si = bucket[x]! % SIG_SLOTS;
        const sj = bucket[y]! % SIG_SLOTS;
        const a = Math.min(i, j);
        const key = a * n + Math.max(i, j);
        let e = pairs.get(key);
        if (e && e.seen.length >= ENOUGH) {
          e.rarity = Math.max(e.rarity, r);
          continue;
        }
        const combo = i === a ? si * SIG_SLOTS + sj : sj * SIG_SLOTS + si;
        if (e?.seen.includes(combo)) continue;
        if (similarity(profiles[i]!.sigs.items[si]!, profiles[j]!.sigs.items[sj]!) < 0.5) continue;
        if (!e) {
          e = { seen: [], rarity: r };
          pairs.set(key, e);
        }
        e.rarity = Math.max(e.rarity, r);
        e.seen.push(combo);
      }
  }
  return [...pairs.entries()].map(([key, e]) => ({
    a: Math.floor(key / n),
    b: key % n,
    pairs: e.seen.length,
    rarity: e.rarity,
  }));
}
