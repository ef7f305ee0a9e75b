/**
 * @module store/repos/decisions
 * Decisions (append-only; the latest per subject is the one in force) and the audit log.
 */
import type { Kysely, Selectable } from 'kysely';
import type { AuditEntry } from '../../policy/audit.js';
import type { Action, Decision, DecisionSubject } from '../../policy/types.js';
import type { AuditLogTable, Database, DecisionsTable } from '../schema.js';
import type { AuditRepo, DecisionsRepo } from '../types.js';
import { fromJson, num, numOrNull, toJson } from './json.js';

const decisionOf = (r: Selectable<DecisionsTable>): Decision => {
  const d: Decision = {
    id: r.id,
    subject: { scope: r.scope as DecisionSubject['scope'], id: r.subject_id },
    action: r.action as Action,
    source: r.source,
    reasons: fromJson<string[]>(r.reasons, []),
    shadow: num(r.shadow) === 1,
    createdAt: num(r.created_at),
    expiresAt: numOrNull(r.expires_at),
    campaign: r.campaign,
  };
  if (r.throttle_factor !== null) d.throttleFactor = Number(r.throttle_factor);
  return d;
};

const auditOf = (r: Selectable<AuditLogTable>): AuditEntry => {
  const e: AuditEntry = {
    id: r.id,
    ts: num(r.ts),
    actor: r.actor,
    subject: { scope: r.subject_scope as DecisionSubject['scope'], id: r.subject_id },
    action: r.action,
    previousAction: r.previous_action,
    reason: r.reason,
  };
  if (r.data !== null) e.data = fromJson<unknown>(r.data, null);
  return e;
};

export class SqlDecisionsRepo implements DecisionsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(d: Decision): Promise<void> {
    await this.db
      .insertInto('decisions')
      .values({
        id: d.id,
        scope: d.subject.scope,
        subject_id: d.subject.id,
        action: d.action,
        throttle_factor: d.throttleFactor ?? null,
        source: d.source,
        reasons: toJson(d.reasons),
        shadow: d.shadow ? 1 : 0,
        created_at: d.createdAt,
        expires_at: d.expiresAt ?? null,
        campaign: d.campaign ?? null,
      })
      .execute();
  }

  async list(
    filter: { subject?: DecisionSubject; limit?: number; before?: number } = {},
  ): Promise<Decision[]> {
    let q = this.db.selectFrom('decisions').selectAll();
    if (filter.subject)
      q = q.where('scope', '=', filter.subject.scope).where('subject_id', '=', filter.subject.id);
    if (filter.before !== undefined) q = q.where('created_at', '<', filter.before);
    const rows = await q
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit ?? 100)
      .execute();
    return rows.map(decisionOf);
  }

  async active(now: number): Promise<Decision[]> {
    const rows = await this.db
      .selectFrom('decisions')
      .selectAll()
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(decisionOf);
  }
}

export class SqlAuditRepo implements AuditRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async append(e: AuditEntry): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        id: e.id,
        ts: e.ts,
        actor: e.actor,
        subject_scope: e.subject.scope,
        subject_id: e.subject.id,
        action: e.action,
        previous_action: e.previousAction,
        reason: e.reason,
        data: e.data === undefined ? null : toJson(e.data),
      })
      .execute();
  }

  async listBySubject(subject: DecisionSubject, limit: number): Promise<AuditEntry[]> {
    const rows = await this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('subject_scope', '=', subject.scope)
      .where('subject_id', '=', subject.id)
      .orderBy('ts', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(auditOf);
  }

  async list(limit: number): Promise<AuditEntry[]> {
    const rows = await this.db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('ts', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(auditOf);
  }
}
