import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { tailStore } from '../../src/admin/control.js';
import type { EventSummary } from '../../src/admin/serialize.js';
import { register as registerEvents } from '../../src/cli/events.js';
import { register as registerKeys } from '../../src/cli/keys.js';
import { register as registerOrgs } from '../../src/cli/orgs.js';
import { sha256Hex } from '../../src/events/hash.js';
import { openStore } from '../../src/store/index.js';
import { makeEvent, tempDir } from '../store/helpers.js';
import { type Harness, harness, TOKEN } from './helpers.js';

function program(): Command {
  const p = new Command('distillguard').exitOverride();
  registerOrgs(p);
  registerKeys(p);
  registerEvents(p);
  return p;
}

/** Runs the CLI in-process and returns what it printed on stdout. */
async function run(...args: string[]): Promise<string> {
  const out: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out.push(a.join(' '));
  });
  try {
    await program().parseAsync(['node', 'distillguard', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out.join('\n');
}

describe('CLI on the local store', () => {
  const dir = tempDir('dg-cli-');
  afterEach(() => vi.restoreAllMocks());

  it('orgs create/list and keys create --json print what the brief says', async () => {
    const org = JSON.parse(await run('orgs', 'create', 'acme', '--rpm', '60', '--json', '--data', dir));
    expect(org).toMatchObject({ name: 'acme', limits: { rpm: 60 } });
    const created = JSON.parse(
      await run(
        'keys',
        'create',
        '--org',
        'acme',
        '--tpm',
        '1000',
        '--label',
        'env=prod',
        '--label',
        'team=a',
        '--json',
        '--data',
        dir,
      ),
    );
    expect(Object.keys(created).sort()).toEqual(['id', 'key', 'org']);
    expect(created.key).toMatch(/^dg-[0-9A-Za-z]{40}$/);
    expect(created.org).toBe('acme');
    const store = await openStore(`sqlite:${join(dir, 'distillguard.sqlite')}`);
    const key = await store.tenancy.getKey(created.id);
    expect(key).toMatchObject({
      hash: sha256Hex(created.key),
      labels: { env: 'prod', team: 'a' },
      limits: { tpm: 1000 },
    });
    await store.close();
    const orgs = JSON.parse(await run('orgs', 'list', '--json', '--data', dir));
    expect(orgs.map((o: { name: string }) => o.name)).toEqual(['acme']);
    const keys = JSON.parse(await run('keys', 'list', '--org', 'acme', '--json', '--data', dir));
    expect(keys).toHaveLength(1);
    expect(JSON.stringify(keys)).not.toContain(created.key);
    expect(await run('keys', 'revoke', created.id, '--data', dir)).toContain('revoked');
    const after = JSON.parse(await run('keys', 'list', '--json', '--data', dir));
    expect(after[0].revoked).toBe(true);
  });

  it('refuses a key for an unknown org and bad numbers', async () => {
    await expect(run('keys', 'create', '--org', 'ghost', '--data', dir)).rejects.toThrow(/ghost/);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await expect(run('orgs', 'create', 'x', '--rpm', 'lots', '--data', dir)).rejects.toThrow(
      /positive integer/,
    );
  });

  it('follows new events from the store (tail)', async () => {
    const store = await openStore(`sqlite:${join(dir, 'tail.sqlite')}`);
    const got: EventSummary[] = [];
    const ac = new AbortController();
    const since = 1_000;
    const done = tailStore(store, {
      signal: ac.signal,
      since,
      pollMs: 5,
      key: 'key_t',
      onEvent: (e) => {
        got.push(e);
        if (got.length === 3) ac.abort();
      },
    });
    await store.events.insertBatch([
      makeEvent({ key: 'key_t', ts: 500 }),
      makeEvent({ key: 'key_t', ts: 2_000 }),
    ]);
    await store.events.insertBatch([
      makeEvent({ key: 'key_t', ts: 1_500 }),
      makeEvent({ key: 'other', ts: 3_000 }),
    ]);
    await store.events.insertBatch([makeEvent({ key: 'key_t', ts: 4_000 })]);
    await done;
    expect(got.map((e) => e.ts).sort()).toEqual([1_500, 2_000, 4_000]);
    await store.close();
  });
});

describe('CLI through the admin API (--url)', () => {
  let h: Harness;
  let url = '';
  beforeAll(async () => {
    h = await harness();
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await h.close();
  });

  it('creates an org and a key on the running gateway, lists and revokes', async () => {
    const remote = ['--url', url, '--admin-token', TOKEN];
    await run('orgs', 'create', 'remote-org', '--json', ...remote);
    const created = JSON.parse(
      await run('keys', 'create', '--org', 'remote-org', '--rpm', '5', '--json', ...remote),
    );
    expect(created.key).toMatch(/^dg-/);
    expect((await h.resolver.authenticate(created.key))?.keyLimits).toEqual({ rpm: 5 });
    const keys = JSON.parse(await run('keys', 'list', '--org', 'remote-org', '--json', ...remote));
    expect(keys.map((k: { id: string }) => k.id)).toEqual([created.id]);
    await run('keys', 'revoke', created.id, ...remote);
    expect((await h.resolver.authenticate(created.key))?.revoked).toBe(true);
  });

  it('fails clearly with a wrong admin token', async () => {
    await expect(
      run('orgs', 'list', '--url', url, '--admin-token', 'wrong-token-but-long-enough'),
    ).rejects.toThrow(/401/);
  });
});
