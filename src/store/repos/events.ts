/**
 * @module store/repos/events
 * The request log: batched idempotent inserts (by event id), keyset-paged queries and the
 * per-key running totals (`key_usage`) kept in the same transaction as the events.
 */
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { RequestEvent } from '../../events/types.js';
import type { Database, EventsTable, KeyUsageTable } from '../schema.js';
import type { EventPage, EventQuery, EventsRepo, KeyUsage } from '../types.js';
import { fromJson, num } from './json.js';

/** Rows per INSERT statement (16 parameters each; stays far below SQLite's variable limit). */
const ROWS_PER_STATEMENT = 200;

export function rowOf(e: RequestEvent): EventsTable {
  return {
    id: e.id,
    ts: e.ts,
    key_id: e.keyId,
    account_id: e.accountId,
    org_id: e.orgId,
    endpoint: e.endpoint,
    model: e.model,
    status: e.status,
    error_code: e.errorCode,
    limited_by: e.limitedBy,
    prompt_tokens: e.usage.promptTokens,
    completion_tokens: e.usage.completionTokens,
    estimated: e.usage.estimated ? 1 : 0,
    latency_ms: Math.round(e.latencyMs),
    ip: e.ip,
    data: storedData(e),
  };
}

/**
 * The `data` column: the event's JSON WITHOUT the fields its own columns hold exactly (`id`,
 * `ts`, `keyId`, `accountId`, `orgId`, `endpoint`, `model`, `status`, `errorCode`, `limitedBy`,
 * `ip`), and with the MinHash signature as base64 of its little-endian uint32 values instead of
 * a JSON array of numbers. That is about a third less text per row to serialize and to write.
 * `eventOfRow` puts the event back together. Rows written before this (the whole event in
 * `data`, recognisable by its `id`) are read as they are. An event that lacks one of the column
 * fields (not a well-formed RequestEvent) is stored whole, the old way.
 */
export function storedData(e: RequestEvent): string {
  if (
    e.id === undefined ||
    e.ts === undefined ||
    e.keyId === undefined ||
    e.accountId === undefined ||
    e.orgId === undefined ||
    e.endpoint === undefined ||
    e.model === undefined ||
    e.status === undefined ||
    e.errorCode === undefined ||
    e.limitedBy === undefined ||
    e.ip === undefined
  )
    return JSON.stringify(e);
  const minhash = packMinhash(e.prompt.minhash);
  const rest: StoredData = {
    v: e.v,
    userAgent: e.userAgent,
    sdk: e.sdk,
    fingerprint: e.fingerprint,
    params: e.params,
    prompt: minhash === null ? e.prompt : { ...e.prompt, minhash },
    output: e.output,
    usage: e.usage,
    latencyMs: e.latencyMs,
    ttftMs: e.ttftMs,
    upstream: e.upstream,
  };
  if (e.meta !== undefined) rest.meta = e.meta;
  return JSON.stringify(rest);
}

/** What `storedData` keeps: the event less its column fields, the signature maybe packed. */
type StoredData = Omit<
  RequestEvent,
  | 'id'
  | 'ts'
  | 'keyId'
  | 'accountId'
  | 'orgId'
  | 'endpoint'
  | 'model'
  | 'status'
  | 'errorCode'
  | 'limitedBy'
  | 'ip'
  | 'prompt'
> & { prompt: Omit<RequestEvent['prompt'], 'minhash'> & { minhash: number[] | string } };

/** The columns `eventOfRow` reads. */
export type StoredRow = Pick<
  Selectable<EventsTable>,
  | 'id'
  | 'ts'
  | 'key_id'
  | 'account_id'
  | 'org_id'
  | 'endpoint'
  | 'model'
  | 'status'
  | 'error_code'
  | 'limited_by'
  | 'ip'
  | 'data'
>;

export const STORED_COLUMNS = [
  'id',
  'ts',
  'key_id',
  'account_id',
  'org_id',
  'endpoint',
  'model',
  'status',
  'error_code',
  'limited_by',
  'ip',
  'data',
] as const;

/** The RequestEvent of a stored row (either `data` form), or null when `data` does not parse. */
export function eventOfRow(row: StoredRow): RequestEvent | null {
  const d = fromJson<Record<string, unknown> | null>(row.data, null);
  if (d === null || typeof d !== 'object') return null;
  if (typeof d.id === 'string') return d as unknown as RequestEvent; // the whole event (older rows)
  const data = d as unknown as StoredData;
  const prompt = data.prompt;
  if (prompt !== null && typeof prompt === 'object' && typeof prompt.minhash === 'string')
    prompt.minhash = unpackMinhash(prompt.minhash);
  const e: Record<string, unknown> = {
    v: data.v,
    id: row.id,
    ts: num(row.ts),
    keyId: row.key_id,
    accountId: row.account_id,
    orgId: row.org_id,
    ip: row.ip,
    userAgent: data.userAgent,
    sdk: data.sdk,
    fingerprint: data.fingerprint,
    endpoint: row.endpoint,
    model: row.model,
    params: data.params,
    prompt,
    output: data.output,
    usage: data.usage,
    status: num(row.status),
    errorCode: row.error_code,
    latencyMs: data.latencyMs,
    ttftMs: data.ttftMs,
    upstream: data.upstream,
    limitedBy: row.limited_by,
  };
  for (const k in d) if (!(k in e)) e[k] = d[k];
  return e as unknown as RequestEvent;
}

/** A MinHash signature as base64 of little-endian uint32s; null when it is not all uint32s. */
function packMinhash(sig: readonly number[]): string | null {
  if (!Array.isArray(sig) || sig.length === 0) return null;
  const buf = Buffer.allocUnsafe(sig.length * 4);
  for (let i = 0; i < sig.length; i++) {
    const v = sig[i]!;
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) return null;
    buf.writeUInt32LE(v, i * 4);
  }
  return buf.toString('base64');
}

function unpackMinhash(text: string): number[] {
  const buf = Buffer.from(text, 'base64');
  const sig = new Array<number>(buf.length >>> 2);
  for (let i = 0; i < sig.length; i++) sig[i] = buf.readUInt32LE(i * 4);
  return sig;
}

const usageOf = (r: Selectable<KeyUsageTable>): KeyUsage => ({
  keyId: r.key_id,
  orgId: r.org_id,
  requests: num(r.requests),
  promptTokens: num(r.prompt_tokens),
  completionTokens: num(r.completion_tokens),
  errors: num(r.errors),
  limited: num(r.limited),
  firstTs: num(r.first_ts),
  lastTs: num(r.last_ts),
});

/** Sums events per key into `key_usage` rows to add. */
export function usageDeltas(events: readonly RequestEvent[], now = Date.now()): KeyUsageTable[] {
  const byKey = new Map<string, KeyUsageTable>();
  for (const e of events) {
    let u = byKey.get(e.keyId);
    if (!u) {
      u = {
        key_id: e.keyId,
        org_id: e.orgId,
        requests: 0,
        prompt_tokens: 0,
        completion_tokens: 0,
        errors: 0,
        limited: 0,
        first_ts: e.ts,
        last_ts: e.ts,
        updated_at: now,
      };
      byKey.set(e.keyId, u);
    }
    u.requests += 1;
    u.prompt_tokens += e.usage.promptTokens;
    u.completion_tokens += e.usage.completionTokens;
    if (e.status >= 400) u.errors += 1;
    if (e.limitedBy !== null) u.limited += 1;
    if (e.ts < u.first_ts) u.first_ts = e.ts;
    if (e.ts > u.last_ts) u.last_ts = e.ts;
  }
  return [...byKey.values()];
}

export function encodeCursor(ts: number, id: string): string {
  return Buffer.from(`${ts}:${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { ts: number; id: string } | null {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const i = text.indexOf(':');
  if (i <= 0) return null;
  const ts = Number(text.slice(0, i));
  return Number.isFinite(ts) ? { ts, id: text.slice(i + 1) } : null;
}

/** The events table's unique key: `id` (SQLite), `(id, ts)` on PostgreSQL's partitioned table. */
export type EventConflictKey = readonly ['id'] | readonly ['id', 'ts'];

export interface SqlEventsOptions {
  /** Conflict target of the idempotent insert (the table's primary key). */
  conflict?: EventConflictKey;
}

export const SQL_EVENTS_DEFAULTS: Required<SqlEventsOptions> = { conflict: ['id'] };

/**
 * Inserts events in chunks, skipping ids already stored, and adds the new ones to `key_usage`,
 * inside the caller's transaction. Returns the events that were new (each id once).
 */
export async function insertEvents(
  trx: Transaction<Database>,
  events: readonly RequestEvent[],
  conflict: EventConflictKey = SQL_EVENTS_DEFAULTS.conflict,
): Promise<RequestEvent[]> {
  const inserted = new Set<string>();
  for (let i = 0; i < events.length; i += ROWS_PER_STATEMENT) {
    const rows = events.slice(i, i + ROWS_PER_STATEMENT).map(rowOf);
    const ids = await trx
      .insertInto('events')
      .values(rows)
      .onConflict((oc) => oc.columns([...conflict]).doNothing())
      .returning('id')
      .execute();
    for (const r of ids) inserted.add(r.id);
  }
  // A batch may repeat an id; count each new event once.
  const fresh: RequestEvent[] = [];
  for (const e of events) if (inserted.delete(e.id)) fresh.push(e);
  await addUsage(trx, usageDeltas(fresh));
  return fresh;
}

export class SqlEventsRepo implements EventsRepo {
  private readonly conflict: EventConflictKey;

  constructor(
    private readonly db: Kysely<Database>,
    opts: SqlEventsOptions = {},
  ) {
    this.conflict = opts.conflict ?? SQL_EVENTS_DEFAULTS.conflict;
  }

  async insertBatch(events: readonly RequestEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    return this.db
      .transaction()
      .execute(async (trx) => (await insertEvents(trx, events, this.conflict)).length);
  }

  async query(q: EventQuery): Promise<EventPage> {
    const order = q.order ?? 'desc';
    const limit = Math.max(1, Math.min(q.limit, 10_000));
    let s = this.db.selectFrom('events').select(STORED_COLUMNS);
    if (q.keyId !== undefined) s = s.where('key_id', '=', q.keyId);
    if (q.orgId !== undefined) s = s.where('org_id', '=', q.orgId);
    if (q.since !== undefined) s = s.where('ts', '>=', q.since);
    if (q.until !== undefined) s = s.where('ts', '<', q.until);
    const after = q.cursor ? decodeCursor(q.cursor) : null;
    if (after) {
      const cmp = order === 'desc' ? '<' : '>';
      s = s.where((eb) =>
        eb.or([eb('ts', cmp, after.ts), eb.and([eb('ts', '=', after.ts), eb('id', cmp, after.id)])]),
      );
    }
    const rows = await s
      .orderBy('ts', order)
      .orderBy('id', order)
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      events: page.map((r) => eventOfRow(r) as RequestEvent),
      nextCursor: rows.length > limit && last ? encodeCursor(num(last.ts), last.id) : null,
    };
  }

  async count(filter: Pick<EventQuery, 'keyId' | 'orgId' | 'since' | 'until'> = {}): Promise<number> {
    let s = this.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n'));
    if (filter.keyId !== undefined) s = s.where('key_id', '=', filter.keyId);
    if (filter.orgId !== undefined) s = s.where('org_id', '=', filter.orgId);
    if (filter.since !== undefined) s = s.where('ts', '>=', filter.since);
    if (filter.until !== undefined) s = s.where('ts', '<', filter.until);
    return num((await s.executeTakeFirst())?.n);
  }

  async usage(keyId: string): Promise<KeyUsage | null> {
    const r = await this.db
      .selectFrom('key_usage')
      .selectAll()
      .where('key_id', '=', keyId)
      .executeTakeFirst();
    return r ? usageOf(r) : null;
  }

  async usageAll(filter: { orgId?: string; updatedSince?: number } = {}): Promise<KeyUsage[]> {
    let s = this.db.selectFrom('key_usage').selectAll();
    if (filter.orgId !== undefined) s = s.where('org_id', '=', filter.orgId);
    if (filter.updatedSince !== undefined) s = s.where('updated_at', '>=', filter.updatedSince);
    return (await s.execute()).map(usageOf);
  }
}

/** Adds per-key deltas to `key_usage` (portable upsert: SQLite and PostgreSQL). */
export async function addUsage(trx: Transaction<Database>, deltas: KeyUsageTable[]): Promise<void> {
  for (let i = 0; i < deltas.length; i += ROWS_PER_STATEMENT) {
    await trx
      .insertInto('key_usage')
      .values(deltas.slice(i, i + ROWS_PER_STATEMENT))
      .onConflict((oc) =>
        oc.column('key_id').doUpdateSet({
          requests: sql`key_usage.requests + excluded.requests`,
          prompt_tokens: sql`key_usage.prompt_tokens + excluded.prompt_tokens`,
          completion_tokens: sql`key_usage.completion_tokens + excluded.completion_tokens`,
          errors: sql`key_usage.errors + excluded.errors`,
          limited: sql`key_usage.limited + excluded.limited`,
          first_ts: sql`CASE WHEN excluded.first_ts < key_usage.first_ts THEN excluded.first_ts ELSE key_usage.first_ts END`,
          last_ts: sql`CASE WHEN excluded.last_ts > key_usage.last_ts THEN excluded.last_ts ELSE key_usage.last_ts END`,
          updated_at: sql`excluded.updated_at`,
        }),
      )
      .execute();
  }
}
