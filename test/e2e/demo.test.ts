import { afterAll, describe, expect, it, vi } from 'vitest';
import { type DemoResult, runDemo } from '../../src/cli/demo.js';
import { serve } from '../../src/cli/serve.js';

let result: DemoResult | undefined;
afterAll(async () => {
  await result?.stop();
});

describe('distillguard demo', () => {
  it('drives SDK traffic through a fresh gateway, records every request, and prints how to try it', async () => {
    const lines: unknown[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(...args);
    });
    try {
      result = await runDemo();
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

describe('distillguard serve', () => {
  it('refuses to start without an upstream, with a message saying what to do', async () => {
    await expect(serve({ port: '0', data: '/tmp/dg-serve-none' })).rejects.toThrow(/--upstream/);
  });
});
