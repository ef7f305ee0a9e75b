/**
 * @module upstream/mock/answer
 * What the mock answers, independent of the wire format: plain text whose length follows what
 * was asked (long for "explain / step by step / in detail / essay / write code", short for
 * "classify / yes or no / one word / extract"), scaled by prompt size and capped by the max
 * tokens; a tool call with schema-shaped JSON arguments; or a JSON document for
 * `response_format`.
 */
import { hexId, intIn, pick, type Rng } from './prng.js';
import { countText, truncateTokens } from './tokens.js';
import { type ProseStyle, phrase, prose } from './words.js';

export type Intent = 'long' | 'short' | 'normal';

const LONG =
  /\b(explain|explanation|step[- ]by[- ]step|in detail|detailed|essay|write (?:a |an |the |some )?(?:code|program|function|script|class)|implement|derive|prove|walk me through|elaborate|think carefully)\b/i;
const SHORT =
  /\b(classify|classification|yes or no|one word|single word|extract|true or false|sentiment|label|just the (?:answer|number)|only the (?:answer|number)|answer with (?:a |one |only ))\b/i;
const STEPS = /\b(step[- ]by[- ]step|steps|walk me through|how to)\b/i;
const CODE = /\b(code|program|function|script|class|implement|python|javascript|typescript)\b/i;

/** Long answers include code when code was asked for, numbered steps when steps were. */
function styleOf(intent: Intent, text: string): ProseStyle {
  if (intent !== 'long') return 'plain';
  return CODE.test(text) ? 'code' : STEPS.test(text) ? 'steps' : 'plain';
}

export function intentOf(text: string): Intent {
  if (SHORT.test(text)) return 'short';
  if (LONG.test(text)) return 'long';
  return 'normal';
}

/** Target answer length in tokens before the max-tokens cap. */
export function targetTokens(intent: Intent, promptTokens: number, rng: Rng): number {
  if (intent === 'short') return intIn(rng, 1, 6);
  const base = intent === 'long' ? 380 : 90;
  const scale = 1 + Math.min(2, promptTokens / 1500);
  return Math.max(8, Math.round(base * scale * (0.6 + 0.8 * rng())));
}

export interface ToolSpec {
  name: string;
  parameters: unknown;
}

export type AnswerFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; schema: unknown };

export interface AskSpec {
  /** The last user turn: decides the intent. */
  lastUser: string;
  promptTokens: number;
  maxTokens: number | null;
  tools: ToolSpec[];
  /** The tool to call, or null for no tool call. */
  toolToCall: ToolSpec | null;
  format: AnswerFormat;
}

export type Produced =
  | { kind: 'text'; text: string; finishReason: 'stop' | 'length'; tokens: number }
  | {
      kind: 'tool';
      callId: string;
      name: string;
      arguments: string;
      finishReason: 'tool_calls';
      tokens: number;
    };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value shaped like a JSON schema (types, enums, objects, arrays; depth-limited). */
export function valueFor(schema: unknown, rng: Rng, depth = 0): unknown {
  const s = isObj(schema) ? schema : {};
  if (Array.isArray(s.enum) && s.enum.length > 0) return pick(rng, s.enum);
  if ('const' in s) return s.const;
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'integer':
      return intIn(rng, 1, 100);
    case 'number':
      return Math.round(rng() * 10_000) / 100;
    case 'boolean':
      return rng() < 0.5;
    case 'array':
      return depth > 3
        ? []
        : Array.from({ length: intIn(rng, 1, 3) }, () => valueFor(s.items, rng, depth + 1));
    case 'string':
      return phrase(rng);
    default: {
      if (depth > 3 || !isObj(s.properties)) return type === 'object' ? {} : phrase(rng);
      const out: Obj = {};
      for (const [k, v] of Object.entries(s.properties)) out[k] = valueFor(v, rng, depth + 1);
      return out;
    }
  }
}

function capped(text: string, maxTokens: number | null): Produced {
  const cut = maxTokens === null ? { text, truncated: false } : truncateTokens(text, maxTokens);
  return {
    kind: 'text',
    text: cut.text,
    finishReason: cut.truncated ? 'length' : 'stop',
    tokens: countText(cut.text),
  };
}

/** Produces one choice's answer. */
export function produce(spec: AskSpec, rng: Rng): Produced {
  if (spec.toolToCall) {
    const args = JSON.stringify(valueFor(spec.toolToCall.parameters, rng));
    return {
      kind: 'tool',
      callId: `call_${hexId(Math.floor(rng() * 0xffffffff), 24)}`,
      name: spec.toolToCall.name,
      arguments: args,
      finishReason: 'tool_calls',
      tokens: countText(spec.toolToCall.name) + countText(args),
    };
  }
  if (spec.format.type === 'json_schema')
    return capped(JSON.stringify(valueFor(spec.format.schema, rng)), spec.maxTokens);
  const intent = intentOf(spec.lastUser);
  const target = targetTokens(intent, spec.promptTokens, rng);
  const words = intent === 'short' ? target : Math.ceil(target / 1.1) + 4;
  const raw =
    intent === 'short' ? shortAnswer(rng, target) : prose(rng, words, styleOf(intent, spec.lastUser));
  const exact = truncateTokens(raw, target).text;
  const body = spec.format.type === 'json_object' ? JSON.stringify({ answer: exact }) : exact;
  return capped(body, spec.maxTokens);
}

const SHORT_ANSWERS = [
  'Yes',
  'No',
  'Positive',
  'Negative',
  'Neutral',
  'True',
  'False',
  'Paris',
  '42',
  'Other',
];

function shortAnswer(rng: Rng, tokens: number): string {
  return tokens <= 2
    ? pick(rng, SHORT_ANSWERS)
    : `${pick(rng, SHORT_ANSWERS)}: ${phrase(rng, 1, tokens - 1)}`;
}
