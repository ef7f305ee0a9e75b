/**
 * @module detect/engine
 * The detection engine: pure and synchronous over RequestEvents, in event time. `ingest` folds
 * an event into its key's bounded profile and re-scores on a cadence (per key every few
 * requests or minutes of event time; population, linkage and campaigns every few minutes of
 * event time), recording when each key and campaign first crossed each threshold. `findings`
 * snapshots everything in the findings format (report/findings.ts).
 */
import type { RequestEvent } from '../events/types.js';
import type { AccountFinding, CampaignFinding, Findings, Reason } from '../report/findings.js';
import { buildCampaigns, type CampaignCache, type CampaignResult } from './campaigns.js';
import { type DeepPartial, type DetectConfig, resolveConfig } from './config.js';
import { ProfileFacts } from './linkage/facts.js';
import { buildLinkGraph, linkScratch } from './linkage/graph.js';
import { type LshIndex, type LshLookup, lshIndexNew, lshInsert } from './linkage/lsh-index.js';
import { SplitMemo } from './linkage/split.js';
import { buildPopulation, emptyPopulation, OrgCounts, type Population } from './population.js';
import { newProfile, profileBytes, type SigWrite, updateProfile, upgradeProfile } from './profile.js';
import { scoreProfile, sharedIntent, verdictOf } from './scoring.js';
import type { SignalContext } from './signals/types.js';
import { RecentIds } from './sketches/recent-ids.js';
import { decodeState, encodeState } from './sketches/serialize.js';
import { type CampaignState, type KeyState, suspicionOf, type VerdictChange } from './state.js';

export type { DeepPartial, DetectConfig } from './config.js';
export type { CampaignState, KeyState, VerdictChange } from './state.js';

export const ENGINE_VERSION = '1.13.0';
const CHECKPOINT_FORMAT = 'distillguard-engine-checkpoint';
const MAX_MODELS = 10_000;

/** What the caller read (lines, bad lines, evidence present), as recorded in the findings. */
export type FindingsInput = Findings['input'];

/**
 * How long a pass triggered by new suspects waits after the last pass: `campaignEveryMs`, longer
 * past `campaignEveryKeys` tracked keys (in proportion to them, at most `campaignMaxEveryMs`).
 */
export function suspectPassEvery(c: DetectConfig['cadence'], keys: number): number {
  const scale = Math.max(1, keys / c.campaignEveryKeys);
  return Math.min(c.campaignMaxEveryMs, c.campaignEveryMs * scale);
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export class Engine {
  readonly config: DetectConfig;
  private keys = new Map<string, KeyState>();
  private campaigns = new Map<string, CampaignState>();
  private pop: Population = emptyPopulation();
  private modelFirstSeen = new Map<string, number>();
  private startTs: number | null = null;
  private now = 0;
  private events = 0;
  private lastCampaignTs = 0;
  private eventsSinceCampaign = 0;
  /** Ids of the recent events (not checkpointed: a restored engine remembers none). */
  private readonly recentIds: RecentIds | null;
  /** Events skipped as duplicates of a recent one (same id). */
  private duplicates = 0;
  /** Keys that first reached the suspect score since the last campaign pass. */
  private newSuspects = 0;
  private campaignCounter = 0;
  private dirty = false;
  private listeners = new Set<(c: VerdictChange) => void>();
  /** Keys in arrival order: a key's index is its id in the LSH index and the link graph. */
  private order: KeyState[] = [];
  private lsh: LshIndex = lshIndexNew();
  /** Not checkpointed: a restored engine re-scores campaigns in full on its next evaluation. */
  private cache: CampaignCache = { growth: 0.1, entries: new Map(), splits: new SplitMemo() };
  /** Per-profile facts of the campaign pass, reused until the profile's next event. */
  private readonly facts: ProfileFacts;
  /** The link graph's evidence rows and posting slots, reused by every pass (scratch, not checkpointed). */
  private readonly linkScratch = linkScratch();
  /** The population's org counts, updated each pass for the keys whose facts changed (not checkpointed). */
  private readonly orgCounts: OrgCounts;
  /** How the LSH index reads signatures and orgs of keys by index (one object, not one per insert). */
  private readonly lookup: LshLookup = {
    sig: (key, slot) => this.order[key]?.p.sigs.items[slot],
    org: (key) => this.order[key]?.p.org ?? '',
  };

  /** The context of a key's own scoring, one object updated per scoring (no campaign). */
  private readonly ctx: SignalContext;

  constructor(config: DeepPartial<DetectConfig> = {}) {
    this.config = resolveConfig(config);
    this.facts = new ProfileFacts(this.config.linkage.minShare);
    this.orgCounts = new OrgCounts(this.config.linkage.postingCap);
    this.recentIds = this.config.windows.recentIds > 0 ? new RecentIds(this.config.windows.recentIds) : null;
    this.ctx = { pop: this.pop, cfg: this.config, now: this.now };
  }

  ingest(event: RequestEvent): void {
    if (this.recentIds?.seen(event.id)) {
      this.duplicates++;
      return;
    }
    const cfg = this.config;
    this.events++;
    this.eventsSinceCampaign++;
    this.dirty = true;
    if (this.startTs === null) {
      this.startTs = event.ts;
      this.lastCampaignTs = event.ts;
    }
    if (event.ts > this.now) this.now = event.ts;
    const model = event.model ?? '?';
    if (!this.modelFirstSeen.has(model) && this.modelFirstSeen.size < MAX_MODELS)
      this.modelFirstSeen.set(model, event.ts);
    let st = this.keys.get(event.keyId);
    if (!st) {
      st = this.newKey(event);
      this.keys.set(event.keyId, st);
      this.order.push(st);
    }
    const write = updateProfile(st.p, event, cfg);
    if (write) this.indexSignature(st, write);
    if (this.accountDue(st)) {
      this.scoreOwn(st);
      this.finalize(st);
    }
    if (this.campaignsDue()) this.runCampaigns(false);
  }

  /** Full evaluation at the latest event time: population, every key, linkage and campaigns. */
  evaluate(): void {
    this.runCampaigns(true);
    this.dirty = false;
  }

  /** Snapshot in the findings format. Evaluates first when events arrived since the last full evaluation. */
  findings(input?: FindingsInput): Findings {
    if (this.dirty) this.evaluate();
    const accounts: AccountFinding[] = [...this.keys.values()]
      .map((s) => this.accountFinding(s))
      .sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1));
    const campaigns: CampaignFinding[] = [...this.campaigns.values()]
      .filter((c) => c.verdict !== 'benign')
      .map((c) => ({
        id: c.id,
        keys: c.keys,
        orgs: c.orgs,
        score: c.score,
        verdict: c.verdict,
        requests: c.requests,
        output_tokens: c.outTok,
        first_seen_at: iso(c.firstSeen)!,
        last_seen_at: iso(c.lastSeen)!,
        first_flagged_at: iso(c.firstFlagAt),
        reasons: c.reasons,
      }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    const out: Findings = {
      version: 1,
      generated_at: new Date(this.now).toISOString(),
      input: input ?? {
        lines: this.events,
        bad_lines: 0,
        ...(this.duplicates ? { duplicates: this.duplicates } : {}),
      },
      engine: { version: ENGINE_VERSION, config: this.config },
      accounts,
      campaigns,
    };
    return out;
  }

  onChange(listener: (c: VerdictChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): { accounts: number; orgs: number; events: number; duplicates: number; approxBytes: number } {
    const orgs = new Set<string>();
    let bytes = 2000 + this.modelFirstSeen.size * 80;
    for (const s of this.keys.values()) {
      orgs.add(s.p.org);
      bytes += profileBytes(s.p) + 300 + s.reasons.length * 200;
    }
    for (const b of this.lsh.buckets.values()) bytes += 60 + b.length * 8;
    bytes += this.lsh.pairs.size * 70;
    bytes += this.orgCounts.approxBytes();
    for (const c of this.campaigns.values()) bytes += 400 + c.keys.length * 40 + c.reasons.length * 200;
    for (const m of [
      this.pop.frameOrgs,
      this.pop.skelOrgs,
      this.pop.systemOrgs,
      this.pop.subnetOrgs,
      this.pop.fpOrgs,
      this.pop.toolOrgs,
    ])
      bytes += m.size * 60;
    return {
      accounts: this.keys.size,
      orgs: orgs.size,
      events: this.events,
      duplicates: this.duplicates,
      approxBytes: bytes,
    };
  }

  toJSON(): unknown {
    return {
      format: CHECKPOINT_FORMAT,
      version: ENGINE_VERSION,
      state: encodeState({
        config: this.config,
        keys: this.order,
        lsh: this.lsh,
        campaigns: [...this.campaigns.values()],
        pop: { ...this.pop, modelFirstSeen: null },
        modelFirstSeen: this.modelFirstSeen,
        startTs: this.startTs,
        now: this.now,
        events: this.events,
        lastCampaignTs: this.lastCampaignTs,
        eventsSinceCampaign: this.eventsSinceCampaign,
        newSuspects: this.newSuspects,
        campaignCounter: this.campaignCounter,
        dirty: this.dirty,
      }),
    };
  }

  static fromJSON(state: unknown): Engine {
    const o = state as { format?: string; state?: unknown };
    if (!o || o.format !== CHECKPOINT_FORMAT) throw new Error('not a distillguard engine checkpoint');
    const s = decodeState(o.state) as {
      config: DetectConfig;
      keys: KeyState[];
      lsh: LshIndex;
      campaigns: CampaignState[];
      pop: Population;
      modelFirstSeen: Map<string, number>;
      startTs: number | null;
      now: number;
      events: number;
      lastCampaignTs: number;
      eventsSinceCampaign: number;
      newSuspects: number;
      campaignCounter: number;
      dirty: boolean;
    };
    // Settings added since the checkpoint was written take their defaults (resolveConfig), and so
    // do the profile fields (upgradeProfile).
    const e = new Engine(s.config);
    for (const k of s.keys) {
      upgradeProfile(k.p, e.config);
      e.keys.set(k.p.key, k);
    }
    e.order = s.keys;
    e.lsh = s.lsh;
    for (const c of s.campaigns) e.campaigns.set(c.id, c);
    e.modelFirstSeen = s.modelFirstSeen;
    e.pop = { ...s.pop, modelFirstSeen: e.modelFirstSeen };
    e.startTs = s.startTs;
    e.now = s.now;
    e.events = s.events;
    e.lastCampaignTs = s.lastCampaignTs;
    e.eventsSinceCampaign = s.eventsSinceCampaign;
    e.newSuspects = s.newSuspects;
    e.campaignCounter = s.campaignCounter;
    e.dirty = s.dirty;
    return e;
  }

  private indexSignature(st: KeyState, w: SigWrite): void {
    const sig = st.p.sigs.items[w.slot];
    if (!sig) return;
    lshInsert(this.lsh, st.index, w.slot, sig, w.old, this.lookup);
  }

  private newKey(e: RequestEvent): KeyState {
    return {
      index: this.order.length,
      p: newProfile(e.keyId, e.accountId, e.orgId, this.config),
      own: { score: 0, verdict: 'benign', reasons: [] },
      score: 0,
      verdict: 'benign',
      reasons: [],
      firstFlagAt: null,
      firstDistAt: null,
      reqAtFlag: null,
      lastEvalN: 0,
      lastEvalTs: e.ts,
      campaign: null,
      inherit: null,
      suspect: false,
    };
  }

  private accountDue(st: KeyState): boolean {
    const c = this.config.cadence;
    const since = st.p.n - st.lastEvalN;
    if (since <= 0) return false;
    const every = Math.min(c.accountEveryRequests, Math.max(4, Math.floor(st.p.n / 8)));
    return since >= every || this.now - st.lastEvalTs >= c.accountEveryMs;
  }

  private campaignsDue(): boolean {
    const c = this.config.cadence;
    const dt = this.now - this.lastCampaignTs;
    if (dt >= c.campaignMaxEveryMs) return this.eventsSinceCampaign >= Math.max(50, this.keys.size / 2);
    if (dt < c.campaignEveryMs) return false;
    if (this.eventsSinceCampaign >= c.campaignEventsPerAccount * this.keys.size) return true;
    return this.newSuspects > 0 && dt >= suspectPassEvery(c, this.keys.size);
  }

  private scoreOwn(st: KeyState): void {
    const ctx = this.ctx;
    ctx.pop = this.pop;
    ctx.now = this.now;
    const r = scoreProfile(st.p, ctx);
    if (
      r.suspicion >= this.config.cadence.suspectScore &&
      suspicionOf(st.own) < this.config.cadence.suspectScore &&
      !st.suspect
    ) {
      st.suspect = true;
      this.newSuspects++;
    }
    st.own = r; // a ScoreResult is an OwnScore: score, suspicion, verdict, reasons, intent
    st.lastEvalN = st.p.n;
    st.lastEvalTs = this.now;
  }

  /** Final verdict of a key: its own score, or its campaign's when it inherits (see docs/detection.md). */
  private finalize(st: KeyState): void {
    const cfg = this.config;
    let { score, reasons } = st.own;
    if (st.inherit && st.inherit.score > score) {
      score = st.inherit.score;
      reasons = [st.inherit.reason, ...st.own.reasons].slice(0, cfg.scoring.maxReasons);
    }
    const verdict = verdictOf(score, cfg.thresholds);
    if (verdict !== 'benign' && st.firstFlagAt === null) {
      st.firstFlagAt = this.now;
      st.reqAtFlag = st.p.n;
    }
    if (verdict === 'distillation' && st.firstDistAt === null) st.firstDistAt = this.now;
    const changed = verdict !== st.verdict;
    st.score = score;
    st.verdict = verdict;
    st.reasons = reasons;
    if (changed)
      this.emit({
        kind: 'account',
        id: st.p.key,
        keys: [st.p.key],
        org: st.p.org,
        verdict,
        score,
        reasons,
        at: this.now,
      });
  }

  /**
   * One campaign pass. Its arrays are made with `Array.from(xs, f)` (or loops), not `xs.map(f)`:
   * V8's optimized `map` returns a holey array and its builtin a packed one, so a `map` result's
   * elements kind changes with its caller's optimization state, and code optimized for one kind
   * is thrown away ("wrong map") when the other arrives, pass after pass.
   */
  private runCampaigns(full: boolean): void {
    const cfg = this.config;
    const states = this.order;
    const profiles = Array.from(states, (s) => s.p);
    this.pop = buildPopulation(
      profiles,
      this.now,
      this.startTs ?? 0,
      this.modelFirstSeen,
      cfg,
      this.facts,
      this.orgCounts,
    );
    if (full) for (const s of states) this.scoreOwn(s);
    const suspect = (i: number) => {
      const st = states[i];
      return st !== undefined && suspicionOf(st.own) >= cfg.cadence.suspectScore;
    };
    const graph = buildLinkGraph(
      profiles,
      this.pop,
      cfg,
      this.lsh.pairs,
      this.lsh,
      suspect,
      this.facts,
      this.linkScratch,
    );
    // Between full evaluations a campaign is re-scored once its traffic grew by 10%.
    const results = buildCampaigns(profiles, graph, this.pop, cfg, this.now, full ? undefined : this.cache);
    if (full) this.cache.entries = new Map();
    const touched = new Set<KeyState>();
    for (const s of states) {
      if (s.inherit || s.campaign) touched.add(s);
      s.inherit = null;
      s.campaign = null;
    }
    this.campaigns = this.assignCampaigns(results, states, touched);
    for (const s of full ? states : touched) this.finalize(s);
    this.lastCampaignTs = this.now;
    this.eventsSinceCampaign = 0;
    this.newSuspects = 0;
  }

  /** Gives each component a stable id (the previous campaign it overlaps most), updates its state and its members. */
  private assignCampaigns(
    results: CampaignResult[],
    states: KeyState[],
    touched: Set<KeyState>,
  ): Map<string, CampaignState> {
    const cfg = this.config;
    const prev = this.campaigns;
    // Campaigns are disjoint: each key was in at most one previous campaign.
    const prevOf = new Map<string, string>();
    for (const [id, c] of prev) for (const k of c.keys) prevOf.set(k, id);
    const next = new Map<string, CampaignState>();
    const ordered = Array.from(results, (r) => ({
      r,
      keys: Array.from(r.members, (m) => states[m]!.p.key).sort(),
    })).sort((a, b) => b.keys.length - a.keys.length || (a.keys[0]! < b.keys[0]! ? -1 : 1));
    for (const { r, keys } of ordered) {
      const id = heir(keys, prevOf, next) ?? `c_${++this.campaignCounter}`;
      const old = prev.get(id);
      const verdict = r.score.verdict;
      const reasons: Reason[] = [...r.links.slice(0, 3), ...r.score.reasons].slice(
        0,
        cfg.scoring.maxReasons + 2,
      );
      const c: CampaignState = {
        id,
        keys,
        orgs: [...new Set(r.members.map((m) => states[m]!.p.org))].sort(),
        score: r.score.score,
        verdict,
        reasons,
        requests: r.traffic.n,
        outTok: r.traffic.outTok,
        firstSeen: r.traffic.firstTs,
        lastSeen: r.traffic.lastTs,
        firstFlagAt: old?.firstFlagAt ?? (verdict !== 'benign' ? this.now : null),
        firstDistAt: old?.firstDistAt ?? (verdict === 'distillation' ? this.now : null),
      };
      next.set(id, c);
      if (verdict !== (old?.verdict ?? 'benign'))
        this.emit({ kind: 'campaign', id, keys, org: null, verdict, score: c.score, reasons, at: this.now });
      if (verdict === 'benign') continue;
      const linkSummary = Array.from(r.links.slice(0, 2), (l) => l.detail).join('; ');
      for (const m of r.members) {
        const s = states[m]!;
        s.campaign = id;
        touched.add(s);
        const shared = sharedIntent(s.own.intent, r.score);
        const own = suspicionOf(s.own);
        if (!inherits(own, r.bestBehavioural.get(m) ?? 0, shared.score, cfg)) continue;
        const corroboration =
          own < cfg.linkage.inheritScoreFloor &&
          shared.signal !== null &&
          shared.score >= cfg.linkage.inheritIntent
            ? `; its own traffic shows the campaign's ${shared.signal} (${shared.score.toFixed(2)})`
            : '';
        s.inherit = {
          campaign: id,
          score: c.score,
          reason: {
            signal: 'campaign',
            score: c.score,
            detail: `member of campaign ${id} (${keys.length} keys, score ${c.score.toFixed(2)}): ${linkSummary}${corroboration}`,
          },
        };
      }
    }
    return next;
  }

  private accountFinding(s: KeyState): AccountFinding {
    return {
      key: s.p.key,
      org: s.p.org,
      account: s.p.account,
      requests: s.p.n,
      output_tokens: s.p.outTok,
      input_tokens: s.p.inTok,
      score: s.score,
      verdict: s.verdict,
      first_flagged_at: iso(s.firstFlagAt),
      first_distillation_at: iso(s.firstDistAt),
      requests_at_first_flag: s.reqAtFlag,
      campaign: s.campaign,
      reasons: s.reasons,
    };
  }

  private emit(c: VerdictChange): void {
    for (const l of this.listeners) l(c);
  }
}

/**
 * The previous campaign a component takes its id from: the one not yet taken (in `next`) that
 * shares the most keys with it, the smallest id among equals; none when it shares no key.
 */
function heir(
  keys: readonly string[],
  prevOf: ReadonlyMap<string, string>,
  next: ReadonlyMap<string, unknown>,
): string | null {
  const overlap = new Map<string, number>();
  for (const k of keys) {
    const id = prevOf.get(k);
    if (id !== undefined && !next.has(id)) overlap.set(id, (overlap.get(id) ?? 0) + 1);
  }
  let bestId: string | null = null;
  let best = 0;
  for (const [id, count] of overlap)
    if (count > best || (count === best && bestId !== null && id < bestId)) {
      best = count;
      bestId = id;
    }
  return bestId;
}

/**
 * The inheritance rule (docs/detection.md): a member whose own score reaches the floor inherits;
 * a lower-scoring one only through a strong link that carries behavioural evidence (`bestLink`,
 * the member's strongest such link; 0 when it has none), and only when that link is very strong
 * (≥ `inheritEdge`, several kinds of evidence at once) or the member's own traffic shows the
 * campaign's intent (`intent`: its own score on an intent signal the campaign scores high on,
 * ≥ `inheritIntent`; `sharedIntent` in scoring.ts).
 */
export function inherits(own: number, bestLink: number, intent: number, cfg: DetectConfig): boolean {
  const l = cfg.linkage;
  return (
    own >= l.inheritScoreFloor || bestLink >= l.inheritEdge || (bestLink > 0 && intent >= l.inheritIntent)
  );
}

/** One-shot analysis: ingest every event, evaluate, snapshot. */
/**
 * Ingests one event, or tells why the engine failed on it: the live worker and the cluster worker
 * skip such an event (and report it) rather than lose the rest of its batch or, redelivered,
 * retry it for ever. Events come validated (the gateway, `parseLogLine`); one that still fails may
 * have been partly counted.
 */
export function ingestOrSkip(engine: Engine, event: RequestEvent): string | null {
  try {
    engine.ingest(event);
    return null;
  } catch (err) {
    return `${(err as Error).message} (event ${event.id})`;
  }
}

export function analyzeEvents(events: Iterable<RequestEvent>, config?: DeepPartial<DetectConfig>): Findings {
  const engine = new Engine(config);
  let lines = 0;
  for (const e of events) {
    engine.ingest(e);
    lines++;
  }
  engine.evaluate();
  return engine.findings({ lines, bad_lines: 0 });
}
