/**
 * @module cli/mock-upstream
 * `distillguard mock-upstream`: runs the built-in mock OpenAI server until SIGINT/SIGTERM.
 * Flags can also come from DISTILLGUARD_HOST, DISTILLGUARD_PORT, DISTILLGUARD_LATENCY_MS and
 * DISTILLGUARD_TOKEN_DELAY_MS.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';

interface MockFlags {
  host: string;
  port: number;
  latencyMs: number;
  tokenDelayMs: number;
  errorRate: number;
  seed: number;
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number ≥ 0');
  return n;
}

export function register(program: Command): void {
  program
    .command('mock-upstream')
    .description('Run the built-in mock OpenAI upstream (deterministic answers, fault injection)')
    .addOption(new Option('--host <host>', 'listen address').default('127.0.0.1').env('DISTILLGUARD_HOST'))
    .addOption(
      new Option('--port <port>', 'listen port')
        .default(9100)
        .argParser(nonNegative)
        .env('DISTILLGUARD_PORT'),
    )
    .addOption(
      new Option('--latency-ms <n>', 'delay before response headers')
        .default(0)
        .argParser(nonNegative)
        .env('DISTILLGUARD_LATENCY_MS'),
    )
    .addOption(
      new Option('--token-delay-ms <n>', 'delay between stream chunks')
        .default(0)
        .argParser(nonNegative)
        .env('DISTILLGUARD_TOKEN_DELAY_MS'),
    )
    .addOption(
      new Option('--error-rate <p>', 'probability (0-1) of an injected 500')
        .default(0)
        .argParser(nonNegative),
    )
    .addOption(new Option('--seed <n>', 'seed mixed into every answer').default(0).argParser(nonNegative))
    .action(async (flags: MockFlags) => {
      await runMock(flags);
    });
}

async function runMock(flags: MockFlags): Promise<void> {
  // Loaded here, not with the module (see cli/serve): the other commands start without it.
  const { createMockUpstream } = await import('../upstream/mock/index.js');
  const mock = await createMockUpstream({
    host: flags.host,
    port: flags.port,
    latencyMs: flags.latencyMs,
    tokenDelayMs: flags.tokenDelayMs,
    errorRate: flags.errorRate,
    seed: flags.seed,
  });
  console.log(`mock upstream listening on ${mock.url}`);
  console.log(
    '  fault headers: x-mock-latency-ms, x-mock-token-delay-ms, x-mock-error, x-mock-disconnect-after, x-mock-no-usage',
  );
  const stop = (signal: string) => {
    console.log(`${signal}: shutting down (${mock.stats.requests} requests served)`);
    mock.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
