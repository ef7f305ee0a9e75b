/**
 * @module gateway/client-ip
 * The client's IP address. The socket peer is the truth; `X-Forwarded-For` is believed only when
 * that peer is a configured trusted proxy (CIDR list, IPv4 and IPv6), and then we walk the list
 * from the right, skipping trusted hops, and take the first untrusted one: the left-most
 * entries are whatever the client chose to write (RFC 7239 §7.4 warns the header is forgeable).
 */
import { BlockList, isIP } from 'node:net';

/** Loopback only: the default when no proxy list is configured. */
export const DEFAULT_TRUSTED_PROXIES = ['127.0.0.0/8', '::1/128'];

const V4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** `::ffff:10.0.0.1` → `10.0.0.1`; strips `[]` and a `%zone`; null when not an IP. */
export function normalizeIp(raw: string | undefined | null): string | null {
  if (!raw) return null;
  let ip = raw.trim();
  if (ip.startsWith('[')) ip = ip.slice(1, ip.indexOf(']') > 0 ? ip.indexOf(']') : undefined);
  const zone = ip.indexOf('%');
  if (zone > 0) ip = ip.slice(0, zone);
  const mapped = V4_MAPPED.exec(ip);
  if (mapped?.[1]) ip = mapped[1];
  return isIP(ip) === 0 ? null : ip;
}

export class TrustedProxies {
  private readonly list = new BlockList();
  readonly empty: boolean;

  /** `cidrs`: addresses or CIDR blocks (`10.0.0.0/8`, `fd00::/8`, `192.168.1.7`). Throws on a bad entry. */
  constructor(cidrs: readonly string[]) {
    for (const entry of cidrs) {
      const [addr = '', prefix] = entry.trim().split('/');
      const ip = normalizeIp(addr);
      if (ip === null) throw new Error(`trusted_proxies: not an IP or CIDR: ${entry}`);
      const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
      const bits = prefix === undefined ? (family === 'ipv6' ? 128 : 32) : Number(prefix);
      if (!Number.isInteger(bits) || bits < 0 || bits > (family === 'ipv6' ? 128 : 32))
        throw new Error(`trusted_proxies: bad prefix length in ${entry}`);
      this.list.addSubnet(ip, bits, family);
    }
    this.empty = cidrs.length === 0;
  }

  has(ip: string): boolean {
    if (this.empty) return false;
    return this.list.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
  }
}

/**
 * The client address for a request whose socket peer is `peer` and whose X-Forwarded-For header
 * is `xff` (possibly repeated). Returns the peer unless it is trusted and the header names an
 * untrusted hop.
 */
export function clientIp(
  peer: string | undefined,
  xff: string | string[] | undefined,
  trusted: TrustedProxies,
): string | null {
  const socketIp = normalizeIp(peer);
  if (socketIp === null || xff === undefined || !trusted.has(socketIp)) return socketIp;
  const hops = (Array.isArray(xff) ? xff.join(',') : xff).split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeIp(hops[i]);
    if (hop === null) return socketIp;
    if (!trusted.has(hop)) return hop;
  }
  // Every hop is a trusted proxy: the left-most one is the closest we know to the client.
  return normalizeIp(hops[0]) ?? socketIp;
}
