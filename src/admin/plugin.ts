/**
 * @module admin/plugin
 * `adminPlugin`: the admin REST API as one encapsulated Fastify plugin, registered with
 * `{ prefix: '/admin' }`. Every route requires the admin token (see `auth.ts`) or a live
 * dashboard session cookie (`sessionAuth`, src/dashboard); errors use OpenAI's shape. Routes are documented in docs/admin-api.md.
 */
import type { FastifyPluginAsync } from 'fastify';
import { sessionAuth } from '../dashboard/index.js';
import { AccountsTable } from './accounts.js';
import { presentedToken, tokenMatches } from './auth.js';
import type { AdminContext, AdminOptions } from './context.js';
import { AdminError, sendError, toAdminError } from './errors.js';
import { registerAccountRoutes } from './routes/accounts.js';
import { registerActionRoutes } from './routes/actions.js';
import { registerEventRoutes } from './routes/events.js';
import { registerFindingsRoutes } from './routes/findings.js';
import { decodeBody, registerIngestRoutes } from './routes/ingest.js';
import { registerReportRoutes } from './routes/report.js';
import { registerTenancyRoutes } from './routes/tenancy.js';
import { registerStreamRoute } from './stream.js';

export const adminPlugin: FastifyPluginAsync<AdminOptions> = async (app, opts) => {
  const ctx: AdminContext = { ...opts, accounts: new AccountsTable(opts.store) };
  const expected = opts.config.admin_token ?? '';

  app.addHook('onRequest', async (req, reply) => {
    if (sessionAuth(req)) return;
    const given = presentedToken(req);
    if (given === null || !tokenMatches(given, expected))
      return sendError(
        reply,
        new AdminError(
          401,
          'invalid_admin_token',
          'a valid admin token is required (Authorization: Bearer …)',
        ),
      );
  });

  // Log lines arrive as text, plain or compressed (`Content-Encoding`); the JSON parser stays for
  // everything else.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(
    ['text/plain', 'application/x-ndjson'],
    { parseAs: 'buffer' },
    (req, body, done) => {
      try {
        done(null, decodeBody(body as Buffer, req.headers['content-encoding'], ctx.config.body_limit_bytes));
      } catch (err) {
        done(err as Error, undefined);
      }
    },
  );

  app.setErrorHandler((err, req, reply) => {
    const e = toAdminError(err);
    if (e.status >= 500) req.log.error({ err }, 'admin request failed');
    return sendError(reply, e);
  });
  app.setNotFoundHandler((req, reply) =>
    sendError(
      reply,
      new AdminError(404, 'unknown_route', `no admin route ${req.method} ${req.url.split('?')[0]}`),
    ),
  );

  registerTenancyRoutes(app, ctx);
  registerAccountRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  registerActionRoutes(app, ctx);
  registerIngestRoutes(app, ctx);
  registerFindingsRoutes(app, ctx);
  registerReportRoutes(app, ctx);
  registerStreamRoute(app, ctx);
};
