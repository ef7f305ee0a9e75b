/**
 * @module report/errors
 * Errors of the evidence report, with stable codes.
 */

export const REPORT_ERRORS = {
  /** No campaign or account with that id in the findings. */
  not_found: 'not_found',
  /** There are no findings to report on (no snapshot in the store, no findings file). */
  no_findings: 'no_findings',
  /** A findings file that is not a findings document (version 1). */
  invalid_findings: 'invalid_findings',
} as const;

export type ReportErrorCode = keyof typeof REPORT_ERRORS;

export class ReportError extends Error {
  override readonly name = 'ReportError';
  constructor(
    readonly code: ReportErrorCode,
    message: string,
  ) {
    super(message);
  }
}
