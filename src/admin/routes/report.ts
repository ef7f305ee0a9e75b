/**
 * @module admin/routes/report
 * `GET /admin/campaigns/:id/report` and `GET /admin/accounts/:key/report`: the self-contained
 * HTML evidence report (report/evidence.ts) as a download. Findings come from the live source,
 * else the store's latest snapshot; an unknown id (or no findings) is a 404 in OpenAI's shape.
 * `?include_prompts=true` adds raw prompts when the store holds them.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { ReportError } from '../../report/errors.js';
import { REPORT_CSP, renderEvidenceReport } from '../../report/evidence.js';
import { loadEvidence, type ReportTarget } from '../../report/load.js';
import { type AdminContext, parse } from '../context.js';
import { AdminError } from '../errors.js';

const IdParam = z.object({ id: z.string().min(1) });
const KeyParam = z.object({ key: z.string().min(1) });
const ReportQuery = z.object({
  include_prompts: z.enum(['true', 'false', '1', '0']).optional(),
});

/** A filename-safe form of an id (ASCII letters, digits, `.`, `_`, `-`). */
export const fileSafe = (id: string) => id.replace(/[^\w.-]/g, '_').slice(0, 100);

export function registerReportRoutes(app: FastifyInstance, ctx: AdminContext): void {
  const send = async (target: ReportTarget, query: unknown, reply: FastifyReply) => {
    const q = parse(ReportQuery, query);
    const includePrompts = q.include_prompts === 'true' || q.include_prompts === '1';
    const live = ctx.findings?.latest() ?? null;
    try {
      const input = await loadEvidence(ctx.store, target, {
        findings: live,
        findingsSource: live ? 'the live detection engine' : 'the store (latest findings snapshot)',
        includePrompts,
      });
      const body = renderEvidenceReport(input, { includePrompts });
      return reply
        .type('text/html; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="distillguard-${target.kind}-${fileSafe(target.id)}-report.html"`,
        )
        .header('content-security-policy', REPORT_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(body);
    } catch (err) {
      if (err instanceof ReportError)
        throw new AdminError(404, 'not_found', err.message, target.kind === 'campaign' ? 'id' : 'key');
      throw err;
    }
  };

  app.get('/campaigns/:id/report', async (req, reply) =>
    send({ kind: 'campaign', id: parse(IdParam, req.params).id }, req.query, reply),
  );
  app.get('/accounts/:key/report', async (req, reply) =>
    send({ kind: 'account', id: parse(KeyParam, req.params).key }, req.query, reply),
  );
}
