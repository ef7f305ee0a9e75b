/**
 * @module worker/linkage
 * Cross-org linkage across worker partitions (pure). An org's events reach one worker, so a
 * worker's engine links accounts only among its own orgs. To find campaigns whose orgs sit in
 * different partitions:
 *   1. each worker folds its events into per-key digests (`DigestCollector`): bounded sets of
 *      prompt frame hashes, template-skeleton hashes, system-prompt hashes, client fingerprints
 *      and networks (/24 IPv4, /48 IPv6), and publishes the changed ones;
 *   2. the linker (the worker of partition 0) keeps every key's latest digest and links two keys
 *      of different orgs in different partitions when they share values of at least `minKinds`
 *      kinds, counting only values that few orgs share (≤ `maxOrgsPerValue`: a popular SDK
 *      fingerprint or a cloud NAT links nothing);
 *   3. connected components spanning ≥ 2 orgs are cross-partition campaigns, with the worst
 *      verdict (and highest score) of their keys from the partitions' findings.
 * Limitation: digests carry exact-match evidence only; behavioural similarity, MinHash LSH
 * neighbours and timing correlation are linked inside a partition only.
 */
import { createHash } from 'node:crypto';
import type { RequestEvent } from '../events/types.js';
import { type Reason, VERDICT_RANK, type Verdict } from '../report/findings.js';

export const EVIDENCE_KINDS = ['frame', 'skeleton', 'system', 'fingerprint', 'network'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** One key's linking evidence, as published by its worker. */
export interface KeyDigest {
  key: string;
  org: string;
  partition: number;
  values: Record<EvidenceKind, string[]>;
}

export interface DigestOptions {
  /** Distinct values kept per key and kind (most recent first to go is the oldest). */
  maxPerKind?: number;
  /** Keys tracked; the least recently updated are forgotten past this. */
  maxKeys?: number;
}

export const DIGEST_DEFAULTS: Required<DigestOptions> = { maxPerKind: 16, maxKeys: 200_000 };

/** The network of an address: `a.b.c.0/24` for IPv4, the first three hextets `/48` for IPv6. */
export function networkOf(ip: string | null): string | null {
  if (!ip) return null;
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/i.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (!ip.includes(':')) return null;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const full = ip.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${full
    .slice(0, 3)
    .map((h) => h.replace(/^0+(?=.)/, ''))
    .join(':')}::/48`;
}

/** The evidence values of one event, by kind (absent ones omitted). */
export function evidenceOf(e: RequestEvent): Array<[EvidenceKind, string]> {
  const out: Array<[EvidenceKind, string]> = [];
  if (e.prompt.frameHash) out.push(['frame', e.prompt.frameHash]);
  if (e.prompt.skeletonHash) out.push(['skeleton', e.prompt.skeletonHash]);
  if (e.prompt.systemHash) out.push(['system', e.prompt.systemHash]);
  if (e.fingerprint) out.push(['fingerprint', e.fingerprint]);
  const net = networkOf(e.ip);
  if (net) out.push(['network', net]);
  return out;
}

interface KeyEvidence {
  org: string;
  sets: Record<EvidenceKind, Set<string>>;
}

const emptySets = (): Record<EvidenceKind, Set<string>> => ({
  frame: new Set(),
  skeleton: new Set(),
  system: new Set(),
  fingerprint: new Set(),
  network: new Set(),
});

/** A worker's per-key digests: `add` events, `drain` what changed (or everything). */
export class DigestCollector {
  private readonly o: Required<DigestOptions>;
  private readonly keys = new Map<string, KeyEvidence>();
  private readonly changed = new Set<string>();

  constructor(
    readonly partition: number,
    opts: DigestOptions = {},
  ) {
    this.o = { ...DIGEST_DEFAULTS, ...opts };
  }

  get size(): number {
    return this.keys.size;
  }

  add(e: RequestEvent): void {
    let k = this.keys.get(e.keyId);
    if (k)
      this.keys.delete(e.keyId); // re-insert: map order = recency
    else k = { org: e.orgId, sets: emptySets() };
    this.keys.set(e.keyId, k);
    if (this.keys.size > this.o.maxKeys) {
      const oldest = this.keys.keys().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
    for (const [kind, value] of evidenceOf(e)) {
      const set = k.sets[kind];
      if (set.has(value)) continue;
      set.add(value);
      if (set.size > this.o.maxPerKind) set.delete(set.values().next().value as string);
      this.changed.add(e.keyId);
    }
  }

  /** Digests of the keys whose evidence changed since the last drain (`all`: every key). */
  drain(all = false): KeyDigest[] {
    const ids = all ? [...this.keys.keys()] : [...this.changed];
    this.changed.clear();
    const out: KeyDigest[] = [];
    for (const key of ids) {
      const k = this.keys.get(key);
      if (!k) continue;
      const values = {} as Record<EvidenceKind, string[]>;
      for (const kind of EVIDENCE_KINDS) values[kind] = [...k.sets[kind]];
      out.push({ key, org: k.org, partition: this.partition, values });
    }
    return out;
  }
}

export interface LinkerOptions {
  /** A value shared by more orgs than this is too common to link anything. */
  maxOrgsPerValue?: number;
  /** A value held by more keys than this is skipped (bounds the pair count). */
  maxKeysPerValue?: number;
  /** Kinds of shared evidence two keys need to be linked. */
  minKinds?: number;
}

export const LINKER_DEFAULTS: Required<LinkerOptions> = {
  maxOrgsPerValue: 4,
  maxKeysPerValue: 64,
  minKinds: 2,
};

/** A campaign found only by merging partitions. */
export interface CrossCampaign {
  id: string;
  keys: string[];
  orgs: string[];
  partitions: number[];
  verdict: Verdict;
  score: number;
  reasons: Reason[];
}

export interface KeyVerdict {
  verdict: Verdict;
  score: number;
}

/** Links keys across partitions by shared rare evidence; see the module comment. */
export function crossPartitionCampaigns(
  digests: Iterable<KeyDigest>,
  verdicts: ReadonlyMap<string, KeyVerdict>,
  opts: LinkerOptions = {},
): CrossCampaign[] {
  const o = { ...LINKER_DEFAULTS, ...opts };
  const byKey = new Map<string, KeyDigest>();
  const index = new Map<string, string[]>();
  for (const d of digests) {
    byKey.set(d.key, d);
    for (const kind of EVIDENCE_KINDS)
      for (const v of d.values[kind] ?? []) {
        const id = `${kind}\u0000${v}`;
        const list = index.get(id);
        if (list) list.push(d.key);
        else index.set(id, [d.key]);
      }
  }
  const pairKinds = new Map<string, Set<EvidenceKind>>();
  for (const [id, keys] of index) {
    if (keys.length < 2 || keys.length > o.maxKeysPerValue) continue;
    const orgs = new Set(keys.map((k) => byKey.get(k)!.org));
    if (orgs.size < 2 || orgs.size > o.maxOrgsPerValue) continue;
    const kind = id.slice(0, id.indexOf('\u0000')) as EvidenceKind;
    for (let i = 0; i < keys.length; i++)
      for (let j = i + 1; j < keys.length; j++) {
        const a = byKey.get(keys[i]!)!;
        const b = byKey.get(keys[j]!)!;
        if (a.org === b.org || a.partition === b.partition) continue;
        const pair = a.key < b.key ? `${a.key}\u0000${b.key}` : `${b.key}\u0000${a.key}`;
        const kinds = pairKinds.get(pair) ?? new Set<EvidenceKind>();
        kinds.add(kind);
        pairKinds.set(pair, kinds);
      }
  }
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== undefined && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const linkedBy = new Map<string, Set<EvidenceKind>>();
  for (const [pair, kinds] of pairKinds) {
    if (kinds.size < o.minKinds) continue;
    const [a, b] = pair.split('\u0000') as [string, string];
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
    for (const k of [a, b]) {
      const s = linkedBy.get(k) ?? new Set<EvidenceKind>();
      for (const kind of kinds) s.add(kind);
      linkedBy.set(k, s);
    }
  }
  const groups = new Map<string, string[]>();
  for (const key of parent.keys()) {
    const r = find(key);
    const g = groups.get(r);
    if (g) g.push(key);
    else groups.set(r, [key]);
  }
  const out: CrossCampaign[] = [];
  for (const keys of groups.values()) {
    keys.sort();
    const orgs = [...new Set(keys.map((k) => byKey.get(k)!.org))].sort();
    if (orgs.length < 2) continue;
    let verdict: Verdict = 'benign';
    let score = 0;
    for (const k of keys) {
      const v = verdicts.get(k);
      if (!v) continue;
      if (VERDICT_RANK[v.verdict] > VERDICT_RANK[verdict]) verdict = v.verdict;
      score = Math.max(score, v.score);
    }
    const kinds = new Set<EvidenceKind>();
    for (const k of keys) for (const kind of linkedBy.get(k) ?? []) kinds.add(kind);
    out.push({
      id: `xc_${createHash('sha256').update(keys.join(',')).digest('hex').slice(0, 12)}`,
      keys,
      orgs,
      partitions: [...new Set(keys.map((k) => byKey.get(k)!.partition))].sort((a, b) => a - b),
      verdict,
      score,
      reasons: [...kinds].sort().map((kind) => ({
        signal: `link.cross_partition_${kind}`,
        score: 1,
        detail: `${keys.length} keys in ${orgs.length} orgs share rare ${kind} values across worker partitions`,
      })),
    });
  }
  return out.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}
