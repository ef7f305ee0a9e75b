/**
 * @module dashboard/errors
 * The dashboard plugin's errors, defined once with stable codes, answered in the admin API's
 * (OpenAI-shaped) error format.
 */

export const DASHBOARD_ERRORS = {
  invalid_admin_token: {
    status: 401,
    type: 'authentication_error',
    message: 'The admin token is not valid.',
  },
  invalid_request: {
    status: 400,
    type: 'invalid_request_error',
    message: 'Send a JSON body {"token": "…"}.',
  },
  too_many_attempts: {
    status: 429,
    type: 'rate_limit_error',
    message: 'Too many failed sign-in attempts; wait a minute.',
  },
  not_found: { status: 404, type: 'invalid_request_error', message: 'No such dashboard endpoint.' },
  dashboard_not_built: {
    status: 503,
    type: 'server_error',
    message: 'The dashboard is not built. Run `npm run build:web` (or `npm run build`).',
  },
} as const;

export type DashboardErrorCode = keyof typeof DASHBOARD_ERRORS;

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: DashboardErrorCode };
}

export function errorBody(code: DashboardErrorCode, param: string | null = null): ErrorBody {
  const e = DASHBOARD_ERRORS[code];
  return { error: { message: e.message, type: e.type, param, code } };
}
