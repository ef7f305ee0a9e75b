import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Findings } from '../../src/report/findings.js';
import { makeEvent } from '../store/helpers.js';
import { auth, type Harness, harness } from './helpers.js';

let h: Harness;
let base = '';
beforeAll(async () => {
  h = await harness({ heartbeatMs: 20 });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await h.close();
});

/** Reads SSE text until `done(text)` is true. */
async function readUntil(body: ReadableStream<Uint8Array>, done: (text: string) => boolean): Promise<string> {
  const reader = body.getReader();
  const dec = new TextDecoder();
  let text = '';
  while (!done(text)) {
    const { value, done: end } = await reader.read();
    if (end) break;
    text += dec.decode(value, { stream: true });
  }
  reader.releaseLock();
  return text;
}

describe('GET /admin/stream', () => {
  it('requires the admin token', async () => {
    const r = await fetch(`${base}/admin/stream`);
    expect(r.status).toBe(401);
    await r.body?.cancel();
  });

  it('streams request, decision and findings events with heartbeats, filtered by key, and cleans up', async () => {
    const before = h.bus.subscribers;
    const ac = new AbortController();
    const r = await fetch(`${base}/admin/stream?key=key_sse`, { headers: auth, signal: ac.signal });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/event-stream');
    await readUntil(r.body!, (t) => t.includes(': connected'));
    expect(h.bus.subscribers).toBe(before + 1);
    h.bus.publish(makeEvent({ key: 'key_other' }));
    const e = makeEvent({ key: 'key_sse' });
    h.bus.publish(e);
    await h.decisions.record({
      subject: { scope: 'key', id: 'key_sse' },
      action: 'flag',
      source: 'engine',
      reasons: ['x'],
    });
    const f: Findings = {
      version: 1,
      generated_at: 'now',
      input: { lines: 0, bad_lines: 0 },
      accounts: [],
      campaigns: [],
    };
    h.findings.updates.publish(f);
    const text = await readUntil(r.body!, (t) => t.includes('event: findings') && t.includes(': ping'));
    const frames = text.split('\n\n').filter((f) => f.startsWith('event: '));
    const names = frames.map((f) => f.split('\n')[0]);
    expect(names).toEqual(['event: request', 'event: decision', 'event: findings']);
    const req = JSON.parse(frames[0]!.split('\n')[1]!.slice('data: '.length));
    expect(req).toMatchObject({ id: e.id, key: 'key_sse', status: 200, output_tokens: 20 });
    expect(text).not.toContain('key_other');
    ac.abort();
    for (let i = 0; i < 50 && h.bus.subscribers > before; i++)
      await new Promise((res) => setTimeout(res, 10));
    expect(h.bus.subscribers).toBe(before);
    expect(h.decisions.updates.subscribers).toBe(0);
  });

  it('rejects a bad events filter with 400', async () => {
    const r = await fetch(`${base}/admin/stream?events=request,gossip`, { headers: auth });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: { param: string } }).error.param).toBe('events');
  });
});
