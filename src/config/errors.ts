/**
 * @module config/errors
 * The one error type of configuration loading, with a stable code and the field it names.
 */

export type ConfigErrorCode = 'config_invalid' | 'config_file_unreadable' | 'config_file_invalid_yaml';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly code: ConfigErrorCode,
    message: string,
    /** Dotted path of the offending field (`port`, `upstreams.0.base_url`), when there is one. */
    readonly field: string | null = null,
  ) {
    super(message);
  }
}
