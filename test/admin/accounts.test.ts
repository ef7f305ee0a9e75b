import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountsTable, blankRow, pageRows } from '../../src/admin/accounts.js';
import type { Findings } from '../../src/report/findings.js';
import { openStore, type Store } from '../../src/store/index.js';
import { TenancyService } from '../../src/tenancy/index.js';
import { makeEvent } from '../store/helpers.js';

let store: Store;
beforeAll(async () => {
  store = await openStore('sqlite::memory:');
});
afterAll(async () => {
  await store.close();
});

const q = { sort: 'requests' as const, order: 'desc' as const, limit: 10, offset: 0 };

describe('AccountsTable', () => {
  it('reads incrementally after the TTL, never mutating rows it handed out', async () => {
    let now = 1_000_000;
    const table = new AccountsTable(store, { ttlMs: 1_000, now: () => now });
    const tenancy = new TenancyService(store);
    const { key } = await tenancy.createKey({
      org: (await tenancy.createOrg('inc')).id,
      labels: { team: 'blue' },
    });
    await store.events.insertBatch([makeEvent({ key: 'k_inc' }), makeEvent({ key: 'k_inc' })]);
    const first = await table.query(q, null);
    const row = first.rows.find((r) => r.key === 'k_inc')!;
    expect(row.requests).toBe(2);
    expect(first.rows.find((r) => r.key === key.id)).toMatchObject({
      registered: true,
      org_name: 'inc',
      requests: 0,
    });
    await store.events.insertBatch([makeEvent({ key: 'k_inc' })]);
    expect((await table.query(q, null)).rows.find((r) => r.key === 'k_inc')?.requests).toBe(2);
    now += 1_000;
    expect((await table.query(q, null)).rows.find((r) => r.key === 'k_inc')?.requests).toBe(3);
    expect(row.requests).toBe(2);
    await tenancy.revokeKey(key.id);
    table.invalidate();
    expect((await table.query({ ...q, q: 'blue' }, null)).rows).toMatchObject([
      { key: key.id, revoked: true },
    ]);
  });

  it('merges findings, including keys known only from findings', async () => {
    const table = new AccountsTable(store);
    const findings: Findings = {
      version: 1,
      generated_at: 'x',
      input: { lines: 0, bad_lines: 0 },
      campaigns: [],
      accounts: [
        {
          key: 'k_inc',
          org: 'org_a',
          requests: 1,
          output_tokens: 1,
          score: 0.4,
          verdict: 'suspicious',
          first_flagged_at: null,
          campaign: null,
          reasons: [],
        },
        {
          key: 'k_only',
          org: 'org_z',
          requests: 99,
          output_tokens: 5,
          score: 0.9,
          verdict: 'distillation',
          first_flagged_at: 'now',
          campaign: 'c',
          reasons: [],
        },
      ],
    };
    const page = await table.query({ ...q, sort: 'score' }, findings);
    expect(page.rows.slice(0, 2).map((r) => [r.key, r.verdict, r.requests])).toEqual([
      ['k_only', 'distillation', 99],
      ['k_inc', 'suspicious', 3],
    ]);
    expect(
      (await table.query({ ...q, verdict: 'none' }, findings)).rows.every((r) => r.verdict === null),
    ).toBe(true);
    expect((await table.query(q, null)).rows.some((r) => r.key === 'k_only')).toBe(false);
  });

  it('sorts nulls last and pages', () => {
    const base = (key: string, score: number | null) => ({ ...blankRow(key, 'o', null), score });
    const rows = [base('a', null), base('b', 0.5), base('c', 0.9), base('d', 0.1)];
    for (const order of ['asc', 'desc'] as const) {
      const all = pageRows(rows, { sort: 'score', order, limit: 10, offset: 0 }).rows.map((r) => r.key);
      expect(all[all.length - 1]).toBe('a');
    }
    expect(pageRows(rows, { sort: 'score', order: 'desc', limit: 2, offset: 1 })).toEqual({
      total: 4,
      rows: [rows[1], rows[3]],
    });
  });

  it('sorts verdicts by severity and keys by harvest ratio, server-side', () => {
    const row = (
      key: string,
      verdict: 'benign' | 'suspicious' | 'distillation' | null,
      input: number,
      output: number,
    ) => ({
      key,
      prefix: null,
      org: `org_${key}`,
      org_name: null,
      account: null,
      registered: false,
      revoked: false,
      labels: {},
      created_at: null,
      requests: 1,
      input_tokens: input,
      output_tokens: output,
      errors: 0,
      limited: 0,
      first_seen: null,
      last_seen: null,
      score: null,
      verdict,
      campaign: null,
      first_flagged_at: null,
    });
    const rows = [
      row('a', 'suspicious', 100, 100),
      row('b', 'distillation', 10, 900),
      row('c', 'benign', 0, 50),
      row('d', null, 400, 40),
    ];
    const keys = (sort: 'verdict' | 'harvest_ratio' | 'org', order: 'asc' | 'desc') =>
      pageRows(rows, { sort, order, limit: 10, offset: 0 }).rows.map((r) => r.key);
    // Severity, not the alphabet (which would put distillation before suspicious); no verdict last.
    expect(keys('verdict', 'desc')).toEqual(['b', 'a', 'c', 'd']);
    expect(keys('verdict', 'asc')).toEqual(['c', 'a', 'b', 'd']);
    // 90 > 1 > 0.1; a key without input tokens has no ratio and sorts last.
    expect(keys('harvest_ratio', 'desc')).toEqual(['b', 'a', 'd', 'c']);
    expect(keys('org', 'asc')).toEqual(['a', 'b', 'c', 'd']);
  });
});
