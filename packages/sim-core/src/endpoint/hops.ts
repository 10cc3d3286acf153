/** What every path's hops use: security groups by id, the client's name, a refusal, the egress check, the ENI to aim at. */
import type { Command } from '../engine/command-spec';
import { describeRule, findAllowingRule } from '../network/rules';
import type { EksEni, NetworkView, SecurityGroup, Subnet, VantageHost } from '../network/types';
import { type EndpointConfig, type Hop, modeOf, type Reachability } from './types';

export const groupsOf = (net: NetworkView, ids: readonly string[]): SecurityGroup[] =>
  ids.map((id) => net.securityGroups.find((g) => g.id === id)).filter((g): g is SecurityGroup => g !== undefined);

export const nameOf = (net: NetworkView) => (id: string) => net.securityGroups.find((g) => g.id === id)?.name;

export const subnetOf = (net: NetworkView, id: string | null): Subnet | undefined =>
  id === null ? undefined : net.subnets.find((s) => s.id === id);

export function who(client: VantageHost): string {
  const ip = client.privateIp ?? client.publicIp;
  return client.label === client.name ? `${client.name} (${ip})` : `${client.name} ${client.label} (${ip})`;
}

export function refused(
  client: VantageHost,
  config: EndpointConfig,
  via: Reachability['via'],
  path: Hop[],
  fix: string | null,
  fixCommand: Command | null,
): Reachability {
  const last = path[path.length - 1] as Hop;
  return {
    client: client.name,
    mode: modeOf(config),
    reachable: false,
    via,
    path,
    refusedAt: last.hop,
    fix,
    fixCommand,
  };
}

export function egressHop(
  net: NetworkView,
  client: VantageHost,
  peer: { ip: string; groupIds: readonly string[] },
  port: number,
): { hop: Hop; fix: string | null; fixCommand: Command | null } {
  if (client.subnetId === null) {
    return {
      hop: { hop: 'client-sg-egress', kind: 'client', ok: true, detail: 'outside AWS: no security group' },
      fix: null,
      fixCommand: null,
    };
  }
  const groups = groupsOf(net, client.securityGroupIds);
  const rule = findAllowingRule(groups, 'egress', 'tcp', port, peer);
  if (rule) {
    return {
      hop: {
        hop: 'client-sg-egress',
        kind: 'client',
        ok: true,
        detail: `${rule.group.name} allows ${describeRule(rule.rule, 'egress', nameOf(net))}`,
      },
      fix: null,
      fixCommand: null,
    };
  }
  const first = groups[0];
  return {
    hop: {
      hop: 'client-sg-egress',
      kind: 'client',
      ok: false,
      detail: `no outbound rule of ${groups.map((g) => g.name).join(', ') || '(no security group)'} allows TCP ${port} to ${peer.ip}`,
    },
    fix: first ? `add outbound TCP ${port} to ${peer.ip}/32 to ${first.name}` : null,
    fixCommand: first
      ? { type: 'sg.add-rule', group: first.id, direction: 'egress', protocol: 'tcp', port, source: `${peer.ip}/32` }
      : null,
  };
}

/** The ENI a client in `subnet` would use: one in its AZ if there is one (all answer alike). */
export function pickEni(enis: readonly EksEni[], subnet: Subnet | undefined): EksEni | undefined {
  return enis.find((e) => subnet !== undefined && e.az === subnet.az) ?? enis[0];
}
