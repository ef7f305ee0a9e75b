/**
 * @module detect/linkage/graph
 * The evidence graph: keys joined by typed, rarity-weighted evidence. Every pair of keys that
 * shares at least one posting list is a candidate; its evidence per kind is in [0,1] (rarity of
 * the shared item, or a timing score) and its edge strength is the noisy-OR
 *
 *   strength = 1 − Πₖ (1 − wₖ · eₖ)          (wₖ = config.linkage.weights)
 *
 * so one kind of evidence alone (at most 0.6, a shared payment hash) rarely links two keys,
 * while a template plus a subnet (0.7) does. Timing alignment, sign-up bursts and behavioural
 * similarity are computed only for pairs where they can decide the link. Between two products (a
 * key with its own system prompt and a key that does not mostly send it, identity.ts) content
 * evidence counts at `linkage.distinctProducts` of its value.
 */
import { DEFAULT_LINK_WEIGHTS, type DetectConfig, type LinkKind } from '../config.js';
import { type Population, rarity } from '../population.js';
import type { AccountProfile } from '../profile.js';
import { ramp } from '../signals/util.js';
import { behaviourVector, cosineWithNorms, squaredNorm } from './behaviour.js';
import { buildPostings, nearDuplicates, type Posting, PostingSlots } from './evidence.js';
import type { ProfileFacts } from './facts.js';
import { PassIdentity } from './identity.js';
import { bucketOrgs, type LshIndex, type NearPair, PAIR } from './lsh-index.js';
import { OrgIndex } from './org-index.js';
import { PairTable } from './pair-table.js';
import { stockSystemIds } from './stock.js';
import { type Activity, readActivity, signupBurst, syncOf } from './timing.js';

export type Evidence = Partial<Record<LinkKind, number>>;

export interface Edge {
  a: number;
  b: number;
  evidence: Evidence;
  strength: number;
  /** Verified near-duplicate signature pairs between the two keys (0 when none). */
  nearPairs: number;
}

const KINDS = Object.keys(DEFAULT_LINK_WEIGHTS) as LinkKind[];
const KIND_INDEX = Object.fromEntries(KINDS.map((k, i) => [k, i])) as Record<LinkKind, number>;
/**
 * The kept edges of one pass in (a, b) order, as parallel typed arrays: most edges join keys that
 * end up in no campaign, and only campaigns read evidence, so an edge becomes an `Edge` object
 * (with its `Evidence`) only when asked for (`edge(i)`).
 */
export class LinkGraph {
  constructor(
    /** Edges kept. */
    readonly size: number,
    readonly a: Int32Array,
    readonly b: Int32Array,
    readonly strength: Float64Array,
    /** Each edge's evidence row in `rows` (KINDS.length numbers a row). */
    private readonly rowOf: Int32Array,
    private readonly rows: Float64Array,
    /** Near-duplicate signature pairs by edge. */
    private readonly near: Int32Array,
    readonly postings: Posting[],
  ) {}

  /** Edge `i` as an object; its evidence is read from the row when first asked for. */
  edge(i: number): Edge {
    return new RowEdge(
      this.a[i]!,
      this.b[i]!,
      this.strength[i]!,
      this.near[i]!,
      this.rows,
      this.rowOf[i]! * KINDS.length,
    );
  }
}

/** An edge whose `Evidence` is made on first read (campaigns read it only for components they re-score). */
class RowEdge implements Edge {
  private ev: Evidence | null = null;

  constructor(
    readonly a: number,
    readonly b: number,
    readonly strength: number,
    readonly nearPairs: number,
    private readonly rows: Float64Array,
    private readonly base: number,
  ) {}

  /** The kinds above zero, in `KINDS` order. */
  get evidence(): Evidence {
    if (this.ev === null) {
      this.ev = {};
      for (let k = 0; k < KINDS.length; k++)
        if (this.rows[this.base + k]! > 0) this.ev[KINDS[k]!] = this.rows[this.base + k]!;
    }
    return this.ev;
  }
}

/**
 * What `buildLinkGraph` reuses pass after pass: the table of evidence rows (one number per link
 * kind) and the posting items' slots. The graph a pass returns reads the table's rows, so it is
 * valid until the scratch's next use.
 */
export interface LinkScratch {
  rows: PairTable;
  slots: PostingSlots;
}

export const linkScratch = (): LinkScratch => ({
  rows: new PairTable(KINDS.length),
  slots: new PostingSlots(),
});

/** Timing, sign-up and behaviour evidence only corroborate: they are computed for pairs that
 * already share content or infrastructure evidence of at least this strength. */
const MIN_BASE = 0.25;
/** Edges weaker than this fraction of the strong threshold are dropped from the graph. */
const KEEP_FRACTION = 0.5;

/** Past this many members a posting links each member to its next `CHAIN` members only. */
const FULL_PAIRS = 64;
const CHAIN = 16;
/** Evidence kinds that say two keys behave alike (not just share infrastructure). */
export const BEHAVIOURAL: ReadonlySet<LinkKind> = new Set<LinkKind>([
  'template',
  'near_duplicate',
  'system_prompt',
  'similar_behaviour',
  'meta',
  'request_shape',
  'tool_set',
]);

/** Near-duplicate pairs from a batch LSH pass, in the incremental index's shape (tests, one-off analyses). */
export function batchNearPairs(
  profiles: readonly AccountProfile[],
  pop: Population,
  cfg: DetectConfig,
): Map<number, NearPair> {
  const out = new Map<number, NearPair>();
  for (const d of nearDuplicates(profiles, pop, cfg))
    out.set(d.a * PAIR + d.b, { n: d.pairs, orgs: d.rarity >= 1 ? 1 : pop.commonLimit - 1, band: 0 });
  return out;
}

const SYSTEM = KIND_INDEX.system_prompt;
const SHAPE = KIND_INDEX.request_shape;
const TEMPLATE = KIND_INDEX.template;
const NEAR = KIND_INDEX.near_duplicate;
const BEHAVIOUR = KIND_INDEX.similar_behaviour;
const SUBNET = KIND_INDEX.subnet;
const FINGERPRINT = KIND_INDEX.fingerprint;
const TOOLS = KIND_INDEX.tool_set;

/**
 * Noisy-OR of one evidence row. A system prompt, a request shape (which includes the system
 * prompt) and a tool set all name the software that sends the requests (a product, a framework,
 * a harness), so the three count as one piece of evidence (the strongest of them), never twice:
 * the users of one framework share its prompt and its tools.
 */
function strengthOf(rows: Float64Array, base: number, weights: readonly number[]): number {
  let keep = 1;
  for (let k = 0; k < weights.length; k++) {
    if (k === SYSTEM || k === SHAPE || k === TOOLS) continue;
    keep *= 1 - Math.min(1, weights[k]! * rows[base + k]!);
  }
  const sys = Math.max(
    weights[SYSTEM]! * rows[base + SYSTEM]!,
    weights[SHAPE]! * rows[base + SHAPE]!,
    weights[TOOLS]! * rows[base + TOOLS]!,
  );
  return 1 - keep * (1 - Math.min(1, sys));
}

/** Adds evidence `v` of `kind` to the pair (i, j) of keys below `n`: a row keeps each kind's strongest. */
function bump(table: PairTable, n: number, i: number, j: number, kind: number, v: number): void {
  const at = table.row(i < j ? i * n + j : j * n + i) * KINDS.length + kind;
  if (table.rows[at]! < v) table.rows[at] = v;
}

/** Each posting's evidence on the pairs of its members (past `FULL_PAIRS` members, chained). */
function bumpPostings(table: PairTable, n: number, postings: readonly Posting[]): void {
  for (const post of postings) {
    const m = post.members;
    const v = post.kind === 'same_org' ? 1 : post.rarity;
    if (v <= 0) continue;
    const kind = KIND_INDEX[post.kind];
    for (let x = 0; x < m.length; x++) {
      const end = m.length <= FULL_PAIRS ? m.length : Math.min(m.length, x + 1 + CHAIN);
      for (let y = x + 1; y < end; y++) bump(table, n, m[x]!, m[y]!, kind, v);
    }
  }
}

/**
 * Near-duplicate evidence (two or more verified signature pairs between two keys, weighted by the
 * rarity of the bucket that matched), and each row's count of verified pairs. The last bump
 * source: a pair without a row gets none later.
 */
function bumpNear(
  table: PairTable,
  n: number,
  near: ReadonlyMap<number, NearPair>,
  pop: Population,
  orgsOfPair: (pair: NearPair) => number,
): Int32Array {
  const nearRows: number[] = [];
  // forEach, not for…of: no [key, value] array per entry (~10,000 pairs a pass).
  near.forEach((pair, id) => {
    const a = Math.floor(id / PAIR);
    const b = id % PAIR;
    // One matching signature pair between two keys is chance phrasing; two or more are evidence.
    if (b >= n || pair.n < 2) return;
    const v = Math.min(1, pair.n / 4) * rarity(orgsOfPair(pair), pop);
    if (v > 0) bump(table, n, a, b, KIND_INDEX.near_duplicate, v);
    const r = table.find(a * n + b);
    if (r >= 0) nearRows.push(r, pair.n);
  });
  const nearOf = new Int32Array(table.size);
  for (let x = 0; x < nearRows.length; x += 2) nearOf[nearRows[x]!] = nearRows[x + 1]!;
  return nearOf;
}

/** Behaviour vectors and their squared norms, read once per key per pass (from the facts when given). */
class PassVectors {
  private readonly vectors: (Float64Array | undefined)[];
  readonly norms: Float64Array;

  constructor(
    private readonly profiles: readonly AccountProfile[],
    private readonly facts: ProfileFacts | undefined,
  ) {
    this.vectors = new Array(profiles.length);
    this.norms = new Float64Array(profiles.length);
  }

  of(i: number): Float64Array {
    let v = this.vectors[i];
    if (v === undefined) {
      v = this.facts ? this.facts.vector(this.profiles[i]!) : behaviourVector(this.profiles[i]!);
      this.vectors[i] = v;
      this.norms[i] = squaredNorm(v);
    }
    return v;
  }
}

/** Activity readings at the pass's newest bucket, read once per key per pass (from the facts when given). */
class PassActivity {
  private readonly readings: (Activity | undefined)[];
  private readonly head: number;

  constructor(
    private readonly profiles: readonly AccountProfile[],
    private readonly facts: ProfileFacts | undefined,
  ) {
    this.readings = new Array(profiles.length);
    this.head = profiles.reduce((m, p) => Math.max(m, p.actHead), -1);
  }

  of(i: number): Activity {
    let v = this.readings[i];
    if (v === undefined) {
      const p = this.profiles[i]!;
      v = this.facts ? this.facts.activity(p, this.head) : readActivity(p, this.head);
      this.readings[i] = v;
    }
    return v;
  }
}

/**
 * The edges kept from the table's rows, in pair-key order: each row's strength, with timing,
 * sign-up and behaviour evidence added where they can decide the link (they cost scans), and the
 * rows below `KEEP_FRACTION` of the strong threshold dropped. A function of its own (not inside
 * `buildLinkGraph`), so that the optimizing compiler has the budget to inline the evidence
 * functions into this loop.
 */
function keptEdges(
  table: PairTable,
  profiles: readonly AccountProfile[],
  pop: Population,
  cfg: DetectConfig,
  nearOf: Int32Array,
  vectors: PassVectors,
  acts: PassActivity,
  ids: PassIdentity,
  postings: Posting[],
): LinkGraph {
  const n = profiles.length;
  const distinct = cfg.linkage.distinctProducts;
  const K = KINDS.length;
  const w = cfg.windows;
  const lw = cfg.linkage.weights;
  const weights = Array.from(KINDS, (k) => lw[k]);
  const strong = cfg.linkage.strongEdge;
  const keepBelow = strong * KEEP_FRACTION;
  const headroom = 1 - (1 - lw.signup_burst) * (1 - lw.synchronized) * (1 - lw.similar_behaviour);
  const norms = vectors.norms;
  const rows = table.rows;
  const rowKey = table.rowKey;
  // The rows are read in the order they were made (their memory order: reading them in key order
  // jumped across the table, a cache miss or two per row), each row's strength apart from the
  // others', then the kept ones are put in key order.
  const size = table.size;
  const keptRows = new Int32Array(size);
  const strengthOfRow = new Float64Array(size);
  let kept = 0;
  for (let r = 0; r < size; r++) {
    const key = rowKey[r]!;
    const base = r * K;
    const a = Math.floor(key / n);
    const b = key - a * n;
    // Two products (one has its own system prompt, the other does not mostly send it): shared
    // phrasing is common, not one operator; unless the two also share a rare /24 and a rare
    // client fingerprint, where different system prompts are a disguise, not two products.
    const content =
      ids.distinct(a, b) && !(rows[base + SUBNET]! >= 0.5 && rows[base + FINGERPRINT]! >= 0.5) ? distinct : 1;
    if (content < 1) {
      rows[base + TEMPLATE]! *= content;
      rows[base + NEAR]! *= content;
    }
    let strength = strengthOf(rows, base, weights);
    if (strength >= MIN_BASE && strength < strong && 1 - (1 - strength) * (1 - headroom) >= strong) {
      rows[base + KIND_INDEX.signup_burst] = signupBurst(
        profiles[a]!,
        profiles[b]!,
        pop.startTs,
        w.newModelWarmupMs,
        cfg.linkage.signupBurstMs,
      );
      rows[base + KIND_INDEX.synchronized] = syncOf(acts.of(a), acts.of(b));
      const va = vectors.of(a);
      const vb = vectors.of(b);
      rows[base + BEHAVIOUR] = content * ramp(cosineWithNorms(va, vb, norms[a]!, norms[b]!), 0.9, 0.98);
      strength = strengthOf(rows, base, weights);
    }
    if (strength < keepBelow) continue;
    keptRows[kept++] = r;
    strengthOfRow[r] = strength;
  }
  const order = table.sortRows(keptRows.subarray(0, kept), n);
  const ea = new Int32Array(kept);
  const eb = new Int32Array(kept);
  const es = new Float64Array(kept);
  const er = new Int32Array(kept);
  const en = new Int32Array(kept);
  for (let x = 0; x < kept; x++) {
    const r = order[x]!;
    const key = rowKey[r]!;
    const a = Math.floor(key / n);
    ea[x] = a;
    eb[x] = key - a * n;
    es[x] = strengthOfRow[r]!;
    er[x] = r;
    en[x] = nearOf[r]!;
  }
  return new LinkGraph(kept, ea, eb, es, er, rows, en, postings);
}

/**
 * The evidence graph over `profiles` (indexed as in the engine: arrival order). `near` holds the
 * verified near-duplicate pairs of the engine's LSH index (computed in batch when absent).
 */
export function buildLinkGraph(
  profiles: readonly AccountProfile[],
  pop: Population,
  cfg: DetectConfig,
  near: ReadonlyMap<number, NearPair> = batchNearPairs(profiles, pop, cfg),
  index?: LshIndex,
  /** Keys that already look like harvesters on their own: they do not make an item common. */
  suspect?: (i: number) => boolean,
  /** Per-profile facts remembered between passes (the engine's); computed fresh when absent. */
  facts?: ProfileFacts,
  /** Scratch reused pass after pass (the engine's; see `LinkScratch`); new when absent. */
  scratch: LinkScratch = linkScratch(),
): LinkGraph {
  const table = scratch.rows;
  const n = profiles.length;
  const orgs = new OrgIndex(profiles);
  const bucketFill = new Map<number, number>();
  const orgsOfPair = (pair: NearPair) => {
    if (!index) return pair.orgs;
    let fill = bucketFill.get(pair.band);
    if (fill === undefined) {
      fill = bucketOrgs(index, pair.band, orgs);
      bucketFill.set(pair.band, fill);
    }
    return Math.max(pair.orgs, fill);
  };
  table.clear();
  const vectors = new PassVectors(profiles, facts);
  const postings = buildPostings(
    profiles,
    pop,
    cfg,
    (i) => vectors.of(i),
    suspect,
    facts,
    orgs,
    scratch.slots,
  );
  bumpPostings(table, n, postings);
  const nearOf = bumpNear(table, n, near, pop, orgsOfPair);
  const acts = new PassActivity(profiles, facts);
  const ids = new PassIdentity(profiles, pop, stockSystemIds(cfg.linkage.stockSystemPrompts));
  return keptEdges(table, profiles, pop, cfg, nearOf, vectors, acts, ids, postings);
}
