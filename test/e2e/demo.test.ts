import { afterAll, describe, expect, it, vi } from 'vitest';
import { type DemoResult, runDemo } from '../../src/cli/demo.js';
import { serve } from '../../src/cli/serve.js';

let result: DemoResult | undefined;
let withDetection: DemoResult | undefined;
afterAll(async () => {
  await result?.stop();
  await withDetection?.stop();
});

describe('distillguard demo', () => {
  it('drives SDK traffic through a fresh gateway, records every request, and prints how to try it', async () => {
    const lines: unknown[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(...args);
    });
    try {
      result = await runDemo({ detection: false });
    } finally {
      log.mockRestore();
    }
    const printed = lines.join('\n');
    expect(result.requests).toBe(7);
    expect(result.events).toBe(7);
    expect(printed).toContain(`curl ${result.url}/v1/chat/completions`);
    expect(printed).toContain(result.secret);
    expect(printed).toContain(
      `distillguard events tail --url ${result.url} --admin-token ${result.adminToken}`,
    );
    const res = await fetch(`${result.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${result.secret}` },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello!' }] }),
    });
    expect(res.status).toBe(200);
  });
});

describe('distillguard demo, detection part', () => {
  it('catches the replayed hydra campaign, prints its reasons, and the gateway refuses a caught key', async () => {
    const lines: unknown[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(...args);
    });
    try {
      withDetection = await runDemo();
    } finally {
      log.mockRestore();
    }
    const d = withDetection.detection;
    expect(d).not.toBeNull();
    if (!d) return;
    expect(d.findings.campaigns.some((c) => c.verdict === 'distillation')).toBe(true);
    expect(d.caught).toBeGreaterThan(0);
    const printed = lines.join('\n');
    expect(printed).toMatch(/Campaigns[\s\S]*distillation/);
    expect(printed).toContain('a caught hydra key   : 403 account_blocked');
    expect(printed).toContain("a customer's key     : 200 OK");
    // The block is real: the caught key stays refused.
    const res = await fetch(`${withDetection.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${d.caughtSecret}` },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello!' }] }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('account_blocked');
  });
});

describe('distillguard serve', () => {
  it('refuses to start without an upstream, with a message saying what to do', async () => {
    await expect(serve({ port: '0', data: '/tmp/dg-serve-none' })).rejects.toThrow(/--upstream/);
  });
});
