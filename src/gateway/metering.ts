/**
 * @module gateway/metering
 * Token usage of one request. The upstream's `usage` object is the truth (chat, completions and
 * embeddings report prompt/completion tokens; the responses API input/output tokens; reasoning
 * tokens sit in the `*_tokens_details`). Only when the upstream reports nothing do we count with
 * gpt-tokenizer on the captured text, and mark the record `estimated`. Image inputs are counted
 * at `IMAGE_TOKENS` each.
 */
import { IMAGE_TOKENS } from '../events/features.js';
import { isObj } from '../events/text.js';
import { countTokens } from '../events/tokens.js';
import type { UsageRecord } from '../events/types.js';

/** What an upstream usage object says, normalized across endpoints. */
export interface ReportedUsage {
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
}

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

const USAGE_KEY = Buffer.from('"usage"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = 0x7b; // '{'
const CLOSE = 0x7d; // '}'

const isSpace = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Index after the JSON object starting at `start` (strings skipped), or -1 when it does not close. */
function objectEnd(buf: Buffer, start: number): number {
  let depth = 0;
  for (let i = start; i < buf.length; i++) {
    const c = buf[i];
    if (c === QUOTE) {
      for (i++; i < buf.length && buf[i] !== QUOTE; i++) if (buf[i] === BACKSLASH) i++;
    } else if (c === OPEN) depth++;
    else if (c === CLOSE && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * The top-level `usage` object of a non-streamed JSON answer, read from its tail: OpenAI-shaped
 * servers put `usage` last, so only those bytes are parsed. The shortcut applies only when the
 * usage object is followed by nothing but the root's closing brace (so it is the root's own
 * key, not a nested one); otherwise the whole answer is parsed. Undefined when there is none.
 */
export function usageOfAnswer(answer: Buffer): unknown {
  const key = answer.lastIndexOf(USAGE_KEY);
  if (key > 0 && answer[key - 1] !== BACKSLASH) {
    let i = key + USAGE_KEY.length;
    while (isSpace(answer[i])) i++;
    if (answer[i] === 0x3a) {
      i++;
      while (isSpace(answer[i])) i++;
      if (answer[i] === OPEN) {
        const end = objectEnd(answer, i);
        let j = end;
        while (j !== -1 && isSpace(answer[j])) j++;
        if (j !== -1 && answer[j] === CLOSE) {
          j++;
          while (isSpace(answer[j])) j++;
          if (j === answer.length) {
            try {
              return JSON.parse(answer.toString('utf8', i, end));
            } catch {
              // fall through to the whole answer
            }
          }
        }
      }
    }
  }
  try {
    const whole: unknown = JSON.parse(answer.toString('utf8'));
    return isObj(whole) ? whole.usage : undefined;
  } catch {
    return undefined;
  }
}

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
