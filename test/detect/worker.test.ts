import { describe, expect, it } from 'vitest';
import { analyzeEvents } from '../../src/detect/engine.js';
import { startDetectionWorker } from '../../src/detect/worker.js';
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
      const state = await w.checkpoint();
      expect(state).toMatchObject({ format: 'distillguard-engine-checkpoint' });
    } finally {
      await w.close();
    }
    await expect(w.findings()).rejects.toThrow(/closed/);
  });
});
