import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultOut, readFindingsFile, runReport } from '../../src/cli/report.js';
import { openStore } from '../../src/store/open.js';
import { campaignEvents, findings } from './fixtures.js';

const run = promisify(execFile);
const REPO = new URL('../../', import.meta.url).pathname;
let dir: string;
let findingsFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dg-report-'));
  findingsFile = join(dir, 'findings.json');
  writeFileSync(findingsFile, JSON.stringify(findings()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('distillguard report', () => {
  it('writes a campaign report from a findings file, without creating a store', async () => {
    const out = join(dir, 'c1.html');
    const data = join(dir, 'no-store');
    const r = await runReport('c_1', { findings: findingsFile, out, data }, {});
    expect(r.kind).toBe('campaign');
    expect(readFileSync(out, 'utf8')).toContain('<h1>Evidence report: campaign c_1</h1>');
    expect(r.bytes).toBe(readFileSync(out).length);
    expect(existsSync(data)).toBe(false);
    expect(r.html).toContain('The store holds no events for these keys');
  });

  it("uses the store's events and latest findings when there is a store", async () => {
    const data = join(dir, 'data');
    const store = await openStore(`sqlite:${join(data, 'distillguard.sqlite')}`);
    await store.events.insertBatch(campaignEvents(true));
    await store.findings.save(findings());
    await store.close();
    const out = join(dir, 'acct.html');
    const r = await runReport('k_a', { data, out }, {});
    expect(r.kind).toBe('account');
    expect(r.html).toContain('Stored events (1 of 1 keys)');
    expect(r.html).not.toMatch(/Solve problem 4\d/);
    const withPrompts = await runReport('k_a', { data, out, includePrompts: true }, {});
    expect(withPrompts.html).toMatch(/<pre>Solve problem 4\d step by step/);
  });

  it('refuses a missing store without --findings, an invalid findings file and an unknown id', async () => {
    await expect(runReport('c_1', { data: join(dir, 'nothing') }, {})).rejects.toMatchObject({
      code: 'no_findings',
    });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"version":2}');
    expect(() => readFindingsFile(bad)).toThrow(/not a findings document/);
    await expect(
      runReport('c_nope', { findings: findingsFile, data: join(dir, 'nothing') }, {}),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('names the default output file after a filename-safe id', () => {
    expect(defaultOut('c_1')).toBe('distillguard-report-c_1.html');
    expect(defaultOut('../x y')).toBe('distillguard-report-.._x_y.html');
  });

  it('runs as a command', async () => {
    const out = join(dir, 'cmd.html');
    const { stderr } = await run(
      process.execPath,
      [
        join(REPO, 'node_modules/tsx/dist/cli.mjs'),
        join(REPO, 'src/cli/index.ts'),
        'report',
        'c_1',
        '--findings',
        findingsFile,
        '--data',
        join(dir, 'none'),
        '--out',
        out,
      ],
      { cwd: dir, env: { PATH: process.env.PATH ?? '' } },
    );
    expect(stderr).toMatch(/wrote campaign report .*cmd\.html/);
    expect(readFileSync(out, 'utf8')).toContain('What this evidence does not show');
  });
});
