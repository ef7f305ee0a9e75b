/**
 * @module cli/report
 * `distillguard report CAMPAIGN_ID|KEY_ID [--out report.html] [--findings findings.json]
 * [--data DIR|--db URL] [--config FILE] [--include-prompts]`: writes the self-contained HTML
 * evidence report of one campaign or key. Findings come from a findings file (the output of
 * `analyze`) or the store's latest snapshot; stored events, decisions and audit entries come
 * from the store when there is one. Without `--findings`, a missing SQLite store is an error
 * (it is never created); with it, a missing store just means no stored events.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ConfigFlags } from '../config/load.js';
import { ReportError } from '../report/errors.js';
import type { Findings } from '../report/findings.js';
import type { Store } from '../store/types.js';

export interface ReportCliOptions {
  out?: string;
  findings?: string;
  includePrompts?: boolean;
  config?: string;
  data?: string;
  db?: string;
}

export interface ReportRun {
  /** Where the report went (`-` for stdout). */
  out: string;
  bytes: number;
  kind: 'campaign' | 'account';
  html: string;
}

/** Reads and checks a findings file (version 1). */
export function readFindingsFile(path: string): Findings {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ReportError('invalid_findings', `${path}: ${(err as Error).message}`);
  }
  const f = doc as Partial<Findings> | null;
  if (f?.version !== 1 || !Array.isArray(f.accounts) || !Array.isArray(f.campaigns))
    throw new ReportError('invalid_findings', `${path}: not a findings document (version 1)`);
  return f as Findings;
}

/** The store to read from; an in-memory empty one when a findings file is given and no store exists. */
async function openReportStore(
  flags: ConfigFlags,
  haveFindings: boolean,
  env: NodeJS.ProcessEnv,
): Promise<Store> {
  // Loaded here, not with the module (see cli/serve): the other commands start without them.
  const [{ loadConfig }, { openStore, sqlitePath }] = await Promise.all([
    import('../config/load.js'),
    import('../store/open.js'),
  ]);
  const config = loadConfig({ flags, env });
  const path = sqlitePath(config.db);
  if (path !== null && path !== ':memory:' && !existsSync(path)) {
    if (!haveFindings)
      throw new ReportError(
        'no_findings',
        `no store at ${path}: pass --data/--db, or --findings findings.json`,
      );
    return openStore('sqlite::memory:');
  }
  return openStore(config.db);
}

export const defaultOut = (id: string) => `distillguard-report-${id.replace(/[^\w.-]/g, '_')}.html`;

export async function runReport(
  id: string,
  opts: ReportCliOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ReportRun> {
  const findings = opts.findings ? readFindingsFile(opts.findings) : null;
  const flags: ConfigFlags = { config: opts.config, data: opts.data, db: opts.db };
  const store = await openReportStore(flags, findings !== null, env);
  const [{ loadEvidence }, { renderEvidenceReport }] = await Promise.all([
    import('../report/load.js'),
    import('../report/evidence.js'),
  ]);
  try {
    const input = await loadEvidence(
      store,
      { kind: 'auto', id },
      {
        findings,
        findingsSource: opts.findings ? opts.findings : 'the store (latest findings snapshot)',
        includePrompts: opts.includePrompts === true,
      },
    );
    const html = renderEvidenceReport(input, { includePrompts: opts.includePrompts === true });
    const out = opts.out ?? defaultOut(id);
    if (out === '-') process.stdout.write(html);
    else writeFileSync(out, html);
    return { out, bytes: Buffer.byteLength(html), kind: input.subject.kind, html };
  } finally {
    await store.close();
  }
}

export function register(program: Command): void {
  program
    .command('report')
    .description('write the self-contained HTML evidence report of a campaign or a key')
    .argument('<id>', 'campaign id (c_…) or key id')
    .option('--out <file>', 'output file, - for stdout (default: distillguard-report-<id>.html)')
    .option('--findings <file>', 'findings file written by analyze (default: the store’s latest findings)')
    .option('--config <file>', 'YAML config file (env DISTILLGUARD_CONFIG)')
    .option('--data <dir>', 'data directory of the local store (env DISTILLGUARD_DATA)')
    .option('--db <url>', 'database URL: sqlite:PATH | postgres://… (env DISTILLGUARD_DB)')
    .option('--include-prompts', 'include raw prompts when the store holds them (handle as customer data)')
    .action(async (id: string, opts: ReportCliOptions) => {
      const run = await runReport(id, opts);
      if (run.out !== '-')
        console.error(`wrote ${run.kind} report ${run.out} (${run.bytes.toLocaleString('en-US')} bytes)`);
    });
}
