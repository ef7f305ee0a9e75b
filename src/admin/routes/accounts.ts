/**
 * @module admin/routes/accounts
 * `/admin/accounts` (the paged, sorted, filtered table) and `/admin/accounts/:key` (one key's
 * detail: key, org, limits, usage, decisions, audit trail, finding).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SORT_FIELDS } from '../accounts.js';
import { type AdminContext, parse } from '../context.js';
import { notFound } from '../errors.js';
import { decisionJson, keyJson, limitsJson, orgJson, usageJson } from '../serialize.js';

const ListAccounts = z.object({
  sort: z.enum(SORT_FIELDS).default('requests'),
  order: z.enum(['asc', 'desc']).default('desc'),
  org: z.string().min(1).optional(),
  verdict: z.enum(['benign', 'suspicious', 'distillation', 'none']).optional(),
  campaign: z.string().min(1).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
const KeyParam = z.object({ key: z.string().min(1) });

export function registerAccountRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/accounts', async (req) => {
    const q = parse(ListAccounts, req.query);
    const page = await ctx.accounts.query(q, ctx.findings?.latest() ?? null);
    const now = Date.now();
    const data = page.rows.map((r) => {
      const d = ctx.decisions.effective(r.key, r.org, now);
      return { ...r, decision: d ? { action: d.action, shadow: d.shadow } : null };
    });
    return {
      object: 'list',
      data,
      total: page.total,
      limit: q.limit,
      offset: q.offset,
      sort: q.sort,
      order: q.order,
    };
  });

  app.get('/accounts/:key', async (req) => {
    const { key: id } = parse(KeyParam, req.params);
    const [key, usage] = await Promise.all([ctx.tenancy.findKey(id), ctx.store.events.usage(id)]);
    const finding = ctx.findings?.latest()?.accounts.find((a) => a.key === id) ?? null;
    if (!key && !usage && !finding) throw notFound(`account ${id}`, 'key');
    const orgId = key?.orgId ?? usage?.orgId ?? finding?.org ?? id;
    const org = await ctx.tenancy.findOrg(orgId);
    const subject = { scope: 'key' as const, id };
    const [decisions, audit] = await Promise.all([
      ctx.store.decisions.list({ subject, limit: 50 }),
      ctx.store.audit.listBySubject(subject, 50),
    ]);
    const effective = ctx.decisions.effective(id, orgId, Date.now());
    return {
      object: 'account',
      key: id,
      org_id: orgId,
      api_key: key ? keyJson(key) : null,
      org: org ? orgJson(org) : null,
      limits: { key: key ? limitsJson(key.limits) : null, org: org ? limitsJson(org.limits) : null },
      usage: usageJson(usage),
      decision: effective ? decisionJson(effective) : null,
      decisions: decisions.map(decisionJson),
      audit: audit.map((e) => ({
        id: e.id,
        ts: e.ts,
        actor: e.actor,
        action: e.action,
        previous_action: e.previousAction,
        reason: e.reason,
      })),
      finding,
    };
  });
}
