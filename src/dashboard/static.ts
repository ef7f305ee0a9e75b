/**
 * @module dashboard/static
 * Serves the built single-page app from `dist/web` at `/dashboard/`: hashed assets cached for a
 * year, `index.html` never cached, and every other `/dashboard/...` path without a file
 * extension answered with `index.html` so deep links work (SPA fallback).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorBody } from './errors.js';

/** Headers sent with every dashboard response. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/** A path whose last segment looks like a file (`app.js`, `favicon.svg`): never answered with the app shell. */
function looksLikeFile(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  const last = path.slice(path.lastIndexOf('/') + 1);
  return last.includes('.');
}

function sendShell(reply: FastifyReply) {
  return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html');
}

export async function registerStatic(app: FastifyInstance, root: string): Promise<void> {
  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    return payload;
  });
  app.get('/dashboard', async (_request, reply) => reply.redirect('/dashboard/', 308));

  if (!existsSync(join(root, 'index.html'))) {
    app.log.warn({ root }, 'dashboard not built: /dashboard answers 503');
    app.get('/dashboard/*', async (_request, reply) =>
      reply.code(503).send(errorBody('dashboard_not_built')),
    );
    return;
  }

  await app.register(fastifyStatic, {
    root,
    prefix: '/dashboard/',
    wildcard: false,
    index: false,
    cacheControl: false,
    setHeaders: (res, path) => {
      const immutable = path.includes(`${join(root, 'assets')}`);
      res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.get('/dashboard/', async (_request, reply) => sendShell(reply));
  app.get('/dashboard/*', async (request, reply) => {
    if (looksLikeFile(request.url)) return reply.code(404).send(errorBody('not_found'));
    return sendShell(reply);
  });
}
