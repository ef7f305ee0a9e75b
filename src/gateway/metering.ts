/**
 * @module gateway/metering
 * Token usage of one request. The upstream's `usage` object is the truth (chat, completions and
 * embeddings report prompt/completion tokens; the responses API input/output tokens; reasoning
 * tokens sit in the `*_tokens_details`). Only when the upstream reports nothing do we count with
 * gpt-tokenizer on the captured text, and mark the record `estimated`. Image inputs are counted
 * at `IMAGE_TOKENS` each.
 */
import { countTokens } from 'gpt-tokenizer';
import { IMAGE_TOKENS } from '../events/features.js';
import type { UsageRecord } from '../events/types.js';

/** What an upstream usage object says, normalized across endpoints. */
export interface ReportedUsage {
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Normalizes an upstream `usage` object; null when it carries no token counts. */
export function readUsage(usage: unknown): ReportedUsage | null {
  if (!isObj(usage)) return null;
  const prompt = num(usage.prompt_tokens) ?? num(usage.input_tokens);
  const completion = num(usage.completion_tokens) ?? num(usage.output_tokens);
  const total = num(usage.total_tokens);
  if (prompt === null && completion === null && total === null) return null;
  const details = isObj(usage.completion_tokens_details)
    ? usage.completion_tokens_details
    : isObj(usage.output_tokens_details)
      ? usage.output_tokens_details
      : {};
  const promptTokens = prompt ?? Math.max(0, (total ?? 0) - (completion ?? 0));
  return {
    promptTokens,
    completionTokens: completion ?? Math.max(0, (total ?? 0) - promptTokens),
    reasoningTokens: num(details.reasoning_tokens) ?? 0,
  };
}

export interface MeterInput {
  /** The upstream's usage object (non-streamed body `usage`, or the stream's usage chunk). */
  reported: unknown;
  /** Prompt tokens counted on the request text (images excluded); called only when needed. */
  promptTokens: () => number;
  /** The generated text, for the fallback count (called only when needed). */
  completionText: () => string;
  images: number;
}

export interface Metered extends UsageRecord {
  reasoningTokens: number;
}

/** Usage for the event and for `limits.settle`. */
export function meter(input: MeterInput): Metered {
  const imageTokens = input.images * IMAGE_TOKENS;
  const reported = readUsage(input.reported);
  if (reported !== null) return { ...reported, imageTokens, estimated: false };
  return {
    promptTokens: input.promptTokens() + imageTokens,
    completionTokens: countText(input.completionText()),
    reasoningTokens: 0,
    imageTokens,
    estimated: true,
  };
}

const countText = (text: string): number => (text.length > 0 ? countTokens(text) : 0);

/**
 * The cheap up-front estimate used to reserve tokens before forwarding: characters / 4 for
 * the prompt text, images at `IMAGE_TOKENS`, plus the maximum output for every choice.
 */
export function estimateTokens(promptChars: number, images: number, maxOutput: number, n: number): number {
  return Math.ceil(promptChars / 4) + images * IMAGE_TOKENS + maxOutput * Math.max(1, n);
}

type Body = Record<string, unknown>;

function partsSize(content: unknown, acc: { chars: number; images: number }): void {
  if (typeof content === 'string') acc.chars += content.length;
  else if (Array.isArray(content)) {
    for (const part of content) {
      if (typeof part === 'string') acc.chars += part.length;
      else if (isObj(part)) {
        if (typeof part.text === 'string') acc.chars += part.text.length;
        else if (typeof part.type === 'string' && part.type.includes('image')) acc.images++;
      }
    }
  }
}

/**
 * Prompt size for the reservation estimate, without building any string: characters of the
 * text parts and the number of image parts (messages, prompt, input and instructions).
 */
export function promptSize(endpoint: string, body: Body): { chars: number; images: number } {
  const acc = { chars: 0, images: 0 };
  const list = endpoint === 'chat' ? body.messages : endpoint === 'completions' ? body.prompt : body.input;
  if (typeof body.instructions === 'string') acc.chars += body.instructions.length;
  if (!Array.isArray(list)) {
    partsSize(list, acc);
    return acc;
  }
  for (const item of list) {
    if (isObj(item)) partsSize(item.content ?? item.output, acc);
    else partsSize(item, acc);
  }
  return acc;
}
