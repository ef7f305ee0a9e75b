/**
 * @module events/text
 * Pulls the text out of any OpenAI request body (chat, completions, embeddings, responses):
 * the system prompt, the last user turn, turn counts and image parts. Tolerant of unknown
 * shapes: anything it does not recognise contributes no text rather than throwing.
 */
import type { Endpoint } from '../../../src/events/types.js';

export interface PromptText {
  system: string;
  /** The last user turn (or the prompt/input for completions and embeddings). */
  lastUser: string;
  /** All text of all turns, for token counting. */
  all: string;
  messages: number;
  userTurns: number;
  assistantTurns: number;
  toolMessages: number;
  images: number;
}

const IMAGE_PART_TYPES = new Set(['image_url', 'input_image', 'image', 'image_file']);

export type Obj = Record<string, unknown>;
/** A plain JSON object (not null, not an array). */
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Text and image count of one message's `content` (string or array of parts). */
export function contentText(content: unknown): { text: string; images: number } {
  if (typeof content === 'string') return { text: content, images: 0 };
  if (!Array.isArray(content)) return { text: '', images: 0 };
  const texts: string[] = [];
  let images = 0;
  for (const part of content) {
    if (typeof part === 'string') texts.push(part);
    else if (isObj(part)) {
      const type = typeof part.type === 'string' ? part.type : '';
      if (IMAGE_PART_TYPES.has(type)) images++;
      else if (typeof part.text === 'string') texts.push(part.text);
    }
  }
  return { text: texts.join('\n'), images };
}

function fromMessages(messages: unknown[], extraSystem = ''): PromptText {
  const out: PromptText = {
    system: extraSystem,
    lastUser: '',
    all: extraSystem,
    messages: 0,
    userTurns: 0,
    assistantTurns: 0,
    toolMessages: 0,
    images: 0,
  };
  const systems: string[] = extraSystem ? [extraSystem] : [];
  const all: string[] = extraSystem ? [extraSystem] : [];
  for (const m of messages) {
    if (!isObj(m)) continue;
    out.messages++;
    const role = typeof m.role === 'string' ? m.role : m.type === 'function_call_output' ? 'tool' : 'user';
    const { text, images } = contentText(m.content ?? m.output);
    out.images += images;
    all.push(text);
    if (role === 'system' || role === 'developer') systems.push(text);
    else if (role === 'assistant') out.assistantTurns++;
    else if (role === 'tool' || role === 'function') out.toolMessages++;
    else {
      out.userTurns++;
      out.lastUser = text;
    }
  }
  out.system = systems.join('\n');
  out.all = all.join('\n');
  return out;
}

function fromPrompt(prompt: unknown): PromptText {
  let text = '';
  if (typeof prompt === 'string') text = prompt;
  else if (Array.isArray(prompt)) text = prompt.filter((p) => typeof p === 'string').join('\n');
  return {
    system: '',
    lastUser: text,
    all: text,
    messages: 1,
    userTurns: 1,
    assistantTurns: 0,
    toolMessages: 0,
    images: 0,
  };
}

export function promptText(endpoint: Endpoint, body: unknown): PromptText {
  const b = isObj(body) ? body : {};
  switch (endpoint) {
    case 'chat':
      return fromMessages(Array.isArray(b.messages) ? b.messages : []);
    case 'completions':
      return fromPrompt(b.prompt);
    case 'embeddings':
      return fromPrompt(b.input);
    case 'responses': {
      const instructions = typeof b.instructions === 'string' ? b.instructions : '';
      if (Array.isArray(b.input)) return fromMessages(b.input, instructions);
      const p = fromPrompt(b.input);
      return { ...p, system: instructions, all: instructions ? `${instructions}\n${p.all}` : p.all };
    }
  }
}

/** Infers the endpoint from a request body's shape (for log lines without `endpoint`). */
export function inferEndpoint(body: unknown, path?: string | null): Endpoint | null {
  if (path) {
    if (path.includes('chat/completions')) return 'chat';
    if (path.includes('embeddings')) return 'embeddings';
    if (path.includes('responses')) return 'responses';
    if (path.includes('completions')) return 'completions';
  }
  if (!isObj(body)) return null;
  if (Array.isArray(body.messages)) return 'chat';
  if ('prompt' in body) return 'completions';
  if ('input' in body) {
    const model = typeof body.model === 'string' ? body.model : '';
    return model.includes('embed') ? 'embeddings' : 'responses';
  }
  return null;
}
