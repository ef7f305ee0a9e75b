/**
 * @module gateway/auth
 * Who is calling, and may they. The secret comes from `Authorization: Bearer …` (every OpenAI
 * SDK) or the `api-key` header (Azure-style clients). A key's decision in force is then checked:
 * `block` and `verify` refuse with 403, `throttle` scales the key's limits; decisions taken in
 * shadow mode are recorded elsewhere but never enforced here.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Decision } from '../policy/types.js';
import type { KeyContext } from '../tenancy/types.js';
import { GatewayError } from './errors.js';
import type { KeyAuthenticator } from './types.js';

/** Throttle factor applied when a `throttle` decision does not name one. */
export const DEFAULT_THROTTLE_FACTOR = 0.5;

/** The bearer secret of a request, or null when none was sent. */
export function secretOf(headers: IncomingHttpHeaders): string | null {
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.length > 7 && auth.slice(0, 7).toLowerCase() === 'bearer ') {
    const secret = auth.slice(7).trim();
    if (secret.length > 0) return secret;
  }
  const apiKey = headers['api-key'];
  if (typeof apiKey === 'string' && apiKey.trim().length > 0) return apiKey.trim();
  return null;
}

/** The key behind a request; throws `missing_api_key`, `invalid_api_key` or `key_revoked`. */
export async function authenticate(
  resolver: KeyAuthenticator,
  headers: IncomingHttpHeaders,
): Promise<KeyContext> {
  const secret = secretOf(headers);
  if (secret === null) throw new GatewayError('missing_api_key');
  return admitKey(await resolver.authenticate(secret));
}

/** A resolved key, if it may call; throws `invalid_api_key` (none) or `key_revoked`. */
export function admitKey(key: KeyContext | null): KeyContext {
  if (key === null) throw new GatewayError('invalid_api_key');
  if (key.revoked) throw new GatewayError('key_revoked');
  return key;
}

/** Enforces a decision; returns the throttle factor to apply to limits (undefined: none). */
export function enforceDecision(decision: Decision | null): number | undefined {
  if (decision === null || decision.shadow) return undefined;
  switch (decision.action) {
    case 'block':
      throw new GatewayError('account_blocked');
    case 'verify':
      throw new GatewayError('verification_required');
    case 'throttle': {
      const f = decision.throttleFactor;
      return typeof f === 'number' && f > 0 && f < 1 ? f : DEFAULT_THROTTLE_FACTOR;
    }
    default:
      return undefined;
  }
}
