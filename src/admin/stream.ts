/**
 * @module admin/stream
 * `GET /admin/stream`: Server-Sent Events for the dashboard and `distillguard events tail`.
 * `event: request` (compact summary of each request event), `event: decision`,
 * `event: findings` (a summary of each new snapshot), and a `: ping` comment every 15 s.
 * A slow client does not grow memory: while its socket buffer is full, request events for
 * it are dropped (and counted in the next `event: dropped`). Everything is released when the
 * client disconnects.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Unsubscribe } from '../events/bus.js';
import { type AdminContext, parse } from './context.js';
import { decisionJson, eventSummary } from './serialize.js';

const StreamQuery = z.object({
  key: z.string().min(1).optional(),
  org: z.string().min(1).optional(),
  /** Comma-separated subset of request,decision,findings. */
  events: z
    .string()
    .regex(
      /^(request|decision|findings)(,(request|decision|findings))*$/,
      'comma-separated request,decision,findings',
    )
    .optional(),
});

export const HEARTBEAT_MS = 15_000;

export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function registerStreamRoute(app: FastifyInstance, ctx: AdminContext): void {
  // Hijacked responses are invisible to Fastify: end them ourselves so close() does not wait on clients.
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  app.get('/stream', async (req, reply) => {
    const q = parse(StreamQuery, req.query);
    const wanted = new Set((q.events ?? 'request,decision,findings').split(','));
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n: connected\n\n');
    let dropped = 0;
    const send = (frame: string, droppable: boolean) => {
      if (res.destroyed || res.writableEnded) return;
      if (droppable && res.writableNeedDrain) {
        dropped += 1;
        return;
      }
      if (dropped > 0) {
        res.write(sseFrame('dropped', { count: dropped }));
        dropped = 0;
      }
      res.write(frame);
    };
    const offs: Unsubscribe[] = [];
    if (wanted.has('request'))
      offs.push(
        ctx.bus.subscribe((e) => {
          if (q.key !== undefined && e.keyId !== q.key) return;
          if (q.org !== undefined && e.orgId !== q.org) return;
          send(sseFrame('request', eventSummary(e)), true);
        }),
      );
    if (wanted.has('decision'))
      offs.push(
        ctx.decisions.updates.subscribe((d) => {
          if (q.key !== undefined && !(d.subject.scope === 'key' && d.subject.id === q.key)) return;
          send(sseFrame('decision', decisionJson(d)), false);
        }),
      );
    if (wanted.has('findings') && ctx.findings?.updates)
      offs.push(
        ctx.findings.updates.subscribe((f) =>
          send(
            sseFrame('findings', {
              generated_at: f.generated_at,
              accounts: f.accounts.length,
              flagged: f.accounts.filter((a) => a.verdict !== 'benign').length,
              campaigns: f.campaigns.length,
            }),
            false,
          ),
        ),
      );
    const heartbeat = setInterval(() => send(': ping\n\n', false), ctx.heartbeatMs ?? HEARTBEAT_MS);
    heartbeat.unref();
    const cleanup = () => {
      clearInterval(heartbeat);
      for (const off of offs.splice(0)) off();
      open.delete(end);
    };
    const end = () => {
      cleanup();
      if (!res.writableEnded) res.end();
    };
    open.add(end);
    res.on('close', cleanup);
    req.raw.on('close', cleanup);
  });
}
