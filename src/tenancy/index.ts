/**
 * @module tenancy
 * Orgs → accounts → keys: the service that changes them and the cached resolver that authenticates.
 */
export { TenancyError, type TenancyErrorCode } from './errors.js';
export {
  KEY_RESOLVER_DEFAULTS,
  KeyResolver,
  type KeyResolverOptions,
  type KeyResolverStats,
} from './resolver.js';
export { hashSecret, looksLikeSecret, newSecret, PREFIX_LENGTH, prefixOf } from './secrets.js';
export {
  type CreatedKey,
  type CreateKeyInput,
  DEFAULT_ACCOUNT,
  type KeyInvalidator,
  type TenancyOptions,
  TenancyService,
} from './service.js';
export type * from './types.js';
