/**
 * @module events/spool
 * `DiskSpool`: a bounded, append-only local disk queue that keeps events when the shared
 * service (NATS, PostgreSQL) is down, and hands them back in order when it returns.
 *
 * - Layout: `<dir>/seg-<n>.ndjson` segment files (one JSON document per line) plus `<dir>/head`,
 *   the position (segment, byte offset) of the oldest entry not yet acknowledged. Appends go to
 *   the newest segment; a segment is deleted once every entry in it is acknowledged.
 * - Durability: writes are fsync'ed every `fsyncEveryMs` (0 = on every append), the head is
 *   replaced atomically (write + rename). A torn last line (crash mid-write) is cut on open.
 * - Bounded: past `maxBytes` an append is refused with `SpoolFullError` (code `SPOOL_ERR_FULL`)
 *   that the caller must surface. Full is an alert — `full` flag, `fullRefusals` counter and a
 *   log line per episode — never a silent drop.
 * - Replay: `drain(handler)` passes batches oldest first and acknowledges a batch only after the
 *   handler resolves; a throwing handler leaves the batch at the head for the next drain.
 */
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface SpoolOptions {
  dir: string;
  /** Total bytes of unacknowledged entries before appends are refused. */
  maxBytes?: number;
  /** A new segment file starts past this size. */
  segmentBytes?: number;
  /** fsync cadence in ms; 0 syncs on every append. */
  fsyncEveryMs?: number;
  logger?: { warn(msg: string): void; info(msg: string): void };
}

export const SPOOL_DEFAULTS = {
  maxBytes: 256 * 1024 * 1024,
  segmentBytes: 8 * 1024 * 1024,
  fsyncEveryMs: 200,
};

export const SPOOL_ERR_FULL = 'SPOOL_ERR_FULL';
export const SPOOL_ERR_CLOSED = 'SPOOL_ERR_CLOSED';

export class SpoolError extends Error {
  constructor(
    readonly code: typeof SPOOL_ERR_FULL | typeof SPOOL_ERR_CLOSED,
    message: string,
  ) {
    super(message);
    this.name = 'SpoolError';
  }
}

export class SpoolFullError extends SpoolError {
  constructor(maxBytes: number) {
    super(SPOOL_ERR_FULL, `event spool is full (${maxBytes} bytes): append refused`);
  }
}

export interface SpoolStats {
  entries: number;
  bytes: number;
  segments: number;
  full: boolean;
  fullRefusals: number;
  appended: number;
  drained: number;
}

interface Head {
  seg: number;
  offset: number;
}

interface ReadEntry {
  line: string;
  seg: number;
  end: number;
}

const SEG_RE = /^seg-(\d{12})\.ndjson$/;
const segName = (n: number): string => `seg-${String(n).padStart(12, '0')}.ndjson`;
const READ_CHUNK = 1024 * 1024;

export class DiskSpool<T> {
  private segments: number[] = [];
  private sizes = new Map<number, number>();
  private head: Head = { seg: 1, offset: 0 };
  private tail: FileHandle | null = null;
  private entries = 0;
  private bytes = 0;
  private dirty = false;
  private full = false;
  private fullRefusals = 0;
  private appended = 0;
  private drained = 0;
  private closed = false;
  private draining = false;
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private readonly maxBytes: number;
  private readonly segmentBytes: number;
  private readonly fsyncEveryMs: number;

  private constructor(private readonly opts: SpoolOptions) {
    this.maxBytes = opts.maxBytes ?? SPOOL_DEFAULTS.maxBytes;
    this.segmentBytes = opts.segmentBytes ?? SPOOL_DEFAULTS.segmentBytes;
    this.fsyncEveryMs = opts.fsyncEveryMs ?? SPOOL_DEFAULTS.fsyncEveryMs;
  }

  /** Opens (or creates) the spool in `opts.dir`, recovering what a previous process left. */
  static async open<T>(opts: SpoolOptions): Promise<DiskSpool<T>> {
    const spool = new DiskSpool<T>(opts);
    await spool.recover();
    return spool;
  }

  stats(): SpoolStats {
    return {
      entries: this.entries,
      bytes: this.bytes,
      segments: this.segments.length,
      full: this.full,
      fullRefusals: this.fullRefusals,
      appended: this.appended,
      drained: this.drained,
    };
  }

  isEmpty(): boolean {
    return this.entries === 0;
  }

  /** Appends one item at the tail; rejects with SpoolFullError when the spool is full. */
  append(item: T): Promise<void> {
    const line = `${JSON.stringify(item)}\n`;
    return this.serial(() => this.write(line));
  }

  /**
   * Hands the oldest entries to `handler` in order, `batch` at a time, acknowledging each batch
   * once the handler resolves. Stops at the first failure (the batch stays). Returns how many
   * entries were acknowledged.
   */
  async drain(handler: (items: T[]) => Promise<void>, batch = 256): Promise<number> {
    if (this.draining) return 0;
    this.draining = true;
    let done = 0;
    try {
      for (;;) {
        const read = await this.serial(() => this.readBatch(batch));
        if (read.length === 0) return done;
        await handler(read.map((e) => JSON.parse(e.line) as T));
        const last = read[read.length - 1]!;
        await this.serial(() => this.acknowledge(read.length, { seg: last.seg, offset: last.end }));
        done += read.length;
      }
    } finally {
      this.draining = false;
    }
  }

  /** fsync pending writes now. */
  flush(): Promise<void> {
    return this.serial(() => this.sync());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.tail?.close();
    this.tail = null;
  }

  private serial<R>(fn: () => Promise<R>): Promise<R> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async recover(): Promise<void> {
    await mkdir(this.opts.dir, { recursive: true });
    const names = await readdir(this.opts.dir);
    this.segments = names
      .map((n) => SEG_RE.exec(n)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    this.head = await this.readHead();
    for (const seg of this.segments.filter((s) => s < this.head.seg)) await this.removeSegment(seg);
    if (this.segments.length === 0) this.segments = [this.head.seg];
    if (!this.segments.includes(this.head.seg)) this.head = { seg: this.segments[0]!, offset: 0 };
    const last = this.segments[this.segments.length - 1]!;
    await this.cutTornTail(last);
    for (const seg of this.segments) {
      const content = await readFile(this.segPath(seg)).catch(() => Buffer.alloc(0));
      this.sizes.set(seg, content.length);
      const from = seg === this.head.seg ? Math.min(this.head.offset, content.length) : 0;
      this.bytes += content.length - from;
      for (let i = from; i < content.length; i++) if (content[i] === 10) this.entries++;
    }
    this.tail = await open(this.segPath(last), 'a');
    if (this.fsyncEveryMs > 0) {
      this.timer = setInterval(
        () => void this.serial(() => this.sync()).catch(() => undefined),
        this.fsyncEveryMs,
      );
      this.timer.unref();
    }
  }

  private async readHead(): Promise<Head> {
    try {
      const h = JSON.parse(await readFile(join(this.opts.dir, 'head'), 'utf8')) as Head;
      if (Number.isInteger(h.seg) && Number.isInteger(h.offset)) return h;
    } catch {
      /* no head yet: start at the oldest segment */
    }
    return { seg: this.segments[0] ?? 1, offset: 0 };
  }

  private async cutTornTail(seg: number): Promise<void> {
    const content = await readFile(this.segPath(seg)).catch(() => null);
    if (content === null || content.length === 0 || content[content.length - 1] === 10) return;
    const keep = content.lastIndexOf(10) + 1;
    const fh = await open(this.segPath(seg), 'r+');
    await fh.truncate(keep);
    await fh.close();
    this.opts.logger?.warn(`spool: cut a torn last line in ${segName(seg)} (${content.length - keep} bytes)`);
  }

  private async write(line: string): Promise<void> {
    if (this.closed || !this.tail) throw new SpoolError(SPOOL_ERR_CLOSED, 'spool is closed');
    const size = Buffer.byteLength(line);
    if (this.bytes + size > this.maxBytes) {
      this.fullRefusals++;
      if (!this.full) this.opts.logger?.warn(`spool: FULL at ${this.bytes} bytes — refusing new events`);
      this.full = true;
      throw new SpoolFullError(this.maxBytes);
    }
    let seg = this.segments[this.segments.length - 1]!;
    if ((this.sizes.get(seg) ?? 0) + size > this.segmentBytes && (this.sizes.get(seg) ?? 0) > 0) {
      await this.sync();
      await this.tail.close();
      seg += 1;
      this.segments.push(seg);
      this.sizes.set(seg, 0);
      this.tail = await open(this.segPath(seg), 'a');
    }
    await this.tail.write(line);
    this.sizes.set(seg, (this.sizes.get(seg) ?? 0) + size);
    this.bytes += size;
    this.entries++;
    this.appended++;
    this.dirty = true;
    if (this.fsyncEveryMs === 0) await this.sync();
  }

  private async sync(): Promise<void> {
    if (!this.dirty || !this.tail) return;
    this.dirty = false;
    await this.tail.datasync();
  }

  private async readBatch(max: number): Promise<ReadEntry[]> {
    const out: ReadEntry[] = [];
    let { seg, offset } = this.head;
    while (out.length < max) {
      const size = this.sizes.get(seg);
      if (size === undefined) break;
      if (offset >= size) {
        const next = this.segments.find((s) => s > seg);
        if (next === undefined) break;
        seg = next;
        offset = 0;
        continue;
      }
      const fh = await open(this.segPath(seg), 'r');
      const { buffer, bytesRead } = await fh.read(
        Buffer.alloc(Math.min(READ_CHUNK, size - offset)),
        0,
        undefined,
        offset,
      );
      await fh.close();
      const chunk = buffer.subarray(0, bytesRead);
      let start = 0;
      for (let nl = chunk.indexOf(10); nl !== -1 && out.length < max; nl = chunk.indexOf(10, start)) {
        out.push({ line: chunk.subarray(start, nl).toString('utf8'), seg, end: offset + nl + 1 });
        start = nl + 1;
      }
      if (start === 0) break; // a single line longer than READ_CHUNK is not supported
      offset += start;
    }
    return out;
  }

  private async acknowledge(count: number, to: Head): Promise<void> {
    let removed = 0;
    for (const seg of this.segments.filter((s) => s < to.seg)) {
      removed +=
        seg === this.head.seg ? (this.sizes.get(seg) ?? 0) - this.head.offset : (this.sizes.get(seg) ?? 0);
    }
    removed += to.seg === this.head.seg ? to.offset - this.head.offset : to.offset;
    const tmp = join(this.opts.dir, 'head.tmp');
    await writeFile(tmp, JSON.stringify(to));
    await rename(tmp, join(this.opts.dir, 'head'));
    this.head = to;
    for (const seg of this.segments.filter((s) => s < to.seg)) await this.removeSegment(seg);
    this.bytes -= removed;
    this.entries -= count;
    this.drained += count;
    if (this.full && this.bytes < this.maxBytes) {
      this.full = false;
      this.opts.logger?.info(`spool: room again (${this.bytes} bytes queued)`);
    }
  }

  private async removeSegment(seg: number): Promise<void> {
    await rm(this.segPath(seg), { force: true });
    this.segments = this.segments.filter((s) => s !== seg);
    this.sizes.delete(seg);
  }

  private segPath(seg: number): string {
    return join(this.opts.dir, segName(seg));
  }
}
