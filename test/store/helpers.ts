import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLogLine } from '../../src/events/logline.js';
import type { RequestEvent } from '../../src/events/types.js';

let n = 0;

/** A realistic RequestEvent through the shared log-line parser. */
export function makeEvent(
  over: { id?: string; ts?: number; key?: string; org?: string; status?: number } = {},
) {
  n += 1;
  const line = JSON.stringify({
    id: over.id ?? `req_${n}_${Math.random().toString(36).slice(2)}`,
    ts: over.ts ?? 1_700_000_000_000 + n,
    key: over.key ?? 'key_a',
    org: over.org ?? 'org_a',
    ip: '203.0.113.7',
    request: { model: 'gpt-4o', messages: [{ role: 'user', content: `question number ${n}` }] },
    response: { usage: { prompt_tokens: 10, completion_tokens: 20 } },
    status: over.status ?? 200,
    latency_ms: 12,
  });
  const r = parseLogLine(line);
  if (!r.ok) throw new Error(r.error);
  return r.event as RequestEvent;
}

export function tempDir(prefix = 'dg-store-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
