/**
 * The SQLite store: the shared store contract (contract.ts), then what only SQLite does — URL
 * parsing, migrations into WAL mode, data kept across reopen — and openStore's routing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store, StoreError, sqlitePath } from '../../src/store/index.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { storeContract } from './contract.js';
import { makeEvent, tempDir } from './helpers.js';

storeContract('sqlite', () => openSqlite(join(tempDir(), 'contract.sqlite')));

let store: Store;
let file: string;

beforeAll(async () => {
  file = join(tempDir(), 'nested', 'dg.sqlite');
  store = await openStore(`sqlite:${file}`);
});
afterAll(async () => {
  await store.close();
});

describe('openStore', () => {
  it('parses sqlite URLs', () => {
    expect(sqlitePath('sqlite:./.data/x.sqlite')).toBe('./.data/x.sqlite');
    expect(sqlitePath('sqlite::memory:')).toBe(':memory:');
    expect(sqlitePath('/tmp/a.db')).toBe('/tmp/a.db');
    expect(sqlitePath('postgres://u@h/db')).toBeNull();
    expect(sqlitePath('discard:')).toBeNull();
  });

  it('runs migrations into WAL mode and is idempotent on reopen', async () => {
    const raw = new BetterSqlite3(file, { readonly: true });
    const tables = raw
      .prepare("select name from sqlite_master where type='table' order by name")
      .all()
      .map((r) => (r as { name: string }).name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'orgs',
        'accounts',
        'api_keys',
        'events',
        'key_usage',
        'decisions',
        'audit_log',
        'findings',
        'checkpoints',
      ]),
    );
    const indexes = raw
      .prepare("select name from sqlite_master where type='index' and tbl_name='events'")
      .all()
      .map((r) => (r as { name: string }).name);
    expect(indexes).toEqual(expect.arrayContaining(['events_key_ts', 'events_org_ts', 'events_ts']));
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    const again = await openStore(`sqlite:${file}`);
    await again.ping();
    await again.close();
  });

  it('refuses unknown URLs with a stable code', async () => {
    await expect(openStore('mysql://x')).rejects.toBeInstanceOf(StoreError);
    await expect(openStore('mysql://x')).rejects.toMatchObject({ code: 'unsupported_url' });
  });

  it('routes postgres:// URLs to the PostgreSQL store (a refused connection, not unsupported_url)', async () => {
    const err = await openStore('postgres://nobody@127.0.0.1:1/none').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as { code?: unknown }).code).not.toBe('unsupported_url');
  });

  it('opens a discard store that accepts events and keeps none', async () => {
    const d = await openStore('discard:');
    const e = makeEvent({ key: 'key_discard' });
    expect(await d.events.insertBatch([e, e])).toBe(1);
    expect(await d.events.count()).toBe(0);
    await expect(d.tenancy.listOrgs()).rejects.toMatchObject({ code: 'unavailable' });
    await d.close();
  });
});

describe('durability', () => {
  it('keeps data after reopen', async () => {
    const e = makeEvent({ key: 'key_reopen' });
    await store.events.insertBatch([e]);
    const other = await openStore(`sqlite:${file}`);
    expect(await other.events.count({ keyId: 'key_reopen' })).toBe(1);
    await other.close();
    expect(readFileSync(file).length).toBeGreaterThan(0);
  });
});

describe('event rows', () => {
  it('keeps in `data` only what the columns do not hold, with the MinHash signature packed', async () => {
    const e = makeEvent({ key: 'key_compact' });
    expect(e.prompt.minhash.length).toBeGreaterThan(0);
    await store.events.insertBatch([e]);
    const raw = new BetterSqlite3(file, { readonly: true });
    const row = raw.prepare('select data from events where id = ?').get(e.id) as { data: string };
    raw.close();
    const data = JSON.parse(row.data) as Record<string, unknown> & { prompt: { minhash: unknown } };
    for (const field of ['id', 'ts', 'keyId', 'accountId', 'orgId', 'endpoint', 'model', 'status', 'ip'])
      expect(data).not.toHaveProperty(field);
    expect(typeof data.prompt.minhash).toBe('string');
    expect(row.data.length).toBeLessThan(JSON.stringify(e).length);
    const page = await store.events.query({ keyId: 'key_compact', limit: 10 });
    expect(page.events).toEqual([e]);
  });

  it('reads rows written with the whole event in `data` (before the compact form)', async () => {
    const e = makeEvent({ key: 'key_legacy' });
    const raw = new BetterSqlite3(file);
    raw
      .prepare(
        `insert into events (id, ts, key_id, account_id, org_id, endpoint, model, status, error_code, limited_by,
         prompt_tokens, completion_tokens, estimated, latency_ms, ip, data) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
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
        0,
        12,
        e.ip,
        JSON.stringify(e),
      );
    raw.close();
    const page = await store.events.query({ keyId: 'key_legacy', limit: 10 });
    expect(page.events).toEqual([e]);
  });
});
