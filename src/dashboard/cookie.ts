/**
 * @module dashboard/cookie
 * The two cookie operations the dashboard needs: read one cookie from a `Cookie` header, and
 * write the `Set-Cookie` header of the session cookie (RFC 6265 §4.1 syntax). Values are
 * base64url session ids, which need no encoding.
 */

export interface SetCookieOptions {
  httpOnly: boolean;
  sameSite: 'Strict' | 'Lax';
  secure: boolean;
  path: string;
  /** Seconds; 0 deletes the cookie. */
  maxAge: number;
}

/** RFC 6265 cookie-octets: what a value may hold without quoting. */
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;

/** Value of cookie `name` in a `Cookie` request header, or null. The first occurrence wins. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function serializeCookie(name: string, value: string, opts: SetCookieOptions): string {
  if (!COOKIE_VALUE.test(value)) throw new TypeError('cookie value holds characters that need encoding');
  const parts = [`${name}=${value}`, `Path=${opts.path}`, `Max-Age=${Math.max(0, Math.floor(opts.maxAge))}`];
  if (opts.maxAge <= 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  if (opts.httpOnly) parts.push('HttpOnly');
  if (opts.secure) parts.push('Secure');
  parts.push(`SameSite=${opts.sameSite}`);
  return parts.join('; ');
}
