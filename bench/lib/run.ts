/**
 * @module bench/lib/run
 * One benchmark run: simulate a scenario at a seed to a temporary log, run it through the same
 * pipeline as `distillguard analyze` (parseLogLine → Engine → findings; the engine never sees
 * the labels), feed the same events to the baselines, then score everything against the labels.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeLog } from '../../src/cli/analyze.js';
import { type DeepPartial, type DetectConfig, Engine } from '../../src/detect/engine.js';
import type { Findings } from '../../src/report/findings.js';
import { type RealPrompts, simulateToFile } from '../../src/sim/index.js';
import { type Baseline, PradaBaseline, VolumeBaseline } from '../baselines.js';
import { type CampaignTimes, type RunScore, scoreBaseline, scoreCampaigns, scoreEngine } from './score.js';
import { type Droppable, stripLog } from './strip.js';

export interface RunOptions {
  scenario: string;
  seed: number;
  prompts: RealPrompts | null;
  workers?: number;
  /** Overrides of the engine's defaults (`bench:detect --engine-config FILE`). */
  engineConfig?: DeepPartial<DetectConfig>;
  /** Keep the temporary log and findings (for debugging). */
  keep?: string;
  /** Log fields removed before analysis (`bench:detect --drop`; the labels are unchanged). */
  drop?: readonly Droppable[];
}

export async function runOne(o: RunOptions): Promise<{ score: RunScore; findings: Findings }> {
  const dir = o.keep ?? mkdtempSync(join(tmpdir(), 'dg-bench-'));
  const log = join(dir, `${o.scenario}-${o.seed}.jsonl`);
  try {
    const t0 = performance.now();
    const sim = await simulateToFile({ scenario: o.scenario, seed: o.seed, out: log, prompts: o.prompts });
    const analyzed = o.drop?.length ? join(dir, `${o.scenario}-${o.seed}.stripped.jsonl`) : log;
    if (analyzed !== log) await stripLog(log, analyzed, o.drop!);
    const t1 = performance.now();
    const labels = sim.labels;
    const campaignOf = new Map<string, string>();
    for (const [k, l] of Object.entries(labels.keys)) if (l.campaign) campaignOf.set(k, l.campaign);
    const times: CampaignTimes = new Map();
    const baselines: Baseline[] = [new VolumeBaseline(), new PradaBaseline()];
    const result = await analyzeLog(analyzed, {
      workers: o.workers,
      engine: () => new Engine(o.engineConfig),
      onEvent: (e) => {
        for (const b of baselines) b.ingest(e);
        const c = campaignOf.get(e.keyId);
        if (c) {
          const ts = times.get(c) ?? [];
          if (ts.length === 0) times.set(c, ts);
          ts.push(e.ts);
        }
      },
    });
    const t2 = performance.now();
    const f = result.findings;
    return {
      findings: f,
      score: {
        scenario: o.scenario,
        seed: o.seed,
        lines: result.lines,
        keys: Object.keys(labels.keys).length,
        attackKeys: Object.values(labels.keys).filter((l) => l.attack).length,
        engine: scoreEngine(labels, f),
        campaigns: scoreCampaigns(labels, f, times),
        baselines: Object.fromEntries(baselines.map((b) => [b.name, scoreBaseline(labels, b.result())])),
        seconds: { simulate: (t1 - t0) / 1000, analyze: (t2 - t1) / 1000 },
        linesPerSecond: result.linesPerSecond,
      },
    };
  } finally {
    if (!o.keep) rmSync(dir, { recursive: true, force: true });
  }
}
