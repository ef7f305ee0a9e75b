/**
 * @module admin/routes/tenancy
 * `/admin/orgs` and `/admin/keys`: create, list, change and revoke. A key's secret appears in
 * the response to `POST /admin/keys` only.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { LimitRuleSchema } from '../../config/schema.js';
import { type AdminContext, actorOf, parse } from '../context.js';
import { notFound } from '../errors.js';
import { accountJson, keyJson, orgJson } from '../serialize.js';

const Name = z.string().trim().min(1).max(200);
const Meta = z.record(z.string(), z.string());
const Labels = z.record(z.string().min(1).max(100), z.string().max(500));

const CreateOrg = z.strictObject({ name: Name, limits: LimitRuleSchema.optional(), meta: Meta.optional() });
const PatchOrg = z.strictObject({
  name: Name.optional(),
  limits: LimitRuleSchema.optional(),
  meta: Meta.optional(),
});
const CreateKey = z.strictObject({
  org: z.string().min(1),
  account: z.string().min(1).optional(),
  limits: LimitRuleSchema.optional(),
  labels: Labels.optional(),
});
const PatchKey = z.strictObject({
  limits: LimitRuleSchema.optional(),
  labels: Labels.optional(),
  revoked: z.literal(true).optional(),
});
const ListKeys = z.object({
  org: z.string().min(1).optional(),
  account: z.string().min(1).optional(),
  include_revoked: z.enum(['true', 'false']).default('true'),
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
const IdParam = z.object({ id: z.string().min(1) });

export function registerTenancyRoutes(app: FastifyInstance, ctx: AdminContext): void {
  const { tenancy, store } = ctx;

  app.get('/orgs', async () => {
    const orgs = await tenancy.listOrgs();
    return { object: 'list', data: orgs.map(orgJson) };
  });

  app.post('/orgs', async (req, reply) => {
    const body = parse(CreateOrg, req.body ?? {});
    const org = await tenancy.createOrg(body.name, { ...body, actor: actorOf(req.headers) });
    ctx.accounts.invalidate();
    return reply.code(201).send(orgJson(org));
  });

  app.get('/orgs/:id', async (req) => {
    const { id } = parse(IdParam, req.params);
    const org = await tenancy.getOrg(id);
    const [accounts, keys] = await Promise.all([
      tenancy.listAccounts(org.id),
      store.tenancy.countKeys({ orgId: org.id, includeRevoked: false }),
    ]);
    return { ...orgJson(org), accounts: accounts.map(accountJson), active_keys: keys };
  });

  app.patch('/orgs/:id', async (req) => {
    const { id } = parse(IdParam, req.params);
    const patch = parse(PatchOrg, req.body ?? {});
    const org = await tenancy.updateOrg(id, patch, actorOf(req.headers));
    ctx.accounts.invalidate();
    return orgJson(org);
  });

  app.get('/keys', async (req) => {
    const q = parse(ListKeys, req.query);
    const org = q.org === undefined ? undefined : await tenancy.getOrg(q.org);
    const filter = {
      ...(org ? { orgId: org.id } : {}),
      ...(q.account ? { accountId: q.account } : {}),
      includeRevoked: q.include_revoked === 'true',
    };
    const [keys, total] = await Promise.all([
      tenancy.listKeys({ ...filter, limit: q.limit, offset: q.offset }),
      store.tenancy.countKeys(filter),
    ]);
    return { object: 'list', data: keys.map(keyJson), total, limit: q.limit, offset: q.offset };
  });

  app.post('/keys', async (req, reply) => {
    const body = parse(CreateKey, req.body ?? {});
    const { key, secret } = await tenancy.createKey({ ...body, actor: actorOf(req.headers) });
    const org = await tenancy.getOrg(key.orgId);
    ctx.accounts.invalidate();
    return reply.code(201).send({ ...keyJson(key), key: secret, org: org.name });
  });

  app.get('/keys/:id', async (req) => {
    const { id } = parse(IdParam, req.params);
    const key = await tenancy.findKey(id);
    if (!key) throw notFound(`key ${id}`, 'id');
    return keyJson(key);
  });

  app.patch('/keys/:id', async (req) => {
    const { id } = parse(IdParam, req.params);
    const patch = parse(PatchKey, req.body ?? {});
    const actor = actorOf(req.headers);
    let key = await tenancy.getKey(id);
    if (patch.limits) key = await tenancy.setKeyLimits(id, patch.limits, actor);
    if (patch.labels) key = await tenancy.setKeyLabels(id, patch.labels, actor);
    if (patch.revoked) key = await tenancy.revokeKey(id, { actor });
    ctx.accounts.invalidate();
    return keyJson(key);
  });

  app.delete('/keys/:id', async (req) => {
    const { id } = parse(IdParam, req.params);
    const key = await tenancy.revokeKey(id, { actor: actorOf(req.headers) });
    ctx.accounts.invalidate();
    return keyJson(key);
  });
}
