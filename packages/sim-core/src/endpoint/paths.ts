/**
 * The three ways to the API server, hop by hop: through an EKS-owned ENI from inside the VPC,
 * from a network joined to it (VPN, peering, Direct Connect, Transit Gateway), or over the
 * internet to an NLB node (AWS EKS User Guide, cluster-endpoint.html; docs/endpoint-modes.md).
 * Each returns a refusal, or undefined with its hops appended.
 */
import type { Command } from '../engine/command-spec';
import { cidrContains } from '../network/cidr';
import { API_PORT } from '../network/facts';
import { describeRule, findAllowingRule } from '../network/rules';
import type { ConnectedNetwork, EksEni, NetworkView, VantageHost } from '../network/types';
import { egressHop, groupsOf, nameOf, pickEni, refused, subnetOf, who } from './hops';
import type { EndpointConfig, EndpointWorld, Hop, Reachability } from './types';

/** Client → EKS-owned ENI in the VPC. Returns a refusal, or undefined with the hops appended. */
export function privatePath(
  world: EndpointWorld,
  config: EndpointConfig,
  client: VantageHost,
  path: Hop[],
): Reachability | undefined {
  const net = world.network;
  const subnet = subnetOf(net, client.subnetId);
  const eni = pickEni(net.enis, subnet) as EksEni;
  const link = subnet ? undefined : connectedLink(net, client);
  if (link && client.privateIp !== null) return connectedPath(world, config, client, link, eni, path);
  if (!subnet || client.privateIp === null) {
    path.push({
      hop: 'route-table',
      kind: 'client',
      ok: false,
      detail: `${eni.privateIp} is a private address inside ${net.vpcId}; from the internet there is no route to it (no VPN, peering, Direct Connect or Transit Gateway into the VPC)`,
    });
    const fixCommand: Command | null = client.publicIp
      ? { type: 'endpoint.update', public: true, publicAccessCidrs: [`${client.publicIp}/32`] }
      : null;
    const fix = client.publicIp
      ? `run kubectl from inside the VPC (the bastion), or turn public access back on with ${client.publicIp}/32 in publicAccessCidrs`
      : 'run kubectl from inside the VPC';
    return refused(client, config, 'private', path, fix, fixCommand);
  }
  const rt = net.routeTables.find((r) => r.id === subnet.routeTableId);
  const local = rt?.routes.find((r) => r.target === 'local' && cidrContains(r.destination, eni.privateIp));
  if (!local) {
    path.push({
      hop: 'route-table',
      kind: 'client',
      ok: false,
      detail: `${subnet.name}'s route table has no local route to ${eni.privateIp}`,
    });
    return refused(client, config, 'private', path, null, null);
  }
  path.push({
    hop: 'route-table',
    kind: 'client',
    ok: true,
    detail: `${subnet.name} → ${rt?.id}: local route ${local.destination} covers ${eni.privateIp}`,
  });
  const eniGroups = groupsOf(net, eni.securityGroupIds);
  const egress = egressHop(net, client, { ip: eni.privateIp, groupIds: eni.securityGroupIds }, API_PORT);
  path.push(egress.hop);
  if (!egress.hop.ok) return refused(client, config, 'private', path, egress.fix, egress.fixCommand);

  const ingress = findAllowingRule(eniGroups, 'ingress', 'tcp', API_PORT, {
    ip: client.privateIp,
    groupIds: client.securityGroupIds,
  });
  const clusterSg = eniGroups.find((g) => g.id === net.clusterSecurityGroupId) ?? eniGroups[0];
  if (!ingress) {
    const clientGroup = groupsOf(net, client.securityGroupIds)[0];
    const source = clientGroup ? `${clientGroup.id} (${client.label})` : `${client.privateIp}/32`;
    path.push({
      hop: 'cluster-sg-ingress',
      kind: 'eni',
      ok: false,
      detail: `the EKS-owned ENI ${eni.id} (${eni.privateIp}) carries ${eniGroups.map((g) => g.name).join(' and ')}; no inbound rule allows TCP 443 from ${who(client)} or its security group ${clientGroup?.name ?? '(none)'}`,
    });
    return refused(
      client,
      config,
      'private',
      path,
      `add inbound TCP 443 from ${source} to ${clusterSg?.name ?? 'the cluster security group'}`,
      clusterSg
        ? {
            type: 'sg.add-rule',
            group: clusterSg.id,
            protocol: 'tcp',
            port: API_PORT,
            source: clientGroup ? clientGroup.id : `${client.privateIp}/32`,
          }
        : null,
    );
  }
  return pushEniHops(path, net, ingress, eni);
}

/** The last two hops of every private path: the cluster SG lets the client in, the EKS-owned ENI takes it. */
function pushEniHops(
  path: Hop[],
  net: NetworkView,
  ingress: NonNullable<ReturnType<typeof findAllowingRule>>,
  eni: EksEni,
): undefined {
  path.push({
    hop: 'cluster-sg-ingress',
    kind: 'eni',
    ok: true,
    detail: `${ingress.group.name} allows ${describeRule(ingress.rule, 'ingress', nameOf(net))}`,
  });
  path.push({
    hop: 'eks-eni',
    kind: 'eni',
    resourceId: eni.id,
    ok: true,
    detail: `EKS-owned ENI ${eni.id} ${eni.privateIp} in ${subnetOf(net, eni.subnetId)?.name ?? eni.subnetId} (${eni.az}) → the control plane`,
  });
  return undefined;
}

function connectedLink(net: NetworkView, client: VantageHost): ConnectedNetwork | undefined {
  if (client.privateIp === null) return undefined;
  return net.connectedNetworks.find((c) => cidrContains(c.cidr, client.privateIp as string));
}

/** Client in a network joined to the VPC (VPN, peering, Direct Connect, Transit Gateway) → EKS-owned ENI. */
function connectedPath(
  world: EndpointWorld,
  config: EndpointConfig,
  client: VantageHost,
  link: ConnectedNetwork,
  eni: EksEni,
  path: Hop[],
): Reachability | undefined {
  const net = world.network;
  const eniSubnet = subnetOf(net, eni.subnetId);
  const back = net.routeTables
    .find((r) => r.id === eniSubnet?.routeTableId)
    ?.routes.find((r) => r.destination === link.cidr);
  if (!back) {
    path.push({
      hop: 'route-table',
      kind: 'client',
      ok: false,
      detail: `${eniSubnet?.name ?? eni.subnetId}'s route table has no route back to ${link.cidr} (${link.name})`,
    });
    return refused(client, config, 'private', path, `add a route to ${link.cidr} via ${link.gatewayId}`, null);
  }
  path.push({
    hop: 'route-table',
    kind: 'client',
    ok: true,
    detail: `${link.name} ${link.cidr} → ${link.via} ${link.gatewayId} → ${net.vpcId}; the VPC routes ${link.cidr} back through ${back.target}`,
  });
  path.push({
    hop: 'client-sg-egress',
    kind: 'client',
    ok: true,
    detail: `${link.name} is outside AWS: no security group`,
  });
  const eniGroups = groupsOf(net, eni.securityGroupIds);
  const ingress = findAllowingRule(eniGroups, 'ingress', 'tcp', API_PORT, { ip: client.privateIp, groupIds: [] });
  const clusterSg = eniGroups.find((g) => g.id === net.clusterSecurityGroupId) ?? eniGroups[0];
  if (!ingress) {
    path.push({
      hop: 'cluster-sg-ingress',
      kind: 'eni',
      ok: false,
      detail: `the EKS-owned ENI ${eni.id} (${eni.privateIp}) carries ${eniGroups.map((g) => g.name).join(' and ')}; no inbound rule allows TCP 443 from ${who(client)}`,
    });
    // eksctl's vpc.extraCIDRs adds exactly this for networks outside the VPC (eksctl.io (Cluster Access)).
    return refused(
      client,
      config,
      'private',
      path,
      `add inbound TCP 443 from ${link.cidr} (${link.name}) to ${clusterSg?.name ?? 'the cluster security group'}`,
      clusterSg
        ? { type: 'sg.add-rule', group: clusterSg.id, protocol: 'tcp', port: API_PORT, source: link.cidr }
        : null,
    );
  }
  return pushEniHops(path, net, ingress, eni);
}

/** Client → NLB node's public address, over the internet. */
export function publicPath(
  world: EndpointWorld,
  config: EndpointConfig,
  client: VantageHost,
  path: Hop[],
): Reachability | undefined {
  const net = world.network;
  const nlb = world.nlbNodes.find((n) => n.ips.length > 0) as EndpointWorld['nlbNodes'][number];
  const target = nlb.ips[0] as string;
  let sourceIp: string;
  const subnet = subnetOf(net, client.subnetId);
  if (!subnet) {
    if (client.publicIp === null) {
      path.push({
        hop: 'route-table',
        kind: 'client',
        ok: false,
        detail: `${client.name} has no address on the internet`,
      });
      return refused(client, config, 'public', path, null, null);
    }
    sourceIp = client.publicIp;
    path.push({
      hop: 'route-table',
      kind: 'client',
      ok: true,
      detail: `over the internet from ${client.publicIp} to ${target}`,
    });
  } else {
    const rt = net.routeTables.find((r) => r.id === subnet.routeTableId);
    const exit = rt?.routes.find((r) => r.destination === '0.0.0.0/0');
    const nat = exit ? net.natGateways.find((n) => n.id === exit.target) : undefined;
    if (!exit) {
      path.push({
        hop: 'route-table',
        kind: 'client',
        ok: false,
        detail: `${subnet.name}'s route table ${rt?.id} has no route to 0.0.0.0/0 (no internet gateway, no NAT gateway): traffic to the public endpoint ${target} cannot leave the VPC`,
      });
      const fixPrivate = !config.endpointPrivateAccess;
      return refused(
        client,
        config,
        'public',
        path,
        fixPrivate
          ? `enable private endpoint access so ${client.label} reaches the API server through the EKS-owned ENIs inside the VPC (or add a NAT gateway route to ${rt?.id})`
          : `turn on the VPC's enableDnsHostnames and enableDnsSupport so the private hosted zone answers (or add a NAT gateway route to ${rt?.id})`,
        fixPrivate ? { type: 'endpoint.update', private: true } : null,
      );
    }
    if (nat) {
      sourceIp = nat.publicIp;
      path.push({
        hop: 'route-table',
        kind: 'client',
        ok: true,
        detail: `${subnet.name} → ${rt?.id}: 0.0.0.0/0 via ${nat.id}; leaves the VPC as ${nat.publicIp}`,
      });
    } else if (client.publicIp === null) {
      path.push({
        hop: 'route-table',
        kind: 'client',
        ok: false,
        detail: `${subnet.name} routes 0.0.0.0/0 to ${exit.target}, but ${client.label} has no public IP, so its traffic cannot use the internet gateway`,
      });
      return refused(
        client,
        config,
        'public',
        path,
        'give the instance a public IP or route through a NAT gateway',
        null,
      );
    } else {
      sourceIp = client.publicIp;
      path.push({
        hop: 'route-table',
        kind: 'client',
        ok: true,
        detail: `${subnet.name} → ${rt?.id}: 0.0.0.0/0 via ${exit.target}; leaves the VPC as ${client.publicIp}`,
      });
    }
  }
  const egress = egressHop(net, client, { ip: target, groupIds: [] }, API_PORT);
  path.push(egress.hop);
  if (!egress.hop.ok) return refused(client, config, 'public', path, egress.fix, egress.fixCommand);

  const allowedBy = config.publicAccessCidrs.find((c) => cidrContains(c, sourceIp));
  if (!allowedBy) {
    path.push({
      hop: 'public-access-cidrs',
      kind: 'nlb',
      ok: false,
      detail: `${sourceIp} is in none of publicAccessCidrs [${config.publicAccessCidrs.join(', ')}]`,
    });
    return refused(client, config, 'public', path, `add ${sourceIp}/32 to publicAccessCidrs`, {
      type: 'endpoint.update',
      publicAccessCidrs: [...config.publicAccessCidrs, `${sourceIp}/32`],
    });
  }
  path.push({ hop: 'public-access-cidrs', kind: 'nlb', ok: true, detail: `${sourceIp} is in ${allowedBy}` });
  path.push({
    hop: 'nlb-node',
    kind: 'nlb',
    resourceId: nlb.id,
    ok: true,
    detail: `NLB node ${nlb.id} (${nlb.az}) at ${target} → an API server`,
  });
  return undefined;
}
