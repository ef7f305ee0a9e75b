/**
 * @module events/packed
 * A batch of RequestEvents packed for the hand-off between threads: numbers in one Float64Array,
 * MinHash signatures in one Uint32Array, string references in one Int32Array (the three
 * transferred, not copied), and the batch's distinct strings in one array, each once. Posting
 * RequestEvent objects instead makes the receiving thread rebuild every nested object property by
 * property (structured clone), which cost the analyze pipeline's main thread more than the engine
 * did. Each string costs a copy on both sides of the hand-off and, on the receiving side, a young
 * object that lives until its batch is consumed (so it is copied by the collections meanwhile):
 * a line carries ~15 strings, but only ~4.4 per line are distinct within a batch of ~200 lines
 * (keys, orgs, models, hashes and constants such as the endpoint repeat), so a batch sends each
 * string once and its events refer to it. A client (user agent, fingerprint, SDK headers: 16
 * strings on a typical line) is also packed once per batch, and its later events refer to it.
 * Lossless: `unpackEvents(packEvents(es))` deep-equals `es`.
 */
import type { Domain, Endpoint, RequestEvent } from './types.js';

export interface PackedEvents {
  count: number;
  nums: Float64Array;
  sigs: Uint32Array;
  /**
   * Per event: FIXED_STRS string references; then, for the first event of its client in the
   * batch, the client's (user agent, fingerprint, sdk entries as name/value pairs); then the meta
   * entries'. A reference is an index into `strs`, or NULL_REF / UNDEFINED_REF.
   */
  refs: Int32Array;
  /** The batch's strings: each distinct one once (unless packed without `dedupe`). */
  strs: string[];
}

/** References to null and undefined (a string's reference is its index in `strs`). */
export const NULL_REF = -1;
export const UNDEFINED_REF = -2;

/** Numbers per event (see `add`). */
const NUMS = 38;
const FIXED_STRS = 22;

/** A client in the batch: where its string references start in `refs`, and its number of sdk entries. */
interface PackedClient {
  at: number;
  sdkCount: number;
}
/** Absent numbers that may be null are packed as NaN: the extractor never yields NaN. */
const nullable = (v: number | null) => (v === null ? Number.NaN : v);
const orNull = (v: number) => (Number.isNaN(v) ? null : v);

/** Collects events into a packed batch. */
export class EventPacker {
  private nums: Float64Array;
  private sigs: Uint32Array;
  private refs: Int32Array;
  private refLen = 0;
  private strs: string[] = [];
  /** Each distinct string's index in `strs`. */
  private index = new Map<string, number>();
  private sigLen = 0;
  private count = 0;
  /** The last client packed with each fingerprint (null: neither user agent nor sdk headers). */
  private clients = new Map<string | null, PackedClient>();

  /**
   * `dedupe`: each distinct string once in `strs` (for a batch that crosses threads); without it
   * every string gets its own entry, which costs no look-up (for a batch unpacked on the thread that
   * packed it, where nothing is copied and the look-ups would be pure cost).
   */
  constructor(
    expected = 256,
    private readonly dedupe = true,
  ) {
    this.nums = new Float64Array(expected * NUMS);
    this.sigs = new Uint32Array(expected * 32);
    this.refs = new Int32Array(expected * (FIXED_STRS + 4));
  }

  /** The reference of `s`, adding it to the batch's strings when new. */
  private ref(s: string | null | undefined): number {
    if (s === null) return NULL_REF;
    if (s === undefined) return UNDEFINED_REF;
    if (!this.dedupe) return this.strs.push(s) - 1;
    let r = this.index.get(s);
    if (r === undefined) {
      r = this.strs.length;
      this.strs.push(s);
      this.index.set(s, r);
    }
    return r;
  }

  private push(s: string | null | undefined): void {
    this.refs[this.refLen++] = this.ref(s);
  }

  /** The string (or null, undefined) that reference slot `at` holds. */
  private strAt(at: number): string | null | undefined {
    const r = this.refs[at]!;
    return r >= 0 ? this.strs[r] : r === NULL_REF ? null : undefined;
  }

  add(e: RequestEvent): void {
    if ((this.count + 1) * NUMS > this.nums.length) this.nums = grow(this.nums, (this.count + 1) * NUMS);
    const sig = e.prompt.minhash;
    if (this.sigLen + sig.length > this.sigs.length) this.sigs = grow(this.sigs, this.sigLen + sig.length);
    const n = this.nums;
    let i = this.count * NUMS;
    const p = e.prompt;
    const o = e.output;
    const ps = e.params;
    const sdkNames = Object.keys(e.sdk);
    const metaNames = e.meta ? Object.keys(e.meta) : null;
    const maxRefs = FIXED_STRS + 2 + 2 * sdkNames.length + (metaNames === null ? 0 : 2 * metaNames.length);
    if (this.refLen + maxRefs > this.refs.length) this.refs = grow(this.refs, this.refLen + maxRefs);
    n[i++] = e.v;
    n[i++] = e.ts;
    n[i++] = e.status;
    n[i++] = e.latencyMs;
    n[i++] = nullable(e.ttftMs);
    n[i++] = e.usage.promptTokens;
    n[i++] = e.usage.completionTokens;
    n[i++] = e.usage.imageTokens;
    n[i++] = e.usage.estimated ? 1 : 0;
    n[i++] = p.chars;
    n[i++] = p.tokens;
    n[i++] = p.messages;
    n[i++] = p.userTurns;
    n[i++] = p.assistantTurns;
    n[i++] = nullable(p.assistantChars ?? null);
    n[i++] = nullable(p.historyChars ?? null);
    n[i++] = nullable(p.ownTokens ?? null);
    n[i++] = p.toolMessages;
    n[i++] = p.images;
    n[i++] = (p.cot ? 1 : 0) | (p.grading ? 2 : 0);
    n[i++] = sig.length;
    n[i++] = o.tokens;
    n[i++] = o.reasoningTokens;
    n[i++] = o.choices;
    n[i++] = nullable(ps.maxTokens);
    n[i++] = ps.n;
    n[i++] = nullable(ps.temperature);
    n[i++] = nullable(ps.topP);
    n[i++] = (ps.logprobs ? 1 : 0) | (ps.stream ? 2 : 0) | (ps.reasoningShown ? 4 : 0);
    n[i++] = ps.topLogprobs;
    n[i++] = ps.logitBiasSize;
    n[i++] = ps.logitBiasMaxAbs;
    n[i++] = ps.tools;
    n[i++] = nullable(ps.seed);
    n[i++] = sdkNames.length;
    n[i++] = metaNames === null ? -1 : metaNames.length;
    const client = this.clientOf(e, sdkNames, this.refLen + FIXED_STRS);
    n[i++] = client.at;
    // Which optional texts are present: 1 prompt text, 2 system text, 4 output text.
    n[i++] =
      (p.text !== undefined ? 1 : 0) | (p.systemText !== undefined ? 2 : 0) | (o.text !== undefined ? 4 : 0);
    for (let k = 0; k < sig.length; k++) this.sigs[this.sigLen + k] = sig[k]!;
    this.sigLen += sig.length;
    this.push(e.id);
    this.push(e.keyId);
    this.push(e.accountId);
    this.push(e.orgId);
    this.push(e.ip);
    this.push(e.endpoint);
    this.push(e.model);
    this.push(ps.responseFormat);
    this.push(ps.reasoningEffort);
    this.push(ps.endUser);
    this.push(p.systemHash);
    this.push(p.skeletonHash);
    this.push(p.frameHash);
    this.push(p.domain);
    this.push(p.text);
    this.push(p.systemText);
    this.push(o.finishReason);
    this.push(o.text);
    this.push(e.errorCode);
    this.push(e.upstream);
    this.push(e.limitedBy);
    this.push(ps.toolsHash);
    if (client.at === this.refLen) {
      this.push(e.userAgent);
      this.push(e.fingerprint);
      for (const k of sdkNames) {
        this.push(k);
        this.push(e.sdk[k]);
      }
    }
    if (metaNames)
      for (const k of metaNames) {
        this.push(k);
        this.push(e.meta![k]);
      }
    this.count++;
  }

  /**
   * The batch's client with `e`'s user agent, fingerprint and sdk entries (names in the same
   * order), or a new one whose strings are to be packed in `strs` from `at`. Looked up by the fingerprint (the client
   * memo hands out the same fingerprint and sdk strings for a client, so the checks are cheap).
   */
  private clientOf(e: RequestEvent, sdkNames: string[], at: number): PackedClient {
    const known = this.clients.get(e.fingerprint);
    if (known !== undefined && this.holds(known, e, sdkNames)) return known;
    const client = { at, sdkCount: sdkNames.length };
    this.clients.set(e.fingerprint, client);
    return client;
  }

  private holds(c: PackedClient, e: RequestEvent, sdkNames: string[]): boolean {
    if (c.sdkCount !== sdkNames.length || this.strAt(c.at) !== e.userAgent) return false;
    for (let k = 0, x = c.at + 2; k < sdkNames.length; k++, x += 2) {
      const name = sdkNames[k]!;
      if (this.strAt(x) !== name || this.strAt(x + 1) !== e.sdk[name]) return false;
    }
    return true;
  }

  get size(): number {
    return this.count;
  }

  /** The batch; the packer must not be used afterwards. Transfer `nums.buffer`, `sigs.buffer` and `refs.buffer`. */
  finish(): PackedEvents {
    return {
      count: this.count,
      nums: this.nums.subarray(0, this.count * NUMS),
      sigs: this.sigs.subarray(0, this.sigLen),
      refs: this.refs.subarray(0, this.refLen),
      strs: this.strs,
    };
  }
}

function grow<T extends Float64Array | Uint32Array | Int32Array>(a: T, need: number): T {
  const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

export function packEvents(events: readonly RequestEvent[], dedupe = true): PackedEvents {
  const p = new EventPacker(events.length, dedupe);
  for (const e of events) p.add(e);
  return p.finish();
}

/** Calls `f` with each event of a packed batch, in order. */
export function forEachPacked(b: PackedEvents, f: (e: RequestEvent) => void): void {
  const n = b.nums;
  const refs = b.refs;
  const strs = b.strs;
  /** The string (or null, undefined) of reference slot `x`. */
  const s = (x: number): string | null | undefined => {
    const r = refs[x]!;
    return r >= 0 ? strs[r] : r === NULL_REF ? null : undefined;
  };
  let sigAt = 0;
  let at = 0;
  for (let j = 0; j < b.count; j++) {
    let i = j * NUMS;
    const v = n[i++]! as RequestEvent['v'];
    const ts = n[i++]!;
    const status = n[i++]!;
    const latencyMs = n[i++]!;
    const ttftMs = orNull(n[i++]!);
    const promptTokens = n[i++]!;
    const completionTokens = n[i++]!;
    const imageTokens = n[i++]!;
    const estimated = n[i++]! === 1;
    const chars = n[i++]!;
    const tokens = n[i++]!;
    const messages = n[i++]!;
    const userTurns = n[i++]!;
    const assistantTurns = n[i++]!;
    const assistantChars = orNull(n[i++]!);
    const historyChars = orNull(n[i++]!);
    const ownTokens = orNull(n[i++]!);
    const toolMessages = n[i++]!;
    const images = n[i++]!;
    const flags = n[i++]!;
    const sigLen = n[i++]!;
    const outTokens = n[i++]!;
    const reasoningTokens = n[i++]!;
    const choices = n[i++]!;
    const maxTokens = orNull(n[i++]!);
    const nChoices = n[i++]!;
    const temperature = orNull(n[i++]!);
    const topP = orNull(n[i++]!);
    const pflags = n[i++]!;
    const topLogprobs = n[i++]!;
    const logitBiasSize = n[i++]!;
    const logitBiasMaxAbs = n[i++]!;
    const tools = n[i++]!;
    const seed = orNull(n[i++]!);
    const sdkCount = n[i++]!;
    const metaCount = n[i++]!;
    const clientAt = n[i++]!;
    const texts = n[i++]!;
    const minhash = new Array<number>(sigLen);
    for (let k = 0; k < sigLen; k++) minhash[k] = b.sigs[sigAt + k]!;
    sigAt += sigLen;
    const sdk: Record<string, string> = {};
    for (let k = 0, c = clientAt + 2; k < sdkCount; k++, c += 2) sdk[s(c) as string] = s(c + 1) as string;
    let x = at + FIXED_STRS;
    // The event's own client follows its fixed strings.
    if (clientAt === x) x += 2 + 2 * sdkCount;
    let meta: Record<string, string> | undefined;
    if (metaCount >= 0) {
      meta = {};
      for (let k = 0; k < metaCount; k++, x += 2) meta[s(x) as string] = s(x + 1) as string;
    }
    const params: RequestEvent['params'] = {
      maxTokens,
      n: nChoices,
      temperature,
      topP,
      logprobs: (pflags & 1) !== 0,
      topLogprobs,
      logitBiasSize,
      logitBiasMaxAbs,
      tools,
      responseFormat: s(at + 7) as string | null,
      reasoningEffort: s(at + 8) as string | null,
      stream: (pflags & 2) !== 0,
      seed,
      endUser: s(at + 9) as string | null,
    };
    if ((pflags & 4) !== 0) params.reasoningShown = true;
    const toolsHash = s(at + 21);
    if (typeof toolsHash === 'string') params.toolsHash = toolsHash;
    const prompt: RequestEvent['prompt'] = {
      chars,
      tokens,
      messages,
      userTurns,
      assistantTurns,
      toolMessages,
      images,
      systemHash: s(at + 10) as string | null,
      skeletonHash: s(at + 11) as string,
      frameHash: s(at + 12) as string,
      minhash,
      cot: (flags & 1) !== 0,
      grading: (flags & 2) !== 0,
      domain: s(at + 13) as Domain,
    };
    // Optional fields are set after the literal, as every event of a batch has them alike.
    if (assistantChars !== null) prompt.assistantChars = assistantChars;
    if (historyChars !== null) prompt.historyChars = historyChars;
    if (ownTokens !== null) prompt.ownTokens = ownTokens;
    if (texts & 1) prompt.text = s(at + 14) as string;
    if (texts & 2) prompt.systemText = s(at + 15) as string;
    const output: RequestEvent['output'] = {
      tokens: outTokens,
      reasoningTokens,
      finishReason: s(at + 16) as string | null,
      choices,
    };
    if (texts & 4) output.text = s(at + 17) as string;
    const event: RequestEvent = {
      v,
      id: s(at) as string,
      ts,
      keyId: s(at + 1) as string,
      accountId: s(at + 2) as string,
      orgId: s(at + 3) as string,
      ip: s(at + 4) as string | null,
      userAgent: s(clientAt) as string | null,
      sdk,
      fingerprint: s(clientAt + 1) as string | null,
      endpoint: s(at + 5) as Endpoint,
      model: s(at + 6) as string | null,
      params,
      prompt,
      output,
      usage: { promptTokens, completionTokens, imageTokens, estimated },
      status,
      errorCode: s(at + 18) as string | null,
      latencyMs,
      ttftMs,
      upstream: s(at + 19) as string | null,
      limitedBy: s(at + 20) as string | null,
    };
    if (meta) event.meta = meta;
    at = x;
    f(event);
  }
}

export function unpackEvents(b: PackedEvents): RequestEvent[] {
  const out: RequestEvent[] = [];
  forEachPacked(b, (e) => out.push(e));
  return out;
}
