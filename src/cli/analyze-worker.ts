/**
 * @module cli/analyze-worker
 * Worker-thread side of `distillguard analyze`: parses batches of log lines with
 * `parseLogLine` (the one parser) and posts back the events and the bad lines, so parsing runs
 * in parallel with the engine on the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseLogLine } from '../events/logline.js';
import type { RequestEvent } from '../events/types.js';

export interface ParseBatch {
  seq: number;
  firstLine: number;
  lines: string[];
}

export interface ParsedBatch {
  seq: number;
  events: RequestEvent[];
  bad: Array<{ line: number; error: string }>;
}

/** Parses a batch; line numbers are 1-based. Blank lines are skipped, not counted as bad. */
export function parseBatch(b: ParseBatch, storeText: boolean): ParsedBatch {
  const events: RequestEvent[] = [];
  const bad: ParsedBatch['bad'] = [];
  for (let i = 0; i < b.lines.length; i++) {
    const line = b.lines[i]!;
    if (line.trim() === '') continue;
    const r = parseLogLine(line, { storeText });
    if (r.ok) events.push(r.event);
    else bad.push({ line: b.firstLine + i, error: r.error });
  }
  return { seq: b.seq, events, bad };
}

if (parentPort) {
  const port = parentPort;
  const storeText = (workerData as { storeText?: boolean } | undefined)?.storeText === true;
  port.on('message', (b: ParseBatch) => port.postMessage(parseBatch(b, storeText)));
}
