/**
 * @module cli/events
 * `distillguard events tail [--key ID] [--json]`: follows request events as they arrive, from
 * the local store (polling) or, with `--url`, from a running gateway's `/admin/stream`.
 * Stops on Ctrl-C.
 */
import type { Command } from 'commander';
import type { EventSummary } from '../admin/serialize.js';
import { openTarget, type TargetFlags, withTargetOptions } from '../admin/target.js';

export function formatEvent(e: EventSummary): string {
  const limited = e.limited_by ? ` limited_by=${e.limited_by}` : '';
  const err = e.error_code ? ` error=${e.error_code}` : '';
  return (
    `${new Date(e.ts).toISOString()} ${e.key} ${e.endpoint} ${e.model ?? '-'} ${e.status} ` +
    `in=${e.input_tokens} out=${e.output_tokens}${e.estimated ? '~' : ''} ${Math.round(e.latency_ms)}ms${limited}${err}`
  );
}

export function register(program: Command): void {
  const events = program.command('events').description('request events');

  withTargetOptions(
    events
      .command('tail')
      .description('print request events as they arrive')
      .option('--key <id>', 'only this key')
      .option('--json', 'one JSON object per line'),
  ).action(async (opts: TargetFlags & { key?: string; json?: boolean }) => {
    const { key, json, ...target } = opts;
    const cp = await openTarget(target);
    const ac = new AbortController();
    const stop = () => ac.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    console.error(`following events from ${cp.target}${key ? ` for key ${key}` : ''} (Ctrl-C to stop)`);
    try {
      await cp.tail({
        signal: ac.signal,
        onEvent: (e) => console.log(json ? JSON.stringify(e) : formatEvent(e)),
        ...(key !== undefined ? { key } : {}),
      });
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await cp.close();
    }
  });
}
