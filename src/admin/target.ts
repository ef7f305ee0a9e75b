/**
 * @module admin/target
 * What the control commands (`orgs`, `keys`, `events`) need to register themselves: their target
 * flags, and a control plane opened on first use. The control plane's modules (store, config
 * loader, tenancy) are loaded only when a control command runs, so the other commands (e.g.
 * `analyze`) start without them (~0.3 s of CPU).
 */
import type { Command } from 'commander';
import type { ConfigFlags } from '../config/load.js';
import type { ControlPlane } from './control.js';

/** Flags every control command accepts (commander camelCase). */
export interface TargetFlags extends ConfigFlags {
  url?: string;
  adminToken?: string;
}

/** Adds the target flags (`--data`, `--db`, `--config`, `--url`, `--admin-token`) to a command. */
export function withTargetOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'YAML config file (env DISTILLGUARD_CONFIG)')
    .option('--data <dir>', 'data directory of the local store (env DISTILLGUARD_DATA)')
    .option('--db <url>', 'database URL: sqlite:PATH | postgres://… (env DISTILLGUARD_DB)')
    .option('--url <url>', 'act on a running gateway through its admin API (env DISTILLGUARD_URL)')
    .option('--admin-token <token>', 'admin token for --url (env DISTILLGUARD_ADMIN_TOKEN)');
}

/** `openControlPlane` (admin/control), its modules loaded on the first call. */
export async function openTarget(flags: TargetFlags): Promise<ControlPlane> {
  const { openControlPlane } = await import('./control.js');
  return openControlPlane(flags);
}
