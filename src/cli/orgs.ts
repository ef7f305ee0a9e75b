/**
 * @module cli/orgs
 * `distillguard orgs create NAME [--rpm N] [--tpm N] [--json]` and `orgs list [--json]`, on the
 * local store or, with `--url`, on a running gateway (see admin/control).
 */
import { type Command, InvalidArgumentError } from 'commander';
import { openTarget, type TargetFlags, withTargetOptions } from '../admin/target.js';
import type { LimitRule } from '../limits/types.js';

export function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) <= 0)
    throw new InvalidArgumentError('expected a positive integer');
  return Number(value);
}

export function limitsFrom(o: { rpm?: number; tpm?: number; concurrency?: number }): LimitRule {
  const r: LimitRule = {};
  if (o.rpm !== undefined) r.rpm = o.rpm;
  if (o.tpm !== undefined) r.tpm = o.tpm;
  if (o.concurrency !== undefined) r.concurrency = o.concurrency;
  return r;
}

const fmtLimits = (l: object) =>
  Object.entries(l)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ') || '-';

export function register(program: Command): void {
  const orgs = program.command('orgs').description('manage organizations');

  withTargetOptions(
    orgs
      .command('create <name>')
      .description('create an organization (with a default account)')
      .option('--rpm <n>', 'requests per minute', positiveInt)
      .option('--tpm <n>', 'tokens per minute', positiveInt)
      .option('--json', 'print JSON'),
  ).action(async (name: string, opts: TargetFlags & { rpm?: number; tpm?: number; json?: boolean }) => {
    const { rpm, tpm, json, ...target } = opts;
    const cp = await openTarget(target);
    try {
      const org = await cp.createOrg(name, limitsFrom({ rpm, tpm }));
      if (json) console.log(JSON.stringify(org));
      else console.log(`created org ${org.name} (${org.id}) limits: ${fmtLimits(org.limits)}`);
    } finally {
      await cp.close();
    }
  });

  withTargetOptions(
    orgs.command('list').description('list organizations').option('--json', 'print JSON'),
  ).action(async (opts: TargetFlags & { json?: boolean }) => {
    const { json, ...target } = opts;
    const cp = await openTarget(target);
    try {
      const list = await cp.listOrgs();
      if (json) console.log(JSON.stringify(list));
      else for (const o of list) console.log(`${o.id}\t${o.name}\t${fmtLimits(o.limits)}`);
    } finally {
      await cp.close();
    }
  });
}
