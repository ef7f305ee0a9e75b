/**
 * @module config/flags
 * The command-line flags (and `DISTILLGUARD_*` env vars) that set config fields, with their help
 * texts: one table that `loadConfig` reads values through and that `serve` and `worker` declare
 * their options from, so a documented flag cannot be missing from a command. Plain data with no
 * imports: the command line registers it without loading the config code.
 */

export type FlagType = 'string' | 'int' | 'bool' | 'list';

export interface FlagSpec {
  /** Kebab-case flag name (`admin-token`); the env var is `DISTILLGUARD_ADMIN_TOKEN`. */
  flag: string;
  /** Config path it sets. */
  path: readonly string[];
  type: FlagType;
  /** `--help` text (docs/configuration.md has the whole story). */
  help: string;
  /** The commands that take it: `serve` unless said, `worker` too when the worker reads it. */
  commands?: readonly Command[];
}

export type Command = 'serve' | 'worker';

const WORKER: readonly Command[] = ['worker'];
const BOTH: readonly Command[] = ['serve', 'worker'];

/** The flags `command` takes. */
export const flagsOf = (command: Command): FlagSpec[] =>
  FLAG_SPECS.filter((f) => (f.commands ?? ['serve']).includes(command));

/** Every flag (and env var) that maps onto a config field. `upstream`/`upstream-key` are special. */
export const FLAG_SPECS: readonly FlagSpec[] = [
  { flag: 'host', path: ['host'], type: 'string', help: 'listen address (default 127.0.0.1)' },
  { flag: 'port', path: ['port'], type: 'int', help: 'listen port (default 8080)' },
  { flag: 'data-dir', path: ['data_dir'], type: 'string', commands: BOTH, help: 'the same as --data' },
  {
    flag: 'data',
    path: ['data_dir'],
    type: 'string',
    commands: BOTH,
    help: 'data directory (default ./.data)',
  },
  { flag: 'db', path: ['db'], type: 'string', commands: BOTH, help: 'store: sqlite:PATH or postgres://…' },
  { flag: 'redis', path: ['redis'], type: 'string', help: 'Redis for limits in cluster mode' },
  {
    flag: 'nats',
    path: ['nats'],
    type: 'string',
    commands: BOTH,
    help: 'NATS for the event bus in cluster mode',
  },
  {
    flag: 'admin-token',
    path: ['admin_token'],
    type: 'string',
    help: 'admin API token (generated and printed when absent)',
  },
  {
    flag: 'store-prompts',
    path: ['store_prompts'],
    type: 'bool',
    help: 'keep prompt and answer text on events',
  },
  {
    flag: 'trusted-proxies',
    path: ['trusted_proxies'],
    type: 'list',
    help: 'comma list of IPs or CIDRs whose X-Forwarded-For is honoured',
  },
  { flag: 'body-limit-bytes', path: ['body_limit_bytes'], type: 'int', help: 'largest request body (bytes)' },
  { flag: 'max-n', path: ['max_n'], type: 'int', help: 'largest n accepted' },
  { flag: 'max-tokens-limit', path: ['max_tokens_limit'], type: 'int', help: 'largest max_tokens accepted' },
  {
    flag: 'policy-mode',
    path: ['policy', 'mode'],
    type: 'string',
    commands: BOTH,
    help: 'shadow (record engine decisions, never enforce them; the default) or enforce',
  },
  {
    flag: 'replicas',
    path: ['cluster', 'replicas'],
    type: 'int',
    help: 'gateway replicas (limits ÷ this while Redis is down)',
  },
  {
    flag: 'limits-degraded',
    path: ['cluster', 'limits_degraded'],
    type: 'string',
    help: 'while Redis is down: local or fail-closed',
  },
  {
    flag: 'spool-dir',
    path: ['cluster', 'spool_dir'],
    type: 'string',
    help: 'disk spool of events while NATS is down',
  },
  {
    flag: 'partition',
    path: ['cluster', 'worker', 'partition'],
    type: 'int',
    commands: WORKER,
    help: "this worker's index, 0 ≤ i < partitions",
  },
  {
    flag: 'partitions',
    path: ['cluster', 'worker', 'partitions'],
    type: 'int',
    commands: WORKER,
    help: 'number of workers sharing the stream',
  },
  {
    flag: 'db-retention-days',
    path: ['db_retention_days'],
    type: 'int',
    commands: BOTH,
    help: 'PostgreSQL: days of events kept (0 keeps all)',
  },
  {
    flag: 'events-batch-size',
    path: ['events', 'batch_size'],
    type: 'int',
    help: 'events per write transaction',
  },
  {
    flag: 'events-flush-ms',
    path: ['events', 'flush_ms'],
    type: 'int',
    help: 'longest wait before a partial event batch is written (ms)',
  },
];

/** The commander option of a flag: a switch for booleans, `--flag <value>` otherwise. */
export function optionOf(spec: FlagSpec): string {
  return spec.type === 'bool'
    ? `--${spec.flag}`
    : `--${spec.flag} <${spec.type === 'list' ? 'list' : 'value'}>`;
}
