/**
 * @module cli
 * The `distillguard` command line. Each command lives in its own module exporting
 * `register(program)`; this file only assembles them. Flags are documented in ARCHITECTURE.md.
 * Any flag can also be set by the env var DISTILLGUARD_<FLAG> (e.g. DISTILLGUARD_ADMIN_TOKEN).
 */

import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { register as registerAnalyze } from './analyze.js';
import { register as registerDemo } from './demo.js';
import { register as registerEvents } from './events.js';
import { register as registerKeys } from './keys.js';
import { register as registerMockUpstream } from './mock-upstream.js';
import { register as registerOrgs } from './orgs.js';
import { register as registerReport } from './report.js';
import { register as registerServe } from './serve.js';
import { register as registerSimulate } from './simulate.js';
import { register as registerWorker } from './worker.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export function buildProgram(): Command {
  const program = new Command('distillguard')
    .description('OpenAI-compatible gateway that detects and stops model distillation')
    .version(pkg.version)
    .showHelpAfterError();
  // Commands register themselves here (one module per command).
  registerAnalyze(program);
  registerSimulate(program);
  registerMockUpstream(program);
  registerServe(program);
  registerDemo(program);
  registerOrgs(program);
  registerKeys(program);
  registerEvents(program);
  registerReport(program);
  registerWorker(program);
  return program;
}

const isMain =
  process.argv[1] !== undefined && /distillguard(\.js)?$|cli[/\\]index\.(js|ts)$/.test(process.argv[1]);
if (isMain) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
