/**
 * @module upstream/mock/embeddings
 * `POST /v1/embeddings`: a deterministic unit vector per input (seeded by the input's text, so the
 * same text embeds the same in any request), 256 dimensions unless `dimensions` is given, as
 * float arrays or base64 little-endian float32 (`encoding_format: base64`, the SDK's default).
 */
import { mulberry32, seedOf } from './prng.js';
import type { MockReply, ReplyEnv } from './reply.js';
import type { Obj } from './request.js';
import { countText } from './tokens.js';

export const DEFAULT_DIMENSIONS = 256;

/** Inputs as texts (token-id arrays are kept as their joined ids) with their token counts. */
function inputsOf(input: unknown): Array<{ key: string; tokens: number }> {
  const one = (v: unknown) =>
    typeof v === 'string'
      ? { key: v, tokens: countText(v) }
      : Array.isArray(v)
        ? { key: v.join(','), tokens: v.length }
        : { key: '', tokens: 0 };
  if (Array.isArray(input) && input.length > 0 && typeof input[0] !== 'number') return input.map(one);
  return [one(input)];
}

export function unitVector(key: string, dims: number, seed: number): Float32Array {
  const rng = mulberry32(seedOf(key, seed));
  const v = new Float32Array(dims);
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    const x = rng() * 2 - 1;
    v[i] = x;
    norm += x * x;
  }
  const scale = 1 / Math.sqrt(norm || 1);
  for (let i = 0; i < dims; i++) v[i] = (v[i] ?? 0) * scale;
  return v;
}

export function toBase64(v: Float32Array): string {
  const buf = Buffer.alloc(v.length * 4);
  for (let i = 0; i < v.length; i++) buf.writeFloatLE(v[i] ?? 0, i * 4);
  return buf.toString('base64');
}

export function embeddingsReply(body: Obj, env: ReplyEnv, globalSeed: number): MockReply {
  const dims =
    typeof body.dimensions === 'number' && body.dimensions >= 1
      ? Math.min(4096, Math.floor(body.dimensions))
      : DEFAULT_DIMENSIONS;
  const base64 = body.encoding_format === 'base64';
  const inputs = inputsOf(body.input);
  const data = inputs.map((inp, index) => {
    const v = unitVector(inp.key, dims, globalSeed);
    return { object: 'embedding', index, embedding: base64 ? toBase64(v) : Array.from(v) };
  });
  const prompt = inputs.reduce((s, i) => s + i.tokens, 0);
  const out: Obj = {
    object: 'list',
    data,
    model: typeof body.model === 'string' ? body.model : 'text-embedding-3-small',
  };
  if (!env.noUsage) out.usage = { prompt_tokens: prompt, total_tokens: prompt };
  return { kind: 'json', status: 200, body: out, usage: { prompt, completion: 0 } };
}
