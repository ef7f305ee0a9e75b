/**
 * @module gateway/validate
 * Validation of the few request fields the gateway inspects: `model`, `n`, the max-token fields,
 * `messages` (chat), `stream` and `top_logprobs`. Everything else passes through untouched, so
 * new API fields keep working without a gateway release.
 */
import { z } from 'zod';
import type { Endpoint } from '../events/types.js';
import { GatewayError } from './errors.js';
import type { GatewaySettings } from './types.js';

export type RequestBody = Record<string, unknown> & { model: string };

export type Validator = (endpoint: Endpoint, body: unknown) => RequestBody;

/** Builds the validator for the configured bounds (`max_n`, `max_tokens_limit`). */
export function makeValidator(settings: Pick<GatewaySettings, 'maxN' | 'maxTokensLimit'>): Validator {
  const tokens = z.number().int().positive().max(settings.maxTokensLimit).nullish();
  const base = z.looseObject({
    model: z.string().min(1),
    n: z.number().int().min(1).max(settings.maxN).nullish(),
    max_tokens: tokens,
    max_completion_tokens: tokens,
    max_output_tokens: tokens,
    stream: z.boolean().nullish(),
    top_logprobs: z.number().int().min(0).max(20).nullish(),
  });
  const chat = base.extend({ messages: z.array(z.unknown()).min(1) });
  const schemas: Record<Endpoint, typeof base> = {
    chat,
    completions: base,
    embeddings: base,
    responses: base,
  };
  return (endpoint, body) => {
    const result = schemas[endpoint].safeParse(body);
    if (result.success) return body as RequestBody;
    const issue = result.error.issues[0];
    const param = issue && issue.path.length > 0 ? issue.path.join('.') : null;
    const message =
      param === null
        ? 'The request body must be a JSON object.'
        : `Invalid value for '${param}': ${issue?.message ?? 'invalid'}.`;
    throw new GatewayError('invalid_request_error', { message, param });
  };
}
