import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Findings } from '../../src/report/findings.js';
import { openStore, type Store, StoreError, sqlitePath } from '../../src/store/index.js';
import { makeEvent, tempDir } from './helpers.js';

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
});

describe('events repository', () => {
  it('inserts a batch once, skipping ids already stored, and keeps per-key totals', async () => {
    const a = makeEvent({ key: 'key_tot', ts: 1000 });
    const b = makeEvent({ key: 'key_tot', ts: 3000, status: 500 });
    const c = makeEvent({ key: 'key_tot', ts: 2000 });
    expect(await store.events.insertBatch([a, b])).toBe(2);
    expect(await store.events.insertBatch([a, c, c])).toBe(1);
    expect(await store.events.count({ keyId: 'key_tot' })).toBe(3);
    expect(await store.events.usage('key_tot')).toEqual({
      keyId: 'key_tot',
      orgId: 'org_a',
      requests: 3,
      promptTokens: 30,
      completionTokens: 60,
      errors: 1,
      limited: 0,
      firstTs: 1000,
      lastTs: 3000,
    });
    expect((await store.events.usageAll()).some((u) => u.keyId === 'key_tot')).toBe(true);
  });

  it('round-trips the full RequestEvent', async () => {
    const e = makeEvent({ key: 'key_rt' });
    await store.events.insertBatch([e]);
    const page = await store.events.query({ keyId: 'key_rt', limit: 10 });
    expect(page.events).toEqual([e]);
    expect(page.nextCursor).toBeNull();
  });

  it('pages by cursor in both orders without gaps or repeats, with equal timestamps', async () => {
    const events = Array.from({ length: 25 }, (_, i) =>
      makeEvent({ key: 'key_page', ts: 5000 + Math.floor(i / 3) }),
    );
    await store.events.insertBatch(events);
    for (const order of ['asc', 'desc'] as const) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await store.events.query({ keyId: 'key_page', limit: 7, cursor, order });
        seen.push(...page.events.map((e) => e.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(25);
      const ts = seen.map((id) => events.find((e) => e.id === id)!.ts);
      const sorted = [...ts].sort((x, y) => (order === 'asc' ? x - y : y - x));
      expect(ts).toEqual(sorted);
    }
    const window = await store.events.query({ keyId: 'key_page', since: 5002, until: 5004, limit: 100 });
    expect(window.events.every((e) => e.ts >= 5002 && e.ts < 5004)).toBe(true);
    expect(window.events).toHaveLength(6);
    expect(await store.events.count({ keyId: 'key_page', since: 5002, until: 5004 })).toBe(6);
  });

  it('filters by org', async () => {
    await store.events.insertBatch([makeEvent({ key: 'key_o1', org: 'org_filter' })]);
    const page = await store.events.query({ orgId: 'org_filter', limit: 10 });
    expect(page.events.map((e) => e.keyId)).toEqual(['key_o1']);
    expect((await store.events.usageAll({ orgId: 'org_filter' })).map((u) => u.keyId)).toEqual(['key_o1']);
  });
});

describe('decisions, audit and findings repositories', () => {
  it('lists decisions newest first and returns only unexpired ones as active', async () => {
    const base = {
      subject: { scope: 'key' as const, id: 'key_d' },
      source: 'engine',
      reasons: ['r'],
      shadow: false,
    };
    await store.decisions.insert({ ...base, id: 'd1', action: 'flag', createdAt: 10, expiresAt: null });
    await store.decisions.insert({
      ...base,
      id: 'd2',
      action: 'throttle',
      throttleFactor: 0.5,
      createdAt: 20,
      expiresAt: 25,
    });
    const list = await store.decisions.list({ subject: base.subject });
    expect(list.map((d) => d.id)).toEqual(['d2', 'd1']);
    expect(list[0]).toMatchObject({ throttleFactor: 0.5, expiresAt: 25, shadow: false, reasons: ['r'] });
    expect(
      (await store.decisions.active(30)).filter((d) => d.subject.id === 'key_d').map((d) => d.id),
    ).toEqual(['d1']);
  });

  it('appends audit entries and lists them by subject', async () => {
    const subject = { scope: 'org' as const, id: 'org_audit' };
    await store.audit.append({
      id: 'a1',
      ts: 1,
      actor: 'admin:ops',
      subject,
      action: 'block',
      previousAction: null,
      reason: 'x',
    });
    await store.audit.append({
      id: 'a2',
      ts: 2,
      actor: 'admin:ops',
      subject,
      action: 'allow',
      previousAction: 'block',
      reason: 'undo',
      data: { k: 1 },
    });
    const list = await store.audit.listBySubject(subject, 10);
    expect(list.map((e) => e.id)).toEqual(['a2', 'a1']);
    expect(list[0]).toMatchObject({ previousAction: 'block', data: { k: 1 } });
  });

  it('saves findings snapshots and loads the latest', async () => {
    expect(await store.findings.latest()).toBeNull();
    const f = (at: string): Findings => ({
      version: 1,
      generated_at: at,
      input: { lines: 1, bad_lines: 0 },
      accounts: [],
      campaigns: [],
    });
    for (let i = 0; i < 12; i++) await store.findings.save(f(new Date(1_700_000_000_000 + i).toISOString()));
    expect((await store.findings.latest())?.generated_at).toBe(new Date(1_700_000_000_011).toISOString());
  });
});

describe('durability', () => {
  it('stores secrets only as hashes (file check happens in tenancy tests) and keeps data after reopen', async () => {
    const e = makeEvent({ key: 'key_reopen' });
    await store.events.insertBatch([e]);
    const other = await openStore(`sqlite:${file}`);
    expect(await other.events.count({ keyId: 'key_reopen' })).toBe(1);
    await other.close();
    expect(readFileSync(file).length).toBeGreaterThan(0);
  });
});
