/**
 * @module admin/routes/actions
 * Manual decisions (`POST/GET /admin/actions`) and the effective decision for external
 * gateways (`GET /admin/decisions/:key`).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ACTIONS } from '../../policy/decisions.js';
import { type AdminContext, actorOf, parse } from '../context.js';
import { AdminError } from '../errors.js';
import { decisionJson } from '../serialize.js';

const CreateAction = z.strictObject({
  scope: z.enum(['key', 'org']),
  id: z.string().min(1),
  action: z.enum(ACTIONS as [string, ...string[]]),
  reason: z.string().trim().min(1, 'a reason is required').max(2000),
  throttle_factor: z.number().gt(0).lt(1).optional(),
  expires_at: z.number().int().positive().nullable().optional(),
});
const ListActions = z.object({
  scope: z.enum(['key', 'org']).optional(),
  id: z.string().min(1).optional(),
  in_force: z.enum(['true', 'false']).default('false'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce.number().int().optional(),
});
const KeyParam = z.object({ key: z.string().min(1) });

export function registerActionRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.post('/actions', async (req, reply) => {
    const body = parse(CreateAction, req.body ?? {});
    const actor = actorOf(req.headers);
    if (body.expires_at !== undefined && body.expires_at !== null && body.expires_at <= Date.now())
      throw parseError('expires_at', 'must be in the future (epoch milliseconds)');
    if (body.action === 'throttle' && body.throttle_factor === undefined)
      throw parseError('throttle_factor', 'required for throttle (0 < factor < 1)');
    const d = await ctx.decisions.record(
      {
        subject: { scope: body.scope, id: body.id },
        action: body.action as (typeof ACTIONS)[number],
        source: actor,
        reasons: [body.reason],
        ...(body.throttle_factor !== undefined ? { throttleFactor: body.throttle_factor } : {}),
        expiresAt: body.expires_at ?? null,
        shadow: false,
      },
      actor,
    );
    return reply.code(201).send(decisionJson(d));
  });

  app.get('/actions', async (req) => {
    const q = parse(ListActions, req.query);
    if (q.in_force === 'true') {
      const list = ctx.decisions
        .list()
        .filter(
          (d) =>
            (q.scope === undefined || d.subject.scope === q.scope) &&
            (q.id === undefined || d.subject.id === q.id),
        );
      return { object: 'list', data: list.slice(0, q.limit).map(decisionJson) };
    }
    const subject = q.scope && q.id ? { scope: q.scope, id: q.id } : undefined;
    const list = await ctx.store.decisions.list({
      limit: q.limit,
      ...(subject ? { subject } : {}),
      ...(q.before !== undefined ? { before: q.before } : {}),
    });
    return { object: 'list', data: list.map(decisionJson) };
  });

  app.get('/decisions/:key', async (req) => {
    const { key } = parse(KeyParam, req.params);
    const orgId =
      (await ctx.tenancy.findKey(key))?.orgId ?? (await ctx.store.events.usage(key))?.orgId ?? key;
    const d = ctx.decisions.effective(key, orgId, Date.now());
    return {
      key,
      org: orgId,
      action: d?.action ?? 'observe',
      enforced: d !== null && !d.shadow,
      shadow: d?.shadow ?? false,
      throttle_factor: d?.throttleFactor ?? null,
      reasons: d?.reasons ?? [],
      source: d?.source ?? null,
      decided_at: d ? new Date(d.createdAt).toISOString() : null,
      expires_at: d?.expiresAt ? new Date(d.expiresAt).toISOString() : null,
    };
  });
}

function parseError(param: string, message: string): AdminError {
  return new AdminError(400, 'invalid_value', `${param}: ${message}`, param);
}
