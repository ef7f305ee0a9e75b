/**
 * @module cli/analyze
 * `distillguard analyze LOG.jsonl[.gz]|-`: streams a log in the documented log-line format
 * (docs/log-format.md) line by line from a file, gzip or stdin, parses every line with
 * `parseLogLine` (in worker threads when it pays: chunks of whole lines go to the workers as
 * transferred bytes, events come back packed; the main thread parses chunks too whenever it would
 * otherwise wait for a worker), feeds the detection engine in order, prints a
 * summary table and writes findings (and a simple HTML report). A bad line is counted and
 * reported with its line number; it never stops the run. `analyzeStream` is the same pipeline
 * for the benchmarks and tests.
 */
import { once } from 'node:events';
import {
  accessSync,
  constants,
  createReadStream,
  existsSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { ConfigFlags } from '../config/load.js';
import { type DeepPartial, type DetectConfig, Engine } from '../detect/engine.js';
import { forEachPacked, type PackedEvents } from '../events/packed.js';
import type { RequestEvent } from '../events/types.js';
import { countPresent, emptyPresent } from '../report/coverage.js';
import type { Findings } from '../report/findings.js';
import { renderFindingsHtml } from '../report/html.js';
import { formatSummary } from '../report/summary.js';
import type { ParseChunk, ParsedChunk } from './analyze-worker.js';

/** What the pipeline needs from an engine (the detection engine implements it). */
export interface EngineLike {
  ingest(event: RequestEvent): void;
  evaluate(): void;
  findings(input: Findings['input']): Findings;
  stats(): { accounts: number; orgs: number; events: number; duplicates?: number; approxBytes: number };
}

export interface AnalyzeOptions {
  /** Parse worker threads; 0 parses on the main thread. Default: `defaultWorkers()`. */
  workers?: number;
  /** Bytes of whole lines per chunk sent to a worker (a longer line makes a longer chunk). */
  chunkBytes?: number;
  storeText?: boolean;
  /** Builds the engine; the detection engine with its defaults when omitted. */
  engine?: () => EngineLike;
  /** Bad-line samples kept in the findings (the count is always exact). */
  maxBadSamples?: number;
  /** Called about every 10,000 lines with lines and bytes read so far. */
  onProgress?: (lines: number, bytes: number) => void;
  /** Called with every parsed event before the engine sees it (benchmarks use it). */
  onEvent?: (event: RequestEvent) => void;
}

export const ANALYZE_DEFAULTS = { chunkBytes: 512 * 1024, maxBadSamples: 100 } as const;
/** Files below this size (bytes) are parsed on the main thread by the command. */
const SMALL_FILE = 16 * 1024 * 1024;

/**
 * Parse workers by default: one core less than the machine has (the main thread runs the engine),
 * at most 4, none on one core. On two cores one worker beat two by 3–21% in lines/s with 12–25%
 * less CPU per line (docs/performance.md, "Figures after round 9").
 */
export function defaultWorkers(): number {
  const cores = availableParallelism();
  return cores < 2 ? 0 : Math.min(4, cores - 1);
}

export interface AnalyzeResult {
  findings: Findings;
  lines: number;
  badLines: number;
  seconds: number;
  linesPerSecond: number;
  engineStats: ReturnType<EngineLike['stats']>;
}

/** A readable of the decoded bytes of `src`: gunzipped when it starts with the gzip magic bytes. */
export function decoded(src: Readable): Readable {
  const out = new PassThrough();
  (async () => {
    let sink: Writable = out;
    let first = true;
    for await (const chunk of src as AsyncIterable<Buffer>) {
      if (first) {
        first = false;
        if (chunk[0] === 0x1f && chunk[1] === 0x8b) {
          const gz = createGunzip();
          gz.on('error', (err) => out.destroy(err));
          gz.pipe(out);
          sink = gz;
        }
      }
      if (!sink.write(chunk)) await once(sink, 'drain');
    }
    sink.end();
  })().catch((err: unknown) => out.destroy(err as Error));
  return out;
}

/** Opens a log path (`-` for stdin) as decoded bytes. */
export function openLog(path: string): Readable {
  return decoded(path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 1 << 20 }));
}

/**
 * Starts a parse worker. Compiled, it loads `analyze-worker.js`; from sources (tsx, vitest) a
 * small bootstrap registers tsx's loader first, since Node 20 cannot load a `.ts` worker entry.
 */
function spawnParser(workerData: { storeText: boolean }): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./analyze-worker.js', import.meta.url), { workerData });
  const entry = new URL('./analyze-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

/** Parse workers as `SharedParse` uses them (an interface so tests can stand in for threads). */
export interface ChunkPool {
  /** Chunks posted and not back yet. */
  readonly inFlight: number;
  post(c: ParseChunk): void;
  poll(seq: number): ParsedChunk | undefined;
  take(seq: number): Promise<ParsedChunk>;
  close(): Promise<void>;
}

/**
 * The parse workers. Owns the threads and the parsed chunks they sent back until taken (by
 * sequence number); chunks go to the workers in turn.
 */
class ParsePool implements ChunkPool {
  private workers: Worker[] = [];
  private waiting = new Map<number, ParsedChunk>();
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  private posted = 0;
  inFlight = 0;

  constructor(n: number, storeText: boolean) {
    for (let i = 0; i < n; i++) {
      const w = spawnParser({ storeText });
      w.on('message', (b: ParsedChunk) => {
        this.inFlight--;
        this.waiting.set(b.seq, b);
        this.wake?.();
      });
      w.on('error', (err) => {
        this.failure = err;
        this.wake?.();
      });
      this.workers.push(w);
    }
  }

  /** Sends a chunk to a worker; its bytes are transferred (unusable here afterwards). */
  post(c: ParseChunk): void {
    this.inFlight++;
    this.workers[this.posted++ % this.workers.length]!.postMessage(c, [c.bytes.buffer as ArrayBuffer]);
  }

  /** The parsed chunk `seq` if it is back (it is then no longer held here). */
  poll(seq: number): ParsedChunk | undefined {
    if (this.failure) throw this.failure;
    const b = this.waiting.get(seq);
    if (b) this.waiting.delete(seq);
    return b;
  }

  /** The parsed chunk `seq`, waiting for it when needed. */
  async take(seq: number): Promise<ParsedChunk> {
    for (;;) {
      const b = this.poll(seq);
      if (b) return b;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = null;
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Cuts a byte stream into chunks of whole lines of about `size` bytes, each in its own buffer
 * (so it can be transferred to a worker). The last chunk may end without a newline.
 */
async function* lineChunks(
  src: Readable,
  size: number,
  onBytes: (n: number) => void,
): AsyncGenerator<Uint8Array> {
  let parts: Uint8Array[] = [];
  let held = 0;
  const joined = () => {
    const all = new Uint8Array(held);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return all;
  };
  try {
    for await (const chunk of src as AsyncIterable<Buffer>) {
      onBytes(chunk.length);
      parts.push(chunk);
      held += chunk.length;
      if (held < size) continue;
      const all = joined();
      let from = 0;
      while (all.length - from >= size) {
        let cut = all.lastIndexOf(10, from + size - 1) + 1;
        if (cut <= from) cut = all.indexOf(10, from + size) + 1;
        if (cut === 0) break; // one line longer than the chunk: wait for its end
        yield all.slice(from, cut);
        from = cut;
      }
      parts = from < all.length ? [from === 0 ? all : all.subarray(from)] : [];
      held = all.length - from;
    }
  } catch (err) {
    // A read error (a truncated gzip, say) ends the log: the lines read before it still count.
    if (held > 0) yield joined();
    throw err;
  }
  if (held > 0) yield joined();
}

/**
 * `chunks` until reading fails: the error (a truncated gzip, an I/O error) ends the log there and
 * is kept in `failure.error`, so that the lines read before it are still analyzed and reported.
 */
function untilReadError(
  chunks: AsyncIterator<Uint8Array>,
  failure: { error: string | null },
): AsyncIterator<Uint8Array> {
  return {
    async next() {
      if (failure.error !== null) return { done: true, value: undefined };
      try {
        return await chunks.next();
      } catch (err) {
        failure.error = (err as Error).message;
        return { done: true, value: undefined };
      }
    },
  };
}

/**
 * The parser for parsing on this thread, with the text-feature memo on for the run (the log holds
 * the prompts anyway; turn it off after). Loaded only when this thread first parses: the parser's
 * modules cost CPU to load (~0.2 s from sources under tsx; gpt-tokenizer's ranks, another ~0.2 s,
 * only when a line lacks usage) and with workers this thread may never need them.
 */
async function localParser() {
  const [{ parseChunk, warmUpParser }, { rememberTextFeatures }, { withoutLoading }] = await Promise.all([
    import('./analyze-worker.js'),
    import('../events/features.js'),
    import('../events/tokens.js'),
  ]);
  warmUpParser();
  rememberTextFeatures(true);
  return { parseChunk, rememberTextFeatures, withoutLoading };
}

/** `"usage":`, the key of a line's reported token counts (docs/log-format.md). */
const USAGE_KEY = Buffer.from('"usage":');

/**
 * Whether every non-blank line of a chunk contains `"usage":`. A line without it lacks reported
 * token usage and makes its parser count tokens with gpt-tokenizer; a line with it usually does
 * not (a heuristic: only where a chunk is parsed depends on it, never what the parse gives).
 */
export function everyLineHasUsage(bytes: Uint8Array): boolean {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let start = 0;
  while (start < b.length) {
    let end = b.indexOf(10, start);
    if (end === -1) end = b.length;
    const at = b.indexOf(USAGE_KEY, start);
    if ((at === -1 || at > end) && !isBlank(b, start, end)) return false;
    start = end + 1;
  }
  return true;
}

/** Whether bytes [start, end) are all ASCII whitespace (a blank line, which the parser skips). */
function isBlank(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (c !== 32 && c !== 9 && c !== 13 && c !== 11 && c !== 12) return false;
  }
  return true;
}

/** One turn of the event loop: lets the workers' messages that arrived meanwhile be delivered. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The log's parsed chunks in line order, the parsing shared between the parse workers and this
 * thread. Owns the one reader of raw chunks (numbered as read), the chunks parsed here and not yet
 * handed out, and this thread's parser (loaded when it first parses). Each chunk read goes to the
 * pool while it has room; when the chunk due next is not back yet, this thread reads the next raw
 * chunk and parses it itself rather than wait, so both threads stay busy whichever is the slower.
 * At most `ahead` chunks are read and not yet handed out. Without a pool every chunk parses here.
 */
export class SharedParse {
  /** Chunks parsed on this thread so far. */
  parsedHere = 0;
  private read = 0;
  private due = 0;
  private ended = false;
  private local = new Map<number, ParsedChunk>();
  private parser: Awaited<ReturnType<typeof localParser>> | null = null;

  constructor(
    private readonly reader: AsyncIterator<Uint8Array>,
    private readonly pool: ChunkPool | null,
    private readonly storeText: boolean,
    private readonly maxInFlight: number,
    private readonly ahead: number,
  ) {}

  /** The next raw chunk, or null at the end of the log. */
  private async nextRaw(): Promise<ParseChunk | null> {
    if (this.ended) return null;
    const r = await this.reader.next();
    if (r.done) {
      this.ended = true;
      return null;
    }
    return { seq: this.read++, bytes: r.value };
  }

  private ready(): ParsedChunk | undefined {
    const b = this.local.get(this.due) ?? this.pool?.poll(this.due);
    if (b) {
      this.local.delete(this.due);
      this.due++;
    }
    return b;
  }

  /** The next parsed chunk in line order, or null when the log is done. */
  async next(): Promise<ParsedChunk | null> {
    const pool = this.pool;
    for (;;) {
      while (pool && pool.inFlight < this.maxInFlight && this.read - this.due < this.ahead) {
        const c = await this.nextRaw();
        if (!c) break;
        pool.post(c);
      }
      let b = this.ready();
      if (!b && pool && this.read > this.due) {
        await turn();
        b = this.ready();
      }
      if (b) return b;
      if (this.ended && this.due === this.read) return null;
      if (!this.ended && this.read - this.due < this.ahead) {
        const c = await this.nextRaw();
        if (c) await this.parseHere(c);
        continue;
      }
      const seq = this.due++;
      return await pool!.take(seq);
    }
  }

  /**
   * Parses a raw chunk on this thread. With workers, a chunk that needs gpt-tokenizer (a line
   * without reported usage) goes to them instead, unless this thread has the library already: the
   * workers load it anyway, and loading it here too costs ~0.4 s of CPU for a few lines. The
   * chunk is handed out in its turn either way, with the same events. A chunk parsed here is
   * packed without the string table (nothing crosses threads).
   */
  private async parseHere(c: ParseChunk): Promise<void> {
    this.parser ??= await localParser();
    const { parseChunk, withoutLoading } = this.parser;
    const pool = this.pool;
    const parsed =
      pool === null
        ? parseChunk(c, this.storeText, false)
        : everyLineHasUsage(c.bytes)
          ? withoutLoading(() => parseChunk(c, this.storeText, false))
          : null;
    if (parsed === null) {
      pool!.post(c);
      return;
    }
    this.local.set(c.seq, parsed);
    this.parsedHere++;
  }

  /** Stops the reader and the workers; this thread's parser forgets its memo. */
  async close(): Promise<void> {
    this.parser?.rememberTextFeatures(false);
    await this.reader.return?.();
    await this.pool?.close();
  }
}

/**
 * Reads a plain (not gzip) log file in chunks of whole lines of about `size` bytes, each in its own
 * buffer (transferable), straight into that buffer: no stream, and no copy of the bytes after the
 * read but for the part line at a chunk's end. The last chunk may end without a newline.
 */
async function* fileChunks(
  fh: FileHandle,
  size: number,
  onBytes: (n: number) => void,
): AsyncGenerator<Uint8Array> {
  let carry = new Uint8Array(0);
  for (;;) {
    // A line longer than a chunk doubles the buffer until it holds the line's end.
    const buf = new Uint8Array(Math.max(size, 2 * carry.length));
    buf.set(carry);
    let len = carry.length;
    let end = false;
    while (len < buf.length) {
      const { bytesRead } = await fh.read(buf, len, buf.length - len, null);
      if (bytesRead === 0) {
        end = true;
        break;
      }
      onBytes(bytesRead);
      len += bytesRead;
    }
    if (end) {
      if (len > 0) yield buf.subarray(0, len);
      return;
    }
    const cut = buf.lastIndexOf(10, len - 1) + 1;
    if (cut === 0) {
      carry = buf;
      continue;
    }
    carry = buf.slice(cut, len);
    yield buf.subarray(0, cut);
  }
}

/**
 * The analyze pipeline over a log path (`-` for stdin): a plain file is read straight into the
 * chunks (`fileChunks`), anything else (stdin, gzip) through `openLog` and `analyzeStream`.
 * The results are the same either way; the direct read costs the main thread ~3 µs per line less
 * (no stream buffers, no copies).
 */
export async function analyzeLog(path: string, o: AnalyzeOptions = {}): Promise<AnalyzeResult> {
  if (path === '-') return analyzeStream(openLog(path), o);
  const fh = await open(path, 'r');
  try {
    const head = new Uint8Array(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    if (bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b) return await analyzeStream(openLog(path), o);
    return await analyzeChunks((size, onBytes) => fileChunks(fh, size, onBytes), o);
  } finally {
    await fh.close();
  }
}

/** The analyze pipeline over a stream of log lines: parse → engine → findings. */
export async function analyzeStream(src: Readable, o: AnalyzeOptions = {}): Promise<AnalyzeResult> {
  return analyzeChunks((size, onBytes) => lineChunks(src, size, onBytes), o);
}

/**
 * A batch in one object shape whichever thread packed it. A worker's batch is a structured clone:
 * its object has another map than the packer's own, and its string list is a holey array where
 * the packer's is packed; `forEachPacked` (with the engine inlined into it) was compiled again
 * after a "wrong map" deopt at the first batch of the other kind. Copying the list (a few
 * thousand references a batch) costs microseconds.
 */
function sameShape(e: PackedEvents): PackedEvents {
  const strs = new Array<string>(e.strs.length);
  for (let i = 0; i < strs.length; i++) strs[i] = e.strs[i]!;
  return { count: e.count, nums: e.nums, sigs: e.sigs, refs: e.refs, strs };
}

/** The analyze pipeline over chunks of whole lines (made by `chunksOf`): parse → engine → findings. */
async function analyzeChunks(
  chunksOf: (size: number, onBytes: (n: number) => void) => AsyncIterator<Uint8Array>,
  o: AnalyzeOptions,
): Promise<AnalyzeResult> {
  const started = performance.now();
  const engine = o.engine ? o.engine() : new Engine();
  const chunkBytes = o.chunkBytes ?? ANALYZE_DEFAULTS.chunkBytes;
  const maxSamples = o.maxBadSamples ?? ANALYZE_DEFAULTS.maxBadSamples;
  const storeText = o.storeText ?? false;
  const nWorkers = o.workers ?? defaultWorkers();
  const pool = nWorkers > 0 ? new ParsePool(nWorkers, storeText) : null;
  const maxInFlight = nWorkers * 4;
  let bytes = 0;
  let lines = 0;
  let badLines = 0;
  let nextProgress = 10_000;
  const samples: Array<{ line: number; error: string }> = [];
  const present = emptyPresent();
  const onEvent = o.onEvent;
  const ingest = (e: RequestEvent) => {
    onEvent?.(e);
    countPresent(present, e);
    engine.ingest(e);
  };
  const consume = (b: ParsedChunk) => {
    forEachPacked(sameShape(b.events), ingest);
    badLines += b.bad.length;
    for (const s of b.bad)
      if (samples.length < maxSamples) samples.push({ line: lines + s.line, error: s.error });
    lines += b.lines;
    if (lines >= nextProgress) {
      o.onProgress?.(lines, bytes);
      nextProgress = (Math.floor(lines / 10_000) + 1) * 10_000;
    }
  };
  const failure: { error: string | null } = { error: null };
  const chunks = new SharedParse(
    untilReadError(
      chunksOf(chunkBytes, (n) => (bytes += n)),
      failure,
    ),
    pool,
    storeText,
    maxInFlight,
    maxInFlight + 2,
  );
  try {
    for (let b = await chunks.next(); b; b = await chunks.next()) consume(b);
  } finally {
    await chunks.close();
  }
  o.onProgress?.(lines, bytes);
  engine.evaluate();
  const engineStats = engine.stats();
  const input: Findings['input'] = { lines, bad_lines: badLines, bad_line_samples: samples, present };
  if (engineStats.duplicates) input.duplicates = engineStats.duplicates;
  if (failure.error !== null) input.read_error = failure.error;
  const findings = engine.findings(input);
  const seconds = (performance.now() - started) / 1000;
  return { findings, lines, badLines, seconds, linesPerSecond: lines / seconds, engineStats };
}

export interface AnalyzeCliOptions {
  out?: string;
  report?: string;
  serve?: boolean;
  workers?: string;
  storeText?: boolean;
  quiet?: boolean;
  port?: string;
  adminToken?: string;
  /** YAML config file: its `detection` section configures the engine (and `--serve` reads the rest). */
  config?: string;
}

/**
 * The engine settings of a config file's `detection` section, checked the way the engine checks
 * them. Throws an Error naming the file and each bad field.
 */
export async function detectionConfigOf(file: string): Promise<DeepPartial<DetectConfig>> {
  const [{ loadConfig }, { resolveConfig }, { z }] = await Promise.all([
    import('../config/load.js'),
    import('../detect/config.js'),
    import('zod'),
  ]);
  const detection = loadConfig({ file, env: {} }).detection as DeepPartial<DetectConfig>;
  try {
    resolveConfig(detection);
  } catch (err) {
    if (!(err instanceof z.ZodError)) throw err;
    const issues = err.issues.map((i) => `detection.${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`${file}: ${issues}`);
  }
  return detection;
}

/** Runs the command: returns the process exit code. */
export async function runAnalyze(log: string, opts: AnalyzeCliOptions): Promise<number> {
  let detection: DeepPartial<DetectConfig> = {};
  try {
    if (opts.config) detection = await detectionConfigOf(opts.config);
  } catch (err) {
    process.stderr.write(`distillguard analyze: invalid config: ${(err as Error).message}\n`);
    return 2;
  }
  let size = 0;
  try {
    if (log !== '-') {
      const st = statSync(log);
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      size = st.size;
    }
  } catch (err) {
    process.stderr.write(
      `distillguard analyze: cannot read ${log}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`,
    );
    return 2;
  }
  // Output paths are checked before the run, not found unwritable after it.
  for (const [flag, path] of [
    ['--out', opts.out],
    ['--report', opts.report],
  ] as const) {
    const problem = path ? unwritable(path) : null;
    if (problem) {
      process.stderr.write(`distillguard analyze: cannot write ${flag} ${path}: ${problem}\n`);
      return 2;
    }
  }
  const bar = process.stderr.isTTY && !opts.quiet ? await progressBar(size) : null;
  const result = await analyzeLog(log, {
    // Small files parse faster on the main thread than it takes to start workers.
    workers:
      opts.workers !== undefined ? Number(opts.workers) : size > 0 && size < SMALL_FILE ? 0 : undefined,
    storeText: opts.storeText ?? false,
    engine: () => new Engine(detection),
    onProgress: (lines, bytes) => bar?.update(size > 0 ? bytes : lines, { lines }),
  });
  bar?.stop();
  const f = result.findings;
  if (!opts.quiet) process.stdout.write(`${formatSummary(f)}\n`);
  for (const s of f.input.bad_line_samples ?? []) process.stderr.write(`bad line ${s.line}: ${s.error}\n`);
  if (result.badLines > (f.input.bad_line_samples?.length ?? 0))
    process.stderr.write(`… ${result.badLines - (f.input.bad_line_samples?.length ?? 0)} more bad lines\n`);
  process.stderr.write(
    `${result.lines} lines (${result.badLines} bad) in ${result.seconds.toFixed(2)} s: ${Math.round(result.linesPerSecond)} lines/s\n`,
  );
  if (opts.out) {
    writeFileSync(opts.out, `${JSON.stringify(f, null, 1)}\n`);
    process.stderr.write(`findings written to ${opts.out}\n`);
  }
  if (opts.report) {
    writeFileSync(opts.report, renderFindingsHtml(f));
    process.stderr.write(`report written to ${opts.report}\n`);
  }
  if (f.input.read_error !== undefined) {
    process.stderr.write(
      `distillguard analyze: reading ${log} stopped early (${f.input.read_error}) after ${result.lines} lines; ` +
        'the findings cover those lines\n',
    );
  }
  if (opts.serve) await serveFindings(f, opts);
  return f.input.read_error !== undefined ? 1 : 0;
}

/** Why a file cannot be written at `path` (its folder is missing or read-only, it is a folder), or null. */
export function unwritable(path: string): string | null {
  try {
    if (existsSync(path) && statSync(path).isDirectory()) return 'is a directory';
    accessSync(existsSync(path) ? path : dirname(resolve(path)), constants.W_OK);
    return null;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  }
}

/**
 * `--serve`: starts the admin API (and dashboard) on a temporary embedded store, with these
 * findings as its findings source, until Ctrl-C.
 */
async function serveFindings(f: Findings, opts: AnalyzeCliOptions): Promise<void> {
  const [{ ensureAdminToken, loadConfig }, { startApp }] = await Promise.all([
    import('../config/load.js'),
    import('../app.js'),
  ]);
  const data = mkdtempSync(join(tmpdir(), 'distillguard-analyze-'));
  const flags: ConfigFlags = { data, port: Number(opts.port ?? 0), config: opts.config };
  if (opts.adminToken) flags.adminToken = opts.adminToken;
  const { config } = ensureAdminToken(loadConfig({ env: {}, flags }));
  const app = await startApp(config, { hooks: [() => ({ findings: { latest: () => f } })] });
  process.stderr.write(
    `serving these findings: ${app.url}/admin/findings and ${app.url}/dashboard\n` +
      `admin token: ${config.admin_token}\nCtrl-C to stop\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await app.close();
  rmSync(data, { recursive: true, force: true });
}

interface Bar {
  update(value: number, payload: { lines: number }): void;
  stop(): void;
}

async function progressBar(total: number): Promise<Bar> {
  const { default: progress } = await import('cli-progress');
  const bar = new progress.SingleBar(
    {
      format: total > 0 ? 'analyze [{bar}] {percentage}% | {lines} lines | {eta}s' : 'analyze {lines} lines',
      stream: process.stderr,
      hideCursor: true,
    },
    progress.Presets.shades_classic,
  );
  bar.start(total > 0 ? total : 1, 0, { lines: 0 });
  return bar;
}

export function register(program: Command): void {
  program
    .command('analyze')
    .description('analyze a request log (JSON Lines, .gz or - for stdin) for distillation')
    .argument('<log>', 'log file in the log-line format (docs/log-format.md), .gz, or - for stdin')
    .addOption(new Option('--out <file>', 'write findings JSON here').env('DISTILLGUARD_OUT'))
    .addOption(
      new Option('--report <file>', 'write a self-contained HTML report here').env('DISTILLGUARD_REPORT'),
    )
    .option('--serve', 'serve the findings on the admin API and dashboard until Ctrl-C')
    .addOption(new Option('--port <n>', 'port for --serve (default: a free one)').env('DISTILLGUARD_PORT'))
    .addOption(new Option('--admin-token <token>', 'admin token for --serve').env('DISTILLGUARD_ADMIN_TOKEN'))
    .addOption(
      new Option('--workers <n>', 'parse worker threads (0 = main thread)').env('DISTILLGUARD_WORKERS'),
    )
    .addOption(
      new Option(
        '--config <file>',
        "YAML config file: its detection section sets the engine's thresholds and weights",
      ).env('DISTILLGUARD_CONFIG'),
    )
    .option('--store-text', 'keep prompt texts in the events (off by default)')
    .option('--quiet', 'no summary table and no progress bar')
    .action(async (log: string, opts: AnalyzeCliOptions) => {
      process.exitCode = await runAnalyze(log, opts);
    });
}
