/**
 * @module config
 * Configuration: schema with defaults (`schema.ts`), loading and precedence (`load.ts`).
 */
export { ConfigError, type ConfigErrorCode } from './errors.js';
export {
  type ConfigFlags,
  ensureAdminToken,
  envName,
  FLAG_SPECS,
  type LoadConfigOptions,
  loadConfig,
} from './load.js';
export {
  type Config,
  type ConfigInput,
  ConfigSchema,
  DEFAULTS,
  defaultDbUrl,
  defaultSpoolDir,
  isIpOrCidr,
  LimitRuleSchema,
} from './schema.js';
