/**
 * @module detect/profile
 * The per-key profile: everything the signals know about one key, updated in O(1) per event and
 * bounded in size whatever the key's request count (counters, HyperLogLogs, Space-Saving top-k,
 * decayed rates, a reservoir of MinHash signatures, a ring of recent prompts and a ring of
 * activity buckets). Profiles merge, so a campaign is scored on its members' combined traffic
 * through the very same signals.
 */
import { fmix32, hash32 } from '../events/hash.js';
import type { Domain, RequestEvent } from '../events/types.js';
import type { DetectConfig } from './config.js';
import { type Decayed, decayedAdd, decayedMerge, decayedNew } from './sketches/decayed.js';
import { type Hll, hexHash, hllAdd, hllMerge, hllMergeInto, hllNew } from './sketches/hll.js';
import { type Reservoir, reservoirAdd, reservoirNew } from './sketches/reservoir.js';
import { type TopK, topkAdd, topkFoldInto, topkMerge, topkNew } from './sketches/topk.js';

export const DOMAINS: readonly Domain[] = [
  'code',
  'math',
  'reasoning',
  'tool_use',
  'writing',
  'translation',
  'summarization',
  'extraction',
  'classification',
  'qa',
  'grading',
  'vision',
  'chat',
  'other',
];
const DOMAIN_INDEX = new Map(DOMAINS.map((d, i) => [d, i]));

/** Payload slots of the per-frame top-k: input tokens sent anew (`freshTokens`), output tokens, single-turn requests, CoT requests. */
export const FRAME_IN = 0;
export const FRAME_OUT = 1;
export const FRAME_SINGLE = 2;
export const FRAME_COT = 3;

/** Payload slots of the per-model and per-system-prompt top-k (traffic segments). */
export const SEG_IN = 0;
export const SEG_OUT = 1;
export const SEG_SINGLE = 2;
export const SEG_MAXHIGH = 3;
export const SEG_COT = 4;
export const SEG_ENDUSER = 5;
const SEG_WIDTH = 6;
/** System-prompt id of requests without one. */
export const NO_SYSTEM = '-';

/** Recent distinct prompts remembered per key (for repeats and multi-model fan-out). */
const RING = 64;
/** Long prompts are left out of the ring: their signatures collide on small edits. So are image
 * prompts: the same instruction with a different image is not a repeat. */
const MAX_RING_CHARS = 2000;
/** Models tracked per key by bit (the 16th bit is shared by any further model). */
const MODEL_BITS = 16;
const SIGNATURES = 8;
const DAY = 86_400_000;

export interface Welford {
  k: number;
  mean: number;
  m2: number;
}

export interface AccountProfile {
  key: string;
  account: string;
  org: string;
  /** Keys merged into this profile (1 for a key, the member count for a campaign). */
  keys: number;
  n: number;
  errors: number;
  limited: number;
  firstTs: number;
  lastTs: number;
  inTok: number;
  /** Input tokens the customer sent anew: `inTok` less the conversation histories carried back
   * (`freshTokens`). Equal to `inTok` for one-shot traffic. */
  freshTok: number;
  outTok: number;
  reasoningTok: number;
  /** No assistant turn and no tool message, or a canned history (`thinHistory`): a one-shot request. */
  singleTurn: number;
  /** Follow-ups whose history can hold the model's earlier answers. */
  multiTurn: number;
  /** One-shot requests behind a canned history (counted in `singleTurn` too). */
  thinTurn: number;
  toolReq: number;
  embeddings: number;
  /** Requests that elicit chain-of-thought: asked in the prompt (`prompt.cot`) or of the API
   * (`params.reasoningShown`). */
  cot: number;
  /** Requests that ask the API to return the model's reasoning (`params.reasoningShown`). */
  traceReq: number;
  grading: number;
  imageReq: number;
  images: number;
  logprobReq: number;
  highTopLp: number;
  topLpSum: number;
  biasReq: number;
  largeBiasReq: number;
  biasSizeMax: number;
  maxTokSet: number;
  maxTokHigh: number;
  lengthStops: number;
  multiN: number;
  nSum: number;
  endUserReq: number;
  domains: number[];
  hours: number[];
  gaps: Welford;
  hll: { skel: Hll; frame: Hll; prompt: Hll; system: Hll; endUser: Hll; ip: Hll; subnet: Hll; day: Hll };
  frames: TopK;
  skels: TopK;
  models: TopK;
  systems: TopK;
  subnets: TopK;
  fps: TopK;
  maxToks: TopK;
  meta: TopK;
  /** Tool sets offered (`params.toolsHash`), on requests that offer tools. */
  tools: TopK;
  /** Recent prompt hash → bitmask of models it was sent to. */
  ring: Map<number, number>;
  ringInserts: number;
  fanPrompts: number;
  repeats: number;
  modelBits: string[];
  sigs: Reservoir<number[]>;
  fast: Decayed;
  slow: Decayed;
  fastOut: Decayed;
  slowOut: Decayed;
  act: Uint16Array;
  /** Absolute bucket index of the newest activity bucket. */
  actHead: number;
}

/**
 * Gives a profile restored from an older checkpoint the fields added since it was written (with a
 * new profile's starting values, as `thinTurn` since engine 1.6.0), so the engine keeps counting
 * instead of adding to `undefined`.
 */
export function upgradeProfile(p: AccountProfile, cfg: DetectConfig): void {
  const fresh = newProfile(p.key, p.account, p.org, cfg) as unknown as Record<string, unknown>;
  const old = p as unknown as Record<string, unknown>;
  // Before engine 1.9.0 no history was told apart: all the input counts as sent anew.
  if (!('freshTok' in old)) old.freshTok = old.inTok;
  for (const field of Object.keys(fresh)) if (!(field in old)) old[field] = fresh[field];
}

export function newProfile(key: string, account: string, org: string, cfg: DetectConfig): AccountProfile {
  return {
    key,
    account,
    org,
    keys: 1,
    n: 0,
    errors: 0,
    limited: 0,
    firstTs: 0,
    lastTs: 0,
    inTok: 0,
    freshTok: 0,
    outTok: 0,
    reasoningTok: 0,
    singleTurn: 0,
    multiTurn: 0,
    thinTurn: 0,
    toolReq: 0,
    embeddings: 0,
    cot: 0,
    traceReq: 0,
    grading: 0,
    imageReq: 0,
    images: 0,
    logprobReq: 0,
    highTopLp: 0,
    topLpSum: 0,
    biasReq: 0,
    largeBiasReq: 0,
    biasSizeMax: 0,
    maxTokSet: 0,
    maxTokHigh: 0,
    lengthStops: 0,
    multiN: 0,
    nSum: 0,
    endUserReq: 0,
    domains: new Array<number>(DOMAINS.length).fill(0),
    hours: new Array<number>(24).fill(0),
    gaps: { k: 0, mean: 0, m2: 0 },
    hll: {
      skel: hllNew(),
      frame: hllNew(),
      prompt: hllNew(),
      system: hllNew(6),
      endUser: hllNew(),
      ip: hllNew(6),
      subnet: hllNew(6),
      day: hllNew(6),
    },
    frames: topkNew(8, 4),
    skels: topkNew(8),
    models: topkNew(8, SEG_WIDTH),
    systems: topkNew(4, SEG_WIDTH),
    subnets: topkNew(4),
    fps: topkNew(4),
    maxToks: topkNew(4),
    meta: topkNew(6),
    tools: topkNew(4),
    ring: new Map(),
    ringInserts: 0,
    fanPrompts: 0,
    repeats: 0,
    modelBits: [],
    sigs: reservoirNew<number[]>(SIGNATURES),
    fast: decayedNew(),
    slow: decayedNew(),
    fastOut: decayedNew(),
    slowOut: decayedNew(),
    act: new Uint16Array(cfg.windows.activityBuckets),
    actHead: -1,
  };
}

/** /24 for IPv4, /64 for IPv6, null when absent or unparseable. */
export function subnetOf(ip: string | null): string | null {
  if (!ip) return null;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(ip.startsWith('::ffff:') ? ip.slice(7) : ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (!ip.includes(':')) return null;
  const [head = ''] = ip.split('::');
  const groups = head.split(':').filter((g) => g.length > 0);
  while (groups.length < 4) groups.push('0');
  return `${groups.slice(0, 4).join(':').toLowerCase()}::/64`;
}

/** A near-exact identity of the prompt (first MinHash slots), 0 for an empty prompt. */
export function promptHashOf(sig: readonly number[], salt = 0): number {
  let h = 0x2545f491 ^ salt;
  for (let i = 0; i < sig.length; i++) h = fmix32(h ^ sig[i]!);
  return sig.length === 0 || sig[0] === 0xffffffff ? 0 : h || 1;
}

function welfordAdd(w: Welford, x: number): void {
  w.k++;
  const d = x - w.mean;
  w.mean += d / w.k;
  w.m2 += d * (x - w.mean);
}

function welfordMerge(a: Welford, b: Welford): Welford {
  const k = a.k + b.k;
  if (k === 0) return { k: 0, mean: 0, m2: 0 };
  const d = b.mean - a.mean;
  return { k, mean: a.mean + (d * b.k) / k, m2: a.m2 + b.m2 + (d * d * a.k * b.k) / k };
}

function modelBit(p: AccountProfile, model: string): number {
  let i = p.modelBits.indexOf(model);
  if (i < 0) {
    if (p.modelBits.length < MODEL_BITS) {
      p.modelBits.push(model);
      i = p.modelBits.length - 1;
    } else i = MODEL_BITS - 1;
  }
  return 1 << i;
}

function popcount(x: number): number {
  let c = 0;
  for (let v = x; v !== 0; v &= v - 1) c++;
  return c;
}

/** `promptHashOf(sig, salt) !== 0` for any salt, without hashing. */
export const hasPromptHash = (sig: readonly number[]) => sig.length > 0 && sig[0] !== 0xffffffff;

function recordPrompt(p: AccountProfile, e: RequestEvent, single: boolean): void {
  if (!single || e.prompt.images > 0 || e.prompt.chars > MAX_RING_CHARS || !hasPromptHash(e.prompt.minhash))
    return;
  // Keyed by end user too: two end users of one app asking "hi" is not repeated sampling.
  // Salted with the exact prompt length: documents that differ only in a number share a MinHash
  // signature but rarely their length, while a true repeat matches both.
  const salt = (e.params.endUser ? hash32(e.params.endUser) : 0) ^ Math.imul(e.prompt.chars + 1, 0x9e3779b1);
  const ph = promptHashOf(e.prompt.minhash, salt);
  const bit = modelBit(p, e.model ?? '?');
  const mask = p.ring.get(ph);
  if (mask === undefined) {
    p.ring.set(ph, bit);
    p.ringInserts++;
    if (p.ring.size > RING) p.ring.delete(p.ring.keys().next().value as number);
    hllAdd(p.hll.prompt, ph);
    return;
  }
  if ((mask & bit) !== 0) p.repeats++;
  else {
    if (popcount(mask) === 1) p.fanPrompts++;
    p.ring.set(ph, mask | bit);
  }
}

function recordActivity(p: AccountProfile, ts: number, bucketMs: number): void {
  const b = Math.floor(ts / bucketMs);
  const len = p.act.length;
  if (p.actHead < 0) p.actHead = b;
  if (b > p.actHead) {
    const steps = Math.min(len, b - p.actHead);
    for (let i = 1; i <= steps; i++) p.act[(p.actHead + i) % len] = 0;
    p.actHead = b;
  }
  if (p.actHead - b >= len) return;
  const i = b % len;
  if (p.act[i]! < 0xffff) p.act[i] = p.act[i]! + 1;
}

/** Payload scratch arrays: `topkAdd` only reads a payload during the call, so one array serves every event. */
const FRAME_SCRATCH = [0, 0, 0, 0];
const SEG_SCRATCH = new Array<number>(SEG_WIDTH).fill(0);

const HOUR = 3_600_000;
/** `new Date(ts).getUTCHours()` without a Date (the same for every valid time value). */
function utcHour(ts: number): number {
  if (!(Math.abs(ts) <= 8.64e15)) return new Date(ts).getUTCHours();
  const h = Math.floor(Math.trunc(ts) / HOUR) % 24;
  return h < 0 ? h + 24 : h;
}

interface IpFacts {
  hash: number;
  subnet: string | null;
  subnetHash: number;
}
/** Hash, subnet and subnet hash of recently seen addresses: a key's traffic repeats a few addresses. */
const ipMemo = new Map<string, IpFacts>();
const IP_MEMO_MAX = 8192;

function ipFacts(ip: string): IpFacts {
  let f = ipMemo.get(ip);
  if (f === undefined) {
    const subnet = subnetOf(ip);
    f = { hash: hash32(ip), subnet, subnetHash: subnet ? hash32(subnet) : 0 };
    if (ipMemo.size >= IP_MEMO_MAX) ipMemo.clear();
    ipMemo.set(ip, f);
  }
  return f;
}

/** A signature written into the profile's reservoir (for the engine's LSH index). */
export interface SigWrite {
  slot: number;
  /** The signature it replaced, if any. */
  old: number[] | undefined;
}

/** Characters per assistant turn that always count as a real history (a short-answer chat's). */
const THIN_CAP = 300;
/** Characters per token of the key's mean visible answer a history must hold per assistant turn
 * (half a character: CJK text runs 1–1.5 characters per token, English about 4). */
const THIN_PER_TOKEN = 0.5;

/**
 * True when a follow-up carries back too little of the model's earlier answers to be a real
 * conversation: a one-shot question behind a canned exchange ("Hi, can you help me?" / "Of
 * course!"), the disguise of a harvester that wants to look conversational. A real history holds
 * what the model answered before; this key's answers average `visible` tokens (completions less
 * reasoning tokens, per choice, over its requests before this one), so assistant turns of fewer
 * than min(THIN_CAP, THIN_PER_TOKEN × visible) characters each cannot be them; while no answer of
 * the key has had a length (a log without responses), THIN_CAP alone. Never thin: tool
 * loops (their history is tool output), a key's first request (no answers seen yet), events
 * without `assistantChars` (recorded before engine 1.6.0), a conversation the upstream keeps (its
 * history is the model's own answers, whatever the request shows). To pass, a disguised harvester must
 * carry real-sized answers in every request and pay for them as input tokens.
 */
export function thinHistory(p: AccountProfile, pr: RequestEvent['prompt']): boolean {
  const chars = pr.assistantChars;
  if (pr.ownTokens !== undefined) return false;
  if (pr.assistantTurns === 0 || pr.toolMessages > 0 || chars === undefined || p.nSum === 0) return false;
  // No answer has had a length yet (a request-only log, or errors only): the cap alone.
  const bar =
    p.outTok > 0
      ? Math.min(THIN_CAP, (THIN_PER_TOKEN * Math.max(0, p.outTok - p.reasoningTok)) / p.nSum)
      : THIN_CAP;
  return chars < pr.assistantTurns * bar;
}

/**
 * The prompt tokens of `e` the customer sent anew: its prompt tokens less those of the
 * conversation it carries back (`historyChars`: the model's earlier answers and the earlier user
 * turns; estimated by their share of the prompt's text characters; image tokens count as new). A
 * program that harvests whole conversations pays for its history as input on every turn, but
 * the history asks nothing new: counting it would let a conversation of long answers pass for
 * one of long prompts. A request continuing a conversation the upstream keeps (Responses API
 * `previous_response_id`) sends only its own text (`ownTokens`), and is billed for the rest.
 * Events without `historyChars` or `ownTokens` (before engine 1.9.0) count in full.
 */
export function freshTokens(e: RequestEvent): number {
  const pr = e.prompt;
  const tokens = e.usage.promptTokens;
  // A conversation the upstream keeps is billed beyond the request's own text.
  if (pr.ownTokens !== undefined) return Math.min(tokens, pr.ownTokens + e.usage.imageTokens);
  const history = pr.historyChars;
  if (history === undefined || history <= 0 || pr.chars <= 0) return tokens;
  const text = Math.max(0, tokens - e.usage.imageTokens);
  return tokens - Math.round(text * Math.min(1, history / pr.chars));
}

/** Folds one event into the profile. O(1) in the profile's request count. */
export function updateProfile(p: AccountProfile, e: RequestEvent, cfg: DetectConfig): SigWrite | null {
  const pr = e.prompt;
  const ps = e.params;
  const ts = e.ts;
  if (p.n === 0) p.firstTs = ts;
  else welfordAdd(p.gaps, Math.max(0, ts - p.lastTs));
  if (ts > p.lastTs) p.lastTs = ts;
  p.n++;
  if (e.status >= 400) p.errors++;
  if (e.status === 429 || e.limitedBy !== null) p.limited++;
  const inTok = e.usage.promptTokens;
  const outTok = e.usage.completionTokens;
  const thin = thinHistory(p, pr);
  const freshIn = freshTokens(e);
  p.inTok += inTok;
  p.freshTok += freshIn;
  p.outTok += outTok;
  p.reasoningTok += e.output.reasoningTokens;
  // A request continuing a conversation the upstream keeps is a follow-up with a real history.
  const followUp = pr.assistantTurns > 0 || pr.ownTokens !== undefined;
  const single = (!followUp || thin) && pr.toolMessages === 0;
  if (single) p.singleTurn++;
  if (thin) p.thinTurn++;
  else if (followUp) p.multiTurn++;
  if (pr.toolMessages > 0 || ps.tools > 0) p.toolReq++;
  if (e.endpoint === 'embeddings') p.embeddings++;
  const elicits = pr.cot || ps.reasoningShown === true;
  if (elicits) p.cot++;
  if (ps.reasoningShown) p.traceReq++;
  if (pr.grading) p.grading++;
  if (pr.images > 0) {
    p.imageReq++;
    p.images += pr.images;
  }
  if (ps.logprobs) p.logprobReq++;
  if (ps.topLogprobs >= cfg.signals.highTopLogprobs) p.highTopLp++;
  p.topLpSum += ps.topLogprobs;
  if (ps.logitBiasSize > 0) p.biasReq++;
  if (ps.logitBiasSize >= cfg.signals.largeLogitBias) p.largeBiasReq++;
  if (ps.logitBiasSize > p.biasSizeMax) p.biasSizeMax = ps.logitBiasSize;
  const high = ps.maxTokens !== null && ps.maxTokens >= cfg.signals.highMaxTokens;
  if (ps.maxTokens !== null) {
    p.maxTokSet++;
    if (high) p.maxTokHigh++;
    topkAdd(p.maxToks, String(ps.maxTokens), ts);
  }
  if (e.output.finishReason === 'length') p.lengthStops++;
  if (ps.n > 1) p.multiN++;
  p.nSum += ps.n;
  if (ps.endUser) {
    p.endUserReq++;
    hllAdd(p.hll.endUser, hash32(ps.endUser));
  }
  p.domains[DOMAIN_INDEX.get(pr.domain) ?? DOMAINS.length - 1]!++;
  p.hours[utcHour(ts)]!++;
  hllAdd(p.hll.skel, hexHash(pr.skeletonHash));
  hllAdd(p.hll.frame, hexHash(pr.frameHash));
  hllAdd(p.hll.day, Math.floor(ts / DAY));
  const frameLoad = FRAME_SCRATCH;
  frameLoad[FRAME_IN] = freshIn;
  frameLoad[FRAME_OUT] = outTok;
  frameLoad[FRAME_SINGLE] = single ? 1 : 0;
  frameLoad[FRAME_COT] = elicits ? 1 : 0;
  topkAdd(p.frames, pr.frameHash, ts, frameLoad);
  topkAdd(p.skels, pr.skeletonHash, ts);
  const seg = SEG_SCRATCH;
  seg[SEG_IN] = inTok;
  seg[SEG_OUT] = outTok;
  seg[SEG_SINGLE] = single ? 1 : 0;
  seg[SEG_MAXHIGH] = high ? 1 : 0;
  seg[SEG_COT] = elicits ? 1 : 0;
  seg[SEG_ENDUSER] = ps.endUser ? 1 : 0;
  topkAdd(p.models, e.model ?? '?', ts, seg);
  if (pr.systemHash) hllAdd(p.hll.system, hexHash(pr.systemHash));
  topkAdd(p.systems, pr.systemHash ?? NO_SYSTEM, ts, seg);
  if (e.ip) {
    const ip = ipFacts(e.ip);
    hllAdd(p.hll.ip, ip.hash);
    if (ip.subnet) {
      hllAdd(p.hll.subnet, ip.subnetHash);
      topkAdd(p.subnets, ip.subnet, ts);
    }
  }
  if (e.fingerprint) topkAdd(p.fps, e.fingerprint, ts);
  if (e.meta) for (const [k, v] of Object.entries(e.meta)) topkAdd(p.meta, `${k}=${v}`, ts);
  if (ps.toolsHash) topkAdd(p.tools, ps.toolsHash, ts);
  recordPrompt(p, e, single);
  let write: SigWrite | null = null;
  if (single && pr.images === 0 && hasPromptHash(pr.minhash)) {
    const kept = reservoirAdd(p.sigs, pr.minhash, hash32(p.key));
    if (kept) write = { slot: kept.slot, old: kept.evicted };
  }
  const w = cfg.windows;
  decayedAdd(p.fast, ts, 1, w.fastHalfLifeMs);
  decayedAdd(p.slow, ts, 1, w.slowHalfLifeMs);
  decayedAdd(p.fastOut, ts, outTok, w.fastHalfLifeMs);
  decayedAdd(p.slowOut, ts, outTok, w.slowHalfLifeMs);
  recordActivity(p, ts, w.activityBucketMs);
  return write;
}

/** `a[i] + b[i]` over a's length, in a new array made like the profile's own (`new Array(n)`: one
 * elements kind whatever the caller's optimization state, unlike a `map` result). */
function sumArrays(a: number[], b: number[]): number[] {
  const out = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! + (b[i] ?? 0);
  return out;
}

function mergeActivity(a: AccountProfile, b: AccountProfile): { act: Uint16Array; actHead: number } {
  const len = a.act.length;
  const head = Math.max(a.actHead, b.actHead);
  const act = new Uint16Array(len);
  for (const p of [a, b]) {
    if (p.actHead < 0) continue;
    for (let back = 0; back < len; back++) {
      const abs = head - back;
      if (p.actHead - abs >= len || abs > p.actHead) continue;
      const i = ((abs % len) + len) % len;
      act[i] = Math.min(0xffff, act[i]! + p.act[i]!);
    }
  }
  return { act, actHead: head };
}

/** Combined traffic of many profiles (a campaign), as a new profile; inputs untouched. */
export function mergeAll(profiles: readonly AccountProfile[], cfg: DetectConfig): AccountProfile {
  const first = profiles[0]!;
  if (profiles.length === 1) return first;
  // Pairwise merge of everything but the HLLs, which are merged once into fresh registers. The
  // first merge makes a new profile; the next ones fold into it in place, with the same
  // arithmetic in the same order as `mergeProfiles`, so the result is the same.
  const acc = mergeProfiles(first, profiles[1]!, cfg, false);
  if (acc.sigs.items === first.sigs.items) acc.sigs.items = [...acc.sigs.items];
  if (profiles.length > 2) {
    for (let i = 2; i < profiles.length; i++) foldInto(acc, profiles[i]!, cfg);
  }
  const hll = {} as AccountProfile['hll'];
  for (const k of Object.keys(first.hll) as (keyof AccountProfile['hll'])[]) {
    hll[k] = hllNew(first.hll[k].p);
    for (const p of profiles) hllMergeInto(hll[k], p.hll[k]);
  }
  return { ...acc, hll };
}

/**
 * `mergeProfiles(acc, b, cfg, false)` written into `acc`, which the caller owns (a profile made by
 * `mergeProfiles`: its arrays, sketches and counters are its own; its HLLs are not touched).
 */
function foldInto(acc: AccountProfile, b: AccountProfile, cfg: DetectConfig): void {
  const w = cfg.windows;
  const items = acc.sigs.items;
  const cap = acc.sigs.size * 2;
  for (let i = 0; i < b.sigs.items.length && items.length < cap; i++) items.push(b.sigs.items[i]!);
  acc.sigs.seen += b.sigs.seen;
  acc.keys += b.keys;
  acc.n += b.n;
  acc.errors += b.errors;
  acc.limited += b.limited;
  acc.firstTs = Math.min(acc.firstTs, b.firstTs);
  acc.lastTs = Math.max(acc.lastTs, b.lastTs);
  acc.inTok += b.inTok;
  acc.freshTok += b.freshTok;
  acc.outTok += b.outTok;
  acc.reasoningTok += b.reasoningTok;
  acc.singleTurn += b.singleTurn;
  acc.multiTurn += b.multiTurn;
  acc.thinTurn += b.thinTurn;
  acc.toolReq += b.toolReq;
  acc.embeddings += b.embeddings;
  acc.cot += b.cot;
  acc.traceReq += b.traceReq;
  acc.grading += b.grading;
  acc.imageReq += b.imageReq;
  acc.images += b.images;
  acc.logprobReq += b.logprobReq;
  acc.highTopLp += b.highTopLp;
  acc.topLpSum += b.topLpSum;
  acc.biasReq += b.biasReq;
  acc.largeBiasReq += b.largeBiasReq;
  acc.biasSizeMax = Math.max(acc.biasSizeMax, b.biasSizeMax);
  acc.maxTokSet += b.maxTokSet;
  acc.maxTokHigh += b.maxTokHigh;
  acc.lengthStops += b.lengthStops;
  acc.multiN += b.multiN;
  acc.nSum += b.nSum;
  acc.endUserReq += b.endUserReq;
  addArray(acc.domains, b.domains);
  addArray(acc.hours, b.hours);
  acc.gaps = welfordMerge(acc.gaps, b.gaps);
  for (let f = 0; f < TOPK_FIELDS.length; f++) {
    const field = TOPK_FIELDS[f]!;
    topkFoldInto(acc[field], b[field]);
  }
  acc.ringInserts += b.ringInserts;
  acc.fanPrompts += b.fanPrompts;
  acc.repeats += b.repeats;
  acc.fast = decayedMerge(acc.fast, b.fast, w.fastHalfLifeMs);
  acc.slow = decayedMerge(acc.slow, b.slow, w.slowHalfLifeMs);
  acc.fastOut = decayedMerge(acc.fastOut, b.fastOut, w.fastHalfLifeMs);
  acc.slowOut = decayedMerge(acc.slowOut, b.slowOut, w.slowHalfLifeMs);
  foldActivity(acc, b);
}

/** The top-k sketches of a profile, in the order `mergeProfiles` merges them. */
const TOPK_FIELDS = [
  'frames',
  'skels',
  'models',
  'systems',
  'subnets',
  'fps',
  'maxToks',
  'meta',
  'tools',
] as const;

/**
 * `mergeActivity(acc, b)` written into `acc.act` (which the caller owns): each ring slot holds one
 * absolute bucket of the merged window, and keeps acc's count if that bucket is in acc's window,
 * plus b's if in b's, capped like `mergeActivity`. Walks the window newest first with a wrapping
 * slot index instead of two remainders per bucket.
 */
function foldActivity(acc: AccountProfile, b: AccountProfile): void {
  const len = acc.act.length;
  const head = Math.max(acc.actHead, b.actHead);
  const act = acc.act;
  let i = ((head % len) + len) % len;
  for (let back = 0; back < len; back++) {
    const abs = head - back;
    const mine = acc.actHead >= 0 && abs <= acc.actHead && acc.actHead - abs < len ? act[i]! : 0;
    const theirs = b.actHead >= 0 && abs <= b.actHead && b.actHead - abs < len ? b.act[i]! : 0;
    act[i] = Math.min(0xffff, mine + theirs);
    i = i === 0 ? len - 1 : i - 1;
  }
  acc.actHead = head;
}

/** `a[i] += b[i]` over a's length (what `sumArrays` computes, in place). */
function addArray(a: number[], b: number[]): void {
  for (let i = 0; i < a.length; i++) a[i] = a[i]! + (b[i] ?? 0);
}

/** Combined traffic of two profiles, as a new profile (inputs untouched). HLLs are shared when `withHll` is false. */
export function mergeProfiles(
  a: AccountProfile,
  b: AccountProfile,
  cfg: DetectConfig,
  withHll = true,
): AccountProfile {
  const w = cfg.windows;
  const sigs = reservoirNew<number[]>(a.sigs.size);
  sigs.items =
    a.sigs.items.length >= a.sigs.size * 2
      ? a.sigs.items
      : [...a.sigs.items, ...b.sigs.items].slice(0, a.sigs.size * 2);
  sigs.seen = a.sigs.seen + b.sigs.seen;
  let hll = a.hll;
  if (withHll) {
    hll = {} as AccountProfile['hll'];
    for (const k of Object.keys(a.hll) as (keyof AccountProfile['hll'])[])
      hll[k] = hllMerge(a.hll[k], b.hll[k]);
  }
  return {
    ...a,
    keys: a.keys + b.keys,
    n: a.n + b.n,
    errors: a.errors + b.errors,
    limited: a.limited + b.limited,
    firstTs: Math.min(a.firstTs, b.firstTs),
    lastTs: Math.max(a.lastTs, b.lastTs),
    inTok: a.inTok + b.inTok,
    freshTok: a.freshTok + b.freshTok,
    outTok: a.outTok + b.outTok,
    reasoningTok: a.reasoningTok + b.reasoningTok,
    singleTurn: a.singleTurn + b.singleTurn,
    multiTurn: a.multiTurn + b.multiTurn,
    thinTurn: a.thinTurn + b.thinTurn,
    toolReq: a.toolReq + b.toolReq,
    embeddings: a.embeddings + b.embeddings,
    cot: a.cot + b.cot,
    traceReq: a.traceReq + b.traceReq,
    grading: a.grading + b.grading,
    imageReq: a.imageReq + b.imageReq,
    images: a.images + b.images,
    logprobReq: a.logprobReq + b.logprobReq,
    highTopLp: a.highTopLp + b.highTopLp,
    topLpSum: a.topLpSum + b.topLpSum,
    biasReq: a.biasReq + b.biasReq,
    largeBiasReq: a.largeBiasReq + b.largeBiasReq,
    biasSizeMax: Math.max(a.biasSizeMax, b.biasSizeMax),
    maxTokSet: a.maxTokSet + b.maxTokSet,
    maxTokHigh: a.maxTokHigh + b.maxTokHigh,
    lengthStops: a.lengthStops + b.lengthStops,
    multiN: a.multiN + b.multiN,
    nSum: a.nSum + b.nSum,
    endUserReq: a.endUserReq + b.endUserReq,
    domains: sumArrays(a.domains, b.domains),
    hours: sumArrays(a.hours, b.hours),
    gaps: welfordMerge(a.gaps, b.gaps),
    hll,
    frames: topkMerge(a.frames, b.frames),
    skels: topkMerge(a.skels, b.skels),
    models: topkMerge(a.models, b.models),
    systems: topkMerge(a.systems, b.systems),
    subnets: topkMerge(a.subnets, b.subnets),
    fps: topkMerge(a.fps, b.fps),
    maxToks: topkMerge(a.maxToks, b.maxToks),
    meta: topkMerge(a.meta, b.meta),
    tools: topkMerge(a.tools, b.tools),
    ring: new Map(),
    ringInserts: a.ringInserts + b.ringInserts,
    fanPrompts: a.fanPrompts + b.fanPrompts,
    repeats: a.repeats + b.repeats,
    modelBits: [],
    sigs,
    fast: decayedMerge(a.fast, b.fast, w.fastHalfLifeMs),
    slow: decayedMerge(a.slow, b.slow, w.slowHalfLifeMs),
    fastOut: decayedMerge(a.fastOut, b.fastOut, w.fastHalfLifeMs),
    slowOut: decayedMerge(a.slowOut, b.slowOut, w.slowHalfLifeMs),
    ...mergeActivity(a, b),
  };
}

/** Rough retained bytes of a profile (for `stats().approxBytes` and the memory benchmark). */
export function profileBytes(p: AccountProfile): number {
  let bytes = 1200; // scalars, arrays of counters, object headers
  for (const h of Object.values(p.hll)) bytes += h.r.length + 40;
  for (const t of [p.frames, p.skels, p.models, p.systems, p.subnets, p.fps, p.maxToks, p.meta, p.tools])
    bytes += t.e.length * (80 + t.w * 8);
  bytes += p.ring.size * 40 + p.modelBits.length * 40;
  for (const s of p.sigs.items) bytes += 16 + s.length * 8;
  bytes += p.act.byteLength + 40;
  return bytes;
}
