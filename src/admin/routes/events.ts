/**
 * @module admin/routes/events
 * `GET /admin/events`: the stored request log, newest first, keyset-paged by cursor.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type AdminContext, parse } from '../context.js';

const ListEvents = z.object({
  key: z.string().min(1).optional(),
  org: z.string().min(1).optional(),
  since: z.coerce.number().int().min(0).optional(),
  until: z.coerce.number().int().min(0).optional(),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().min(1).max(500).optional(),
});

export function registerEventRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/events', async (req) => {
    const q = parse(ListEvents, req.query);
    const page = await ctx.store.events.query({
      limit: q.limit,
      order: q.order,
      ...(q.key !== undefined ? { keyId: q.key } : {}),
      ...(q.org !== undefined ? { orgId: q.org } : {}),
      ...(q.since !== undefined ? { since: q.since } : {}),
      ...(q.until !== undefined ? { until: q.until } : {}),
      ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
    });
    return { object: 'list', data: page.events, next_cursor: page.nextCursor };
  });
}
