import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  analyzeLog,
  analyzeStream,
  type ChunkPool,
  type EngineLike,
  everyLineHasUsage,
  openLog,
  runAnalyze,
  SharedParse,
} from '../../src/cli/analyze.js';
import { type ParseChunk, type ParsedChunk, parseChunk, warmUpParser } from '../../src/cli/analyze-worker.js';
import { textMemoSize } from '../../src/events/features.js';
import { parseLogLine } from '../../src/events/logline.js';
import { unpackEvents } from '../../src/events/packed.js';
import type { RequestEvent } from '../../src/events/types.js';
import type { Findings } from '../../src/report/findings.js';
import { renderFindingsHtml } from '../../src/report/html.js';
import { formatSummary } from '../../src/report/summary.js';
import { simulateToFile } from '../../src/sim/index.js';

const dir = mkdtempSync(join(tmpdir(), 'dg-analyze-'));
const ROOT = resolve(import.meta.dirname, '../..');
let log: string;
let good: string[];

beforeAll(async () => {
  const base = join(dir, 'base.jsonl');
  await simulateToFile({ scenario: 'hydra', seed: 3, out: base, scale: 0.1, days: 1 });
  good = readFileSync(base, 'utf8').trim().split('\n');
  // line 3: broken JSON; line 6: no key; the file ends with a newline
  const lines = [
    ...good.slice(0, 2),
    '{"ts": oops',
    ...good.slice(2, 4),
    '{"ts":"2026-03-02T00:00:00Z","request":{"messages":[]}}',
    ...good.slice(4),
    '',
  ];
  log = join(dir, 'with-bad.jsonl');
  writeFileSync(log, lines.join('\n'));
  writeFileSync(`${log}.gz`, gzipSync(readFileSync(log)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A trivial engine stand-in: records what it is given, in order, and reports per-key counts. */
class CountingEngine implements EngineLike {
  seen: RequestEvent[] = [];
  ingest(e: RequestEvent) {
    this.seen.push(e);
  }
  evaluate() {}
  findings(input: Findings['input']): Findings {
    const per = new Map<string, number>();
    for (const e of this.seen) per.set(e.keyId, (per.get(e.keyId) ?? 0) + 1);
    const accounts = [...per].map(([key, requests]) => ({
      key,
      org: key,
      requests,
      output_tokens: 0,
      score: 0,
      verdict: 'benign' as const,
      first_flagged_at: null,
      campaign: null,
      reasons: [],
    }));
    return { version: 1, generated_at: 'x', input, accounts, campaigns: [] };
  }
  stats() {
    return { accounts: 0, orgs: 0, events: this.seen.length, approxBytes: 0 };
  }
}
const counting = () => new CountingEngine();

const strip = (f: Findings) => ({ ...f, generated_at: '' });

describe('analyze', () => {
  it('reports bad lines with their line numbers and keeps going; writes findings and a report', async () => {
    const out = join(dir, 'findings.json');
    const report = join(dir, 'report.html');
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = await runAnalyze(log, { out, report, quiet: true, workers: '0' });
    const written = err.mock.calls.map((c) => String(c[0])).join('');
    err.mockRestore();
    expect(code).toBe(0);
    expect(written).toContain('bad line 3: invalid JSON');
    expect(written).toContain('bad line 6: key');
    const f = JSON.parse(readFileSync(out, 'utf8')) as Findings;
    expect(f.input.lines).toBe(good.length + 2);
    expect(f.input.bad_lines).toBe(2);
    expect(f.input.bad_line_samples?.map((s) => s.line)).toEqual([3, 6]);
    const keys = new Set(good.map((l) => (JSON.parse(l) as { key: string }).key));
    expect(new Set(f.accounts.map((a) => a.key))).toEqual(keys);
    expect(readFileSync(report, 'utf8')).toMatch(/^<!doctype html>[\s\S]*<\/html>\n$/);
  });

  it('reads gzip, and gives the same findings with parse workers as without', async () => {
    const plain = await analyzeStream(openLog(log), { workers: 0, engine: counting });
    const gz = await analyzeStream(openLog(`${log}.gz`), { workers: 0, engine: counting });
    const threaded = await analyzeStream(openLog(log), { workers: 2, chunkBytes: 7000, engine: counting });
    expect(plain.findings.accounts.length).toBeGreaterThan(5);
    expect(strip(gz.findings)).toEqual(strip(plain.findings));
    expect(strip(threaded.findings)).toEqual(strip(plain.findings));
    expect(plain.badLines).toBe(2);
  });

  it('feeds every good event to the engine in log order', async () => {
    const engine = new CountingEngine();
    await analyzeStream(Readable.from([readFileSync(log)]), {
      workers: 2,
      chunkBytes: 5000,
      engine: () => engine,
    });
    expect(engine.seen.map((e) => e.id)).toEqual(good.map((l) => (JSON.parse(l) as { id: string }).id));
  });

  it('numbers lines the same whatever the chunk size, with CRLF and blank lines', async () => {
    const crlf = `${readFileSync(log, 'utf8').trim().split('\n').join('\r\n')}\r\n\r\n`;
    const runs = [];
    for (const [workers, chunkBytes] of [
      [0, 1 << 20],
      [0, 100],
      [2, 3000],
    ] as const)
      runs.push(
        await analyzeStream(Readable.from([Buffer.from(crlf)]), { workers, chunkBytes, engine: counting }),
      );
    for (const r of runs) {
      expect(r.lines).toBe(good.length + 3);
      expect(r.findings.input.bad_line_samples?.map((s) => s.line)).toEqual([3, 6]);
      expect(strip(r.findings)).toEqual(strip(runs[0]!.findings));
    }
  });

  it('reads a plain file straight into chunks with the same results as the stream, whatever the chunk size', async () => {
    const engine = new CountingEngine();
    const streamed = await analyzeStream(openLog(log), { workers: 0, engine: () => engine });
    const ids = engine.seen.map((e) => e.id);
    // No newline at the end, CRLF, a blank line, and a line longer than the chunks.
    const long = good[0]!.replace('"key":', `"pad":"${'x'.repeat(9000)}","key":`);
    const odd = join(dir, 'odd.jsonl');
    writeFileSync(odd, `${readFileSync(log, 'utf8').trim().split('\n').join('\r\n')}\r\n\r\n${long}`);
    for (const [workers, chunkBytes] of [
      [0, 1 << 20],
      [0, 100],
      [0, 4096],
      [2, 3000],
    ] as const) {
      const e = new CountingEngine();
      const r = await analyzeLog(log, { workers, chunkBytes, engine: () => e });
      expect(e.seen.map((x) => x.id)).toEqual(ids);
      expect(strip(r.findings)).toEqual(strip(streamed.findings));
      const o = await analyzeLog(odd, { workers, chunkBytes, engine: counting });
      const os = await analyzeStream(openLog(odd), { workers: 0, engine: counting });
      expect(o.lines).toBe(good.length + 4);
      expect(strip(o.findings)).toEqual(strip(os.findings));
      expect(o.findings.input.bad_line_samples?.map((s) => s.line)).toEqual([3, 6]);
    }
    const gz = await analyzeLog(`${log}.gz`, { workers: 0, engine: counting });
    expect(strip(gz.findings)).toEqual(strip(streamed.findings));
  });

  it("warms the parser's scans up without changing what it parses or what its memos hold", () => {
    const before = good.map((l) => parseLogLine(l, { storeText: true }));
    const memo = textMemoSize();
    warmUpParser();
    expect(textMemoSize()).toEqual(memo);
    expect(good.map((l) => parseLogLine(l, { storeText: true }))).toEqual(before);
  });

  it("takes the engine's settings from a config file's detection section, and refuses bad ones", async () => {
    const run = async (config?: string) => {
      const out = join(dir, 'with-config.json');
      const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      const code = await runAnalyze(log, { out, quiet: true, workers: '0', ...(config ? { config } : {}) });
      const written = err.mock.calls.map((c) => String(c[0])).join('');
      err.mockRestore();
      return {
        code,
        written,
        findings: code === 0 ? (JSON.parse(readFileSync(out, 'utf8')) as Findings) : null,
      };
    };
    const everyone = join(dir, 'everyone.yaml');
    writeFileSync(everyone, 'detection:\n  thresholds:\n    suspicious: 0\n    distillation: 1\n');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'detection:\n  thresholds:\n    suspicious: 2\n');

    const plain = await run();
    expect(plain.findings!.accounts.some((a) => a.verdict === 'benign')).toBe(true);
    const all = await run(everyone);
    expect(all.code).toBe(0);
    expect(all.findings!.accounts.length).toBe(plain.findings!.accounts.length);
    expect(all.findings!.accounts.every((a) => a.verdict !== 'benign')).toBe(true);
    expect(all.findings!.engine?.config).toMatchObject({ thresholds: { suspicious: 0, distillation: 1 } });
    const missing = await run(join(dir, 'missing.yaml'));
    expect(missing.code).toBe(2);
    expect(missing.written).toContain('invalid config');
    const refused = await run(bad);
    expect(refused.code).toBe(2);
    expect(refused.written).toMatch(/invalid config: .*bad\.yaml: detection\.thresholds\.suspicious/);
  });

  it('says which log it cannot read, and exits 2', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = await runAnalyze(join(dir, 'no-such.jsonl'), { quiet: true, workers: '0' });
    const written = err.mock.calls.map((c) => String(c[0])).join('');
    err.mockRestore();
    expect(code).toBe(2);
    expect(written).toMatch(/cannot read .*no-such\.jsonl: ENOENT/);
  });

  it('refuses a folder as the log, and output paths it cannot write, before reading anything', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const folder = await runAnalyze(dir, { quiet: true, workers: '0' });
    const noFolder = await runAnalyze(log, { quiet: true, workers: '0', out: join(dir, 'none', 'f.json') });
    const reportIsFolder = await runAnalyze(log, { quiet: true, workers: '0', report: dir });
    const written = err.mock.calls.map((c) => String(c[0])).join('');
    err.mockRestore();
    expect([folder, noFolder, reportIsFolder]).toEqual([2, 2, 2]);
    expect(written).toMatch(/cannot read .*: EISDIR/);
    expect(written).toMatch(/cannot write --out .*none\/f\.json: ENOENT/);
    expect(written).toMatch(/cannot write --report .*: is a directory/);
    expect(written).not.toContain('lines (');
  });

  it('analyzes the lines before a truncated gzip ends, says so, and exits 1', async () => {
    const whole = gzipSync(readFileSync(log));
    const cut = join(dir, 'cut.jsonl.gz');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const out = join(dir, 'cut.json');
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = await runAnalyze(cut, { out, quiet: true, workers: '0' });
    const written = err.mock.calls.map((c) => String(c[0])).join('');
    err.mockRestore();
    expect(code).toBe(1);
    expect(written).toMatch(
      /reading .*cut\.jsonl\.gz stopped early \(unexpected end of file\) after \d+ lines/,
    );
    const f = JSON.parse(readFileSync(out, 'utf8')) as Findings;
    expect(f.input.read_error).toBe('unexpected end of file');
    // Most of the log's lines were read and analyzed (the last, cut line counts as bad).
    expect(f.input.lines).toBeGreaterThan(good.length * 0.3);
    expect(f.input.lines).toBeLessThan(good.length);
    expect(f.accounts.length).toBeGreaterThan(5);
    expect(formatSummary(f)).toContain('The input ended early (unexpected end of file)');
    expect(renderFindingsHtml(f)).toContain('The input ended early (unexpected end of file)');
    const full = await analyzeStream(openLog(`${log}.gz`), { workers: 0, engine: counting });
    expect(full.findings.input.read_error).toBeUndefined();
  });

  it('skips lines sent twice (two overlapping logs read as one) and says how many', async () => {
    const overlapping = `${[...good.slice(0, 300), ...good.slice(200)].join('\n')}\n`;
    const once = await analyzeStream(Readable.from([Buffer.from(good.join('\n'))]), { workers: 0 });
    const twice = await analyzeStream(Readable.from([Buffer.from(overlapping)]), {
      workers: 2,
      chunkBytes: 9000,
    });
    expect(twice.lines).toBe(good.length + 100);
    expect(twice.findings.input.duplicates).toBe(100);
    expect(once.findings.input.duplicates).toBeUndefined();
    expect(twice.findings.accounts.map((a) => [a.key, a.requests, a.score])).toEqual(
      once.findings.accounts.map((a) => [a.key, a.requests, a.score]),
    );
    expect(formatSummary(twice.findings)).toContain('(0 bad, 100 duplicates skipped)');
  });

  it('reads stdin through the real command line', () => {
    const out = join(dir, 'stdin.json');
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/index.ts', 'analyze', '-', '--out', out, '--quiet'],
      { cwd: ROOT, input: readFileSync(`${log}.gz`), encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('bad line 3');
    const f = JSON.parse(readFileSync(out, 'utf8')) as Findings;
    expect(f.input.bad_lines).toBe(2);
    expect(f.accounts.length).toBeGreaterThan(5);
  });

  it('summarises findings as text tables and escapes HTML', () => {
    const reason = { signal: 'volume', score: 0.9, detail: '9 requests' };
    const f: Findings = {
      version: 1,
      generated_at: 'now',
      input: { lines: 10, bad_lines: 1 },
      accounts: [
        {
          key: 'k_1',
          org: 'o<1>',
          requests: 9,
          output_tokens: 90,
          score: 0.9,
          verdict: 'distillation',
          first_flagged_at: null,
          campaign: 'c_1',
          reasons: [reason],
        },
        {
          key: 'k_2',
          org: 'o_2',
          requests: 1,
          output_tokens: 5,
          score: 0.1,
          verdict: 'benign',
          first_flagged_at: null,
          campaign: null,
          reasons: [],
        },
      ],
      campaigns: [
        {
          id: 'c_1',
          keys: ['k_1'],
          score: 0.9,
          verdict: 'distillation',
          requests: 9,
          output_tokens: 90,
          reasons: [],
        },
      ],
    };
    const s = formatSummary(f);
    expect(s).toContain('2 keys: 1 distillation, 0 suspicious, 1 benign; 1 campaigns');
    expect(s.indexOf('k_1')).toBeLessThan(s.indexOf('k_2'));
    expect(s).toContain('volume: 9 requests');
    expect(s).toMatch(/c_1 +distillation +0\.90 /);
    f.campaigns[0]!.score = 1;
    expect(formatSummary(f)).toMatch(/c_1 +distillation +1\.00 /);
    expect(renderFindingsHtml(f)).toContain('o&#60;1&#62;');
  });
});

describe('parse chunks', () => {
  it('decodes line by line exactly as decoding the chunk first, invalid UTF-8 included', () => {
    const pieces = [
      good[0]!,
      '{"ts":1,"key":"k","request":{"prompt":"caf\u00e9 \u{1f600}"}}',
      '',
      '   ',
      '{"ts":1,',
    ].map((l) => Buffer.from(l));
    const odd = [
      Buffer.from([0xc3]),
      Buffer.from([0xff, 0x41]),
      Buffer.from([0xe2, 0x82]),
      Buffer.from('\r'),
    ];
    let seed = 9;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    for (let i = 0; i < 200; i++) {
      const parts: Buffer[] = [];
      const n = 1 + Math.floor(next() * 6);
      for (let k = 0; k < n; k++) {
        parts.push(pieces[Math.floor(next() * pieces.length)]!);
        if (next() < 0.4) parts.push(odd[Math.floor(next() * odd.length)]!);
        if (k < n - 1 || next() < 0.5) parts.push(Buffer.from(next() < 0.3 ? '\r\n' : '\n'));
      }
      const bytes = new Uint8Array(Buffer.concat(parts));
      const got = parseChunk({ seq: 0, bytes }, false);
      const text = Buffer.from(bytes).toString('utf8');
      const rows = text.split('\n');
      if (rows[rows.length - 1] === '') rows.pop();
      const want = rows.map((r) => (r.endsWith('\r') ? r.slice(0, -1) : r));
      expect(got.lines).toBe(want.length);
      const bad = want.flatMap((l, k) => {
        if (l.trim() === '') return [];
        const r = parseLogLine(l);
        return r.ok ? [] : [{ line: k + 1, error: r.error }];
      });
      expect(got.bad).toEqual(bad);
      expect(unpackEvents(got.events).map((e) => e.id)).toEqual(
        want.flatMap((l) => {
          if (l.trim() === '') return [];
          const r = parseLogLine(l);
          return r.ok ? [r.event.id] : [];
        }),
      );
    }
  });
});

/** A seeded pseudo-random number in [0, 1). */
function rng(seed: number): () => number {
  return () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
}

/** A stand-in for the parse workers: parses a posted chunk and hands it back after a random delay. */
class SlowPool implements ChunkPool {
  inFlight = 0;
  posted = 0;
  readonly seqs = new Set<number>();
  private done = new Map<number, ParsedChunk>();
  private wake: (() => void) | null = null;
  constructor(private readonly random: () => number) {}
  post(c: ParseChunk) {
    this.inFlight++;
    this.posted++;
    this.seqs.add(c.seq);
    const parsed = parseChunk(c, false);
    setTimeout(
      () => {
        this.inFlight--;
        this.done.set(parsed.seq, parsed);
        this.wake?.();
      },
      Math.floor(this.random() * 4),
    );
  }
  poll(seq: number) {
    const b = this.done.get(seq);
    this.done.delete(seq);
    return b;
  }
  async take(seq: number) {
    for (;;) {
      const b = this.poll(seq);
      if (b) return b;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }
  async close() {}
}

describe('work sharing', () => {
  it('hands out the chunks in order, parsed by the pool or here, with a bounded read-ahead', async () => {
    const lines = readFileSync(log, 'utf8').split('\n');
    for (const seed of [1, 2, 3]) {
      const random = rng(seed);
      // chunks of 1–8 lines, read with a random delay now and then
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < lines.length; ) {
        const n = 1 + Math.floor(random() * 8);
        chunks.push(Buffer.from(`${lines.slice(at, at + n).join('\n')}\n`));
        at += n;
      }
      let yielded = 0;
      let handed = 0;
      let maxAhead = 0;
      async function* reader() {
        for (const c of chunks) {
          if (random() < 0.3) await new Promise((r) => setTimeout(r, 1));
          yielded++;
          yield new Uint8Array(c);
        }
      }
      const pool = new SlowPool(random);
      const shared = new SharedParse(reader(), pool, false, 4, 6);
      const got: ParsedChunk[] = [];
      for (let b = await shared.next(); b; b = await shared.next()) {
        maxAhead = Math.max(maxAhead, yielded - handed);
        handed++;
        got.push(b);
        // the engine's share of the work
        const until = performance.now() + random() * 0.5;
        while (performance.now() < until);
      }
      await shared.close();
      expect(got.map((b) => b.seq)).toEqual(chunks.map((_, k) => k));
      expect(got.map((b) => [b.lines, b.bad, unpackEvents(b.events).map((e) => e.id)])).toEqual(
        chunks.map((c, k) => {
          const p = parseChunk({ seq: k, bytes: new Uint8Array(c) }, false);
          return [p.lines, p.bad, unpackEvents(p.events).map((e) => e.id)];
        }),
      );
      expect(shared.parsedHere).toBeGreaterThan(0);
      expect(pool.posted).toBeGreaterThan(0);
      expect(shared.parsedHere + pool.posted).toBe(chunks.length);
      expect(maxAhead).toBeLessThanOrEqual(6);
    }
  });

  it('leaves chunks with a line without usage to the pool, with the same events', async () => {
    const stripped = good.map((l, k) => {
      if (k % 9 !== 4) return l;
      const o = JSON.parse(l) as { response?: { usage?: unknown } };
      delete o.response?.usage;
      return JSON.stringify(o);
    });
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < stripped.length; at += 3)
      chunks.push(Buffer.from(`${stripped.slice(at, at + 3).join('\n')}\n`));
    const needs = chunks.flatMap((c, k) => (everyLineHasUsage(c) ? [] : [k]));
    expect(needs.length).toBeGreaterThan(5);
    expect(needs.length).toBeLessThan(chunks.length);
    async function* reader() {
      for (const c of chunks) yield new Uint8Array(c);
    }
    const pool = new SlowPool(rng(5));
    const shared = new SharedParse(reader(), pool, false, 1, 3);
    const got: ParsedChunk[] = [];
    for (let b = await shared.next(); b; b = await shared.next()) got.push(b);
    await shared.close();
    for (const k of needs) expect(pool.seqs.has(k)).toBe(true);
    expect(shared.parsedHere).toBeGreaterThan(0);
    expect(shared.parsedHere + pool.posted).toBe(chunks.length);
    expect(got.map((b) => unpackEvents(b.events))).toEqual(
      chunks.map((c, k) => unpackEvents(parseChunk({ seq: k, bytes: new Uint8Array(c) }, false).events)),
    );
  });

  it('tells chunks whose every line reports usage (blank lines aside)', () => {
    const withUsage = '{"ts":1,"key":"k","request":{},"response":{"usage":{"prompt_tokens":1}}}';
    const without = '{"ts":1,"key":"k","request":{"messages":[]}}';
    expect(everyLineHasUsage(Buffer.from(`${withUsage}\n${withUsage}\n`))).toBe(true);
    expect(everyLineHasUsage(Buffer.from(`${withUsage}\n  \r\n\n${withUsage}`))).toBe(true);
    expect(everyLineHasUsage(Buffer.from(`${withUsage}\n${without}\n${withUsage}\n`))).toBe(false);
    expect(everyLineHasUsage(Buffer.from(`${without}`))).toBe(false);
    expect(everyLineHasUsage(Buffer.from(''))).toBe(true);
  });

  it('numbers bad lines spread over many chunks the same with a worker sharing the parsing', async () => {
    // a bad line every 7th line, in a log cut into chunks of a few lines each
    const rows = good.flatMap((l, k) => (k % 7 === 3 ? ['{"ts": oops', l] : [l]));
    const text = `${rows.join('\n')}\n`;
    const runs = [];
    for (const workers of [0, 1, 2]) {
      const engine = new CountingEngine();
      const r = await analyzeStream(Readable.from([Buffer.from(text)]), {
        workers,
        chunkBytes: 4000,
        maxBadSamples: 1e6,
        engine: () => engine,
      });
      runs.push({
        ids: engine.seen.map((e) => e.id),
        bad: r.findings.input.bad_line_samples,
        lines: r.lines,
      });
    }
    const want = rows.flatMap((l, k) => (l.startsWith('{"ts": oops') ? [k + 1] : []));
    expect(want.length).toBeGreaterThan(20);
    expect(runs[0]!.bad?.map((s) => s.line)).toEqual(want);
    expect(runs[0]!.ids).toEqual(good.map((l) => (JSON.parse(l) as { id: string }).id));
    for (const r of runs) expect(r).toEqual(runs[0]);
  });
});
