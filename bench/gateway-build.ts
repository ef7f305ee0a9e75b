/**
 * @module bench/gateway-build
 * The gateway benchmarks measure what `distillguard serve` runs: the JavaScript compiled by
 * `tsc -p tsconfig.build.json`, not the TypeScript sources through tsx (tsx's transform wraps
 * every function created at run time in a naming helper, and starts the event worker through
 * its loader, which both cost CPU per request that the shipped build does not pay).
 * `compiledDist()` builds the sources once per benchmark run into `bench/out/gateway-dist/` of
 * this checkout (git-ignored; inside the repository so the compiled files resolve
 * `node_modules`, and per checkout so worktrees sharing one `node_modules` do not overwrite each
 * other's build) and returns it; with `BENCH_TSX=1` it returns null and the benchmarks run the
 * sources through tsx.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export const BENCH_DIST_DIR = resolve('bench/out/gateway-dist');

export function compiledDist(): string | null {
  if (process.env.BENCH_TSX === '1') return null;
  process.stderr.write(`compiling the sources into ${BENCH_DIST_DIR} (tsc -p tsconfig.build.json)…\n`);
  try {
    execFileSync(
      process.execPath,
      ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', BENCH_DIST_DIR],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  } catch {
    // tsc exits non-zero on type errors in any folder but still emits JavaScript.
  }
  return BENCH_DIST_DIR;
}
