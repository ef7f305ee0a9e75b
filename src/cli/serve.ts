/**
 * @module cli/serve
 * `distillguard serve`: loads the config (defaults ← YAML ← DISTILLGUARD_* env ← flags), starts
 * the whole process (`startApp`) and shuts it down cleanly on SIGINT/SIGTERM (the event writer
 * drains before the store closes). When no admin token is configured one is generated and
 * printed once.
 */
import type { Command } from 'commander';
import { flagsOf, optionOf } from '../config/flags.js';
import type { ConfigFlags } from '../config/load.js';
import { closeOnSignal } from './shutdown.js';

export interface ServeFlags extends ConfigFlags {
  config?: string;
  /** commander's `--no-detection` sets this to false. */
  detection?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('serve')
    .description('Run the gateway (OpenAI-compatible API on /v1, admin API on /admin)')
    .option('--config <file>', 'YAML config file')
    .option('--upstream <url>', 'one upstream serving every model, e.g. https://api.openai.com/v1')
    .option('--upstream-key <key>', 'API key for --upstream');
  for (const spec of flagsOf('serve')) cmd.option(optionOf(spec), spec.help);
  cmd
    .option('--no-detection', 'do not run the detection engine in this process')
    .action(async (flags: ServeFlags) => {
      await serve(flags);
    });
}

export async function serve(flags: ServeFlags): Promise<void> {
  // Loaded here, not with the module: every command's module is loaded to register it, and the
  // gateway's modules cost the other commands (e.g. `analyze`) ~0.5 s of CPU at start.
  const [{ startApp }, { ensureAdminToken, loadConfig }, { liveDetection }] = await Promise.all([
    import('../app.js'),
    import('../config/load.js'),
    import('../policy/live.js'),
  ]);
  const { config, generated } = ensureAdminToken(loadConfig({ flags }));
  if (config.upstreams.length === 0)
    throw new Error(
      'no upstream configured: pass --upstream URL (and --upstream-key KEY), set upstreams in --config, or try `distillguard demo`',
    );
  // In cluster mode (NATS) detection runs in `distillguard worker` processes instead.
  const detect = flags.detection !== false && !config.nats;
  let engineStart = '';
  const app = await startApp(config, {
    hooks: detect ? [liveDetection({ onStart: (line) => (engineStart = line) })] : [],
  });
  console.log(`distillguard gateway listening on ${app.url}/v1`);
  console.log(`  upstreams: ${config.upstreams.map((u) => `${u.name} → ${u.baseUrl}`).join(', ')}`);
  console.log(`  store: ${config.db}${config.store_prompts ? ' (prompts stored)' : ''}`);
  console.log(
    `  detection: ${detect ? `on (policy ${config.policy.mode}); engine ${engineStart}` : 'off in this process'}`,
  );
  if (generated) console.log(`  admin token (generated, shown once): ${config.admin_token}`);
  closeOnSignal(() => app.close(), 'draining and shutting down');
}
