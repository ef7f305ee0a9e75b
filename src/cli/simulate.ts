/**
 * @module cli/simulate
 * `distillguard simulate --scenario NAME`: writes a seeded, reproducible synthetic request log
 * (and its ground-truth labels) or drives the same traffic live against a running gateway with
 * the official `openai` SDK. `--list` names the scenarios.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import {
  buildScenario,
  loadRealPrompts,
  resolveScenario,
  SCENARIOS,
  simulateToFile,
  writeLabels,
} from '../sim/index.js';
import { runLive } from '../sim/live.js';

export interface SimulateCliOptions {
  scenario?: string;
  list?: boolean;
  seed: string;
  out?: string;
  labels?: string;
  days?: string;
  start?: string;
  scale?: string;
  prompts?: string;
  storeText?: boolean;
  target?: string;
  adminToken?: string;
  rps: string;
  duration: string;
  maxKeys?: string;
  allowRemote?: boolean;
  quiet?: boolean;
}

const num = (v: string | undefined, name: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${v}"`);
  return n;
};

export function listScenarios(): string {
  const w = Math.max(...SCENARIOS.map((s) => s.name.length));
  return SCENARIOS.map((s) => `${s.name.padEnd(w)}  ${s.days}d  ${s.description}`).join('\n');
}

async function bar(label: string, quiet: boolean) {
  if (quiet || !process.stderr.isTTY) return null;
  const { default: progress } = await import('cli-progress');
  return new progress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total}`, stream: process.stderr, hideCursor: true },
    progress.Presets.shades_classic,
  );
}

export async function runSimulate(o: SimulateCliOptions): Promise<number> {
  if (o.list) {
    process.stdout.write(`${listScenarios()}\n`);
    return 0;
  }
  if (!o.scenario) throw new Error('--scenario is required (see --list)');
  const scenario = resolveScenario(o.scenario);
  const prompts = o.prompts ? loadRealPrompts(resolve(o.prompts)) : null;
  if (o.prompts)
    process.stderr.write(
      prompts ? `prompts: ${prompts.files.join(', ')}\n` : `prompts: none found in ${o.prompts}\n`,
    );
  const build = {
    seed: num(o.seed, 'seed') ?? 1,
    days: num(o.days, 'days'),
    start: o.start ? Date.parse(o.start) : undefined,
    scale: num(o.scale, 'scale'),
    prompts,
  };
  if (build.start !== undefined && !Number.isFinite(build.start))
    throw new Error(`--start is not a date: ${o.start}`);
  if (o.target) {
    if (!o.adminToken) throw new Error('--admin-token is required with --target');
    const built = buildScenario(scenario, build);
    if (o.labels) writeLabels(o.labels, built.labels);
    const b = await bar('live', o.quiet ?? false);
    const duration = num(o.duration, 'duration') ?? 30;
    const rps = num(o.rps, 'rps') ?? 10;
    b?.start(Math.floor(rps * duration), 0);
    const r = await runLive(built, {
      target: o.target,
      adminToken: o.adminToken,
      rps,
      duration,
      maxKeys: num(o.maxKeys, 'max-keys'),
      allowRemote: o.allowRemote ?? false,
      onProgress: (sent) => b?.update(sent),
    });
    b?.stop();
    process.stderr.write(
      `live: ${r.sent} requests (${r.ok} ok) in ${r.seconds.toFixed(1)} s, ${r.keysCreated} keys created, ${r.keysReplaced} replaced; statuses ${JSON.stringify(r.statuses)}\n`,
    );
    return 0;
  }
  const out = o.out ?? `${scenario.name}-${build.seed}.jsonl`;
  const b = await bar('simulate', o.quiet ?? false);
  let started = false;
  const r = await simulateToFile({
    scenario: scenario.name,
    ...build,
    out,
    labels: o.labels,
    storeText: o.storeText ?? false,
    onProgress: (done, total) => {
      if (!started) {
        b?.start(total, 0);
        started = true;
      }
      b?.update(done);
    },
  });
  b?.stop();
  const attack = Object.values(r.labels.keys).filter((k) => k.attack).length;
  process.stderr.write(
    `${scenario.name} seed ${build.seed}: ${r.lines} lines, ${Object.keys(r.labels.keys).length} keys (${attack} attack, ${Object.keys(r.labels.campaigns).length} campaigns) → ${out}${o.labels ? `, labels → ${o.labels}` : ''}\n`,
  );
  return 0;
}

export function register(program: Command): void {
  program
    .command('simulate')
    .description('simulate labelled API traffic (customers and distillation campaigns) to a log, or live')
    .option('--scenario <name>', 'scenario name (see --list)')
    .option('--list', 'list the scenarios')
    .addOption(new Option('--seed <n>', 'random seed').default('1').env('DISTILLGUARD_SEED'))
    .option('--out <file>', 'log file (.gz for gzip, - for stdout)')
    .option('--labels <file>', 'write the ground-truth labels here')
    .option('--days <n>', 'simulated period in days (default: per scenario)')
    .option('--start <iso>', 'start of simulated time (default 2026-03-02T00:00Z)')
    .option('--scale <f>', 'multiply the number of orgs and attack keys')
    .option('--prompts <dir>', 'load real prompt sets (JSON/JSONL) from this folder')
    .option('--store-text', 'include answer texts in the log')
    .addOption(
      new Option('--target <url>', 'drive the traffic live against this gateway').env('DISTILLGUARD_TARGET'),
    )
    .addOption(
      new Option('--admin-token <token>', 'admin token of the target gateway').env(
        'DISTILLGUARD_ADMIN_TOKEN',
      ),
    )
    .option('--rps <n>', 'live: requests per second', '10')
    .option('--duration <s>', 'live: seconds', '30')
    .option('--max-keys <n>', 'live: simulated keys driven')
    .option('--allow-remote', 'live: allow a non-loopback target')
    .option('--quiet', 'no progress bar')
    .action(async (opts: SimulateCliOptions) => {
      process.exitCode = await runSimulate(opts);
    });
}
