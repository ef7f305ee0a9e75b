/**
 * @module dashboard
 * The dashboard as a Fastify plugin: the built web app at `/dashboard/` and the session
 * endpoints under `/dashboard/api/session`. Register it without a prefix (its routes are
 * absolute). The admin API accepts the session cookie through `sessionAuth(request)`.
 */
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { SignInGuard } from './guard.js';
import { bindSessionStore, registerSessionRoutes } from './session-routes.js';
import { SessionStore } from './sessions.js';
import { registerStatic } from './static.js';

export { DASHBOARD_ERRORS, type DashboardErrorCode } from './errors.js';
export { SignInGuard, type SignInGuardOptions } from './guard.js';
export { readSessionId, SESSION_COOKIE, sessionAuth } from './session-routes.js';
export { type Session, SessionStore, type SessionStoreOptions, secretsEqual } from './sessions.js';

export interface DashboardOptions {
  /** The admin token a person signs in with. */
  adminToken: string;
  /** Folder holding the built app (`index.html` + `assets/`). */
  root?: string;
  /** Session lifetime (ms). */
  sessionTtlMs?: number;
  /** `auto` sets Secure on the cookie when the request came over https. */
  secureCookie?: 'auto' | boolean;
  /** Supply a store to share or inspect sessions (tests); one is created otherwise. */
  sessions?: SessionStore;
  /** Sign-in brute-force guard; one allowing 10 failures per address per minute otherwise. */
  guard?: SignInGuard;
}

export const DASHBOARD_DEFAULTS = {
  /** `dist/web` at the package root, from both `src/dashboard/` (tsx) and `dist/dashboard/` (built). */
  root: fileURLToPath(new URL('../../dist/web', import.meta.url)),
  sessionTtlMs: 12 * 60 * 60 * 1000,
  secureCookie: 'auto' as const,
};

export async function dashboardPlugin(app: FastifyInstance, options: DashboardOptions): Promise<void> {
  if (!options.adminToken) throw new Error('dashboardPlugin: adminToken is required');
  const sessions =
    options.sessions ?? new SessionStore({ ttlMs: options.sessionTtlMs ?? DASHBOARD_DEFAULTS.sessionTtlMs });
  bindSessionStore(app, sessions);
  registerSessionRoutes(app, {
    adminToken: options.adminToken,
    sessions,
    guard: options.guard ?? new SignInGuard(),
    secureCookie: options.secureCookie ?? DASHBOARD_DEFAULTS.secureCookie,
  });
  await registerStatic(app, options.root ?? DASHBOARD_DEFAULTS.root);
}
