/**
 * @module detect/sketches/serialize
 * Turns engine state (plain objects holding typed arrays and Maps) into JSON-safe values and
 * back, for checkpoints. Typed arrays become `{ $t: 'u8'|'u16'|'u32', b64 }`, Maps become
 * `{ $m: [[k, v], …] }` (insertion order kept, so restored state iterates identically).
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function encodeState(v: unknown): Json {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Uint8Array) return { $t: 'u8', b64: Buffer.from(v).toString('base64') };
  if (v instanceof Uint16Array)
    return { $t: 'u16', b64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  if (v instanceof Uint32Array)
    return { $t: 'u32', b64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  if (v instanceof Map) return { $m: [...v.entries()].map(([k, x]) => [encodeState(k), encodeState(x)]) };
  if (Array.isArray(v)) return v.map(encodeState);
  if (typeof v === 'object') {
    const out: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>))
      if (x !== undefined) out[k] = encodeState(x);
    return out;
  }
  return null;
}

function typed(kind: string, b64: string): Uint8Array | Uint16Array | Uint32Array {
  const buf = Buffer.from(b64, 'base64');
  const copy = new Uint8Array(buf.length);
  copy.set(buf);
  if (kind === 'u16') return new Uint16Array(copy.buffer, 0, copy.length / 2);
  if (kind === 'u32') return new Uint32Array(copy.buffer, 0, copy.length / 4);
  return copy;
}

export function decodeState(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(decodeState);
  const o = v as Record<string, unknown>;
  if (typeof o.$t === 'string' && typeof o.b64 === 'string') return typed(o.$t, o.b64);
  if (Array.isArray(o.$m))
    return new Map((o.$m as unknown[][]).map(([k, x]) => [decodeState(k), decodeState(x)]));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = decodeState(x);
  return out;
}
