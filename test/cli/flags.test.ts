import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { register as registerServe } from '../../src/cli/serve.js';
import { register as registerWorker } from '../../src/cli/worker.js';
import { FLAG_SPECS } from '../../src/config/flags.js';
import { type ConfigFlags, loadConfig } from '../../src/config/load.js';

const ROOT = resolve(import.meta.dirname, '../..');

function program(): Command {
  const p = new Command().exitOverride();
  registerServe(p);
  registerWorker(p);
  return p;
}
const command = (p: Command, name: string) => p.commands.find((c) => c.name() === name)!;
const longFlags = (c: Command) => new Set(c.options.map((o) => o.long));

/** The flags a command line gives `loadConfig`, as commander parses them. */
async function parsed(name: string, args: string[]): Promise<ConfigFlags> {
  const p = program();
  let flags: ConfigFlags = {};
  command(p, name).action((f: ConfigFlags) => {
    flags = f;
  });
  await p.parseAsync(['node', 'distillguard', name, ...args]);
  return flags;
}

describe('config flags on the command line', () => {
  it('serve and worker declare every flag docs/configuration.md names', () => {
    const p = program();
    const declared = new Set([...longFlags(command(p, 'serve')), ...longFlags(command(p, 'worker'))]);
    const doc = readFileSync(resolve(ROOT, 'docs/configuration.md'), 'utf8');
    const documented = new Set(doc.match(/`--[a-z][a-z-]+/g)!.map((m) => m.slice(1)));
    expect(documented.size).toBeGreaterThan(15);
    expect([...documented].filter((f) => !declared.has(f))).toEqual([]);
    for (const spec of FLAG_SPECS) expect(declared.has(`--${spec.flag}`), spec.flag).toBe(true);
  });

  it('serve takes the policy mode, lists and numbers from flags', async () => {
    const flags = await parsed('serve', [
      '--policy-mode',
      'enforce',
      '--trusted-proxies',
      '10.0.0.0/8,::1',
      '--max-n',
      '4',
      '--upstream',
      'http://127.0.0.1:1/v1',
    ]);
    const c = loadConfig({ flags, env: {} });
    expect(c.policy.mode).toBe('enforce');
    expect(c.trusted_proxies).toEqual(['10.0.0.0/8', '::1']);
    expect(c.max_n).toBe(4);
  });

  it('worker takes its partition and policy mode', async () => {
    const flags = await parsed('worker', [
      '--partition',
      '1',
      '--partitions',
      '2',
      '--policy-mode',
      'enforce',
    ]);
    const c = loadConfig({ flags, env: {} });
    expect(c.cluster.worker).toMatchObject({ partition: 1, partitions: 2 });
    expect(c.policy.mode).toBe('enforce');
  });
});
