/**
 * @module sim/personas/common
 * What every persona needs: the build context (period, prompt source, model catalogue, shared
 * cloud ranges), opaque id minting, and the request-body builders. Ids for customers and
 * attackers are minted the same way from the seeded Rng, so an id never hints at a label.
 */
import type { CloudPool } from '../net.js';
import { answerLength, estimateTokens } from '../prompts/answers.js';
import type { PromptSource } from '../prompts/index.js';
import type { Rng } from '../rng.js';
import type { ClientProfile, KeyLabel, KeyPlan, ModelCatalog, Schedule, SimRequest } from '../types.js';

export interface PersonaContext {
  rng: Rng;
  start: number;
  end: number;
  prompts: PromptSource;
  models: ModelCatalog;
  cloud: CloudPool;
  /** Open-source framework system prompts shared by unrelated orgs. */
  frameworkPrompts: string[];
  /** Requests per day a standard key may make (the notional per-key limit attackers stay under). */
  keyLimitPerDay: number;
}

export type Message = {
  role: string;
  content: unknown;
  tool_calls?: unknown;
  tool_call_id?: string;
  name?: string;
};

export const mintKey = (rng: Rng) => rng.id('k_', 16);
export const mintOrg = (rng: Rng) => rng.id('org_', 12);
export const mintAccount = (rng: Rng) => rng.id('acct_', 12);
export const mintUser = (rng: Rng) => `user_${rng.hex(10)}`;

export interface KeyInit {
  org: string;
  account?: string;
  label: Omit<KeyLabel, 'org'>;
  client: ClientProfile;
  ips: string[];
  schedule: Schedule;
  make: KeyPlan['make'];
}

export function keyPlan(rng: Rng, init: KeyInit): KeyPlan {
  return {
    key: mintKey(rng),
    org: init.org,
    account: init.account ?? mintAccount(rng),
    label: { ...init.label, org: init.org },
    client: init.client,
    ips: init.ips,
    schedule: init.schedule,
    make: init.make,
  };
}

export interface ChatOptions {
  model: string;
  messages: Message[];
  maxTokens?: number | null;
  /** Use `max_completion_tokens` (newer SDK habit) instead of `max_tokens`. */
  modernMax?: boolean;
  temperature?: number | null;
  n?: number;
  user?: string | null;
  tools?: unknown[];
  extra?: Record<string, unknown>;
  /** Median and log-sigma of the answer length in tokens. */
  answer: { median: number; sigma: number; kind?: string };
  reasoning?: boolean;
}

/** A chat-completions request with its simulated answer length. */
export function chatRequest(rng: Rng, o: ChatOptions): SimRequest {
  const body: Record<string, unknown> = { model: o.model, messages: o.messages };
  const max = o.maxTokens ?? null;
  if (max !== null) body[o.modernMax ? 'max_completion_tokens' : 'max_tokens'] = max;
  if (o.temperature !== undefined && o.temperature !== null) body.temperature = o.temperature;
  if (o.n !== undefined && o.n > 1) body.n = o.n;
  if (o.user) body.user = o.user;
  if (o.tools && o.tools.length > 0) body.tools = o.tools;
  if (o.extra) Object.assign(body, o.extra);
  const len = answerLength(rng, o.answer.median, o.answer.sigma, max);
  const n = o.n ?? 1;
  const reasoningTokens = o.reasoning ? Math.round(len.tokens * rng.float(0.5, 3)) : 0;
  return {
    endpoint: '/v1/chat/completions',
    body,
    completionTokens: len.tokens * n + reasoningTokens,
    reasoningTokens,
    finishReason: len.finishReason,
    answerKind: o.answer.kind ?? 'text',
  };
}

/** A turn of a conversation the upstream keeps (Responses API): the last answer's id and the
 * context it bills as input on the next turn. */
export interface ServerThread {
  lastId: string | null;
  contextTokens: number;
}

export interface ResponsesOptions extends Omit<ChatOptions, 'messages' | 'modernMax' | 'n' | 'tools'> {
  /** `instructions` (the system prompt; the API does not carry it over, so it is sent every turn). */
  instructions: string | null;
  /** The new user message. */
  input: string;
}

/**
 * A Responses API request that continues `thread` (`previous_response_id`, the earlier turns
 * billed as context), then advances the thread past its answer.
 */
export function responsesRequest(rng: Rng, thread: ServerThread, o: ResponsesOptions): SimRequest {
  const body: Record<string, unknown> = { model: o.model, input: [{ role: 'user', content: o.input }] };
  if (o.instructions) body.instructions = o.instructions;
  if (thread.lastId) body.previous_response_id = thread.lastId;
  const max = o.maxTokens ?? null;
  if (max !== null) body.max_output_tokens = max;
  if (o.temperature !== undefined && o.temperature !== null) body.temperature = o.temperature;
  if (o.user) body.user = o.user;
  if (o.extra) Object.assign(body, o.extra);
  const len = answerLength(rng, o.answer.median, o.answer.sigma, max);
  const reasoningTokens = o.reasoning ? Math.round(len.tokens * rng.float(0.5, 3)) : 0;
  const responseId = `resp_${rng.hex(24)}`;
  const contextTokens = thread.contextTokens;
  thread.lastId = responseId;
  thread.contextTokens += estimateTokens(o.input.length) + len.tokens;
  return {
    endpoint: '/v1/responses',
    body,
    completionTokens: len.tokens + reasoningTokens,
    reasoningTokens,
    finishReason: len.finishReason,
    answerKind: o.answer.kind ?? 'text',
    contextTokens,
    responseId,
  };
}

/** Messages with an optional system prompt first. */
export function withSystem(system: string | null, rest: Message[]): Message[] {
  return system ? [{ role: 'system', content: system }, ...rest] : rest;
}

/** An assistant turn of plausible length for multi-turn histories (text of `tokens` × 4 chars). */
export function assistantTurn(text: string): Message {
  return { role: 'assistant', content: text };
}

export const promptTokensOf = (chars: number) => estimateTokens(chars);

/** Picks `k` distinct models from a list (at least one). */
export function modelsFrom(rng: Rng, list: readonly string[], k: number): string[] {
  return rng.sample(list, Math.max(1, k));
}

/**
 * One step of a tool loop appended to `msgs`: the assistant's call `id` of tool `name` (with its
 * text `content`, or none) and the tool's `result`. The parameters are in the order callers draw
 * them from their Rng (arguments are evaluated left to right).
 */
export function pushToolStep(
  msgs: Message[],
  id: string,
  content: string | null,
  name: string,
  result: string,
): void {
  msgs.push({
    role: 'assistant',
    content,
    tool_calls: [{ id, type: 'function', function: { name, arguments: '{"query":"…"}' } }],
  });
  msgs.push({ role: 'tool', tool_call_id: id, content: result });
}

/** A tool definition in the OpenAI function-calling shape. */
export function toolDef(name: string): unknown {
  return {
    type: 'function',
    function: {
      name,
      description: `Calls ${name.replace(/_/g, ' ')}.`,
      parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
    },
  };
}

/** Number of requests in a schedule scaled so volumes stay bounded: at least `min`. */
export function volume(rng: Rng, median: number, sigma: number, min = 1, max = 50_000): number {
  return Math.max(min, Math.min(max, Math.round(rng.logNormal(median, sigma))));
}

/**
 * Early adoption of a newly released model: with probability `chance` the org adopts it some
 * hours after release, then sends a `share` of its requests to it. Returns the model to use.
 */
export function adopter(ctx: PersonaContext, rng: Rng, chance: number, share: number) {
  const nm = ctx.models.newModel;
  const adopts = nm !== null && rng.chance(chance);
  const from = nm ? nm.releasedAt + rng.float(0.5, 48) * 3_600_000 : Number.POSITIVE_INFINITY;
  return (ts: number, g: Rng, current: string): string =>
    adopts && nm && ts >= from && g.chance(share) ? nm.name : current;
}
