/**
 * @module cli/analyze-worker
 * Worker-thread side of `distillguard analyze`: takes a chunk of the log's raw bytes (whole
 * lines, transferred, not copied), splits and decodes it, parses every line with `parseLogLine`
 * (the one parser) and posts back the events packed (events/packed.ts) with the bad lines, so
 * parsing runs in parallel with the engine and the main thread neither splits lines nor
 * rebuilds event objects property by property.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { rememberTextFeatures } from '../events/features.js';
import { parseLogLine } from '../events/logline.js';
import { EventPacker, type PackedEvents } from '../events/packed.js';

export interface ParseChunk {
  seq: number;
  /** UTF-8 bytes of whole lines (the last one may lack its newline only at the end of the log). */
  bytes: Uint8Array;
}

export interface ParsedChunk {
  seq: number;
  /** Lines in the chunk, blank ones included (as a line reader counts them). */
  lines: number;
  events: PackedEvents;
  /** Bad lines, numbered from 1 within the chunk. */
  bad: Array<{ line: number; error: string }>;
}

/** Parses a chunk of lines. Blank lines are skipped, not counted as bad; a `\r` before `\n` is dropped. */
export function parseChunk(c: ParseChunk, storeText: boolean): ParsedChunk {
  // Lines are decoded one by one, not the chunk at once: a single non-ASCII character would make
  // the whole chunk, and every line sliced from it, a two-byte string (slower to decode and parse).
  // A newline byte never occurs inside a UTF-8 sequence, so the lines are the same either way.
  const bytes = Buffer.from(c.bytes.buffer, c.bytes.byteOffset, c.bytes.byteLength);
  const packer = new EventPacker(Math.max(16, c.bytes.length >> 11));
  const bad: ParsedChunk['bad'] = [];
  let lines = 0;
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(10, start);
    if (end === -1) end = bytes.length;
    lines++;
    const stop = end > start && bytes[end - 1] === 13 ? end - 1 : end;
    const line = bytes.toString('utf8', start, stop);
    start = end + 1;
    if (line.trim() === '') continue;
    const r = parseLogLine(line, { storeText });
    if (r.ok) packer.add(r.event);
    else bad.push({ line: lines, error: r.error });
  }
  return { seq: c.seq, lines, events: packer.finish(), bad };
}

/** The buffers of a parsed chunk, to transfer rather than copy. */
export const transferables = (p: ParsedChunk): ArrayBuffer[] => [
  p.events.nums.buffer as ArrayBuffer,
  p.events.sigs.buffer as ArrayBuffer,
];

if (parentPort) {
  const port = parentPort;
  // A log holds its prompts anyway: this thread may remember recent ones' features.
  rememberTextFeatures(true);
  const storeText = (workerData as { storeText?: boolean } | undefined)?.storeText === true;
  port.on('message', (c: ParseChunk) => {
    const parsed = parseChunk(c, storeText);
    port.postMessage(parsed, transferables(parsed));
  });
}
