import { hashName } from '../../engine/prng';
import type { VantageHost } from '../../network/types';
import type { ToolInvocation } from '../tool';

/** The EC2 instance metadata service's address, reachable only from an EC2 instance. */
export const IMDS_ADDRESS = '169.254.169.254';

/**
 * A few of EC2's instance metadata paths, for the bastion and the nodes: who am I, where,
 * with which security groups. The laptop is not an EC2 instance, so there is nothing there.
 * Returns undefined for a path the simulator does not model.
 */
/** The EC2 instance id of a vantage host: the node's own, or a stable one for the bastion. */
export function instanceIdOf(inv: Pick<ToolInvocation, 'ctx'>, host: VantageHost): string {
  const node = inv.ctx.domains.nodegroups.all.flatMap((g) => g.nodes).find((n) => n.name === host.name);
  if (node) return node.instanceId;
  const hex = (s: string) => hashName(s).toString(16).padStart(8, '0');
  return `i-0${hex(host.label)}${hex(`${host.label}#2`)}`;
}

export function instanceMetadata(inv: ToolInvocation, path: string): string | undefined {
  const network = inv.ctx.domains.network;
  const host = network.host(inv.from);
  if (!host || host.kind === 'laptop') return undefined;
  const instanceId = instanceIdOf(inv, host);
  const subnet = host.subnetId ? network.subnet(host.subnetId) : undefined;
  const groups = host.securityGroupIds.map((id) => network.group(id)?.name ?? id);
  const values: Record<string, string | undefined> = {
    'instance-id': instanceId,
    'local-ipv4': host.privateIp ?? undefined,
    'public-ipv4': host.publicIp ?? undefined,
    'security-groups': groups.join('\n'),
    'placement/availability-zone': subnet?.az,
    'placement/region': inv.ctx.domains.cluster.region,
    hostname: host.privateIp
      ? `ip-${host.privateIp.replace(/\./g, '-')}.${inv.ctx.domains.cluster.region}.compute.internal`
      : undefined,
  };
  const key = path.replace(/^\/latest\/meta-data\/?/, '').replace(/\/$/, '');
  if (key === '')
    return `${Object.keys(values)
      .filter((k) => values[k] !== undefined)
      .join('\n')}`;
  return values[key];
}
