/**
 * @module policy/audit
 * The audit trail: who did what to which key or org, why, when, and what was in force before.
 * Entries are append-only; `AuditTrail` builds them and hands them to the store.
 */

import { sortableId } from '../store/ids.js';
import type { AuditRepo } from '../store/types.js';
import type { Action, DecisionSubject } from './types.js';

export interface AuditEntry {
  id: string;
  /** Epoch milliseconds. */
  ts: number;
  /** `engine`, `admin:<who>`, `cli`, … */
  actor: string;
  subject: DecisionSubject;
  /** What was done: a decision action (`block`, `allow`, …) or a tenancy change (`key.revoke`, `key.limits`, …). */
  action: Action | string;
  /** The action in force before, when the entry records a decision. */
  previousAction: string | null;
  reason: string;
  /** Extra detail (the decision recorded, the patch applied), JSON-serializable. */
  data?: unknown;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'ts'> & { ts?: number };

export class AuditTrail {
  constructor(
    private readonly repo: AuditRepo,
    private readonly now: () => number = Date.now,
  ) {}

  async append(entry: NewAuditEntry): Promise<AuditEntry> {
    const ts = entry.ts ?? this.now();
    const full: AuditEntry = { ...entry, id: sortableId('aud', ts), ts };
    await this.repo.append(full);
    return full;
  }

  list(subject: DecisionSubject, limit = 100): Promise<AuditEntry[]> {
    return this.repo.listBySubject(subject, limit);
  }
}
