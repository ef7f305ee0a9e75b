/**
 * @module report/coverage
 * Which evidence a log carried. Logs from other gateways often lack fields the engine weighs
 * (client IPs, SDK headers, orgs, token usage, answers); the findings then say so, and the
 * summary names the evidence the engine could not use, so a short list of findings on such a
 * log is read for what it is. Counted per valid line by `analyze` (`input.present` in the
 * findings format).
 */
import type { RequestEvent } from '../events/types.js';

/** Valid lines carrying each kind of evidence. */
export interface Present {
  /** A client IP (`ip`). */
  ip: number;
  /** A client fingerprint (user agent or `x-stainless-*` headers). */
  client: number;
  /** An org other than the key itself. */
  org: number;
  /** Token usage reported by the upstream (otherwise estimated with gpt-tokenizer). */
  usage: number;
  /** An answer with output tokens. */
  answer: number;
}

export const emptyPresent = (): Present => ({ ip: 0, client: 0, org: 0, usage: 0, answer: 0 });

export function countPresent(p: Present, e: RequestEvent): void {
  if (e.ip !== null) p.ip++;
  if (e.fingerprint !== null) p.client++;
  if (e.orgId !== e.keyId) p.org++;
  if (!e.usage.estimated) p.usage++;
  if (e.output.tokens > 0) p.answer++;
}

/** What the engine loses when a field is missing, in the summary's words. */
const MISSING: Record<keyof Present, string> = {
  ip: 'client IPs: no shared-subnet links',
  client: 'client fingerprints: no shared-fingerprint links',
  org: 'orgs: each key counts as its own org',
  usage: 'token usage: counts estimated with gpt-tokenizer',
  answer: 'answers: no harvest-ratio or harvest-segment evidence',
};

/** A field carried by fewer than this share of the valid lines is reported as missing. */
const MOSTLY_MISSING = 0.5;

export const MISSING_HEADING = 'Missing from most lines (evidence the engine could not use):';

/**
 * One line per kind of evidence most valid lines lacked: none when the log carried them all, or
 * when the input does not say (findings of the live engine or of `POST /admin/ingest`).
 */
export function missingEvidence(input: { lines: number; bad_lines: number; present?: Present }): string[] {
  const { present } = input;
  const events = input.lines - input.bad_lines;
  if (!present || events <= 0) return [];
  const out: string[] = [];
  for (const k of Object.keys(MISSING) as Array<keyof Present>)
    if (present[k] / events < MOSTLY_MISSING)
      out.push(
        `${MISSING[k]} (${present[k].toLocaleString('en-US')} of ${events.toLocaleString('en-US')} lines had them)`,
      );
  return out;
}
