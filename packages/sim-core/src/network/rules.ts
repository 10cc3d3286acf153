import type { Command } from '../engine/command-spec';
import { cidrContains, isCidr } from './cidr';
import type { SecurityGroup, SgProtocol, SgRule } from './types';

export type Direction = 'ingress' | 'egress';

/** Whether two rules are the same permission (EC2 refuses duplicates and revokes by equality). */
export function sameRule(a: SgRule, b: SgRule): boolean {
  return (
    a.protocol === b.protocol &&
    a.fromPort === b.fromPort &&
    a.toPort === b.toPort &&
    (a.cidr ?? null) === (b.cidr ?? null) &&
    (a.groupId ?? null) === (b.groupId ?? null)
  );
}

/** Whether `rule` lets TCP traffic on `port` through from/to a peer with this address and these groups. */
export function ruleAllows(
  rule: SgRule,
  protocol: 'tcp' | 'udp',
  port: number,
  peer: { ip: string | null; groupIds: readonly string[] },
): boolean {
  if (rule.protocol !== '-1' && rule.protocol !== protocol) return false;
  if (rule.protocol !== '-1' && (port < rule.fromPort || port > rule.toPort)) return false;
  if (rule.groupId !== undefined) return peer.groupIds.includes(rule.groupId);
  if (rule.cidr !== undefined) return peer.ip !== null && cidrContains(rule.cidr, peer.ip);
  return false;
}

/** The first rule of any of `groups` that allows the traffic, in the given direction. */
export function findAllowingRule(
  groups: readonly SecurityGroup[],
  direction: Direction,
  protocol: 'tcp' | 'udp',
  port: number,
  peer: { ip: string | null; groupIds: readonly string[] },
): { group: SecurityGroup; rule: SgRule } | undefined {
  for (const group of groups) {
    for (const rule of direction === 'ingress' ? group.ingress : group.egress) {
      if (ruleAllows(rule, protocol, port, peer)) return { group, rule };
    }
  }
  return undefined;
}

/** `TCP 443 from sg-0… (myeks-EKSEC2SG)`, `all traffic to 0.0.0.0/0`: how the console lists a rule. */
export function describeRule(rule: SgRule, direction: Direction, nameOf: (id: string) => string | undefined): string {
  const what =
    rule.protocol === '-1'
      ? 'all traffic'
      : `${rule.protocol.toUpperCase()} ${rule.fromPort === rule.toPort ? rule.fromPort : `${rule.fromPort}-${rule.toPort}`}`;
  const peer = rule.groupId
    ? `${rule.groupId}${nameOf(rule.groupId) ? ` (${nameOf(rule.groupId)})` : ''}`
    : (rule.cidr ?? '?');
  return `${what} ${direction === 'ingress' ? 'from' : 'to'} ${peer}`;
}

/**
 * Reads an `sg.add-rule` / `sg.remove-rule` command into a rule. `resolveGroup` turns a
 * security-group reference into its id. Returns an error text naming the wrong field.
 */
export function parseRuleCommand(
  c: Command,
  resolveGroup: (ref: string) => string | undefined,
): { direction: Direction; rule: SgRule } | string {
  const direction = (c.direction as Direction | undefined) ?? 'ingress';
  const rawProtocol = (c.protocol as string | undefined) ?? 'tcp';
  const protocol: SgProtocol = rawProtocol === 'all' ? '-1' : (rawProtocol as SgProtocol);
  let fromPort: number;
  let toPort: number;
  if (protocol === '-1') {
    if (c.port !== undefined || c.fromPort !== undefined || c.toPort !== undefined) {
      return 'protocol "all" covers every port; leave out port, fromPort and toPort';
    }
    fromPort = 0;
    toPort = 65535;
  } else if (c.port !== undefined) {
    if (c.fromPort !== undefined || c.toPort !== undefined)
      return 'give either "port" or "fromPort" and "toPort", not both';
    fromPort = c.port as number;
    toPort = c.port as number;
  } else if (c.fromPort !== undefined && c.toPort !== undefined) {
    fromPort = c.fromPort as number;
    toPort = c.toPort as number;
    if (fromPort > toPort) return `fromPort ${fromPort} is above toPort ${toPort}`;
  } else {
    return `protocol ${protocol} needs "port" (e.g. 443) or both "fromPort" and "toPort"`;
  }
  const source = String(c.source);
  const description = typeof c.description === 'string' ? { description: c.description } : {};
  if (/^[0-9.]+\/\d+$/.test(source) || source.includes(':')) {
    if (!isCidr(source)) return `CIDR block ${source} is malformed`;
    return { direction, rule: { protocol, fromPort, toPort, cidr: source, ...description } };
  }
  const groupId = resolveGroup(source);
  if (!groupId) {
    return `source "${source}" is neither a CIDR (203.0.113.7/32) nor a security group id or name in this VPC`;
  }
  return { direction, rule: { protocol, fromPort, toPort, groupId, ...description } };
}
