/**
 * @module admin/routes/findings
 * `/admin/findings`, `/admin/campaigns` and `/admin/campaigns/:id`, served from the
 * FindingsSource (503 `detection_unavailable` when there is none).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Findings } from '../../report/findings.js';
import { type AdminContext, parse } from '../context.js';
import { AdminError, notFound } from '../errors.js';

const IdParam = z.object({ id: z.string().min(1) });

export function registerFindingsRoutes(app: FastifyInstance, ctx: AdminContext): void {
  const latest = (): Findings => {
    if (!ctx.findings)
      throw new AdminError(503, 'detection_unavailable', 'detection is not running in this process');
    const f = ctx.findings.latest();
    if (!f)
      throw new AdminError(
        503,
        'findings_not_ready',
        'no findings yet: detection has not produced a snapshot',
      );
    return f;
  };

  app.get('/findings', async () => latest());

  app.get('/campaigns', async () => {
    const f = latest();
    const data = [...f.campaigns].sort((a, b) => b.score - a.score);
    return { object: 'list', generated_at: f.generated_at, data };
  });

  app.get('/campaigns/:id', async (req) => {
    const { id } = parse(IdParam, req.params);
    const f = latest();
    const campaign = f.campaigns.find((c) => c.id === id);
    if (!campaign) throw notFound(`campaign ${id}`, 'id');
    const keys = new Set(campaign.keys);
    return { ...campaign, generated_at: f.generated_at, accounts: f.accounts.filter((a) => keys.has(a.key)) };
  });
}
