/**
 * @module cli/worker
 * `distillguard worker --config cluster.yaml [--partition I --partitions N]`: one detection
 * worker of a cluster (worker/runner.ts). It consumes its partition of the event stream, writes
 * events to the store, runs detection, checkpoints, and stops cleanly on SIGINT/SIGTERM (a final
 * checkpoint, so the next start resumes exactly there).
 */
import type { Command } from 'commander';
import { flagsOf, optionOf } from '../config/flags.js';
import type { ConfigFlags } from '../config/load.js';
import { closeOnSignal } from './shutdown.js';

export interface WorkerFlags extends ConfigFlags {
  config?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('worker')
    .description('Run a detection worker (cluster mode): consume events, store them, detect, decide')
    .option('--config <file>', 'YAML config file (the same cluster.yaml as the gateways)');
  for (const spec of flagsOf('worker')) cmd.option(optionOf(spec), spec.help);
  cmd.action(async (flags: WorkerFlags) => {
    await work(flags);
  });
}

export async function work(flags: WorkerFlags): Promise<void> {
  // Loaded here, not with the module (see `serve`): the other commands start without them.
  const [{ loadConfig }, { startWorker }] = await Promise.all([
    import('../config/load.js'),
    import('../worker/runner.js'),
  ]);
  const config = loadConfig({ flags });
  const worker = await startWorker(config);
  const { partition, partitions } = config.cluster.worker;
  console.log(`distillguard worker ${partition + 1} of ${partitions} (slots ${worker.slots.join(',')})`);
  console.log(`  store: ${config.db}  nats: ${config.nats}`);
  closeOnSignal(() => worker.stop(), 'checkpointing and shutting down');
}
