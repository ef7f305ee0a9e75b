/**
 * @module gateway/sse
 * Server-sent events relay. Upstream bytes go to the client chunk by chunk as they arrive; on
 * the side, a line parser (buffering across chunk boundaries) captures what metering and the
 * event need: usage, finish reason, choice count and the generated text. It understands chat
 * and completions chunks (`data: {…}`) and the responses API's typed events (`response.completed`
 * carries usage).
 *
 * When the gateway added `stream_options.include_usage` on the client's behalf, the usage-only
 * chunk (`"choices":[]` with a usage object) is cut from the relay: OpenAI's spec says that
 * chunk is sent "only if you set stream_options: {"include_usage": true}". In that mode only
 * whole events are forwarded (an event split across chunks waits for its end).
 */
import { StringDecoder } from 'node:string_decoder';
import { isObj, type Obj } from '../events/text.js';
import type { Endpoint } from '../events/types.js';

/** What a stream told us, filled in as it flows. */
export interface StreamCapture {
  /** The upstream's usage object, when it sent one. */
  usage: Record<string, unknown> | null;
  finishReason: string | null;
  /** Number of distinct choice indexes seen. */
  choices: number;
  /** Generated text (content deltas, tool-call arguments), joined at the end. */
  text: string[];
  /** Data events parsed. */
  events: number;
}

export interface SseRelayOptions {
  endpoint: Endpoint;
  /** Cut the usage-only chunk from what the client sees. */
  stripUsage: boolean;
}

export class SseRelay {
  readonly capture: StreamCapture = { usage: null, finishReason: null, choices: 0, text: [], events: 0 };
  private readonly decoder = new StringDecoder('utf8');
  private readonly endpoint: Endpoint;
  private readonly stripUsage: boolean;
  /** Unfinished line (not yet terminated by a newline). */
  private partial = '';
  /** Lines of the event being read (strip mode keeps them to re-emit the event whole). */
  private eventLines: string[] = [];
  private eventData: string[] = [];
  private maxIndex = -1;

  constructor(opts: SseRelayOptions) {
    this.endpoint = opts.endpoint;
    this.stripUsage = opts.stripUsage;
  }

  /** Feeds one upstream chunk; returns the bytes to send to the client now (null: nothing yet). */
  push(chunk: Buffer): Buffer | null {
    const text = this.partial + this.decoder.write(chunk);
    const out = this.stripUsage ? [] : null;
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      const line = text.charCodeAt(nl - 1) === 13 ? text.slice(start, nl - 1) : text.slice(start, nl);
      start = nl + 1;
      this.line(line, out);
    }
    this.partial = text.slice(start);
    if (out === null) return chunk;
    return out.length > 0 ? Buffer.from(out.join('')) : null;
  }

  /** Upstream ended: whatever is left (an unterminated last event) is flushed. */
  end(): Buffer | null {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    const out: string[] = [];
    if (rest.length > 0) this.line(rest, this.stripUsage ? out : null);
    if (this.eventLines.length > 0 || this.eventData.length > 0) this.line('', this.stripUsage ? out : null);
    return this.stripUsage && out.length > 0 ? Buffer.from(out.join('')) : null;
  }

  /** The captured text, joined. */
  text(): string {
    return this.capture.text.join('');
  }

  private line(line: string, out: string[] | null): void {
    if (line.length === 0) {
      this.dispatch(out);
      return;
    }
    if (out !== null) this.eventLines.push(line);
    if (line.startsWith('data:')) {
      this.eventData.push(line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5));
    }
  }

  /** One complete event: capture it, and in strip mode decide whether the client sees it. */
  private dispatch(out: string[] | null): void {
    const data = this.eventData.length === 1 ? (this.eventData[0] ?? '') : this.eventData.join('\n');
    const lines = this.eventLines;
    this.eventLines = [];
    this.eventData = [];
    let keep = true;
    if (data.length > 0 && data !== '[DONE]') {
      const parsed = safeParse(data);
      if (parsed !== null) {
        this.capture.events++;
        keep = !this.observe(parsed) || !this.stripUsage;
      }
    }
    if (out !== null && keep && lines.length > 0) out.push(`${lines.join('\n')}\n\n`);
  }

  /** Records one parsed data payload. Returns true when it is a usage-only chunk. */
  private observe(p: Obj): boolean {
    if (this.endpoint === 'responses') {
      this.observeResponses(p);
      return false;
    }
    const choices = p.choices;
    if (isObj(p.usage)) this.capture.usage = p.usage;
    if (!Array.isArray(choices)) return false;
    if (choices.length === 0) return isObj(p.usage);
    for (const c of choices) {
      if (!isObj(c)) continue;
      const index = typeof c.index === 'number' ? c.index : 0;
      if (index > this.maxIndex) {
        this.maxIndex = index;
        this.capture.choices = index + 1;
      }
      if (typeof c.finish_reason === 'string') this.capture.finishReason ??= c.finish_reason;
      if (typeof c.text === 'string') this.capture.text.push(c.text);
      const delta = c.delta;
      if (!isObj(delta)) continue;
      if (typeof delta.content === 'string') this.capture.text.push(delta.content);
      if (Array.isArray(delta.tool_calls)) {
        for (const call of delta.tool_calls) {
          const fn = isObj(call) && isObj(call.function) ? call.function : null;
          if (fn && typeof fn.arguments === 'string') this.capture.text.push(fn.arguments);
        }
      }
    }
    return false;
  }

  private observeResponses(p: Obj): void {
    const type = typeof p.type === 'string' ? p.type : '';
    if (type === 'response.output_text.delta' && typeof p.delta === 'string') {
      this.capture.text.push(p.delta);
      this.capture.choices = 1;
    } else if (type === 'response.function_call_arguments.delta' && typeof p.delta === 'string') {
      this.capture.text.push(p.delta);
    } else if (
      type === 'response.completed' ||
      type === 'response.incomplete' ||
      type === 'response.failed'
    ) {
      const response = isObj(p.response) ? p.response : {};
      if (isObj(response.usage)) this.capture.usage = response.usage;
      if (typeof response.status === 'string') this.capture.finishReason = response.status;
      this.capture.choices = 1;
    }
  }
}

function safeParse(data: string): Obj | null {
  try {
    const v: unknown = JSON.parse(data);
    return isObj(v) ? v : null;
  } catch {
    return null;
  }
}
