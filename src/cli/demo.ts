/**
 * @module cli/demo
 * `distillguard demo`: the whole product on a fresh clone, nothing to install. It starts the
 * built-in mock upstream in-process, the gateway on a free port over an embedded SQLite file in
 * a temp directory, creates an org with two keys, drives a little traffic through the official
 * `openai` SDK (chat, a stream, tools, embeddings, responses), then prints the gateway URL, a key,
 * a ready-to-paste curl command and how to watch events. `--keep` keeps serving until Ctrl-C.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { App } from '../app.js';
import type { MockUpstream } from '../upstream/mock/index.js';
import type { DetectionDemoResult } from './demo-detection.js';

export interface DemoOptions {
  keep?: boolean;
  port?: string;
  data?: string;
  /** Print nothing but the final summary (tests). */
  quiet?: boolean;
  /** commander's `--no-detection` sets this to false: skip the detection part. */
  detection?: boolean;
}

/** What the demo leaves behind for the caller (tests use it). */
export interface DemoResult {
  url: string;
  secret: string;
  adminToken: string;
  requests: number;
  events: number;
  detection: DetectionDemoResult | null;
  app: App;
  mock: MockUpstream;
  stop(): Promise<void>;
}

export const DEMO_MODEL = 'gpt-4o-mini';

export function register(program: Command): void {
  program
    .command('demo')
    .description('Start the gateway on the mock upstream, drive a little traffic, print how to try it')
    .option('--keep', 'keep serving until Ctrl-C')
    .option('--port <port>', 'gateway port (default: a free one)')
    .option('--data <dir>', 'data directory (default: a new temp directory)')
    .option('--no-detection', 'skip the detection part (the replayed hydra campaign)')
    .action(async (opts: DemoOptions) => {
      const result = await runDemo(opts);
      if (!opts.keep) {
        await result.stop();
        return;
      }
      console.log('\nServing until Ctrl-C…');
      const stop = () => {
        void result.stop().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

export async function runDemo(opts: DemoOptions = {}): Promise<DemoResult> {
  // Loaded here, not with the module (see cli/serve): the other commands start without them.
  const [
    { startApp },
    { ensureAdminToken, loadConfig },
    { liveDetection },
    { createMockUpstream },
    { runDetectionDemo },
  ] = await Promise.all([
    import('../app.js'),
    import('../config/load.js'),
    import('../policy/live.js'),
    import('../upstream/mock/index.js'),
    import('./demo-detection.js'),
  ]);
  const dataDir = opts.data ?? mkdtempSync(join(tmpdir(), 'distillguard-demo-'));
  const mock = await createMockUpstream();
  const { config } = ensureAdminToken(
    loadConfig({
      env: {},
      // The demo enforces decisions so you can see a caught key refused; `serve` defaults to shadow mode.
      flags: { data: dataDir, port: Number(opts.port ?? 0), upstream: mock.url, policyMode: 'enforce' },
    }),
  );
  const adminToken = config.admin_token ?? '';
  const withDetection = opts.detection !== false;
  const app = await startApp(config, { hooks: withDetection ? [liveDetection({ refreshMs: 500 })] : [] });
  const say = opts.quiet ? () => {} : (line: string) => console.log(line);
  const stop = async () => {
    await app.close();
    await mock.close();
  };
  try {
    const detection = withDetection ? await runDetectionDemo(app, adminToken, { log: say }) : null;
    await app.tenancy.createOrg('demo-org', { limits: { rpm: 600, tpm: 2_000_000 } });
    const { secret } = await app.tenancy.createKey({
      org: 'demo-org',
      account: 'demo-app',
      limits: { rpm: 300, tpm: 1_000_000, concurrency: 16 },
      labels: { env: 'demo' },
    });
    await app.tenancy.createKey({ org: 'demo-org', account: 'batch', limits: { rpm: 60 } });
    const requests = await driveTraffic(`${app.url}/v1`, secret);
    await app.flushEvents();
    const events = await app.store.events.count();
    if (detection) await showEnforcement(`${app.url}/v1`, detection, say);
    printSummary(app.url, secret, adminToken, dataDir, requests, events, opts.keep === true);
    return { url: app.url, secret, adminToken, requests, events, detection, app, mock, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A few requests of each kind through the official SDK (loaded on demand: a devDependency today). */
async function driveTraffic(baseURL: string, apiKey: string): Promise<number> {
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });
  let n = 0;
  for (const topic of ['the tides', 'binary search', 'why the sky is blue']) {
    await client.chat.completions.create({
      model: DEMO_MODEL,
      messages: [{ role: 'user', content: `Explain ${topic} in two sentences.` }],
    });
    n++;
  }
  const stream = await client.chat.completions.create({
    model: DEMO_MODEL,
    messages: [{ role: 'user', content: 'Write a haiku about gateways.' }],
    stream: true,
  });
  for await (const _chunk of stream) {
    // Drain the stream: the gateway relays it chunk by chunk.
  }
  n++;
  await client.chat.completions.create({
    model: DEMO_MODEL,
    messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
    tools: [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Current weather for a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
    ],
  });
  n++;
  await client.embeddings.create({ model: 'text-embedding-3-small', input: 'distillation detection' });
  n++;
  await client.responses.create({ model: DEMO_MODEL, input: 'Name three prime numbers.' });
  n++;
  return n;
}

/** Sends one request with a caught key and one with a customer's key, and prints the answers. */
async function showEnforcement(
  baseURL: string,
  d: DetectionDemoResult,
  say: (line: string) => void,
): Promise<void> {
  say(`\nThe engine judged ${d.caught} keys as distillation (the simulated campaign had ${d.attackKeys}).`);
  const { default: OpenAI } = await import('openai');
  const attempt = async (label: string, apiKey: string | null) => {
    if (!apiKey) return;
    const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });
    try {
      await client.chat.completions.create({
        model: DEMO_MODEL,
        messages: [{ role: 'user', content: 'Hi' }],
      });
      say(`  ${label}: 200 OK`);
    } catch (err) {
      const e = err as { status?: number; code?: string };
      say(`  ${label}: ${e.status ?? '?'} ${e.code ?? String(err)}`);
    }
  };
  await attempt('a caught hydra key   ', d.caughtSecret);
  await attempt("a customer's key     ", d.customerSecret);
  say('');
}

function printSummary(
  url: string,
  secret: string,
  adminToken: string,
  dataDir: string,
  requests: number,
  events: number,
  keep: boolean,
): void {
  const body = JSON.stringify({ model: DEMO_MODEL, messages: [{ role: 'user', content: 'Hello!' }] });
  console.log(`distillguard demo: ${requests} requests sent through the gateway, ${events} events recorded`);
  console.log(`
  gateway      ${url}/v1   (mock upstream behind it)
  API key      ${secret}
  admin token  ${adminToken}
  data         ${dataDir}

Try it${keep ? '' : ' (run `distillguard demo --keep` to keep the gateway up)'}:
  curl ${url}/v1/chat/completions \\
    -H "Authorization: Bearer ${secret}" -H "Content-Type: application/json" \\
    -d '${body}'

See events as they arrive:
  distillguard events tail --url ${url} --admin-token ${adminToken}
or stored ones:
  distillguard keys list --data ${dataDir}`);
}
