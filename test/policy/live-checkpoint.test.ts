import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { LIVE_CHECKPOINT_ID, liveDetection, resumable } from '../../src/policy/live.js';
import type { Findings } from '../../src/report/findings.js';
import { createMockUpstream, type MockUpstream } from '../../src/upstream/mock/index.js';
import { byTime, chatApp, harvester } from '../detect/fixtures.js';
import { eventually } from '../e2e/harness.js';

const TOKEN = 'live-checkpoint-token-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'dg-live-'));
let mock: MockUpstream;

beforeAll(async () => {
  mock = await createMockUpstream();
});
afterAll(async () => {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

function config(detection: Record<string, unknown> = {}): Config {
  const loaded = loadConfig({ env: {}, flags: { data: dir, port: 0, adminToken: TOKEN } });
  return {
    ...loaded,
    detection,
    upstreams: [{ name: 'mock', baseUrl: mock.url, timeoutMs: 10_000, models: ['gpt-4o-mini'] }],
  };
}

/** A gateway on the shared data dir with live detection, and its latest findings. */
async function gateway(detection: Record<string, unknown> = {}, checkpointEveryMs?: number) {
  const app = await startApp(config(detection), {
    logLevel: 'silent',
    listen: false,
    hooks: [
      liveDetection({
        refreshMs: 50,
        onStart: (line) => starts.push(line),
        ...(checkpointEveryMs ? { checkpointEveryMs } : {}),
      }),
    ],
  });
  const findings = async (): Promise<Findings | undefined> => {
    const r = await app.app.inject({
      method: 'GET',
      url: '/admin/findings',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    return r.statusCode === 200 ? (r.json() as Findings) : undefined;
  };
  return { app, findings };
}

const starts: string[] = [];
const requestsByKey = (f: Findings) => Object.fromEntries(f.accounts.map((a) => [a.key, a.requests]));

describe('live detection across restarts', () => {
  it('resumes the engine from its checkpoint after a clean stop, and starts empty when the settings changed', async () => {
    const events = byTime([...harvester('harv', 1, 400), ...chatApp('chat', 2, 300)]);
    // Periodic saves run while events arrive; the one on stop still holds them all.
    const first = await gateway({}, 20);
    for (const [i, e] of events.entries()) {
      first.app.bus.publish(e);
      if (i % 100 === 99) await new Promise((r) => setTimeout(r, 25));
    }
    const before = await eventually(async () => {
      const f = await first.findings();
      return f && f.input.lines === events.length ? f : undefined;
    }, 20_000);
    await first.app.close();

    const second = await gateway();
    expect((await second.app.store.checkpoints.load(LIVE_CHECKPOINT_ID))?.data).toMatchObject({ version: 1 });
    const resumed = await eventually(async () => {
      const f = await second.findings();
      return f && f.accounts.length > 0 ? f : undefined;
    }, 20_000);
    expect(resumed.input.lines).toBe(events.length);
    expect(requestsByKey(resumed)).toEqual(requestsByKey(before));
    expect(requestsByKey(resumed)).toEqual({ harv: 400, chat: 300 });
    // New traffic adds to what the engine had.
    second.app.bus.publish({ ...events.at(-1)!, id: 'req_after_restart', ts: events.at(-1)!.ts + 1000 });
    await eventually(async () => (await second.findings())?.input.lines === events.length + 1, 20_000);
    await second.app.close();

    const changed = await gateway({ thresholds: { suspicious: 0.6 } });
    await new Promise((r) => setTimeout(r, 300));
    const fresh = await changed.findings();
    expect(fresh === undefined || fresh.accounts.length === 0).toBe(true);
    await changed.app.close();
    expect(starts).toHaveLength(3);
    expect(starts[0]).toBe('no checkpoint: starting empty');
    expect(starts[1]).toMatch(/^resumed from its checkpoint of \d{4}-\d\d-\d\dT/);
    expect(starts[2]).toBe('starting empty: the detection settings changed since the checkpoint');
  }, 60_000);
});

describe('resumable', () => {
  it('takes a checkpoint of the same settings, and refuses others with the reason', () => {
    const cp = { version: 1, config: { thresholds: { suspicious: 0.5 } }, engine: { state: 1 }, takenAt: 0 };
    expect(resumable(cp, {})).toEqual({ engine: { state: 1 }, why: null });
    expect(resumable(cp, { thresholds: { suspicious: 0.6 } }).why).toMatch(/settings changed/);
    expect(resumable(null, {}).why).toMatch(/no usable checkpoint/);
    expect(resumable({ version: 2, engine: {} }, {}).why).toMatch(/no usable checkpoint/);
    expect(resumable({ ...cp, config: { thresholds: { suspicious: 7 } } }, {}).why).toMatch(
      /no longer valid/,
    );
  });
});
