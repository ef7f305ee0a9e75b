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
  const quick = quickCheck(settings);
  return (endpoint, body) => {
    // The common, valid request is recognised without zod; anything else (including every
    // invalid request) goes through the schema, which decides and words the error.
    if (quick(endpoint, body)) return body as RequestBody;
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

type Obj = Record<string, unknown>;

const absent = (v: unknown) => v === undefined || v === null;
const intIn = (v: unknown, min: number, max: number) =>
  Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;

/**
 * A check that is never looser than the schemas: true only when every inspected field is
 * absent or plainly within its bounds. False does not mean invalid, only "ask zod".
 */
function quickCheck(
  settings: Pick<GatewaySettings, 'maxN' | 'maxTokensLimit'>,
): (endpoint: Endpoint, body: unknown) => boolean {
  const tokensOk = (v: unknown) => absent(v) || intIn(v, 1, settings.maxTokensLimit);
  return (endpoint, body) => {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
    const b = body as Obj;
    return (
      typeof b.model === 'string' &&
      b.model.length >= 1 &&
      (absent(b.n) || intIn(b.n, 1, settings.maxN)) &&
      tokensOk(b.max_tokens) &&
      tokensOk(b.max_completion_tokens) &&
      tokensOk(b.max_output_tokens) &&
      (absent(b.stream) || typeof b.stream === 'boolean') &&
      (absent(b.top_logprobs) || intIn(b.top_logprobs, 0, 20)) &&
      (endpoint !== 'chat' || (Array.isArray(b.messages) && b.messages.length >= 1))
    );
  };
}
