/**
 * @module bench/detect
 * `npm run bench:detect [-- --seeds 5|1,2,3 --scenarios a,b --quick --workers N --engine-config FILE --drop ip,headers]`: the detection
 * benchmark. Runs a matrix of simulator scenarios × seeds through the analyze pipeline, scores
 * the engine and two baselines (volume-only, PRADA) against the labels, prints the tables and
 * writes bench/out/detect.json and bench/out/detect.html (self-contained).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type DeepPartial, type DetectConfig, ENGINE_VERSION } from '../src/detect/engine.js';
import { loadRealPrompts, SCENARIOS } from '../src/sim/index.js';
import { aggregate, type Row, ttdByPersona } from './lib/aggregate.js';
import {
  baselineTable,
  beatsBaselines,
  engineTable,
  personaMatrix,
  personaTable,
  renderHtml,
  ttdTable,
} from './lib/report.js';
import { runOne } from './lib/run.js';
import type { RunScore } from './lib/score.js';
import { parseDrop } from './lib/strip.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const QUICK_SCENARIOS = ['standard', 'hydra', 'mixed-org', 'benign-only'];

function parseSeeds(v: string | undefined, quick: boolean): number[] {
  if (!v) return quick ? [1, 2] : [1, 2, 3, 4, 5];
  if (v.includes(',')) return v.split(',').map(Number);
  return Array.from({ length: Number(v) }, (_, i) => i + 1);
}

const USAGE = `usage: npm run bench:detect -- [--seeds 5|1,2,3] [--scenarios a,b] [--quick] [--workers N]
       [--out DIR] [--no-data] [--engine-config FILE] [--drop ip,headers,user_agent]
scenarios: ${SCENARIOS.map((s) => s.name).join(' ')}`;

/** A command-line mistake: printed with the usage, no stack trace. */
class UsageError extends Error {}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const quick = values.quick ?? false;
  const seeds = parseSeeds(values.seeds, quick);
  if (seeds.length === 0 || seeds.some((n) => !Number.isInteger(n) || n < 0))
    throw new UsageError(
      `--seeds wants a count or a comma-separated list of integers, got "${values.seeds}"`,
    );
  const scenarios = values.scenarios
    ? values.scenarios.split(',')
    : quick
      ? QUICK_SCENARIOS
      : SCENARIOS.map((s) => s.name);
  for (const s of scenarios)
    if (!SCENARIOS.some((x) => x.name === s)) throw new UsageError(`unknown scenario "${s}"`);
  await run(values, seeds, scenarios);
}

function parseFlags() {
  return parseArgs({
    options: {
      help: { type: 'boolean', short: 'h', default: false },
      seeds: { type: 'string' },
      scenarios: { type: 'string' },
      quick: { type: 'boolean', default: false },
      workers: { type: 'string' },
      out: { type: 'string', default: join(ROOT, 'bench', 'out') },
      'no-data': { type: 'boolean', default: false },
      'engine-config': { type: 'string' },
      drop: { type: 'string' },
    },
  });
}

async function run(
  values: ReturnType<typeof parseFlags>['values'],
  seeds: number[],
  scenarios: string[],
): Promise<void> {
  const dataDir = resolve(ROOT, '..', 'shared', 'data');
  const prompts = values['no-data'] ? null : loadRealPrompts(dataDir);
  const dataNote = prompts
    ? `Real prompt sets from ${dataDir}: ${prompts.files.join(', ')} (mixed with built-in generators).`
    : `Real prompt sets: absent (${values['no-data'] ? 'disabled by --no-data' : `${dataDir} not found`}); built-in generators only.`;
  console.log(dataNote);
  const engineConfig = values['engine-config']
    ? (JSON.parse(readFileSync(values['engine-config'], 'utf8')) as DeepPartial<DetectConfig>)
    : undefined;
  if (engineConfig) console.log(`engine config overrides: ${JSON.stringify(engineConfig)}`);
  const drop = parseDrop(values.drop);
  if (drop.length > 0) console.log(`log fields dropped before analysis: ${drop.join(', ')}`);
  console.log(`scenarios: ${scenarios.join(', ')}; seeds: ${seeds.join(', ')}; engine ${ENGINE_VERSION}`);
  const runs: RunScore[] = [];
  const started = performance.now();
  for (const scenario of scenarios) {
    for (const seed of seeds) {
      const { score } = await runOne({
        scenario,
        seed,
        prompts,
        engineConfig,
        drop,
        workers: values.workers === undefined ? undefined : Number(values.workers),
      });
      runs.push(score);
      const e = score.engine.suspicious;
      console.log(
        `  ${scenario} seed ${seed}: ${score.lines} lines, ${score.keys} keys (${score.attackKeys} attack): ` +
          `TP ${e.tp} FP ${e.fp} FN ${e.fn}, AUC ${score.engine.auc.toFixed(3)}; sim ${score.seconds.simulate.toFixed(1)} s, analyze ${score.seconds.analyze.toFixed(1)} s`,
      );
    }
  }
  const rows: Row[] = scenarios.map((s) =>
    aggregate(
      s,
      runs.filter((r) => r.scenario === s),
    ),
  );
  const overall = aggregate('OVERALL', runs);
  console.log(
    `\nEngine (positive = verdict ≥ suspicious / = distillation)\n${engineTable([...rows, overall])}`,
  );
  console.log(`\nEngine vs baselines\n${baselineTable([...rows, overall])}`);
  console.log(`\nFPR per benign persona (all runs)\n${personaTable(overall, false)}`);
  console.log(`\nRecall per attack persona (all runs)\n${personaTable(overall, true)}`);
  console.log(
    `\nTime to detection per attack persona (medians over its campaigns; target: flagged before 5% of its requests)\n${ttdTable(ttdByPersona(runs))}`,
  );
  console.log(`\nEngine FPR per benign persona × scenario (flagged/keys)\n${personaMatrix(rows, false)}`);
  const hydraRows = rows.filter((r) => ['hydra', 'residential', 'slow-low'].includes(r.name));
  for (const r of hydraRows)
    console.log(
      `hydra-family check ${r.name}: engine beats both baselines: ${beatsBaselines(r) ? 'yes' : 'NO'}`,
    );
  const command = `npm run bench:detect -- ${process.argv.slice(2).join(' ')}`.trim();
  const meta = {
    command,
    generatedAt: new Date().toISOString(),
    scenarios,
    seeds,
    dataNote,
    engineVersion: ENGINE_VERSION,
  };
  mkdirSync(values.out!, { recursive: true });
  writeFileSync(
    join(values.out!, 'detect.json'),
    `${JSON.stringify({ meta, rows, overall, runs }, null, 1)}\n`,
  );
  writeFileSync(join(values.out!, 'detect.html'), renderHtml(meta, rows, overall, runs));
  console.log(
    `\nwrote ${join(values.out!, 'detect.json')} and detect.html in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) {
    console.error(`bench:detect: ${err.message}\n${USAGE}`);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
