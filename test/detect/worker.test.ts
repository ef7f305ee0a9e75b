import { describe, expect, it } from 'vitest';
import { analyzeEvents, Engine } from '../../src/detect/engine.js';
import { startDetectionWorker } from '../../src/detect/worker.js';
import type { RequestEvent } from '../../src/events/types.js';
import { byTime, harvester, hydra } from './fixtures.js';

describe('detection worker', () => {
  it('gives the same findings as the in-process engine, and streams changes', async () => {
    const events = byTime([...harvester('harv', 1, 400), ...hydra('hy', 6, 2, 400)]);
    const w = startDetectionWorker();
    const changes: string[] = [];
    w.onChange((c) => changes.push(`${c.kind}:${c.id}:${c.verdict}`));
    try {
      for (const e of events) w.post(e);
      const f = await w.findings();
      expect(JSON.stringify(f)).toBe(JSON.stringify(analyzeEvents(events)));
      expect(changes).toContain('account:harv:distillation');
      const state = JSON.parse(await w.checkpointJson());
      expect(state).toMatchObject({ format: 'distillguard-engine-checkpoint' });
      expect(JSON.stringify(Engine.fromJSON(state).findings())).toBe(JSON.stringify(f));
    } finally {
      await w.close();
    }
    await expect(w.findings()).rejects.toThrow(/closed/);
  });

  it('skips an event the engine fails on, reports it, and keeps the rest of its batch', async () => {
    const events = byTime(harvester('harv', 1, 300));
    const broken = { ...events[10]!, id: 'req_broken', prompt: undefined } as unknown as RequestEvent;
    const errors: string[] = [];
    const w = startDetectionWorker({}, { batch: 1000, onError: (m) => errors.push(m) });
    try {
      for (const e of [...events.slice(0, 20), broken, ...events.slice(20)]) w.post(e);
      const f = await w.findings();
      // Every good event counts (the broken one may have been counted before the engine failed on it).
      expect(f.accounts.find((a) => a.key === 'harv')?.requests).toBeGreaterThanOrEqual(events.length);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(
        /^1 of 301 events failed in the engine and were skipped; the first: .*req_broken/,
      );
    } finally {
      await w.close();
    }
  });
});
