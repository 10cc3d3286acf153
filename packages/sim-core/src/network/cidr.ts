/**
 * IPv4 addresses and CIDR blocks as security groups, route tables and `publicAccessCidrs` use
 * them. IPv6 blocks are recognised (eksctl's SSH rule opens `::/0`) but never match: every
 * address in the simulation is IPv4, like the seed's cluster.
 */

/** `192.168.1.10` → 32-bit unsigned number; undefined if not a dotted quad. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

export interface Ipv4Block {
  readonly base: number;
  readonly prefix: number;
}

/** `10.0.0.0/8` → its first address and prefix length; undefined if malformed. */
export function parseIpv4Cidr(text: string): Ipv4Block | undefined {
  const match = /^([0-9.]+)\/(\d{1,2})$/.exec(text);
  if (!match) return undefined;
  const ip = parseIpv4(match[1] as string);
  const prefix = Number(match[2]);
  if (ip === undefined || prefix > 32) return undefined;
  return { base: prefix === 0 ? 0 : (ip & maskOf(prefix)) >>> 0, prefix };
}

const IPV6_CIDR = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*\/(\d{1,3})$/;

export function isIpv6Cidr(text: string): boolean {
  const m = IPV6_CIDR.exec(text);
  return m !== null && Number(m[1]) <= 128;
}

/** A CIDR a security-group rule accepts: IPv4 or IPv6. */
export function isCidr(text: string): boolean {
  return parseIpv4Cidr(text) !== undefined || isIpv6Cidr(text);
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Whether the IPv4 address `ip` lies in `cidr` (false for IPv6 blocks and bad input). */
export function cidrContains(cidr: string, ip: string): boolean {
  const block = parseIpv4Cidr(cidr);
  const addr = parseIpv4(ip);
  if (!block || addr === undefined) return false;
  return (addr & maskOf(block.prefix)) >>> 0 === block.base;
}

/** The n-th address of a block (`192.168.1.0/24`, 100 → `192.168.1.100`). */
export function addressAt(cidr: string, n: number): string {
  const block = parseIpv4Cidr(cidr);
  if (!block) throw new RangeError(`not an IPv4 CIDR: ${cidr}`);
  return formatIpv4((block.base + n) >>> 0);
}

export function blockSize(cidr: string): number {
  const block = parseIpv4Cidr(cidr);
  if (!block) throw new RangeError(`not an IPv4 CIDR: ${cidr}`);
  return 2 ** (32 - block.prefix);
}

/** RFC 1918 private ranges: such an address is not routable on the internet. */
export function isPrivateIpv4(ip: string): boolean {
  return ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].some((cidr) => cidrContains(cidr, ip));
}
