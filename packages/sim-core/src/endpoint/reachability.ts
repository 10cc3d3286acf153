/**
 * Who reaches the API server, by which path, and if not, why and what would fix it
 * (docs/endpoint-modes.md, AWS EKS User Guide, cluster-endpoint.html). Pure functions over an `EndpointWorld`: the live endpoint
 * domain and the what-if both call them, so what the simulation does and what the what-if
 * predicts cannot disagree.
 */
import type { Command } from '../engine/command-spec';
import { cidrContains } from '../network/cidr';
import { KUBELET_PORT } from '../network/facts';
import { describeRule, findAllowingRule } from '../network/rules';
import type { VantageHost } from '../network/types';
import { groupsOf, nameOf, pickEni, refused, subnetOf } from './hops';
import { privatePath, publicPath } from './paths';
import {
  type EndpointConfig,
  type EndpointWorld,
  type Hop,
  type KubeletReachability,
  modeOf,
  type Reachability,
} from './types';

export interface DnsAnswer {
  readonly name: string;
  readonly addresses: string[];
  readonly kind: 'public' | 'private';
  /** Why this answer, for people. */
  readonly why: string;
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

/**
 * Control plane → kubelet (exec, logs, webhooks): always through the EKS-owned ENIs, whatever
 * the endpoint mode (AWS EKS User Guide, cluster-endpoint.html, docs/endpoint-modes.md).
 */
export function reachKubelet(
  world: EndpointWorld,
  config: EndpointConfig,
  node: VantageHost & { ready: boolean },
): KubeletReachability {
  const net = world.network;
  const path: Hop[] = [];
  const client = `control-plane→${node.name}`;
  const base = { client, node: node.name, mode: modeOf(config), via: 'private' as const };
  const subnet = subnetOf(net, node.subnetId);
  const eni = pickEni(net.enis, subnet);
  const fail = (fix: string | null, fixCommand: Command | null): KubeletReachability => ({
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
