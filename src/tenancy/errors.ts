/**
 * @module tenancy/errors
 * Tenancy errors with stable codes (mapped to HTTP statuses by the admin API).
 */

export type TenancyErrorCode =
  | 'org_not_found'
  | 'account_not_found'
  | 'key_not_found'
  | 'conflict'
  | 'invalid';

export class TenancyError extends Error {
  override readonly name = 'TenancyError';
  constructor(
    readonly code: TenancyErrorCode,
    message: string,
  ) {
    super(message);
  }
}
