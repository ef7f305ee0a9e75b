/**
 * @module events/text
 * Pulls the text out of any OpenAI request body (chat, completions, embeddings, responses):
 * the system prompt, the last user turn, turn counts and image parts. Tolerant of unknown
 * shapes: anything it does not recognise contributes no text rather than throwing.
 */
import type { Endpoint } from './types.js';

export interface PromptText {
  system: string;
  /** The last user turn (or the prompt/input for completions and embeddings). */
  lastUser: string;
  /** All text of all turns, for token counting. */
  all: string;
  messages: number;
  userTurns: number;
  assistantTurns: number;
  /** Characters of the assistant turns in the history (the answers the request carries back). */
  assistantChars: number;
  /** Characters of the conversation the request carries back: its assistant turns and every user
   * turn before the last (0 for a one-shot request). */
  historyChars: number;
  /** The request continues a conversation the upstream keeps (Responses API
   * `previous_response_id` or `conversation`): earlier turns are billed but not in its text. */
  continues: boolean;
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

/**
 * `PromptText` without `all`: the texts it joins (with newlines) and the joined length instead.
 * Feature extraction needs only the length, unless it counts tokens, so it need not copy every
 * turn of a long conversation into one string.
 */
export interface PromptParts extends Omit<PromptText, 'all'> {
  /** The texts `all` joins with newlines. */
  texts: string[];
  /** `all.length`. */
  chars: number;
}

function fromMessages(messages: unknown[], extraSystem = ''): PromptParts {
  const out: PromptParts = {
    system: extraSystem,
    lastUser: '',
    texts: extraSystem ? [extraSystem] : [],
    chars: 0,
    messages: 0,
    userTurns: 0,
    assistantTurns: 0,
    assistantChars: 0,
    historyChars: 0,
    continues: false,
    toolMessages: 0,
    images: 0,
  };
  let userChars = 0;
  const systems: string[] = extraSystem ? [extraSystem] : [];
  for (const m of messages) {
    if (!isObj(m)) continue;
    out.messages++;
    const role = typeof m.role === 'string' ? m.role : m.type === 'function_call_output' ? 'tool' : 'user';
    const content = m.content ?? m.output;
    // A string content (the common case) needs no part walk.
    let text: string;
    if (typeof content === 'string') text = content;
    else {
      const c = contentText(content);
      text = c.text;
      out.images += c.images;
    }
    out.texts.push(text);
    if (role === 'system' || role === 'developer') systems.push(text);
    else if (role === 'assistant') {
      out.assistantTurns++;
      out.assistantChars += text.length;
    } else if (role === 'tool' || role === 'function') out.toolMessages++;
    else {
      out.userTurns++;
      out.lastUser = text;
      userChars += text.length;
    }
  }
  out.historyChars = out.assistantChars + userChars - out.lastUser.length;
  out.system = systems.length === 1 ? systems[0]! : systems.join('\n');
  out.chars = joinedLength(out.texts);
  return out;
}

/** Length of `texts.join('\n')`. */
function joinedLength(texts: string[]): number {
  let n = texts.length > 0 ? texts.length - 1 : 0;
  for (let i = 0; i < texts.length; i++) n += texts[i]!.length;
  return n;
}

function fromPrompt(prompt: unknown): PromptParts {
  let text = '';
  if (typeof prompt === 'string') text = prompt;
  else if (Array.isArray(prompt)) text = prompt.filter((p) => typeof p === 'string').join('\n');
  return {
    system: '',
    lastUser: text,
    texts: [text],
    chars: text.length,
    messages: 1,
    userTurns: 1,
    assistantTurns: 0,
    assistantChars: 0,
    historyChars: 0,
    continues: false,
    toolMessages: 0,
    images: 0,
  };
}

/** The prompt's parts (`promptText` but for `all`). */
export function promptParts(endpoint: Endpoint, body: unknown): PromptParts {
  const b = isObj(body) ? body : {};
  switch (endpoint) {
    case 'chat':
      return fromMessages(Array.isArray(b.messages) ? b.messages : []);
    case 'completions':
      return fromPrompt(b.prompt);
    case 'embeddings':
      return fromPrompt(b.input);
    case 'responses': {
      const p = responsesParts(b);
      p.continues = continuesKept(b);
      return p;
    }
  }
}

function responsesParts(b: Obj): PromptParts {
  const instructions = typeof b.instructions === 'string' ? b.instructions : '';
  if (Array.isArray(b.input)) return fromMessages(b.input, instructions);
  const p = fromPrompt(b.input);
  if (!instructions) return p;
  return {
    ...p,
    system: instructions,
    texts: [instructions, ...p.texts],
    chars: instructions.length + 1 + p.chars,
  };
}

/** A Responses API body that names a stored answer or conversation to continue. */
function continuesKept(b: Obj): boolean {
  const c = b.conversation;
  return (
    (typeof b.previous_response_id === 'string' && b.previous_response_id !== '') ||
    (typeof c === 'string' && c !== '') ||
    (isObj(c) && typeof c.id === 'string' && c.id !== '')
  );
}

export function promptText(endpoint: Endpoint, body: unknown): PromptText {
  const p = promptParts(endpoint, body);
  return {
    system: p.system,
    lastUser: p.lastUser,
    all: p.texts.join('\n'),
    messages: p.messages,
    userTurns: p.userTurns,
    assistantTurns: p.assistantTurns,
    assistantChars: p.assistantChars,
    historyChars: p.historyChars,
    continues: p.continues,
    toolMessages: p.toolMessages,
    images: p.images,
  };
}

/**
 * A reusable typed copy of a string's UTF-16 code units, made by `Buffer#write` (native). The
 * feature scans read their text unit by unit from it: cheaper than `charCodeAt` on the string,
 * which checks the string's representation on every call (~30 % less for a plain scan loop over
 * the bench's prompts, the copy included).
 */
export class UnitBuffer {
  private memory = new ArrayBuffer(1 << 16);
  private bytes = Buffer.from(this.memory);
  private units = new Uint16Array(this.memory);

  /** Copies `text`'s code units to the start of the buffer (grown when needed) and returns it. */
  load(text: string): Uint16Array {
    if (2 * text.length > this.memory.byteLength) {
      this.memory = new ArrayBuffer(2 * text.length + (1 << 12));
      this.bytes = Buffer.from(this.memory);
      this.units = new Uint16Array(this.memory);
    }
    this.bytes.write(text, 0, 'utf16le');
    return this.units;
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
