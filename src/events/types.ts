/**
 * @module events/types
 * The RequestEvent: one record per request that reached the gateway (or one line of an
 * external log). It is the only thing the detection engine sees. Versioned: bump
 * `EVENT_VERSION` and document the change in ARCHITECTURE.md when a field changes meaning.
 */

export const EVENT_VERSION = 1 as const;

/** The OpenAI endpoint family a request targeted. */
export type Endpoint = 'chat' | 'completions' | 'embeddings' | 'responses';

export const ENDPOINT_PATHS: Record<Endpoint, string> = {
  chat: '/v1/chat/completions',
  completions: '/v1/completions',
  embeddings: '/v1/embeddings',
  responses: '/v1/responses',
};

/** Coarse capability a prompt exercises; used for sweep coverage. Derived by a keyword lexicon. */
export type Domain =
  | 'code'
  | 'math'
  | 'reasoning'
  | 'tool_use'
  | 'writing'
  | 'translation'
  | 'summarization'
  | 'extraction'
  | 'classification'
  | 'qa'
  | 'grading'
  | 'vision'
  | 'chat'
  | 'other';

/** Sampling and extraction-relevant request parameters. Absent parameters are null. */
export interface RequestParams {
  /** max_tokens / max_completion_tokens / max_output_tokens, whichever was given. */
  maxTokens: number | null;
  /** Number of choices asked for (`n`), 1 when absent. */
  n: number;
  temperature: number | null;
  topP: number | null;
  /** True when the client asked for token logprobs. */
  logprobs: boolean;
  /** top_logprobs (chat/responses) or logprobs:int (legacy completions). */
  topLogprobs: number;
  /** Number of entries in logit_bias. */
  logitBiasSize: number;
  /** Largest |bias| in logit_bias (0 when none). */
  logitBiasMaxAbs: number;
  /** Number of tool/function definitions offered. */
  tools: number;
  /** Hash of the tool set offered (each tool's name and parameter schema, in name order);
   * absent when the request offers no tools, and on events recorded before it existed. */
  toolsHash?: string;
  /** response_format.type (or text.format.type for responses), null when absent. */
  responseFormat: string | null;
  /** reasoning_effort or reasoning.effort. */
  reasoningEffort: string | null;
  stream: boolean;
  seed: number | null;
  /** The OpenAI `user` field: the caller's end-user id, when given. */
  endUser: string | null;
  /** Set (true) when the request asks the API to return the model's reasoning (engine 1.9.0): a
   * reasoning summary (Responses API `reasoning.summary` other than `none`), `include_reasoning`,
   * `chat_template_kwargs.enable_thinking` (vLLM, SGLang) or `thinking: {type: 'enabled'}`. */
  reasoningShown?: boolean;
}

/** Prompt features, extracted once by `extractPromptFeatures`. */
export interface PromptFeatures {
  chars: number;
  /** Prompt tokens as counted by gpt-tokenizer on the text parts (images excluded). */
  tokens: number;
  messages: number;
  userTurns: number;
  assistantTurns: number;
  /** Characters of the assistant turns in the history: how much of the model's earlier answers
   * the request carries back (a canned "Of course!" carries a few dozen). Absent in events
   * recorded before engine 1.6.0. */
  assistantChars?: number;
  /** Characters of the conversation the request carries back: its assistant turns and the user
   * turns before the last (0 for a one-shot request; absent in events recorded before engine 1.9.0).
   * What the customer sends anew is the rest: the system prompt, the last user turn, tool results. */
  historyChars?: number;
  /** Present only on a request that continues a conversation the upstream keeps (Responses API
   * `previous_response_id` or `conversation`, engine 1.9.0): an estimate of the tokens of its own
   * text (counted when the line had no usage, else from its characters, CJK ones one each). Its
   * billed prompt tokens beyond this are the kept conversation, which its text does not show. */
  ownTokens?: number;
  toolMessages: number;
  images: number;
  /** Hash of the system/developer prompt (null when none). */
  systemHash: string | null;
  /** Hash of the last user message with slot-like spans (numbers, quotes, names, urls, code) normalized. */
  skeletonHash: string;
  /** Hash of the skeleton's frame: its first and last words around a variable payload. */
  frameHash: string;
  /** MinHash signature (MINHASH_SIZE 32-bit values) over word shingles of the last user message. */
  minhash: number[];
  /** Chain-of-thought / reasoning-trace elicitation. */
  cot: boolean;
  /** Rubric-based grading / reward-model style request. */
  grading: boolean;
  domain: Domain;
  /** Prompt text (last user message), only when store_prompts is on. */
  text?: string;
  /** System prompt text, only when store_prompts is on. */
  systemText?: string;
}

export interface OutputFeatures {
  tokens: number;
  reasoningTokens: number;
  finishReason: string | null;
  /** Number of choices returned. */
  choices: number;
  text?: string;
}

export interface UsageRecord {
  promptTokens: number;
  completionTokens: number;
  /** Tokens attributed to image inputs (estimated when the upstream does not split them). */
  imageTokens: number;
  /** True when counted by gpt-tokenizer because the upstream reported no usage. */
  estimated: boolean;
}

export interface RequestEvent {
  v: typeof EVENT_VERSION;
  /** Request id (gateway-assigned, or from the log line). Idempotency key downstream. */
  id: string;
  /** Event time: epoch milliseconds at which the request arrived. */
  ts: number;
  keyId: string;
  accountId: string;
  orgId: string;
  ip: string | null;
  userAgent: string | null;
  /** SDK headers (x-stainless-*), lower-cased names. */
  sdk: Record<string, string>;
  /** Hash of user agent + SDK headers: the client fingerprint. Null when neither was sent. */
  fingerprint: string | null;
  endpoint: Endpoint;
  model: string | null;
  params: RequestParams;
  prompt: PromptFeatures;
  output: OutputFeatures;
  usage: UsageRecord;
  status: number;
  /** Stable error code when status >= 400 (e.g. rate_limit_exceeded). */
  errorCode: string | null;
  latencyMs: number;
  /** Time to first byte of the answer for streams, null otherwise. */
  ttftMs: number | null;
  upstream: string | null;
  /** Which limit refused the request (e.g. `key.rpm`, `org.tpm`), null when none did. */
  limitedBy: string | null;
  /** Free-form extra metadata from logs (signup info, payment hash, …), string values only. */
  meta?: Record<string, string>;
}
