/**
 * @module detect/campaigns
 * Campaigns: strong components of the evidence graph, each scored on its members' COMBINED
 * traffic (merged profiles) through the same signals as a single key, plus `coordination`.
 * So 40 keys each at 90% of a key's limit read as one harvester at 36× the limit. A campaign's
 * reasons name its linking evidence with the numbers ("38 keys share template frame 9f2c… (seen
 * in 1 other org)", "31 keys in 203.0.113.0/24").
 */
import type { Reason } from '../report/findings.js';
import type { DetectConfig, LinkKind } from './config.js';
import { strongComponents } from './linkage/components.js';
import type { Posting } from './linkage/evidence.js';
import { BEHAVIOURAL, type Edge, type LinkGraph } from './linkage/graph.js';
import { type SplitMemo, splitComponent } from './linkage/split.js';
import type { Population } from './population.js';
import { type AccountProfile, mergeAll } from './profile.js';
import { type ScoreResult, scoreProfile } from './scoring.js';
import { followsTheDay } from './signals/timing.js';
import { short } from './signals/util.js';

/** What a campaign's state keeps of its merged profile: its combined traffic and time span. */
export interface CampaignTraffic {
  n: number;
  outTok: number;
  firstTs: number;
  lastTs: number;
}

export interface CampaignResult {
  /** Profile indices of the members, ascending. */
  members: number[];
  /**
   * The merged profile's traffic, not the profile: a result lives until the campaign is next
   * re-scored (in the cache), and a merged profile (copies of every sketch) kept that long
   * survives the young generation's collections, each of which copies it, ~200 kB a pass.
   */
  traffic: CampaignTraffic;
  score: ScoreResult;
  /** Linking evidence, strongest first. */
  links: Reason[];
  meanEdge: number;
  /** Each member's strongest strong link that carries behavioural evidence (template,
   * near-duplicate, system prompt, request shape, tool set, similar behaviour, meta); members without one
   * are absent. The engine's inheritance rule reads it (docs/detection.md). */
  bestBehavioural: Map<number, number>;
}

const LINK_SIGNAL: Record<LinkKind, string> = {
  template: 'link.shared_template',
  near_duplicate: 'link.near_duplicate_prompts',
  system_prompt: 'link.shared_system_prompt',
  subnet: 'link.shared_subnet',
  fingerprint: 'link.shared_fingerprint',
  synchronized: 'link.synchronized_activity',
  signup_burst: 'link.signup_burst',
  similar_behaviour: 'link.similar_behaviour',
  meta: 'link.shared_meta',
  same_org: 'link.same_org',
  request_shape: 'link.shared_request_shape',
  tool_set: 'link.shared_tool_set',
};

/** `max_tokens|system|turns` → readable, with the system prompt hash shortened. */
const shapeLabel = (id: string) => {
  const [maxTok, system, turns] = id.split('|');
  const sys = system === 'none' ? 'no system prompt' : `system prompt ${short(system ?? '')}`;
  return `(max_tokens ${maxTok}, ${sys}, ${turns})`;
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function postingDetail(kind: LinkKind, id: string, k: number, otherOrgs: number): string {
  const other = otherOrgs > 0 ? `seen in ${plural(otherOrgs, 'other org')}` : 'seen nowhere else';
  switch (kind) {
    case 'template':
      return `${k} keys share template ${short(id)} (${other})`;
    case 'system_prompt':
      return `${k} keys share system prompt ${short(id)} (${other})`;
    case 'subnet':
      return `${k} keys in ${id}`;
    case 'fingerprint':
      return `${k} keys share client fingerprint ${short(id)} (${other})`;
    case 'meta':
      return `${k} keys share ${id.replace(/=(.{12}).+$/, '=$1…')} (${other})`;
    case 'same_org':
      return `${k} keys in org ${id}`;
    case 'request_shape':
      return `${k} keys send one frozen request shape ${shapeLabel(id)} (${other})`;
    case 'tool_set':
      return `${k} keys offer one tool set ${short(id)} (${other})`;
    default:
      return `${k} keys share ${kind} ${id}`;
  }
}

interface CompIndex {
  edges: Edge[];
  postings: Posting[];
}

function linkReasons(
  members: number[],
  profiles: readonly AccountProfile[],
  inComp: Set<number>,
  idx: CompIndex,
): Reason[] {
  const size = members.length;
  const reasons: Reason[] = [];
  const best = new Map<LinkKind, Reason & { k: number }>();
  for (const post of idx.postings) {
    const mine = post.members.filter((m) => inComp.has(m));
    if (mine.length < 2) continue;
    const orgs = new Set(mine.map((m) => profiles[m]!.org)).size;
    const score = (mine.length / size) * (post.kind === 'same_org' ? 0.5 : post.rarity);
    const prev = best.get(post.kind);
    if (prev && prev.k >= mine.length) continue;
    best.set(post.kind, {
      signal: LINK_SIGNAL[post.kind],
      score,
      detail: postingDetail(post.kind, post.id, mine.length, Math.max(0, post.orgs - orgs)),
      k: mine.length,
    });
  }
  for (const r of best.values()) reasons.push({ signal: r.signal, score: r.score, detail: r.detail });
  let near = 0;
  let nearKeys = new Set<number>();
  let sync = 0;
  let burst = 0;
  for (const e of idx.edges) {
    if (e.nearPairs > 0) {
      near += e.nearPairs;
      nearKeys.add(e.a).add(e.b);
    }
    if ((e.evidence.synchronized ?? 0) > 0.5) sync++;
    if ((e.evidence.signup_burst ?? 0) > 0) burst++;
  }
  if (near > 0)
    reasons.push({
      signal: LINK_SIGNAL.near_duplicate,
      score: nearKeys.size / size,
      detail: `${near} near-duplicate prompt pairs across ${nearKeys.size} keys (LSH over MinHash, Jaccard ≥ 0.5)`,
    });
  nearKeys = new Set();
  if (sync > 0)
    reasons.push({
      signal: LINK_SIGNAL.synchronized,
      score: Math.min(1, sync / Math.max(1, size - 1)),
      detail: `${plural(sync, 'key pair')} active in the same time buckets`,
    });
  if (burst > 0)
    reasons.push({
      signal: LINK_SIGNAL.signup_burst,
      score: Math.min(1, burst / Math.max(1, size - 1)),
      detail: `${plural(burst, 'key pair')} first seen within minutes to hours of each other`,
    });
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return Array.from(reasons, (r) => ({ ...r, score: round(r.score) })).sort(
    (a, b) => b.score - a.score || (a.signal < b.signal ? -1 : 1),
  );
}

/**
 * Campaign results by anchor (lowest member index), reused while the campaign's traffic grew by
 * less than `growth` and its membership changed by at most `growth` of its size (min. one key).
 */
export interface CampaignCache {
  growth: number;
  entries: Map<number, { n: number; members: Set<number>; result: CampaignResult }>;
  /** Community splits of the previous pass by exact input (same result as splitting again). */
  splits?: SplitMemo;
}

/** Whether an edge carries behavioural evidence (a kind in `BEHAVIOURAL` above zero). */
function behavioural(e: Edge): boolean {
  for (const k of BEHAVIOURAL) if ((e.evidence[k] ?? 0) > 0) return true;
  return false;
}

/** Each key's group index in `groups` (−1 when in none). */
function componentIndex(n: number, groups: readonly (readonly number[])[]): Int32Array {
  const of = new Int32Array(n).fill(-1);
  groups.forEach((g, i) => {
    for (const m of g) of[m] = i;
  });
  return of;
}

/** Raises `best[m]` to `x` (an absent entry counts as 0). */
function raiseTo(best: Map<number, number>, m: number, x: number): void {
  if (x > (best.get(m) ?? 0)) best.set(m, x);
}

function reusable(cache: CampaignCache, members: number[], total: number) {
  const hit = cache.entries.get(members[0]!);
  if (!hit || total > hit.n * (1 + cache.growth)) return null;
  let diff = 0;
  for (const m of members) if (!hit.members.has(m)) diff++;
  diff += hit.members.size - (members.length - diff);
  return diff <= Math.max(1, cache.growth * members.length) ? hit : null;
}

/** Share of the members' requests sent by members that follow their own day (`followsTheDay`). */
function diurnalShare(members: readonly number[], profiles: readonly AccountProfile[]): number {
  let day = 0;
  let all = 0;
  for (const m of members) {
    const p = profiles[m]!;
    all += p.n;
    if (followsTheDay(p)) day += p.n;
  }
  return all > 0 ? day / all : 0;
}

/**
 * One campaign's result from its members and its edges and postings: link strength, the
 * members' best behavioural links, the merged profile scored with the campaign context. Its own
 * function (not the loop body of `buildCampaigns`): it runs once per re-scored campaign, and
 * optimized code of a small function survives what a large one's would not.
 */
function scoreComponent(
  members: number[],
  idx: CompIndex,
  profiles: readonly AccountProfile[],
  pop: Population,
  cfg: DetectConfig,
  now: number,
): CampaignResult {
  const strong = cfg.linkage.strongEdge;
  const inComp = new Set(members);
  let sum = 0;
  let count = 0;
  /** Each member's strongest strong edge that carries behavioural evidence. */
  const bestBehavioural = new Map<number, number>();
  for (const e of idx.edges) {
    if (e.strength < strong) continue;
    sum += e.strength;
    count++;
    if (!behavioural(e)) continue;
    raiseTo(bestBehavioural, e.a, e.strength);
    raiseTo(bestBehavioural, e.b, e.strength);
  }
  const meanEdge = count > 0 ? sum / count : 0;
  const merged = mergeAll(
    Array.from(members, (m) => profiles[m]!),
    cfg,
  );
  const links = linkReasons(members, profiles, inComp, idx);
  const evidence = Array.from(links.slice(0, 2), (r) => r.detail).join('; ');
  const score = scoreProfile(merged, {
    pop,
    cfg,
    now,
    campaign: {
      keys: members.length,
      orgs: new Set(members.map((m) => profiles[m]!.org)).size,
      meanEdge,
      evidence,
      diurnalShare: diurnalShare(members, profiles),
    },
  });
  const traffic = { n: merged.n, outTok: merged.outTok, firstTs: merged.firstTs, lastTs: merged.lastTs };
  return { members, traffic, score, links, meanEdge, bestBehavioural };
}

/**
 * The strong components split into campaign candidates of at least `minCampaignKeys` keys. Pushed
 * into an array literal, not made by `flatMap` and `filter`: those builtins return an (empty)
 * array of small integers when the pass has no strong component at all and an array of objects
 * otherwise, so such a pass threw away `buildCampaigns`' optimized code made on passes that had
 * some ("wrong map" at `comps.length`). The literal's allocation site remembers the kind its
 * arrays grew to, so its empty arrays have the full ones' map.
 */
function campaignComponents(
  whole: number[][],
  edgesOf: Edge[][],
  strong: number,
  cfg: DetectConfig,
  splits: SplitMemo | undefined,
): number[][] {
  const comps: number[][] = [];
  for (let i = 0; i < whole.length; i++) {
    const parts = splits
      ? splits.split(whole[i]!, edgesOf[i]!, strong, cfg.linkage.splitFrom)
      : splitComponent(whole[i]!, edgesOf[i]!, strong, cfg.linkage.splitFrom);
    for (const c of parts) if (c.length >= cfg.linkage.minCampaignKeys) comps.push(c);
  }
  return comps;
}

export function buildCampaigns(
  profiles: readonly AccountProfile[],
  g: LinkGraph,
  pop: Population,
  cfg: DetectConfig,
  now: number,
  cache?: CampaignCache,
): CampaignResult[] {
  const strong = cfg.linkage.strongEdge;
  const whole = strongComponents(profiles.length, g, strong);
  const compOfWhole = componentIndex(profiles.length, whole);
  // Only edges inside a component are ever read as objects (with their evidence).
  const edgesOf: Edge[][] = Array.from(whole, () => []);
  for (let i = 0; i < g.size; i++) {
    const c = compOfWhole[g.a[i]!]!;
    if (c >= 0 && c === compOfWhole[g.b[i]!]) edgesOf[c]!.push(g.edge(i));
  }
  const splits = cache?.splits;
  const comps = campaignComponents(whole, edgesOf, strong, cfg, splits);
  splits?.endPass();
  // Results reused from the cache need no evidence: the campaigns index only the others.
  const totals = Array.from(comps, (members) => members.reduce((s, m) => s + profiles[m]!.n, 0));
  const hits = Array.from(comps, (members, ci) => (cache ? reusable(cache, members, totals[ci]!) : null));
  const compOf = componentIndex(
    profiles.length,
    Array.from(comps, (members, ci) => (hits[ci] ? [] : members)),
  );
  const index: CompIndex[] = Array.from(comps, () => ({ edges: [], postings: [] }));
  // A campaign lies inside one strong component, so its edges are among that component's, in
  // the graph's order.
  for (const edges of edgesOf)
    for (const e of edges) {
      const ca = compOf[e.a]!;
      if (ca >= 0 && ca === compOf[e.b]) index[ca]!.edges.push(e);
    }
  // The last posting listed for each campaign (a posting names a campaign once).
  const lastPost = new Int32Array(comps.length).fill(-1);
  g.postings.forEach((post, p) => {
    for (const m of post.members) {
      const c = compOf[m]!;
      if (c >= 0 && lastPost[c] !== p) {
        lastPost[c] = p;
        index[c]!.postings.push(post);
      }
    }
  });
  const out: CampaignResult[] = [];
  const nextCache: CampaignCache['entries'] = new Map();
  for (let ci = 0; ci < comps.length; ci++) {
    const members = comps[ci]!;
    const total = totals[ci]!;
    const hit = hits[ci];
    if (hit) {
      nextCache.set(members[0]!, hit);
      out.push({ ...hit.result, members });
      continue;
    }
    const result = scoreComponent(members, index[ci]!, profiles, pop, cfg, now);
    nextCache.set(members[0]!, { n: total, members: new Set(members), result });
    out.push(result);
  }
  if (cache) cache.entries = nextCache;
  return out;
}
