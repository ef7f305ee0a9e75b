import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { analyzeStream, type EngineLike, openLog, runAnalyze } from '../../src/cli/analyze.js';
import { parseChunk } from '../../src/cli/analyze-worker.js';
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
