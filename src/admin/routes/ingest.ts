/**
 * @module admin/routes/ingest
 * `POST /admin/ingest`: NDJSON log lines (docs/log-format.md), plain or compressed (gzip, deflate
 * or br as `Content-Encoding`), parsed with the shared `parseLogLine` and published like live
 * traffic. Bad lines are counted and reported with
 * their 1-based line numbers (the first 100); they never stop the others.
 */
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { parseLogLine } from '../../events/logline.js';
import type { RequestEvent } from '../../events/types.js';
import type { AdminContext } from '../context.js';
import { AdminError } from '../errors.js';

export const MAX_REPORTED_ERRORS = 100;

export interface IngestResult {
  accepted: number;
  bad_lines: number;
  errors: Array<{ line: number; error: string }>;
}

const DECODERS: Record<string, (b: Buffer, o: { maxOutputLength: number }) => Buffer> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};

/**
 * The text of a log-lines body sent with `encoding` (a `Content-Encoding` header: none, identity,
 * gzip, deflate or br). Decoded text is held to `limit` bytes, like a plain body (413 beyond);
 * an unknown encoding is 415 and a corrupt body 400, in OpenAI's error shape.
 */
export function decodeBody(body: Buffer, encoding: string | undefined, limit: number): string {
  const name = (encoding ?? 'identity').trim().toLowerCase();
  if (name === 'identity' || name === '') return body.toString('utf8');
  const decode = DECODERS[name];
  if (!decode)
    throw new AdminError(
      415,
      'unsupported_content_encoding',
      `content-encoding ${name} is not supported: send gzip, deflate, br or none`,
      'content-encoding',
    );
  try {
    return decode(body, { maxOutputLength: limit }).toString('utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE')
      throw new AdminError(
        413,
        'body_too_large',
        `decoded body is larger than the configured limit (${limit} bytes)`,
      );
    throw new AdminError(
      400,
      'invalid_body',
      `cannot decode the ${name} body: ${e.message}`,
      'content-encoding',
    );
  }
}

/** Pure: parses an NDJSON body; blank lines are skipped, not counted as bad. */
export function parseNdjson(
  body: string,
  storeText: boolean,
): { events: RequestEvent[]; result: IngestResult } {
  const events: RequestEvent[] = [];
  const result: IngestResult = { accepted: 0, bad_lines: 0, errors: [] };
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    const r = parseLogLine(line, { storeText });
    if (r.ok) {
      events.push(r.event);
      result.accepted += 1;
    } else {
      result.bad_lines += 1;
      if (result.errors.length < MAX_REPORTED_ERRORS) result.errors.push({ line: i + 1, error: r.error });
    }
  }
  return { events, result };
}

export function registerIngestRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.post('/ingest', { bodyLimit: ctx.config.body_limit_bytes }, async (req) => {
    if (typeof req.body !== 'string')
      throw new AdminError(
        415,
        'unsupported_media_type',
        'send log lines as application/x-ndjson or text/plain',
        'content-type',
      );
    const { events, result } = parseNdjson(req.body, ctx.config.store_prompts);
    if (ctx.ingest) ctx.ingest(events);
    else for (const e of events) ctx.bus.publish(e);
    return result;
  });
}
