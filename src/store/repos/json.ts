/**
 * @module store/repos/json
 * JSON-in-text columns: encode on write, decode defensively on read.
 */

export const toJson = (value: unknown): string => JSON.stringify(value ?? null);

export function fromJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** bigint columns come back as strings from some drivers (pg); normalise to numbers. */
export const num = (v: number | string | bigint | null | undefined): number =>
  v === null || v === undefined ? 0 : Number(v);
export const numOrNull = (v: number | string | bigint | null | undefined): number | null =>
  v === null || v === undefined ? null : Number(v);
