/**
 * @module test/e2e/harness
 * The whole process for end-to-end tests: the real mock upstream (in-process) and `startApp`
 * on a temp SQLite store, on 127.0.0.1:0, with every event the bus carries collected.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, type AppOptions, startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import type { RequestEvent } from '../../src/events/types.js';
import { createMockUpstream, type MockUpstream } from '../../src/upstream/mock/index.js';

export const MODELS = ['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small'];

export interface Harness {
  app: App;
  mock: MockUpstream;
  base: string;
  events: RequestEvent[];
  close(): Promise<void>;
}

export async function startHarness(
  overrides: Partial<Config> | ((mockUrl: string) => Partial<Config>) = {},
  opts: AppOptions = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'dg-e2e-'));
  const mock = await createMockUpstream();
  const loaded = loadConfig({
    env: {},
    flags: { data: dir, port: 0, adminToken: 'e2e-admin-token-0123456789' },
  });
  const config: Config = {
    ...loaded,
    upstreams: [{ name: 'mock', baseUrl: mock.url, timeoutMs: 10_000, models: MODELS }],
    ...(typeof overrides === 'function' ? overrides(mock.url) : overrides),
  };
  const app = await startApp(config, { logLevel: 'silent', shutdownGraceMs: 1000, ...opts });
  const events: RequestEvent[] = [];
  app.bus.subscribe((e) => events.push(e));
  return {
    app,
    mock,
    base: `${app.url}/v1`,
    events,
    close: async () => {
      await app.close();
      await mock.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until `check` returns a value (events are recorded just after the reply). */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 5000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
