import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReportError } from '../../src/report/errors.js';
import { loadEvidence } from '../../src/report/load.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { CAMPAIGN_KEYS, campaignEvents, findings, T0 } from './fixtures.js';

let store: Store;
beforeEach(async () => {
  store = await openStore('sqlite::memory:');
});
afterEach(async () => {
  await store.close();
});

async function seed(storeText = false) {
  await store.events.insertBatch(campaignEvents(storeText));
  await store.findings.save(findings());
  await store.decisions.insert({
    id: 'dec_1',
    subject: { scope: 'key', id: 'k_a' },
    action: 'block',
    source: 'admin:alice',
    reasons: ['harvesting'],
    shadow: false,
    createdAt: T0 + 1000,
  });
  await store.audit.append({
    id: 'aud_1',
    ts: T0 + 1000,
    actor: 'admin:alice',
    subject: { scope: 'org', id: 'org_k_a' },
    action: 'block',
    previousAction: null,
    reason: 'org-wide',
  });
}

describe('loadEvidence', () => {
  it("gathers a campaign from the store's latest findings, events, decisions and audit", async () => {
    await seed();
    const input = await loadEvidence(store, { kind: 'campaign', id: 'c_1' }, { now: () => T0 });
    expect(input.subject.kind).toBe('campaign');
    expect(input.findingsSource).toBe('store (latest snapshot)');
    expect(input.keys.map((k) => k.key).sort()).toEqual(CAMPAIGN_KEYS);
    expect(input.keys.every((k) => k.requests === 10)).toBe(true);
    expect(input.coverage).toMatchObject({ stored: 30, scanned: 30 });
    expect(input.activity?.buckets.reduce((s, b) => s + b.requests, 0)).toBe(30);
    expect(input.decisions.map((d) => d.id)).toEqual(['dec_1']);
    expect(input.audit).toEqual([]); // the audit entry is on the org, which a campaign report does not read
    expect(input.createdAt).toBe(new Date(T0).toISOString());
  });

  it("includes an account's org decisions and audit entries", async () => {
    await seed();
    const input = await loadEvidence(store, { kind: 'account', id: 'k_a' });
    expect(input.subject.kind).toBe('account');
    expect(input.audit.map((a) => a.reason)).toEqual(['org-wide']);
    expect(input.subject.kind === 'account' && input.subject.campaign?.id).toBe('c_1');
  });

  it('reads the newest events within the budget and reports the coverage', async () => {
    await seed();
    const input = await loadEvidence(store, { kind: 'campaign', id: 'c_1' }, { maxEvents: 12 });
    expect(input.coverage.stored).toBe(30);
    expect(input.coverage.scanned).toBe(12);
    // Newest first: the last 4 hours of each key.
    expect(input.coverage.firstScannedTs).toBeGreaterThanOrEqual(T0 + 6 * 3_600_000);
  });

  it('reads raw prompt text only when asked', async () => {
    await seed(true);
    const plain = await loadEvidence(store, { kind: 'auto', id: 'c_1' });
    expect(plain.promptsStored).toBe(true);
    expect(plain.samples.every((s) => s.raw === null && s.skeleton !== null)).toBe(true);
    const raw = await loadEvidence(store, { kind: 'auto', id: 'c_1' }, { includePrompts: true });
    expect(raw.samples[0]?.raw).toMatch(/^Solve problem 4\d step by step/);
  });

  it('prefers given findings, resolves campaigns before keys, and refuses unknown ids', async () => {
    await seed();
    const live = findings({ generated_at: '2026-03-05T00:00:00.000Z' });
    const input = await loadEvidence(store, { kind: 'auto', id: 'k_benign' }, { findings: live });
    expect(input.findingsGeneratedAt).toBe('2026-03-05T00:00:00.000Z');
    expect(input.subject.kind).toBe('account');
    await expect(loadEvidence(store, { kind: 'campaign', id: 'k_a' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(loadEvidence(store, { kind: 'account', id: 'c_1' })).rejects.toBeInstanceOf(ReportError);
  });

  it('says there are no findings when the store has none', async () => {
    await expect(loadEvidence(store, { kind: 'auto', id: 'c_1' })).rejects.toMatchObject({
      code: 'no_findings',
    });
  });
});
