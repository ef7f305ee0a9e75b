/**
 * @module admin/routes/ingest
 * `POST /admin/ingest`: NDJSON log lines (docs/log-format.md) parsed with the shared
 * `parseLogLine` and published like live traffic. Bad lines are counted and reported with
 * their 1-based line numbers (the first 100); they never stop the others.
 */
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
