/**
 * @module worker/findings
 * Cluster-wide findings: every worker saves its partition's snapshot (`findings-<i>of<P>` in
 * the checkpoints table) and the linker its cross-partition campaigns (`linkage`).
 * `mergeFindings` joins them (pure: partitions own disjoint orgs, so accounts concatenate);
 * `StoreFindings` is the gateway replicas' admin `FindingsSource`, refreshed from the store.
 */
import type { FindingsSource } from '../admin/context.js';
import type { AccountFinding, CampaignFinding, Findings } from '../report/findings.js';
import type { Store } from '../store/types.js';
import { findingsId } from './checkpoint.js';
import type { CrossCampaign, KeyVerdict } from './linkage.js';

/** Row id of the linker's cross-partition campaigns. */
export const LINKAGE_ID = 'linkage';

export interface LinkageSnapshot {
  at: number;
  campaigns: CrossCampaign[];
}

/** Each key's verdict and score across the partitions' findings. */
export function verdictsOf(parts: readonly Findings[]): Map<string, KeyVerdict> {
  const out = new Map<string, KeyVerdict>();
  for (const f of parts) for (const a of f.accounts) out.set(a.key, { verdict: a.verdict, score: a.score });
  return out;
}

/** One findings document from the partitions' snapshots and the cross-partition campaigns. */
export function mergeFindings(
  parts: readonly Findings[],
  cross: readonly CrossCampaign[] = [],
): Findings | null {
  if (parts.length === 0) return null;
  const byKey = new Map<string, AccountFinding>();
  for (const f of parts) for (const a of f.accounts) byKey.set(a.key, a);
  const campaigns: CampaignFinding[] = parts.flatMap((f) => f.campaigns);
  for (const c of cross) {
    if (c.verdict === 'benign') continue;
    const accounts = c.keys.map((k) => byKey.get(k)).filter((a): a is AccountFinding => a !== undefined);
    campaigns.push({
      id: c.id,
      keys: c.keys,
      orgs: c.orgs,
      score: c.score,
      verdict: c.verdict,
      requests: accounts.reduce((s, a) => s + a.requests, 0),
      output_tokens: accounts.reduce((s, a) => s + a.output_tokens, 0),
      reasons: c.reasons,
    });
    for (const a of accounts) if (a.campaign === null) byKey.set(a.key, { ...a, campaign: c.id });
  }
  const generated = parts.map((f) => f.generated_at).sort();
  return {
    version: 1,
    generated_at: generated[generated.length - 1]!,
    input: {
      lines: parts.reduce((s, f) => s + f.input.lines, 0),
      bad_lines: parts.reduce((s, f) => s + f.input.bad_lines, 0),
    },
    ...(parts[0]!.engine ? { engine: parts[0]!.engine } : {}),
    accounts: [...byKey.values()].sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1)),
    campaigns: campaigns.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)),
  };
}

/** Loads every partition's findings snapshot that exists. */
export async function loadPartitionFindings(store: Store, partitions: number): Promise<Findings[]> {
  const rows = await Promise.all(
    Array.from({ length: partitions }, (_, i) => store.checkpoints.load<Findings>(findingsId(i, partitions))),
  );
  return rows.filter((r) => r !== null).map((r) => r.data);
}

export interface StoreFindingsOptions {
  /** Refresh cadence (ms). */
  everyMs?: number;
  onError?: (err: unknown) => void;
}

/** The replicas' findings: the merged snapshot, re-read from the store on a timer. */
export class StoreFindings implements FindingsSource {
  private current: Findings | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    private readonly partitions: number,
    opts: StoreFindingsOptions = {},
  ) {
    const onError = opts.onError ?? (() => undefined);
    this.timer = setInterval(() => void this.refresh().catch(onError), opts.everyMs ?? 10_000);
    this.timer.unref();
    void this.refresh().catch(onError);
  }

  latest(): Findings | null {
    return this.current;
  }

  async refresh(): Promise<Findings | null> {
    const parts = await loadPartitionFindings(this.store, this.partitions);
    const linkage = await this.store.checkpoints.load<LinkageSnapshot>(LINKAGE_ID);
    this.current = mergeFindings(parts, linkage?.data.campaigns ?? []);
    return this.current;
  }

  close(): void {
    clearInterval(this.timer);
  }
}
