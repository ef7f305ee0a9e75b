/**
 * @module upstream/mock/faults
 * Fault injection for the mock, per request by headers or globally by options:
 * `x-mock-latency-ms` (delay before headers), `x-mock-token-delay-ms` (between stream chunks),
 * `x-mock-error: <status>` (answer that status with an OpenAI-shaped error),
 * `x-mock-disconnect-after: <chunks>` (destroy the socket after that many stream chunks; a
 * non-streaming request is cut before any byte), `x-mock-no-usage: 1` (omit usage everywhere).
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface Faults {
  latencyMs: number;
  tokenDelayMs: number;
  errorStatus: number | null;
  disconnectAfter: number | null;
  noUsage: boolean;
}

export const FAULT_HEADERS = {
  latency: 'x-mock-latency-ms',
  tokenDelay: 'x-mock-token-delay-ms',
  error: 'x-mock-error',
  disconnectAfter: 'x-mock-disconnect-after',
  noUsage: 'x-mock-no-usage',
} as const;

function intHeader(headers: IncomingHttpHeaders, name: string): number | null {
  const raw = headers[name];
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (v === undefined || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : null;
}

export function faultsOf(
  headers: IncomingHttpHeaders,
  defaults: { latencyMs: number; tokenDelayMs: number },
): Faults {
  const status = intHeader(headers, FAULT_HEADERS.error);
  const noUsage = headers[FAULT_HEADERS.noUsage];
  return {
    latencyMs: intHeader(headers, FAULT_HEADERS.latency) ?? defaults.latencyMs,
    tokenDelayMs: intHeader(headers, FAULT_HEADERS.tokenDelay) ?? defaults.tokenDelayMs,
    errorStatus: status !== null && status >= 400 && status <= 599 ? status : null,
    disconnectAfter: intHeader(headers, FAULT_HEADERS.disconnectAfter),
    noUsage: noUsage === '1' || noUsage === 'true',
  };
}
