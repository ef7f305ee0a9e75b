/**
 * @module sim/types
 * Shapes shared by the simulator's parts: a key's plan (who it is, when it sends, how it builds
 * each request), the request it builds, and the ground-truth labels written beside the log.
 * Labels live only in `KeyLabel`/`Labels`; nothing in `SimRequest` or `ClientProfile` may carry them.
 */
import type { Rng } from './rng.js';

/** Client fingerprint as it appears on the wire: user agent and SDK headers. */
export interface ClientProfile {
  userAgent: string;
  headers: Record<string, string>;
}

/** When a key sends: sorted event times, with the session and turn each request belongs to. */
export interface Schedule {
  ts: number[];
  /** Session (conversation/job) index of each request, per key. */
  session: number[];
  /** Turn index within its session (0 = first). */
  turn: number[];
}

/** Position of a request in its key's schedule. */
export interface SlotInfo {
  ts: number;
  session: number;
  turn: number;
}

/** One request as a persona builds it; the writer turns it into a log line. */
export interface SimRequest {
  /** OpenAI path, e.g. `/v1/chat/completions`. */
  endpoint: string;
  body: Record<string, unknown>;
  /** Completion tokens the upstream would have billed. */
  completionTokens: number;
  /** Reasoning tokens (o-series models), 0 otherwise. */
  reasoningTokens?: number;
  finishReason?: string;
  /** HTTP status; 200 unless the persona hit a limit or an error. */
  status?: number;
  /** Answer domain used to generate text when `--store-text` is on. */
  answerKind?: string;
  /** Extra response fields (e.g. logprobs) to include. */
  responseExtra?: Record<string, unknown>;
  /** Input tokens the upstream bills for conversation context it keeps itself (a Responses API
   * `previous_response_id`), on top of the body's own text. */
  contextTokens?: number;
  /** Id of the answer (Responses API), for a later turn to name as `previous_response_id`. */
  responseId?: string;
}

/** Ground truth about one key. Written to the labels file only. */
export interface KeyLabel {
  persona: string;
  attack: boolean;
  campaign: string | null;
  org: string;
}

/** Everything the simulator knows about one key. */
export interface KeyPlan {
  key: string;
  org: string;
  account: string;
  label: KeyLabel;
  client: ClientProfile;
  /** IPs the key sends from; `ipFor` picks among them per request. */
  ips: string[];
  schedule: Schedule;
  /** Builds request `i` (called in event-time order for this key, exactly once per i). */
  make(i: number, rng: Rng, at: SlotInfo): SimRequest;
}

export interface Labels {
  version: 1;
  scenario: string;
  seed: number;
  start: string;
  end: string;
  keys: Record<string, KeyLabel>;
  campaigns: Record<string, { persona: string; keys: string[] }>;
}

/** Models the simulated provider serves; `release` is the day offset a model appears (pivot scenarios). */
export interface ModelCatalog {
  chat: string[];
  reasoning: string[];
  vision: string[];
  embedding: string[];
  /** A model released during the simulated period, and when (ms). */
  newModel: { name: string; releasedAt: number } | null;
}
