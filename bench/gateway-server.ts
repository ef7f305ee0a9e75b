/**
 * @module bench/gateway-server
 * distillguard as a benchmark target: the full process (`startApp`) on a temp SQLite store with
 * auth, limits (generous, but evaluated on every request), metering and event writing on, in
 * front of UPSTREAM. Creates one org and key and prints `READY <url> <secret>`. On SIGTERM it
 * drains and prints how many events it stored.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as AppModule from '../src/app.js';
import type * as ConfigModule from '../src/config/load.js';

// BENCH_DIST=<dir>: run the compiled JavaScript in <dir> (what `distillguard serve` runs, built by
// `tsc -p tsconfig.build.json`) instead of the TypeScript sources through tsx.
const dist = process.env.BENCH_DIST;
const from = (module: string) => (dist ? `${dist}/${module}.js` : `../src/${module}.js`);
const { startApp } = (await import(from('app'))) as typeof AppModule;
const { loadConfig } = (await import(from('config/load'))) as typeof ConfigModule;

const dataDir = mkdtempSync(join(tmpdir(), 'dg-bench-'));
const config = loadConfig({
  env: {},
  flags: {
    data: dataDir,
    port: Number(process.env.PORT ?? 0),
    upstream: process.env.UPSTREAM ?? 'http://127.0.0.1:9100/v1',
    adminToken: 'bench-admin-token-0123456789',
  },
});
// BENCH_EVENT_WORKER=0 builds and stores events on the request thread (for comparison).
const app = await startApp(config, { logLevel: 'warn', eventWorker: process.env.BENCH_EVENT_WORKER !== '0' });
await app.tenancy.createOrg('bench', { limits: { rpm: 100_000_000, tpm: 1_000_000_000_000 } });
const { secret } = await app.tenancy.createKey({
  org: 'bench',
  limits: { rpm: 100_000_000, tpm: 1_000_000_000_000, concurrency: 10_000 },
});
console.log(`READY ${app.url} ${secret}`);
const stop = () => {
  void app
    .flushEvents()
    .then(() => app.store.events.count())
    .then((n) => console.error(`gateway: ${n} events stored`))
    .then(() => app.close())
    .then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
