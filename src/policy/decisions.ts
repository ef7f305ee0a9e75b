/**
 * @module policy/decisions
 * `DecisionCache`: the decisions in force, in memory, for the gateway's per-request check.
 * Loaded from the store at start; `record` persists a decision, writes the audit trail,
 * updates the cache at once and announces it on a `Topic<Decision>` (admin SSE; other
 * replicas in cluster mode, which call `apply`).
 *
 * Resolution (`effective`), documented in docs/admin-api.md:
 * 1. Per subject, only decisions not expired at `now` count.
 * 2. An `allow` from a person (source other than `engine`) is sticky: it stands until a person
 *    records something else; later engine decisions do not replace it.
 * 3. Otherwise the latest enforced decision wins; a shadow decision is returned (marked
 *    `shadow: true`, not enforced by the gateway) only when nothing enforced is in force.
 * 4. The key's decision wins over its org's, except that an org-level `allow` from a person
 *    overrides engine decisions on its keys, and an enforced org decision wins over a shadow
 *    key decision.
 * Undo is recording `observe` (or `allow`) with a reason.
 */
import { Topic } from '../events/bus.js';
import { sortableId } from '../store/ids.js';
import type { AuditRepo, DecisionsRepo } from '../store/types.js';
import { AuditTrail } from './audit.js';
import type { Action, Decision, DecisionLookup, DecisionSubject } from './types.js';
import type { PolicyMode } from './verdict.js';

export const ACTIONS: readonly Action[] = ['observe', 'flag', 'throttle', 'verify', 'block', 'allow'];

export interface NewDecision {
  subject: DecisionSubject;
  action: Action;
  /** `engine` or `admin:<who>`. */
  source: string;
  reasons: string[];
  throttleFactor?: number;
  expiresAt?: number | null;
  campaign?: string | null;
  /** Defaults to `true` for engine decisions in shadow mode, else `false`. */
  shadow?: boolean;
}

export interface DecisionCacheOptions {
  /** Policy mode: engine decisions are recorded as shadow unless `enforce`. */
  mode?: PolicyMode;
  now?: () => number;
  /** Where decisions are announced; a fresh topic when absent. */
  topic?: Topic<Decision>;
}

export class DecisionError extends Error {
  override readonly name = 'DecisionError';
  readonly code = 'invalid_decision';
}

const subjectKey = (s: DecisionSubject) => `${s.scope}:${s.id}`;
export const isEngine = (d: Decision) => d.source === 'engine' || d.source.startsWith('engine:');
const isPersonAllow = (d: Decision | null) => d !== null && d.action === 'allow' && !isEngine(d);
const live = (d: Decision, now: number) =>
  d.expiresAt === null || d.expiresAt === undefined || d.expiresAt > now;

export class DecisionCache implements DecisionLookup {
  readonly updates: Topic<Decision>;
  private readonly bySubject = new Map<string, Decision[]>();
  private readonly seen = new Set<string>();
  private readonly audit: AuditTrail;
  private readonly now: () => number;
  private readonly mode: PolicyMode;

  constructor(
    private readonly repo: DecisionsRepo,
    auditRepo: AuditRepo,
    opts: DecisionCacheOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.mode = opts.mode ?? 'shadow';
    this.updates = opts.topic ?? new Topic<Decision>('decisions');
    this.audit = new AuditTrail(auditRepo, this.now);
  }

  /** Loads the decisions in force from the store (call once at start; safe to call again). */
  async load(): Promise<this> {
    for (const d of await this.repo.active(this.now())) this.apply(d);
    return this;
  }

  /** Persists, audits, caches and announces a decision. `actor` defaults to the decision's source. */
  async record(input: NewDecision, actor?: string): Promise<Decision> {
    validate(input);
    const now = this.now();
    const previous = this.current(input.subject, now);
    const decision: Decision = {
      id: sortableId('dec', now),
      subject: { ...input.subject },
      action: input.action,
      source: input.source,
      reasons: [...input.reasons],
      shadow: input.shadow ?? (input.source === 'engine' && this.mode === 'shadow'),
      createdAt: now,
      expiresAt: input.expiresAt ?? null,
      campaign: input.campaign ?? null,
    };
    if (input.throttleFactor !== undefined) decision.throttleFactor = input.throttleFactor;
    await this.repo.insert(decision);
    await this.audit.append({
      actor: actor ?? input.source,
      subject: decision.subject,
      action: decision.action,
      previousAction: previous?.action ?? null,
      reason: decision.reasons.join('; ') || decision.action,
      data: decision,
      ts: now,
    });
    this.apply(decision);
    this.updates.publish(decision);
    return decision;
  }

  /** Adds a decision made elsewhere (another replica) to the cache; idempotent by id. */
  apply(decision: Decision): void {
    if (this.seen.has(decision.id)) return;
    this.seen.add(decision.id);
    const k = subjectKey(decision.subject);
    const list = [...(this.bySubject.get(k) ?? []), decision].sort(
      (a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1),
    );
    this.bySubject.set(k, list);
  }

  /** The decision in force for one subject alone (rules 1–3). */
  current(subject: DecisionSubject, now: number): Decision | null {
    const list = this.prune(subjectKey(subject), now);
    if (list.length === 0) return null;
    let latestPerson: Decision | null = null;
    let latestEnforced: Decision | null = null;
    for (const d of list) {
      if (!isEngine(d)) latestPerson = d;
      if (!d.shadow) latestEnforced = d;
    }
    if (isPersonAllow(latestPerson)) return latestPerson;
    return latestEnforced ?? list[list.length - 1] ?? null;
  }

  effective(keyId: string, orgId: string, now: number): Decision | null {
    const k = this.current({ scope: 'key', id: keyId }, now);
    const o = this.current({ scope: 'org', id: orgId }, now);
    if (!k) return o;
    if (!o) return k;
    if (isPersonAllow(o) && isEngine(k)) return o;
    if (k.shadow && !o.shadow) return o;
    return k;
  }

  /** Every decision in force at `now`, one per subject. */
  list(now: number = this.now()): Decision[] {
    const out: Decision[] = [];
    for (const k of [...this.bySubject.keys()]) {
      const [scope, ...rest] = k.split(':');
      const d = this.current({ scope: scope as DecisionSubject['scope'], id: rest.join(':') }, now);
      if (d) out.push(d);
    }
    return out.sort((a, b) => b.createdAt - a.createdAt);
  }

  private prune(k: string, now: number): Decision[] {
    const list = this.bySubject.get(k);
    if (!list) return [];
    if (list.every((d) => live(d, now))) return list;
    const kept = list.filter((d) => live(d, now));
    if (kept.length === 0) this.bySubject.delete(k);
    else this.bySubject.set(k, kept);
    return kept;
  }
}

function validate(d: NewDecision): void {
  if (!ACTIONS.includes(d.action)) throw new DecisionError(`unknown action ${String(d.action)}`);
  if (d.subject.id === '') throw new DecisionError('subject id is empty');
  if (d.action === 'throttle') {
    const f = d.throttleFactor;
    if (f === undefined || !(f > 0 && f < 1))
      throw new DecisionError('throttle needs throttle_factor with 0 < factor < 1');
  } else if (d.throttleFactor !== undefined) {
    throw new DecisionError('throttle_factor applies only to throttle');
  }
}
