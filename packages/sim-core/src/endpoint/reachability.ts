/**
 * Who reaches the API server, by which path, and if not, why and what would fix it
 * (docs/endpoint-modes.md, AWS EKS User Guide, cluster-endpoint.html). Pure functions over an `EndpointWorld`: the live endpoint
 * domain and the what-if both call them, so what the simulation does and what the what-if
 * predicts cannot disagree.
 */
import type { Command } from '../engine/command-spec';
import { cidrContains } from '../network/cidr';
import { API_PORT, KUBELET_PORT } from '../network/facts';
import { describeRule, findAllowingRule } from '../network/rules';
import type { ConnectedNetwork, EksEni, NetworkView, SecurityGroup, Subnet, VantageHost } from '../network/types';
import { type EndpointConfig, type EndpointWorld, type Hop, modeOf, type Reachability } from './types';

export interface DnsAnswer {
  readonly name: string;
  readonly addresses: string[];
  readonly kind: 'public' | 'private';
  /** Why this answer, for people. */
  readonly why: string;
}

const groupsOf = (net: NetworkView, ids: readonly string[]): SecurityGroup[] =>
  ids.map((id) => net.securityGroups.find((g) => g.id === id)).filter((g): g is SecurityGroup => g !== undefined);

const nameOf = (net: NetworkView) => (id: string) => net.securityGroups.find((g) => g.id === id)?.name;

const subnetOf = (net: NetworkView, id: string | null): Subnet | undefined =>
  id === null ? undefined : net.subnets.find((s) => s.id === id);

function who(client: VantageHost): string {
  const ip = client.privateIp ?? client.publicIp;
  return client.label === client.name ? `${client.name} (${ip})` : `${client.name} ${client.label} (${ip})`;
}

/**
 * What the endpoint's name resolves to for `client` (AWS EKS User Guide, cluster-endpoint.html): inside the VPC with private
 * access on (and the VPC's DNS hostnames and support on), the EKS-owned ENIs' private addresses
 * from the EKS-managed private hosted zone; otherwise the NLB nodes' public addresses; with
 * private access only, the private addresses from public DNS too.
 */
export function dnsAnswer(world: EndpointWorld, config: EndpointConfig, client: VantageHost): DnsAnswer {
  const net = world.network;
  const name = world.endpointName ?? '(no cluster)';
  const inVpc = client.subnetId !== null;
  const vpcDns = net.enableDnsHostnames && net.enableDnsSupport;
  const privateIps = net.enis.map((e) => e.privateIp);
  const publicIps = world.nlbNodes.flatMap((n) => n.ips);
  if (config.endpointPrivateAccess && inVpc && vpcDns) {
    return { name, addresses: privateIps, kind: 'private', why: 'private hosted zone inside the VPC' };
  }
  if (config.endpointPublicAccess) {
    const why =
      config.endpointPrivateAccess && inVpc
        ? `public DNS: the VPC's ${net.enableDnsHostnames ? 'enableDnsSupport' : 'enableDnsHostnames'} is off, so the private hosted zone is not used`
        : 'public DNS';
    return { name, addresses: publicIps, kind: 'public', why };
  }
  return {
    name,
    addresses: privateIps,
    kind: 'private',
    why: inVpc ? 'private-only endpoint' : 'private-only endpoint: public DNS answers the private addresses too',
  };
}

function refused(
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

/** Can `client` reach the API server under `config`, hop by hop (AWS EKS User Guide, cluster-endpoint.html, docs/endpoint-modes.md). */
export function reachApiServer(world: EndpointWorld, config: EndpointConfig, client: VantageHost): Reachability {
  const _net = world.network;
  const path: Hop[] = [];
  if (world.endpointName === null) {
    path.push({
      hop: 'dns-answer',
      kind: 'client',
      ok: false,
      detail: 'there is no cluster, so the endpoint has no DNS name',
    });
    return refused(client, config, null, path, 'create the cluster first', null);
  }
  const answer = dnsAnswer(world, config, client);
  const via = answer.kind;
  if (answer.addresses.length === 0) {
    const detail =
      via === 'public'
        ? `${answer.name} has no public address: no NLB node has a healthy API server behind it`
        : `${answer.name} has no private address: the cluster has no EKS-owned ENIs`;
    path.push({ hop: 'dns-answer', kind: 'client', ok: false, detail });
    return refused(client, config, via, path, null, null);
  }
  path.push({
    hop: 'dns-answer',
    kind: 'client',
    ok: true,
    detail: `${answer.name} → ${answer.addresses.join(', ')} (${via} addresses; ${answer.why})`,
  });
  const reached =
    via === 'private' ? privatePath(world, config, client, path) : publicPath(world, config, client, path);
  if (reached) return reached;
  if (!world.apiServerServing) {
    path.push({
      hop: 'api-server',
      kind: 'api-server',
      ok: false,
      detail: 'no API server instance is healthy to answer',
    });
    return refused(client, config, via, path, null, null);
  }
  path.push({ hop: 'api-server', kind: 'api-server', ok: true, detail: 'an API server instance answers on TCP 443' });
  return {
    client: client.name,
    mode: modeOf(config),
    reachable: true,
    via,
    path,
    refusedAt: null,
    fix: null,
    fixCommand: null,
  };
}

/** Client → EKS-owned ENI in the VPC. Returns a refusal, or undefined with the hops appended. */
function privatePath(
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
    detail: `EKS-owned ENI ${eni.id} ${eni.privateIp} in ${eniSubnet?.name ?? eni.subnetId} (${eni.az}) → the control plane`,
  });
  return undefined;
}

/** Client → NLB node's public address, over the internet. */
function publicPath(
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

function egressHop(
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
function pickEni(enis: readonly EksEni[], subnet: Subnet | undefined): EksEni | undefined {
  return enis.find((e) => subnet !== undefined && e.az === subnet.az) ?? enis[0];
}

/**
 * Control plane → kubelet (exec, logs, webhooks): always through the EKS-owned ENIs, whatever
 * the endpoint mode (AWS EKS User Guide, cluster-endpoint.html, docs/endpoint-modes.md).
 */
export function reachKubelet(world: EndpointWorld, config: EndpointConfig, node: VantageHost & { ready: boolean }) {
  const net = world.network;
  const path: Hop[] = [];
  const client = `control-plane→${node.name}`;
  const base = { client, mode: modeOf(config), via: 'private' as const };
  const subnet = subnetOf(net, node.subnetId);
  const eni = pickEni(net.enis, subnet);
  const fail = (fix: string | null, fixCommand: Command | null): Reachability => ({
    ...base,
    reachable: false,
    path,
    refusedAt: (path[path.length - 1] as Hop).hop,
    fix,
    fixCommand,
  });
  if (!eni || node.privateIp === null) {
    path.push({ hop: 'eks-eni', kind: 'eni', ok: false, detail: 'the cluster has no EKS-owned ENI in the VPC' });
    return fail(null, null);
  }
  path.push({
    hop: 'eks-eni',
    kind: 'eni',
    resourceId: eni.id,
    ok: true,
    detail: `from EKS-owned ENI ${eni.id} (${eni.privateIp})`,
  });
  const local = net.routeTables
    .find((r) => r.id === subnetOf(net, eni.subnetId)?.routeTableId)
    ?.routes.find((r) => r.target === 'local' && cidrContains(r.destination, node.privateIp as string));
  if (!local) {
    path.push({
      hop: 'route-table',
      kind: 'eni',
      ok: false,
      detail: `no local route from the ENI to ${node.privateIp}`,
    });
    return fail(null, null);
  }
  path.push({
    hop: 'route-table',
    kind: 'eni',
    ok: true,
    detail: `local route ${local.destination} covers ${node.privateIp}`,
  });
  const eniGroups = groupsOf(net, eni.securityGroupIds);
  const out = findAllowingRule(eniGroups, 'egress', 'tcp', KUBELET_PORT, {
    ip: node.privateIp,
    groupIds: node.securityGroupIds,
  });
  if (!out) {
    path.push({
      hop: 'eni-sg-egress',
      kind: 'eni',
      ok: false,
      detail: `no outbound rule on the ENI allows TCP ${KUBELET_PORT}`,
    });
    return fail(null, null);
  }
  path.push({
    hop: 'eni-sg-egress',
    kind: 'eni',
    ok: true,
    detail: `${out.group.name} allows ${describeRule(out.rule, 'egress', nameOf(net))}`,
  });
  const inbound = findAllowingRule(groupsOf(net, node.securityGroupIds), 'ingress', 'tcp', KUBELET_PORT, {
    ip: eni.privateIp,
    groupIds: eni.securityGroupIds,
  });
  if (!inbound) {
    const target = groupsOf(net, node.securityGroupIds)[0];
    path.push({
      hop: 'node-sg-ingress',
      kind: 'node',
      ok: false,
      detail: `no inbound rule on ${node.name}'s security groups allows TCP ${KUBELET_PORT} from the ENI`,
    });
    return fail(
      target && net.clusterSecurityGroupId
        ? `add inbound TCP ${KUBELET_PORT} from ${net.clusterSecurityGroupId} to ${target.name}`
        : null,
      target && net.clusterSecurityGroupId
        ? {
            type: 'sg.add-rule',
            group: target.id,
            protocol: 'tcp',
            port: KUBELET_PORT,
            source: net.clusterSecurityGroupId,
          }
        : null,
    );
  }
  path.push({
    hop: 'node-sg-ingress',
    kind: 'node',
    ok: true,
    detail: `${inbound.group.name} allows ${describeRule(inbound.rule, 'ingress', nameOf(net))}`,
  });
  if (!node.ready) {
    path.push({ hop: 'kubelet', kind: 'node', ok: false, detail: `${node.name} is not Ready` });
    return fail(null, null);
  }
  path.push({ hop: 'kubelet', kind: 'node', ok: true, detail: `kubelet on ${node.name}:${KUBELET_PORT} answers` });
  return { ...base, reachable: true, path, refusedAt: null, fix: null, fixCommand: null };
}
