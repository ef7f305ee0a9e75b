/**
 * @module store/errors
 * Store errors with stable codes, independent of the database driver underneath.
 */

export type StoreErrorCode = 'conflict' | 'unsupported_url' | 'unavailable';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** True for a unique-constraint violation from SQLite (`SQLITE_CONSTRAINT_*`) or PostgreSQL (23505). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
