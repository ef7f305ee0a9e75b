/**
 * Live mode against an in-process gateway (startApp on 127.0.0.1:0 with the mock upstream).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import type { RequestEvent } from '../../src/events/types.js';
import { buildScenario, resolveScenario } from '../../src/sim/index.js';
import { checkTarget, LiveTargetError, runLive } from '../../src/sim/live.js';
import { createMockUpstream, type MockUpstream } from '../../src/upstream/mock/index.js';

const TOKEN = 'sim-live-admin-token-0123456789';
let app: App;
let mock: MockUpstream;
let dir: string;
const events: RequestEvent[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dg-live-'));
  mock = await createMockUpstream();
  const loaded = loadConfig({ env: {}, flags: { data: dir, port: 0, adminToken: TOKEN } });
  app = await startApp(
    { ...loaded, upstreams: [{ name: 'mock', baseUrl: mock.url, timeoutMs: 10_000 }] },
    { logLevel: 'silent' },
  );
  app.bus.subscribe((e) => events.push(e));
});

afterAll(async () => {
  await app?.close();
  await mock?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('live mode', () => {
  it('refuses non-loopback targets unless allowed explicitly', () => {
    expect(() => checkTarget('http://10.1.2.3:8080')).toThrow(LiveTargetError);
    expect(() => checkTarget('https://api.example.com')).toThrow(/--allow-remote/);
    expect(checkTarget('http://127.0.0.1:8080').hostname).toBe('127.0.0.1');
    expect(checkTarget('http://localhost:1').hostname).toBe('localhost');
    expect(checkTarget('https://api.example.com', true).hostname).toBe('api.example.com');
  });

  it('drives many keys with the openai SDK and stays within its request and concurrency bounds', async () => {
    const built = buildScenario(resolveScenario('hydra'), { seed: 4, scale: 0.1, days: 1 });
    const r = await runLive(built, {
      target: app.url,
      adminToken: TOKEN,
      rps: 40,
      duration: 10,
      maxRequests: 30,
      maxKeys: 6,
      concurrency: 3,
    });
    expect(r.sent).toBeLessThanOrEqual(30);
    expect(r.sent).toBeGreaterThan(0);
    expect(r.ok).toBeGreaterThan(0);
    expect(r.maxInFlight).toBeLessThanOrEqual(3);
    expect(r.keysCreated).toBeGreaterThan(1);
    expect(r.keysCreated - r.keysReplaced).toBeLessThanOrEqual(6);
    const deadline = Date.now() + 15_000; // generous: the event worker lags on a loaded machine
    while (events.length < r.sent && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    expect(events.length).toBe(r.sent);
    expect(new Set(events.map((e) => e.keyId)).size).toBeGreaterThan(1);
  });
});
