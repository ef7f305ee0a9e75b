/**
 * @module tenancy/types
 * Organizations → accounts → API keys. A key's secret is shown once; only its SHA-256 hash and
 * a short prefix (for recognition) are stored.
 */
import type { LimitRule } from '../limits/types.js';

export interface Org {
  id: string;
  name: string;
  limits: LimitRule;
  createdAt: number;
  /** Sign-up / payment metadata (free-form strings), used as linkage evidence when present. */
  meta: Record<string, string>;
}

export interface Account {
  id: string;
  orgId: string;
  name: string;
  createdAt: number;
  meta: Record<string, string>;
}

export interface ApiKey {
  id: string;
  orgId: string;
  accountId: string;
  /** First characters of the secret, e.g. `dg-7Hq2xK`, shown in listings. */
  prefix: string;
  /** SHA-256 hex of the secret. */
  hash: string;
  labels: Record<string, string>;
  limits: LimitRule;
  createdAt: number;
  revokedAt: number | null;
}

/** What authentication resolves a bearer secret to; cached by the gateway. */
export interface KeyContext {
  keyId: string;
  accountId: string;
  orgId: string;
  prefix: string;
  revoked: boolean;
  keyLimits: LimitRule;
  orgLimits: LimitRule;
  labels: Record<string, string>;
}
