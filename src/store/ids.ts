/**
 * @module store/ids
 * Random identifiers: `<prefix>_<base62>` ids for rows and unbiased base62 strings for secrets.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Largest multiple of 62 below 256: bytes at or above it are rejected so every char is equally likely. */
const REJECT_FROM = 248;

/** `length` characters drawn uniformly from [0-9A-Za-z] using crypto.randomBytes. */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= REJECT_FROM) continue;
      out += ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** A new row id such as `key_5hQ2x…` (16 random base62 characters, ~95 bits). */
export function newId(prefix: string): string {
  return `${prefix}_${randomBase62(16)}`;
}

let lastMs = 0;
let seq = 0;

/**
 * A new id that sorts by creation time within this process (`aud_<ms36><seq36><random>`),
 * used where rows created in the same millisecond must keep their order (audit, decisions).
 */
export function sortableId(prefix: string, now = Date.now()): string {
  if (now === lastMs) seq += 1;
  else {
    lastMs = now;
    seq = 0;
  }
  return `${prefix}_${now.toString(36).padStart(9, '0')}${seq.toString(36).padStart(4, '0')}${randomBase62(8)}`;
}
