/**
 * @module store/schema
 * Kysely table types. Portable across SQLite and PostgreSQL: ids are text, times are epoch
 * milliseconds in `bigint` columns, booleans are 0/1 integers, JSON is text.
 */

export interface OrgsTable {
  id: string;
  name: string;
  /** LimitRule as JSON. */
  limits: string;
  /** Record<string,string> as JSON. */
  meta: string;
  created_at: number;
}

export interface AccountsTable {
  id: string;
  org_id: string;
  name: string;
  meta: string;
  created_at: number;
}

export interface ApiKeysTable {
  id: string;
  org_id: string;
  account_id: string;
  prefix: string;
  /** SHA-256 hex of the secret (unique). The secret itself is never stored. */
  hash: string;
  labels: string;
  limits: string;
  created_at: number;
  revoked_at: number | null;
  /** Wall-clock ms of the last write (incremental reads by the admin accounts table). */
  updated_at: number;
}

export interface EventsTable {
  id: string;
  ts: number;
  key_id: string;
  account_id: string;
  org_id: string;
  endpoint: string;
  model: string | null;
  status: number;
  error_code: string | null;
  limited_by: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  estimated: number;
  latency_ms: number;
  ip: string | null;
  /** The full RequestEvent as JSON. */
  data: string;
}

/** Running totals per key, updated in the same transaction as the events they count. */
export interface KeyUsageTable {
  key_id: string;
  org_id: string;
  requests: number;
  prompt_tokens: number;
  completion_tokens: number;
  errors: number;
  limited: number;
  first_ts: number;
  last_ts: number;
  /** Wall-clock ms of the last write. */
  updated_at: number;
}

export interface DecisionsTable {
  id: string;
  scope: string;
  subject_id: string;
  action: string;
  throttle_factor: number | null;
  source: string;
  reasons: string;
  shadow: number;
  created_at: number;
  expires_at: number | null;
  campaign: string | null;
}

export interface AuditLogTable {
  id: string;
  ts: number;
  actor: string;
  subject_scope: string;
  subject_id: string;
  action: string;
  previous_action: string | null;
  reason: string;
  /** Extra JSON (the decision, the patch applied, …), or null. */
  data: string | null;
}

export interface FindingsTable {
  id: string;
  generated_at: number;
  data: string;
}

/** One worker's saved state (cluster mode): engine checkpoint + stream positions, as JSON. */
export interface CheckpointsTable {
  id: string;
  data: string;
  updated_at: number;
}

export interface Database {
  orgs: OrgsTable;
  accounts: AccountsTable;
  api_keys: ApiKeysTable;
  events: EventsTable;
  key_usage: KeyUsageTable;
  decisions: DecisionsTable;
  audit_log: AuditLogTable;
  findings: FindingsTable;
  checkpoints: CheckpointsTable;
}
