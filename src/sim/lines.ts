/**
 * @module sim/lines
 * Materialises a built scenario as log lines in event-time order (the documented log-line
 * format). Requests are built lazily, key by key in each key's own Rng stream, while a sorted
 * index walks all keys' schedules; answer texts are only generated with `storeText`.
 */
import { IMAGE_TOKENS } from '../events/features.js';
import type { Built } from './build.js';
import { answerText, estimateTokens } from './prompts/answers.js';
import type { Rng } from './rng.js';
import type { KeyPlan, SimRequest } from './types.js';

export interface LineOptions {
  storeText?: boolean;
}

/** Characters of text and image parts in a request body (messages, prompt, input, tools). */
export function bodySize(body: Record<string, unknown>): { chars: number; images: number } {
  let chars = 0;
  let images = 0;
  const visit = (content: unknown) => {
    if (typeof content === 'string') chars += content.length;
    else if (Array.isArray(content))
      for (const part of content) {
        if (typeof part === 'object' && part !== null) {
          const p = part as Record<string, unknown>;
          if (p.type === 'image_url' || p.type === 'input_image') images++;
          else if (typeof p.text === 'string') chars += p.text.length;
        }
      }
  };
  if (Array.isArray(body.messages))
    for (const m of body.messages) {
      const msg = m as Record<string, unknown>;
      visit(msg.content);
      if (msg.tool_calls) chars += JSON.stringify(msg.tool_calls).length;
    }
  visit(body.prompt);
  visit(body.input);
  if (Array.isArray(body.tools)) chars += JSON.stringify(body.tools).length;
  return { chars, images };
}

/** The log-line object of one simulated request. */
export function logLine(
  plan: KeyPlan,
  req: SimRequest,
  ts: number,
  rng: Rng,
  o: LineOptions,
): Record<string, unknown> {
  const { chars, images } = bodySize(req.body);
  const promptTokens = estimateTokens(chars) + images * IMAGE_TOKENS + (req.contextTokens ?? 0);
  const n = typeof req.body.n === 'number' ? req.body.n : 1;
  const status = req.status ?? (rng.chance(0.002) ? rng.pick([500, 502, 400]) : 200);
  const choices = Array.from({ length: n }, (_, index) => {
    const c: Record<string, unknown> = { index, finish_reason: req.finishReason ?? 'stop' };
    if (o.storeText)
      c.message = {
        role: 'assistant',
        content: answerText(rng, Math.round(req.completionTokens / n), req.answerKind),
      };
    return c;
  });
  const usage: Record<string, unknown> = {
    prompt_tokens: promptTokens,
    completion_tokens: status === 200 ? req.completionTokens : 0,
    total_tokens: promptTokens + (status === 200 ? req.completionTokens : 0),
  };
  if (req.reasoningTokens) usage.completion_tokens_details = { reasoning_tokens: req.reasoningTokens };
  const response: Record<string, unknown> =
    status === 200 && req.endpoint === '/v1/responses'
      ? responsesBody(req, choices, promptTokens)
      : status === 200
        ? {
            id: `chatcmpl-${rng.id('', 24)}`,
            object: 'chat.completion',
            model: req.body.model,
            choices,
            usage,
            ...(req.responseExtra ?? {}),
          }
        : {
            error: {
              message: 'upstream error',
              type: 'server_error',
              code: status === 400 ? 'invalid_request' : 'upstream_error',
            },
          };
  return {
    id: `req_${rng.hex(20)}`,
    ts: new Date(ts).toISOString(),
    key: plan.key,
    org: plan.org,
    account: plan.account,
    ip: plan.ips.length === 1 ? plan.ips[0] : rng.pick(plan.ips),
    user_agent: plan.client.userAgent,
    headers: plan.client.headers,
    endpoint: req.endpoint,
    request: req.body,
    response,
    status,
    latency_ms: Math.round(250 + req.completionTokens * rng.float(8, 25) + rng.exponential(150)),
  };
}

/** A Responses API answer: its id, output text when stored, and usage in the API's own names. */
function responsesBody(req: SimRequest, choices: Array<Record<string, unknown>>, promptTokens: number) {
  const text = choices
    .map((c) => (c.message as { content?: string } | undefined)?.content)
    .filter((t): t is string => typeof t === 'string');
  const usage: Record<string, unknown> = {
    input_tokens: promptTokens,
    output_tokens: req.completionTokens,
    total_tokens: promptTokens + req.completionTokens,
  };
  if (req.reasoningTokens) usage.output_tokens_details = { reasoning_tokens: req.reasoningTokens };
  const length = req.finishReason === 'length';
  return {
    id: req.responseId,
    object: 'response',
    model: req.body.model,
    status: length ? 'incomplete' : 'completed',
    ...(length ? { incomplete_details: { reason: 'max_output_tokens' } } : {}),
    output: text.map((t) => ({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'output_text', text: t }],
    })),
    usage,
  };
}

/** Total requests of a built scenario. */
export const totalRequests = (b: Built) => b.plans.reduce((s, p) => s + p.schedule.ts.length, 0);

export interface ScheduledRequest {
  plan: KeyPlan;
  req: SimRequest;
  ts: number;
  /** The key's own Rng stream (also used to build the log line). */
  rng: Rng;
}

/** Yields every request of the scenario in event-time order (ties: plan order, then index). */
export function* scenarioRequests(b: Built): Generator<ScheduledRequest> {
  const total = totalRequests(b);
  const ts = new Float64Array(total);
  const planOf = new Int32Array(total);
  const idxOf = new Int32Array(total);
  let k = 0;
  b.plans.forEach((p, pi) => {
    for (let i = 0; i < p.schedule.ts.length; i++, k++) {
      ts[k] = p.schedule.ts[i]!;
      planOf[k] = pi;
      idxOf[k] = i;
    }
  });
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  order.sort((x, y) => ts[x]! - ts[y]! || planOf[x]! - planOf[y]! || idxOf[x]! - idxOf[y]!);
  const rngs = b.plans.map((p) => b.rng.fork(`key:${p.key}`));
  for (let j = 0; j < total; j++) {
    const e = order[j]!;
    const plan = b.plans[planOf[e]!]!;
    const i = idxOf[e]!;
    const rng = rngs[planOf[e]!]!;
    const at = { ts: ts[e]!, session: plan.schedule.session[i]!, turn: plan.schedule.turn[i]! };
    yield { plan, req: plan.make(i, rng, at), ts: at.ts, rng };
  }
}

/** Yields every request of the scenario in event-time order, as log-line objects. */
export function* scenarioLines(b: Built, o: LineOptions = {}): Generator<Record<string, unknown>> {
  for (const r of scenarioRequests(b)) yield logLine(r.plan, r.req, r.ts, r.rng, o);
}
