/**
 * @module store/repos/sqlite-events
 * SQLite fast path for the hot write: `insertBatch` through two cached prepared better-sqlite3
 * statements in one transaction (the Kysely query builder costs more than the write itself
 * at 500 rows a batch). Parameters are bound by position, which better-sqlite3 binds faster
 * than named ones. Same semantics as the portable `SqlEventsRepo`: idempotent by event id,
 * `key_usage` totals updated in the same transaction. Reads stay on Kysely.
 * The `data` column holds what the columns do not (`storedData`, shared with the portable repo).
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { RequestEvent } from '../../events/types.js';
import type { Database } from '../schema.js';
import { SqlEventsRepo, storedData, usageDeltas } from './events.js';

const INSERT_EVENT = `INSERT INTO events (id, ts, key_id, account_id, org_id, endpoint, model, status, error_code,
  limited_by, prompt_tokens, completion_tokens, estimated, latency_ms, ip, data)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT(id) DO NOTHING`;

const UPSERT_USAGE = `INSERT INTO key_usage (key_id, org_id, requests, prompt_tokens, completion_tokens, errors,
  limited, first_ts, last_ts, updated_at)
  VALUES (@key_id, @org_id, @requests, @prompt_tokens, @completion_tokens, @errors, @limited, @first_ts, @last_ts, @updated_at)
  ON CONFLICT(key_id) DO UPDATE SET
    requests = key_usage.requests + excluded.requests,
    prompt_tokens = key_usage.prompt_tokens + excluded.prompt_tokens,
    completion_tokens = key_usage.completion_tokens + excluded.completion_tokens,
    errors = key_usage.errors + excluded.errors,
    limited = key_usage.limited + excluded.limited,
    first_ts = CASE WHEN excluded.first_ts < key_usage.first_ts THEN excluded.first_ts ELSE key_usage.first_ts END,
    last_ts = CASE WHEN excluded.last_ts > key_usage.last_ts THEN excluded.last_ts ELSE key_usage.last_ts END,
    updated_at = excluded.updated_at`;

export class SqliteEventsRepo extends SqlEventsRepo {
  private readonly write: (events: readonly RequestEvent[]) => number;

  constructor(db: Kysely<Database>, handle: BetterSqlite3.Database) {
    super(db);
    const insertEvent = handle.prepare(INSERT_EVENT);
    const upsertUsage = handle.prepare(UPSERT_USAGE);
    this.write = handle.transaction((events: readonly RequestEvent[]) => {
      const fresh: RequestEvent[] = [];
      for (const e of events) {
        const changes = insertEvent.run(
          e.id,
          e.ts,
          e.keyId,
          e.accountId,
          e.orgId,
          e.endpoint,
          e.model,
          e.status,
          e.errorCode,
          e.limitedBy,
          e.usage.promptTokens,
          e.usage.completionTokens,
          e.usage.estimated ? 1 : 0,
          Math.round(e.latencyMs),
          e.ip,
          storedData(e),
        ).changes;
        if (changes === 1) fresh.push(e);
      }
      for (const u of usageDeltas(fresh)) upsertUsage.run(u);
      return fresh.length;
    });
  }

  override async insertBatch(events: readonly RequestEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    return this.write(events);
  }
}
