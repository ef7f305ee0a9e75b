/**
 * @module bench/lib/strip
 * Log-field ablation (`bench:detect --drop ip,headers,…`): the same simulated traffic as a
 * gateway that logs less would record it. Logs from other gateways often lack the client's IP,
 * its headers, the org or the answer text; the engine must still work on what is left, and must
 * not start accusing customers because evidence it usually weighs is missing.
 */

import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * Fields `--drop` accepts: top-level log-line fields (`response` drops the whole answer, usage
 * included: a request-only log), plus `response_text` (keep only the answer's `usage`).
 */
export const DROPPABLE = [
  'org',
  'account',
  'ip',
  'headers',
  'user_agent',
  'meta',
  'response',
  'response_text',
] as const;
export type Droppable = (typeof DROPPABLE)[number];

export function parseDrop(v: string | undefined): Droppable[] {
  if (!v) return [];
  const out = v.split(',').map((s) => s.trim());
  for (const f of out)
    if (!(DROPPABLE as readonly string[]).includes(f))
      throw new Error(`--drop: unknown field ${f} (one of ${DROPPABLE.join(', ')})`);
  return out as Droppable[];
}

/** The log line without the dropped fields (the object is changed in place and returned). */
export function stripLine(
  line: Record<string, unknown>,
  drop: readonly Droppable[],
): Record<string, unknown> {
  for (const f of drop) {
    if (f !== 'response_text') {
      delete line[f];
      continue;
    }
    const res = line.response as { usage?: unknown } | undefined;
    if (res && typeof res === 'object') line.response = res.usage === undefined ? {} : { usage: res.usage };
  }
  return line;
}

/** Rewrites a JSON Lines log without the dropped fields. */
export async function stripLog(from: string, to: string, drop: readonly Droppable[]): Promise<void> {
  const out = createWriteStream(to);
  for await (const l of createInterface({
    input: createReadStream(from),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    if (l.length === 0) continue;
    if (!out.write(`${JSON.stringify(stripLine(JSON.parse(l), drop))}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
