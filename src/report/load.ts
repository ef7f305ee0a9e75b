/**
 * @module report/load
 * `loadEvidence(store, target, options)`: gathers an evidence report's inputs for a campaign id
 * or a key id. Findings come from `options.findings` (live engine, or a findings file) or the
 * store's latest snapshot; totals from the store's per-key usage; the activity, traffic profile
 * and prompt samples from the newest stored events within a read budget; decisions and audit
 * entries for the keys (and, for one account, its org). Raw prompt text is read into the input
 * only when `includePrompts` is set. Reads yield to the event loop between pages.
 */
import type { RequestEvent } from '../events/types.js';
import type { AuditEntry } from '../policy/audit.js';
import type { Decision, DecisionSubject } from '../policy/types.js';
import type { Store } from '../store/types.js';
import { summarizeEvents } from './aggregate.js';
import { ReportError } from './errors.js';
import type { EvidenceInput, EvidenceSubject, KeyFacts } from './evidence-input.js';
import type { Findings } from './findings.js';

export type ReportTarget = { kind: 'campaign' | 'account' | 'auto'; id: string };

export interface LoadEvidenceOptions {
  /** Findings to use instead of the store's latest snapshot (live engine, findings file). */
  findings?: Findings | null;
  /** Names the findings' origin in the report. */
  findingsSource?: string;
  /** Read raw prompt text into the samples (only shown when the renderer is asked too). */
  includePrompts?: boolean;
  /** Most events read for the activity, traffic profile and samples (newest first). */
  maxEvents?: number;
  /** Most decisions and audit entries read per subject. */
  maxRecords?: number;
  maxSamples?: number;
  /** Wall clock, for the report's creation time. */
  now?: () => number;
}

export const LOAD_DEFAULTS = {
  includePrompts: false,
  maxEvents: 20_000,
  maxRecords: 50,
  maxSamples: 8,
  now: Date.now,
} as const;

const PAGE = 500;

/**
 * Lets the event loop run between pages: the SQLite driver is synchronous, so without this a
 * report over many events would hold the gateway's loop for the whole read.
 */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Finds the subject in the findings; campaigns first for `auto`. */
export function findSubject(findings: Findings, target: ReportTarget): EvidenceSubject | null {
  if (target.kind !== 'account') {
    const campaign = findings.campaigns.find((c) => c.id === target.id);
    if (campaign) {
      const keys = new Set(campaign.keys);
      return { kind: 'campaign', campaign, members: findings.accounts.filter((a) => keys.has(a.key)) };
    }
  }
  if (target.kind !== 'campaign') {
    const account = findings.accounts.find((a) => a.key === target.id);
    if (account) {
      const campaign = account.campaign
        ? (findings.campaigns.find((c) => c.id === account.campaign) ?? null)
        : null;
      return { kind: 'account', account, campaign };
    }
  }
  return null;
}

async function keyFacts(store: Store, keys: readonly string[]): Promise<KeyFacts[]> {
  const usage = await Promise.all(keys.map((k) => store.events.usage(k)));
  return usage.flatMap((u) =>
    u
      ? [
          {
            key: u.keyId,
            org: u.orgId,
            requests: u.requests,
            inputTokens: u.promptTokens,
            outputTokens: u.completionTokens,
            errors: u.errors,
            limited: u.limited,
            firstTs: u.firstTs,
            lastTs: u.lastTs,
          },
        ]
      : [],
  );
}

/** The newest `budget` events of one key, page by page. */
async function newestEvents(store: Store, keyId: string, budget: number): Promise<RequestEvent[]> {
  const out: RequestEvent[] = [];
  let cursor: string | null = null;
  while (out.length < budget) {
    const page = await store.events.query({
      keyId,
      limit: Math.min(PAGE, budget - out.length),
      cursor,
      order: 'desc',
    });
    out.push(...page.events);
    await yieldToLoop();
    cursor = page.nextCursor;
    if (!cursor || page.events.length === 0) break;
  }
  return out;
}

/** Splits the read budget over the keys in proportion to their stored events (at least one page each). */
async function readEvents(
  store: Store,
  facts: readonly KeyFacts[],
  maxEvents: number,
): Promise<RequestEvent[]> {
  const total = facts.reduce((s, f) => s + f.requests, 0);
  if (total === 0) return [];
  const budgets = facts.map((f) =>
    total <= maxEvents ? f.requests : Math.max(1, Math.floor((maxEvents * f.requests) / total)),
  );
  // One key after the other: parallel reads would decode every key's first page in one turn of the loop.
  const out: RequestEvent[] = [];
  for (const [i, f] of facts.entries()) out.push(...(await newestEvents(store, f.key, budgets[i]!)));
  return out;
}

async function records(store: Store, subjects: DecisionSubject[], max: number) {
  const [decisions, audit] = await Promise.all([
    Promise.all(subjects.map((subject) => store.decisions.list({ subject, limit: max }))),
    Promise.all(subjects.map((subject) => store.audit.listBySubject(subject, max))),
  ]);
  const byTime = <T>(xs: T[][], ts: (x: T) => number) => xs.flat().sort((a, b) => ts(b) - ts(a));
  return {
    decisions: byTime<Decision>(decisions, (d) => d.createdAt),
    audit: byTime<AuditEntry>(audit, (e) => e.ts),
  };
}

export async function loadEvidence(
  store: Store,
  target: ReportTarget,
  options: LoadEvidenceOptions = {},
): Promise<EvidenceInput> {
  const o = { ...LOAD_DEFAULTS, ...options };
  const findings = options.findings ?? (await store.findings.latest());
  if (!findings)
    throw new ReportError('no_findings', 'no findings yet: run analyze or let detection run first');
  const subject = findSubject(findings, target);
  if (!subject) {
    const what = target.kind === 'auto' ? 'campaign or key' : target.kind === 'account' ? 'key' : 'campaign';
    throw new ReportError(
      'not_found',
      `${what} ${target.id} not found in the findings of ${findings.generated_at}`,
    );
  }
  const keys = subject.kind === 'campaign' ? subject.campaign.keys : [subject.account.key];
  const facts = await keyFacts(store, keys);
  const events = await readEvents(store, facts, o.maxEvents);
  const summary = summarizeEvents(events, { includePrompts: o.includePrompts, maxSamples: o.maxSamples });
  const subjects: DecisionSubject[] = keys.map((id) => ({ scope: 'key', id }));
  if (subject.kind === 'account') subjects.push({ scope: 'org', id: subject.account.org });
  const { decisions, audit } = await records(store, subjects, o.maxRecords);
  return {
    subject,
    findingsGeneratedAt: findings.generated_at,
    findingsSource:
      options.findingsSource ?? (options.findings ? 'live findings' : 'store (latest snapshot)'),
    engine: findings.engine ?? null,
    keys: facts,
    activity: summary.activity,
    traffic: summary.traffic,
    samples: summary.samples,
    promptsStored: summary.promptsStored,
    coverage: {
      stored: facts.reduce((s, f) => s + f.requests, 0),
      scanned: events.length,
      firstScannedTs: summary.firstTs,
      lastScannedTs: summary.lastTs,
      maxEvents: o.maxEvents,
    },
    decisions: decisions.slice(0, o.maxRecords * 4),
    audit: audit.slice(0, o.maxRecords * 4),
    createdAt: new Date(o.now()).toISOString(),
  };
}
