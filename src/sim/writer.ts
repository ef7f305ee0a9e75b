/**
 * @module sim/writer
 * Writes log lines to a file (gzip when the name ends in `.gz`, `-` for stdout) and the labels
 * file beside it, with back-pressure so memory stays flat on long runs.
 */

import { once } from 'node:events';
import { createWriteStream, writeFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { Labels } from './types.js';

export interface LineSink {
  write(line: string): Promise<void>;
  close(): Promise<void>;
}

const CHUNK = 256 * 1024;

/** A buffered line sink on a file path (gzip for `.gz`) or stdout for `-`. */
export function openSink(path: string): LineSink {
  let out: Writable;
  let file: Writable | null = null;
  if (path === '-') out = process.stdout;
  else {
    file = createWriteStream(path);
    if (path.endsWith('.gz')) {
      const gz = createGzip({ level: 4 });
      gz.pipe(file);
      out = gz;
    } else out = file;
  }
  let buf: string[] = [];
  let size = 0;
  const flush = async () => {
    if (buf.length === 0) return;
    const data = buf.join('');
    buf = [];
    size = 0;
    if (!out.write(data)) await once(out, 'drain');
  };
  return {
    async write(line) {
      buf.push(line, '\n');
      size += line.length + 1;
      if (size >= CHUNK) await flush();
    },
    async close() {
      await flush();
      if (out === process.stdout) return;
      const done = file ? once(file, 'finish') : Promise.resolve();
      out.end();
      await done;
    },
  };
}

export function writeLabels(path: string, labels: Labels): void {
  writeFileSync(path, `${JSON.stringify(labels, null, 1)}\n`);
}
