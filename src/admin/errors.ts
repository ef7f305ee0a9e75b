/**
 * @module admin/errors
 * Admin API errors in OpenAI's shape `{ error: { message, type, param, code } }`, with stable
 * codes, and the mapping from domain errors (tenancy, decisions, store, Fastify) to statuses.
 */
import type { FastifyError, FastifyReply } from 'fastify';
import { z } from 'zod';
import { DecisionError } from '../policy/decisions.js';
import { StoreError } from '../store/errors.js';
import { TenancyError } from '../tenancy/errors.js';

export type AdminErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'not_found_error'
  | 'conflict_error'
  | 'service_unavailable'
  | 'server_error';

export class AdminError extends Error {
  override readonly name = 'AdminError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
    readonly type: AdminErrorType = typeFor(status),
  ) {
    super(message);
  }
}

function typeFor(status: number): AdminErrorType {
  if (status === 401) return 'authentication_error';
  if (status === 404) return 'not_found_error';
  if (status === 409) return 'conflict_error';
  if (status === 503) return 'service_unavailable';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

export const notFound = (what: string, param: string | null = null) =>
  new AdminError(404, 'not_found', `${what} not found`, param);

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

export function errorBody(err: AdminError): ErrorBody {
  return { error: { message: err.message, type: err.type, param: err.param, code: err.code } };
}

/** Any error thrown in an admin route → an AdminError with the right status. */
export function toAdminError(err: unknown): AdminError {
  if (err instanceof AdminError) return err;
  if (err instanceof TenancyError) {
    if (err.code === 'conflict') return new AdminError(409, 'conflict', err.message);
    if (err.code === 'invalid') return new AdminError(400, 'invalid_value', err.message, 'name');
    const param = err.code === 'org_not_found' ? 'org' : err.code === 'account_not_found' ? 'account' : 'id';
    return new AdminError(404, err.code, err.message, param);
  }
  if (err instanceof DecisionError) return new AdminError(400, err.code, err.message, 'action');
  if (err instanceof StoreError && err.code === 'conflict')
    return new AdminError(409, 'conflict', err.message);
  if (err instanceof z.ZodError) return fromZod(err);
  const fe = err as Partial<FastifyError>;
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return new AdminError(413, 'body_too_large', 'request body is larger than the configured limit');
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return new AdminError(415, 'unsupported_media_type', fe.message ?? 'unsupported content type');
  if (
    fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    err instanceof SyntaxError
  )
    return new AdminError(400, 'invalid_json', `invalid JSON body: ${(err as Error).message}`);
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500)
    return new AdminError(fe.statusCode, fe.code ?? 'bad_request', fe.message ?? 'bad request');
  return new AdminError(500, 'internal_error', 'internal error');
}

/** The first zod issue as a 400 naming the bad parameter. */
export function fromZod(err: z.ZodError): AdminError {
  const issue = err.issues[0];
  const param = issue?.path.map(String).join('.') || null;
  const detail =
    issue?.code === 'unrecognized_keys'
      ? `unknown field(s) ${issue.keys.join(', ')}`
      : (issue?.message ?? 'invalid');
  return new AdminError(400, 'invalid_value', `${param ?? 'body'}: ${detail}`, param);
}

export function sendError(reply: FastifyReply, err: AdminError): FastifyReply {
  return reply.code(err.status).send(errorBody(err));
}
