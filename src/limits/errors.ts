/**
 * @module limits/errors
 * Errors of the limits stores, defined once with stable codes.
 */

export const LIMITS_ERR_DUPLICATE_RESERVATION = 'LIMITS_ERR_DUPLICATE_RESERVATION';
export const LIMITS_ERR_CLOSED = 'LIMITS_ERR_CLOSED';

export type LimitsErrorCode = typeof LIMITS_ERR_DUPLICATE_RESERVATION | typeof LIMITS_ERR_CLOSED;

export class LimitsError extends Error {
  constructor(
    readonly code: LimitsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LimitsError';
  }
}
