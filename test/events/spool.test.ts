/**
 * DiskSpool: FIFO order, acknowledged entries truncated, restart on the same directory, a torn
 * last line, segment rotation, and a full spool that refuses loudly instead of dropping.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskSpool, SPOOL_ERR_FULL, SpoolFullError } from '../../src/events/spool.js';

interface Item {
  n: number;
  pad?: string;
}

describe('DiskSpool', () => {
  let dir: string;
  const spools: Array<DiskSpool<Item>> = [];
  const openSpool = async (opts: Partial<Parameters<typeof DiskSpool.open>[0]> = {}) => {
    const s = await DiskSpool.open<Item>({ dir, fsyncEveryMs: 0, ...opts });
    spools.push(s);
    return s;
  };
  const drainAll = async (s: DiskSpool<Item>, batch = 7): Promise<number[]> => {
    const out: number[] = [];
    await s.drain(async (items) => {
      out.push(...items.map((i) => i.n));
    }, batch);
    return out;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dg-spool-'));
  });
  afterEach(async () => {
    await Promise.all(spools.splice(0).map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('replays in FIFO order across segments and truncates what was acknowledged', async () => {
    const s = await openSpool({ segmentBytes: 200 });
    await Promise.all(Array.from({ length: 100 }, (_, n) => s.append({ n })));
    expect(s.stats().entries).toBe(100);
    expect(s.stats().segments).toBeGreaterThanOrEqual(4);
    expect(await drainAll(s)).toEqual(Array.from({ length: 100 }, (_, n) => n));
    expect(s.stats()).toMatchObject({ entries: 0, bytes: 0, drained: 100 });
    expect(s.stats().segments).toBe(1);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.ndjson'));
    expect(files).toHaveLength(1);
  });

  it('keeps a failed batch at the head for the next drain', async () => {
    const s = await openSpool();
    for (let n = 0; n < 10; n++) await s.append({ n });
    let calls = 0;
    await expect(
      s.drain(async () => {
        if (++calls === 2) throw new Error('service down again');
      }, 4),
    ).rejects.toThrow('service down again');
    expect(s.stats().entries).toBe(6);
    expect(await drainAll(s, 100)).toEqual([4, 5, 6, 7, 8, 9]);
  });

  it('survives a restart on the same directory, acknowledged entries gone', async () => {
    const a = await openSpool({ segmentBytes: 100 });
    for (let n = 0; n < 30; n++) await a.append({ n });
    await a
      .drain(async () => {
        throw new Error('stop');
      }, 5)
      .catch(() => undefined);
    let seen = 0;
    await a
      .drain(async (items) => {
        seen += items.length;
        if (seen >= 10) throw new Error('crash after 10');
      }, 5)
      .catch(() => undefined);
    await a.close();
    const b = await openSpool({ segmentBytes: 100 });
    expect(b.stats().entries).toBe(25);
    await b.append({ n: 30 });
    expect(await drainAll(b)).toEqual(Array.from({ length: 26 }, (_, i) => i + 5));
  });

  it('cuts a torn last line left by a crash mid-write', async () => {
    const a = await openSpool();
    await a.append({ n: 1 });
    await a.append({ n: 2 });
    await a.close();
    const seg = (await readdir(dir)).find((f) => f.endsWith('.ndjson'))!;
    await writeFile(join(dir, seg), `${await readFile(join(dir, seg), 'utf8')}{"n":3,"pa`);
    const b = await openSpool();
    expect(b.stats().entries).toBe(2);
    await b.append({ n: 4 });
    expect(await drainAll(b)).toEqual([1, 2, 4]);
  });

  it('refuses appends when full, with a flag, a counter and one log line, then takes more after a drain', async () => {
    const lines: string[] = [];
    const logger = { warn: (m: string) => lines.push(m), info: (m: string) => lines.push(m) };
    const s = await openSpool({ maxBytes: 1000, logger });
    const item = { n: 0, pad: 'x'.repeat(80) };
    const size = JSON.stringify(item).length + 1;
    const fits = Math.floor(1000 / size);
    for (let i = 0; i < fits; i++) await s.append({ ...item, n: i });
    await expect(s.append(item)).rejects.toBeInstanceOf(SpoolFullError);
    await expect(s.append(item)).rejects.toMatchObject({ code: SPOOL_ERR_FULL });
    expect(s.stats()).toMatchObject({ full: true, fullRefusals: 2, entries: fits });
    expect(lines.filter((l) => l.includes('FULL'))).toHaveLength(1);
    expect((await drainAll(s, 3)).length).toBe(fits);
    expect(s.stats().full).toBe(false);
    await s.append({ ...item, n: 99 });
    expect(await drainAll(s)).toEqual([99]);
  });

  it('batches fsync on a cadence and still persists on close', async () => {
    const a = await openSpool({ fsyncEveryMs: 10_000 });
    for (let n = 0; n < 5; n++) await a.append({ n });
    await a.close();
    const b = await openSpool();
    expect(await drainAll(b)).toEqual([0, 1, 2, 3, 4]);
  });
});
