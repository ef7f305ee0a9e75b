/**
 * @module bench/detect-speed
 * `npm run bench:detect-speed [-- --lines 200000 --workers N]`: how fast `distillguard analyze`
 * runs and how much memory the engine keeps. Generates ≥ 200k log lines (the standard mix,
 * realistic prompt sizes), then measures lines/s end to end (read + parse + features + engine,
 * the real pipeline) and per stage on one thread; memory per tracked account (heap delta ÷
 * accounts, and the engine's own approxBytes); and whether one key's state stays flat as its
 * request count grows 100× (1k → 100k requests). End to end it also gives CPU µs per line of the
 * whole process (all threads) and of the main thread (Linux). Prints tables; writes
 * bench/out/detect-speed.json.
 */
import {
  createReadStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { analyzeLog, defaultWorkers } from '../src/cli/analyze.js';
import { ENGINE_VERSION, Engine } from '../src/detect/engine.js';
import { rememberTextFeatures } from '../src/events/features.js';
import { parseLogLine } from '../src/events/logline.js';
import { forEachPacked, packEvents } from '../src/events/packed.js';
import type { RequestEvent } from '../src/events/types.js';
import { table } from '../src/report/summary.js';
import { modelCatalog } from '../src/sim/build.js';
import { type Built, DEFAULT_START, logLine, scenarioRequests, simulateToFile } from '../src/sim/index.js';
import { CloudPool } from '../src/sim/net.js';
import { buildAttack } from '../src/sim/personas/attack/index.js';
import { PromptSource } from '../src/sim/prompts/index.js';
import { Rng } from '../src/sim/rng.js';
import { DAY } from '../src/sim/time.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** CPU seconds of this process's main thread so far (Linux /proc; null elsewhere). */
function mainThreadCpu(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return null;
  }
}

/** The analyze pipeline on `log`, with CPU µs per line of the whole process and of its main thread. */
async function endToEnd(log: string, workers: number) {
  const all0 = process.cpuUsage();
  const main0 = mainThreadCpu();
  const r = await analyzeLog(log, { workers });
  const all = process.cpuUsage(all0);
  const main1 = mainThreadCpu();
  const perLine = (s: number) => ((s * 1e6) / r.lines).toFixed(1);
  return {
    ...r,
    cpuPerLine: perLine((all.user + all.system) / 1e6),
    mainPerLine: main0 === null || main1 === null ? '–' : perLine(main1 - main0),
  };
}

/** A one-thread stage's table row from its CPU seconds over `lines` lines. */
function cpuStageRow(lines: number, name: string, seconds: number): Array<string | number> {
  return [name, '1 thread', Math.round(lines / seconds), ((seconds * 1e6) / lines).toFixed(1), 'cpu'];
}

/** CPU time (user + system) of `f` in seconds, and its result. */
function cpu<T>(f: () => T): { value: T; seconds: number } {
  const c0 = process.cpuUsage();
  const value = f();
  const c = process.cpuUsage(c0);
  return { value, seconds: (c.user + c.system) / 1e6 };
}

/** Lines of one key sending `n` requests (a bulk harvester), built by the simulator. */
function* oneKeyLines(n: number): Generator<string> {
  const start = DEFAULT_START;
  const end = start + Math.ceil(n / 1000) * DAY;
  const rng = new Rng(77);
  const ctx = {
    rng,
    start,
    end,
    prompts: new PromptSource(null),
    models: modelCatalog(start, undefined),
    cloud: new CloudPool(rng.fork('cloud')),
    frameworkPrompts: [],
    keyLimitPerDay: 500,
  };
  const { plans } = buildAttack(ctx, 'single_harvester', 0, 1, { perKeyPerDay: 1600, jitter: 0.5 });
  const built: Built = {
    plans,
    labels: { version: 1, scenario: 'speed', seed: 77, start: '', end: '', keys: {}, campaigns: {} },
    start,
    end,
    rng,
  };
  let i = 0;
  for (const r of scenarioRequests(built)) {
    if (i++ >= n) return;
    yield JSON.stringify(logLine(r.plan, r.req, r.ts, r.rng, {}));
  }
}

function growth(): Array<Array<string | number>> {
  const engine = new Engine();
  const checkpoints = new Set([1_000, 10_000, 100_000]);
  const rows: Array<Array<string | number>> = [];
  const base = heapAfterGc();
  let n = 0;
  for (const line of oneKeyLines(100_000)) {
    const r = parseLogLine(line);
    if (!r.ok) continue;
    engine.ingest(r.event);
    n++;
    if (checkpoints.has(n)) {
      engine.evaluate();
      const s = engine.stats();
      rows.push([n, s.accounts, s.approxBytes, Math.round((heapAfterGc() - base) / 1024)]);
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { lines: { type: 'string', default: '200000' }, workers: { type: 'string' } },
  });
  const want = Number(values.lines);
  const dir = mkdtempSync(join(tmpdir(), 'dg-speed-'));
  const log = join(dir, 'standard.jsonl');
  try {
    console.log(`engine ${ENGINE_VERSION}; generating ≥ ${want} lines (the standard mix, seed 1, scaled)`);
    let scale = 1;
    let generated = 0;
    for (let attempt = 0; generated < want && attempt < 5; attempt++) {
      const r = await simulateToFile({ scenario: 'standard', seed: 1, out: log, scale });
      generated = r.lines;
      scale *= (want / generated) * 1.03;
    }
    const bytes = statSync(log).size;

    // End to end first, with nothing else on the heap: the real pipeline, default parse workers.
    // (Holding the log's lines in memory for the stages below would slow its garbage collection.)
    const workers = values.workers === undefined ? defaultWorkers() : Number(values.workers);
    const e2e = await endToEnd(log, workers);
    const e2eSerial = await endToEnd(log, 0);

    const lines: string[] = [];
    for await (const l of createInterface({
      input: createReadStream(log),
      crlfDelay: Number.POSITIVE_INFINITY,
    }))
      if (l.length > 0) lines.push(l);
    console.log(
      `${lines.length} lines, ${(bytes / 1e6).toFixed(0)} MB (${Math.round(bytes / lines.length)} bytes/line avg)`,
    );

    // Per stage, one thread, CPU time.
    const jsonOnly = cpu(() => {
      let n = 0;
      for (const l of lines) n += JSON.parse(l) ? 1 : 0;
      return n;
    });
    // As analyze's parse threads do: the text-feature memo on, starting empty.
    rememberTextFeatures(true);
    const parsed = cpu(() => {
      const evs: RequestEvent[] = [];
      for (const l of lines) {
        const r = parseLogLine(l);
        if (r.ok) evs.push(r.event);
      }
      return evs;
    });
    rememberTextFeatures(false);
    const handOff = cpu(() => {
      let n = 0;
      for (let i = 0; i < parsed.value.length; i += 256)
        forEachPacked(packEvents(parsed.value.slice(i, i + 256)), () => n++);
      return n;
    });
    const heap0 = heapAfterGc();
    const engine = new Engine();
    const ingest = cpu(() => {
      for (const e of parsed.value) engine.ingest(e);
    });
    const evaluate = cpu(() => engine.evaluate());
    const heap1 = heapAfterGc();
    const stats = engine.stats();
    const n = lines.length;
    const stageRows = [
      [
        'end to end, analyze pipeline',
        `${workers} parse worker${workers === 1 ? '' : 's'}`,
        Math.round(e2e.linesPerSecond),
        (1e6 / e2e.linesPerSecond).toFixed(1),
        `wall; cpu ${e2e.cpuPerLine} µs/line, main thread ${e2e.mainPerLine}`,
      ],
      [
        'end to end, analyze pipeline',
        'main thread only',
        Math.round(e2eSerial.linesPerSecond),
        (1e6 / e2eSerial.linesPerSecond).toFixed(1),
        `wall; cpu ${e2eSerial.cpuPerLine} µs/line`,
      ],
      cpuStageRow(n, 'JSON.parse only', jsonOnly.seconds),
      cpuStageRow(n, 'parseLogLine (JSON + features, memo on)', parsed.seconds),
      cpuStageRow(n, 'pack + unpack (thread hand-off)', handOff.seconds),
      cpuStageRow(n, 'engine.ingest', ingest.seconds),
      ['engine.evaluate (final)', '1 thread', '–', `${(evaluate.seconds * 1000).toFixed(0)} ms total`, 'cpu'],
    ];
    const load = loadavg()
      .map((x) => x.toFixed(1))
      .join(' ');
    console.log(
      `\nThroughput on ${n} lines (${(bytes / 1e6).toFixed(0)} MB); ${availableParallelism()} cores, load average ${load}`,
    );
    console.log(table(['stage', 'threads', 'lines/s', 'µs/line', 'clock'], stageRows));
    const memRows = [
      ['tracked accounts', stats.accounts],
      ['events', stats.events],
      ['heap delta after ingest (KiB)', Math.round((heap1 - heap0) / 1024)],
      ['heap per account (bytes)', Math.round((heap1 - heap0) / Math.max(1, stats.accounts))],
      ['engine approxBytes', stats.approxBytes],
      ['approxBytes per account', Math.round(stats.approxBytes / Math.max(1, stats.accounts))],
    ];
    console.log(
      `\nMemory (heap delta includes the population, linkage and campaign state)\n${table(['measure', 'value'], memRows)}`,
    );
    const grow = growth();
    console.log(
      `\nOne key growing 100× (bulk harvester)\n${table(['requests on the key', 'accounts', 'approxBytes', 'heap delta KiB'], grow)}`,
    );
    const first = grow[0]?.[2] as number;
    const last = grow[grow.length - 1]?.[2] as number;
    console.log(`approxBytes growth 1k → 100k requests: ×${(last / first).toFixed(2)}`);
    const out = join(ROOT, 'bench', 'out');
    mkdirSync(out, { recursive: true });
    writeFileSync(
      join(out, 'detect-speed.json'),
      `${JSON.stringify({ engine: ENGINE_VERSION, loadavg: loadavg(), lines: n, bytes, stages: stageRows, memory: memRows, growth: grow, generatedAt: new Date().toISOString() }, null, 1)}\n`,
    );
    console.log(`\nwrote ${join(out, 'detect-speed.json')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
