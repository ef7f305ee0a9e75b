/**
 * @module tenancy/secrets
 * API key secrets: `dg-` + 40 base62 characters (~238 bits) from crypto.randomBytes. Only the
 * SHA-256 hex of a secret is stored, plus its first `PREFIX_LENGTH` characters for recognition.
 */
import { sha256Hex } from '../events/hash.js';
import { randomBase62 } from '../store/ids.js';

export const SECRET_PREFIX = 'dg-';
export const SECRET_RANDOM_CHARS = 40;
export const PREFIX_LENGTH = 10;

export function newSecret(): string {
  return SECRET_PREFIX + randomBase62(SECRET_RANDOM_CHARS);
}

export const hashSecret = (secret: string): string => sha256Hex(secret);
export const prefixOf = (secret: string): string => secret.slice(0, PREFIX_LENGTH);

/** Cheap shape check before hashing: refuses obviously foreign bearer tokens. */
export function looksLikeSecret(secret: string): boolean {
  return secret.length === SECRET_PREFIX.length + SECRET_RANDOM_CHARS && secret.startsWith(SECRET_PREFIX);
}
