/**
 * @module sim/net
 * Where traffic comes from: corporate egress (a few stable IPs in one /24 per org), shared cloud
 * egress ranges (many unrelated orgs behind the same NAT gateways of a big cloud), residential
 * ISPs (one address per user, scattered), hosting providers (what an attacker rents) and
 * residential proxies. Addresses are drawn from the seeded Rng; no range names a persona.
 */
import type { Rng } from './rng.js';

/** First octets typical of big clouds' egress, of ISPs, and of hosting providers. */
const CLOUD_A = [3, 13, 18, 20, 34, 35, 40, 44, 52, 54, 104, 130, 146];
const ISP_A = [24, 47, 67, 68, 71, 73, 76, 82, 86, 90, 98, 109, 176, 178, 185, 188, 201, 213, 217];
const HOSTING_A = [5, 23, 45, 51, 62, 78, 91, 95, 139, 142, 159, 167, 172, 193, 194, 207];

const octet = (rng: Rng) => rng.int(1, 254);

export function subnet24(rng: Rng, firsts: readonly number[]): string {
  return `${rng.pick(firsts)}.${rng.int(0, 255)}.${rng.int(0, 255)}`;
}

export const inSubnet = (rng: Rng, net24: string) => `${net24}.${octet(rng)}`;

/** A shared pool of cloud NAT /24s; unrelated orgs draw their egress from it. */
export class CloudPool {
  readonly nets: string[];
  constructor(rng: Rng, size = 40) {
    this.nets = Array.from({ length: size }, () => subnet24(rng, CLOUD_A));
  }
  /** A few egress IPs from one or two shared ranges. */
  egress(rng: Rng, count: number): string[] {
    const nets = rng.sample(this.nets, rng.int(1, 2));
    return Array.from({ length: count }, () => inSubnet(rng, rng.pick(nets)));
  }
}

/** A company's own egress: one or two stable IPs in its /24 (sometimes IPv6 too). */
export function corporateIps(rng: Rng): string[] {
  const net = subnet24(rng, ISP_A);
  const ips = Array.from({ length: rng.int(1, 3) }, () => inSubnet(rng, net));
  if (rng.chance(0.15)) ips.push(ipv6(rng));
  return ips;
}

/** A developer's home connection: one address that changes now and then. */
export function residentialIps(rng: Rng, count = rng.int(1, 3)): string[] {
  return Array.from({ length: count }, () => inSubnet(rng, subnet24(rng, ISP_A)));
}

/** Rented hosting: `nets` /24s of one provider, `perNet` addresses each. */
export function hostingIps(rng: Rng, nets: number, perNet: number): string[] {
  const out: string[] = [];
  for (let n = 0; n < nets; n++) {
    const net = subnet24(rng, HOSTING_A);
    for (let i = 0; i < perNet; i++) out.push(inSubnet(rng, net));
  }
  return out;
}

export function ipv6(rng: Rng): string {
  const g = () => rng.int(0, 0xffff).toString(16);
  return `2a0${rng.int(0, 9)}:${g()}:${g()}:${g()}:${g()}:${g()}:${g()}:${g()}`;
}
