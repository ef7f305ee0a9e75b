/**
 * @module dashboard/session-routes
 * `GET|POST|DELETE /dashboard/api/session`: exchanges the admin token for an HttpOnly,
 * SameSite=Strict session cookie (Secure when the request came over https), reports whether the
 * caller is signed in, and signs out. Also `sessionAuth(request)`, which the admin API calls to
 * accept the cookie as well as the Bearer token.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { readCookie, serializeCookie } from './cookie.js';
import { errorBody } from './errors.js';
import type { SignInGuard } from './guard.js';
import { type SessionStore, secretsEqual } from './sessions.js';

export const SESSION_COOKIE = 'dg_session';

/** Session stores by the Node HTTP server they serve (shared by every encapsulated context of one app). */
const storesByServer = new WeakMap<object, SessionStore>();

export function bindSessionStore(app: FastifyInstance, store: SessionStore): void {
  storesByServer.set(app.server, store);
}

export function readSessionId(request: FastifyRequest): string | null {
  return readCookie(request.headers.cookie, SESSION_COOKIE);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A state-changing request sent by a browser from another origin (defence in depth beside SameSite). */
function crossOrigin(request: FastifyRequest): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  const origin = request.headers.origin;
  if (!origin) return false;
  try {
    const self = new URL(`${request.protocol}://${request.headers.host ?? ''}`);
    return new URL(origin).host !== self.host;
  } catch {
    return true;
  }
}

/**
 * True when the request carries a live dashboard session cookie for this app. State-changing
 * requests whose Origin header names another site are refused even with a valid cookie.
 */
export function sessionAuth(request: FastifyRequest): boolean {
  const store = storesByServer.get(request.server.server);
  if (!store || crossOrigin(request)) return false;
  return store.verify(readSessionId(request));
}

export interface SessionRouteOptions {
  adminToken: string;
  sessions: SessionStore;
  guard: SignInGuard;
  /** `auto`: Secure when the request came over https (as Fastify sees it, honouring trustProxy). */
  secureCookie: 'auto' | boolean;
}

const SignInBody = z.object({ token: z.string().min(1).max(4096) });

function cookieHeader(request: FastifyRequest, opts: SessionRouteOptions, value: string, maxAgeS: number) {
  const secure = opts.secureCookie === 'auto' ? request.protocol === 'https' : opts.secureCookie;
  return serializeCookie(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: 'Strict',
    secure,
    path: '/',
    maxAge: maxAgeS,
  });
}

function refuse(reply: FastifyReply, status: number, body: unknown) {
  return reply.code(status).header('cache-control', 'no-store').send(body);
}

export function registerSessionRoutes(app: FastifyInstance, opts: SessionRouteOptions): void {
  app.get('/dashboard/api/session', async (request, reply) => {
    const session = opts.sessions.get(readSessionId(request) ?? '');
    reply.header('cache-control', 'no-store');
    return session
      ? { authenticated: true, expires_at: new Date(session.expiresAt).toISOString() }
      : { authenticated: false };
  });

  app.post('/dashboard/api/session', async (request, reply) => {
    if (crossOrigin(request)) return refuse(reply, 401, errorBody('invalid_admin_token'));
    if (opts.guard.blocked(request.ip)) return refuse(reply, 429, errorBody('too_many_attempts'));
    const parsed = SignInBody.safeParse(request.body);
    if (!parsed.success) return refuse(reply, 400, errorBody('invalid_request', 'token'));
    if (!secretsEqual(parsed.data.token, opts.adminToken)) {
      opts.guard.fail(request.ip);
      return refuse(reply, 401, errorBody('invalid_admin_token'));
    }
    opts.guard.succeed(request.ip);
    opts.sessions.revoke(readSessionId(request));
    const session = opts.sessions.create();
    const maxAgeS = Math.floor((session.expiresAt - session.createdAt) / 1000);
    reply.header('set-cookie', cookieHeader(request, opts, session.id, maxAgeS));
    reply.header('cache-control', 'no-store');
    return { authenticated: true, expires_at: new Date(session.expiresAt).toISOString() };
  });

  app.delete('/dashboard/api/session', async (request, reply) => {
    opts.sessions.revoke(readSessionId(request));
    reply.header('set-cookie', cookieHeader(request, opts, '', 0));
    reply.header('cache-control', 'no-store');
    return { authenticated: false };
  });

  app.all('/dashboard/api/*', async (_request, reply) => refuse(reply, 404, errorBody('not_found')));
}
