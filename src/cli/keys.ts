/**
 * @module cli/keys
 * `distillguard keys create --org NAME [--account NAME] [--rpm N] [--tpm N] [--concurrency N]
 * [--label k=v]… [--json]`, `keys list [--org NAME] [--json]`, `keys revoke ID`. The secret is
 * printed once, at creation (`--json` prints `{"id","key","org"}`, `key` being the secret).
 * A revoke on the local store reaches a running gateway's cache within 30 s; through `--url`
 * it is immediate.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { openTarget, type TargetFlags, withTargetOptions } from '../admin/target.js';
import { limitsFrom, positiveInt } from './orgs.js';

function label(value: string, prev: Record<string, string> = {}): Record<string, string> {
  const i = value.indexOf('=');
  if (i <= 0) throw new InvalidArgumentError('expected k=v');
  return { ...prev, [value.slice(0, i)]: value.slice(i + 1) };
}

interface CreateOpts {
  org: string;
  account?: string;
  rpm?: number;
  tpm?: number;
  concurrency?: number;
  label?: Record<string, string>;
  json?: boolean;
  [flag: string]: unknown;
}

export function register(program: Command): void {
  const keys = program.command('keys').description('manage API keys');

  withTargetOptions(
    keys
      .command('create')
      .description('create an API key (the secret is shown once)')
      .requiredOption('--org <name>', 'organization id or name')
      .option('--account <name>', 'account id or name (created if missing; default: the org default account)')
      .option('--rpm <n>', 'requests per minute', positiveInt)
      .option('--tpm <n>', 'tokens per minute', positiveInt)
      .option('--concurrency <n>', 'concurrent requests', positiveInt)
      .option('--label <k=v>', 'label (repeatable)', label)
      .option('--json', 'print {"id","key","org"}'),
  ).action(async (opts: CreateOpts) => {
    const { org, account, rpm, tpm, concurrency, label: labels, json, ...target } = opts;
    const cp = await openTarget(target as TargetFlags);
    try {
      const k = await cp.createKey({
        org,
        labels: labels ?? {},
        limits: limitsFrom({ rpm, tpm, concurrency }),
        ...(account !== undefined ? { account } : {}),
      });
      if (json) console.log(JSON.stringify({ id: k.id, key: k.key, org: k.org }));
      else
        console.log(
          `created key ${k.id} in org ${k.org}\nsecret: ${k.key}\n(shown once: it is stored only as a hash)`,
        );
    } finally {
      await cp.close();
    }
  });

  withTargetOptions(
    keys
      .command('list')
      .description('list API keys (prefix only, never the secret)')
      .option('--org <name>', 'only this organization (id or name)')
      .option('--json', 'print JSON'),
  ).action(async (opts: TargetFlags & { org?: string; json?: boolean }) => {
    const { org, json, ...target } = opts;
    const cp = await openTarget(target);
    try {
      const list = await cp.listKeys(org);
      if (json) console.log(JSON.stringify(list));
      else
        for (const k of list)
          console.log(
            `${k.id}\t${k.prefix}…\t${k.org_id}\t${k.revoked ? 'revoked' : 'active'}\t${Object.entries(
              k.labels,
            )
              .map(([a, b]) => `${a}=${b}`)
              .join(',')}`,
          );
    } finally {
      await cp.close();
    }
  });

  withTargetOptions(
    keys.command('revoke <id>').description('revoke an API key').option('--json', 'print JSON'),
  ).action(async (id: string, opts: TargetFlags & { json?: boolean }) => {
    const { json, ...target } = opts;
    const cp = await openTarget(target);
    try {
      const k = await cp.revokeKey(id);
      if (json) console.log(JSON.stringify(k));
      else console.log(`revoked ${k.id} (${k.prefix}…)`);
    } finally {
      await cp.close();
    }
  });
}
