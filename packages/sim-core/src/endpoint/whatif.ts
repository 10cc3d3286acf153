/**
 * "What if I make the endpoint private?" (docs/endpoint-modes.md): reachability for hypothetical endpoint
 * settings, over a copy of the world, never changing the simulation. The CLI's `whatif endpoint`
 * and the property tests call it.
 */
import type { Command } from '../engine/command-spec';
import { addressAt } from '../network/cidr';
import { API_PORT } from '../network/facts';
import { sameRule } from '../network/rules';
import type { NetworkView, SecurityGroup, SgRule, VantageHost } from '../network/types';
import { reachApiServer } from './reachability';
import {
  configOfMode,
  ENDPOINT_MODES,
  type EndpointConfig,
  type EndpointMode,
  type EndpointWorld,
  type Reachability,
} from './types';
import { checkPublicAccessCidrs } from './validation';

/** The what-if matrix's clients: the laptop, the bastion, a node in a public and in a private subnet. */
export const MATRIX_CLIENTS = ['laptop', 'bastion', 'node-public', 'node-private'] as const;

export interface WhatIfOptions {
  /** Modes to evaluate (default: all three). */
  readonly modes?: readonly EndpointMode[];
  /** publicAccessCidrs to assume (default: the cluster's). */
  readonly publicAccessCidrs?: readonly string[];
  /** Clients to let through first, each with its smallest fix (an SG rule or a publicAccessCidrs entry). */
  readonly allow?: readonly string[];
  /** Clients to report (default: MATRIX_CLIENTS). */
  readonly clients?: readonly string[];
}

export interface WhatIfRow extends Reachability {
  /** Who the client stands for (`bastion myeks-host (192.168.1.100)`, `hypothetical node in myeks-PrivateSubnet1`). */
  readonly clientDetail: string;
  /** Fixes assumed in this mode because of `allow`. */
  readonly assumed: readonly string[];
}

/** Checks what-if options as the CLI gets them; returns the first error for people, or undefined. */
export function checkWhatIfOptions(world: EndpointWorld, options: WhatIfOptions): string | undefined {
  for (const mode of options.modes ?? []) {
    if (!ENDPOINT_MODES.includes(mode)) return `unknown mode "${mode}" (one of ${ENDPOINT_MODES.join(', ')})`;
  }
  if (options.publicAccessCidrs) {
    const error = checkPublicAccessCidrs(options.publicAccessCidrs);
    if (error) return error;
  }
  for (const name of [...(options.allow ?? []), ...(options.clients ?? [])]) {
    const client = resolveClient(world, name);
    if (typeof client === 'string') return client;
  }
  return undefined;
}

/** A client of the matrix by name: `laptop`, `bastion` (or its Name tag), `node-public`, `node-private`, or a node's name. */
export function resolveClient(world: EndpointWorld, name: string): { host: VantageHost; detail: string } | string {
  const net = world.network;
  const fixed = net.hosts.find((h) => h.name === name || h.label === name);
  if (fixed) return { host: fixed, detail: describeHost(fixed, net) };
  const node = world.nodes.find((n) => n.name === name);
  if (node) return { host: node, detail: `node ${node.name}` };
  if (name === 'node-public' || name === 'node-private') {
    const kind = name === 'node-public' ? 'public' : 'private';
    const real = world.nodes.find((n) => net.subnets.find((s) => s.id === n.subnetId)?.kind === kind);
    if (real) return { host: { ...real, name }, detail: `node ${real.name} (${real.privateIp})` };
    return hypotheticalNode(world, name, kind);
  }
  const known = [...MATRIX_CLIENTS, ...net.hosts.map((h) => h.label), ...world.nodes.map((n) => n.name)];
  return `unknown client "${name}" (known: ${[...new Set(known)].join(', ')})`;
}

function describeHost(h: VantageHost, net: NetworkView): string {
  const link = net.connectedNetworks.find((c) => c.name === h.connectedNetwork);
  if (link)
    return `host ${h.privateIp} in ${link.name} ${link.cidr}, joined to the VPC by ${link.via} (${link.gatewayId})`;
  if (h.kind === 'laptop') return `laptop on the internet (${h.publicIp})`;
  return `${h.label} (${h.privateIp}${h.publicIp ? `, public ${h.publicIp}` : ''})`;
}

/** A node the node group would launch in a subnet of that kind, when the scenario has none there. */
function hypotheticalNode(
  world: EndpointWorld,
  name: string,
  kind: 'public' | 'private',
): { host: VantageHost; detail: string } | string {
  const net = world.network;
  const subnet = net.subnets.find((s) => s.kind === kind);
  if (!subnet)
    return `no ${kind} subnet in this VPC for "${name}" (subnets: ${net.subnets.map((s) => s.name).join(', ')})`;
  const template = world.nodes[0];
  const privateIp = addressAt(subnet.cidr, 250);
  return {
    host: {
      name,
      kind: 'node',
      label: `hypothetical node in ${subnet.name}`,
      privateIp,
      // 198.51.100.0/24 is a documentation range: an address EC2 would give, not a real one.
      publicIp: subnet.mapPublicIpOnLaunch ? '198.51.100.20' : null,
      subnetId: subnet.id,
      securityGroupIds: template
        ? [...template.securityGroupIds]
        : net.clusterSecurityGroupId
          ? [net.clusterSecurityGroupId]
          : [],
    },
    detail: `hypothetical node in ${subnet.name} (${privateIp}; the node groups have none there), with the node group's security groups`,
  };
}

/** Deep copy of the parts a fix can change, so a hypothetical never touches the simulation. */
function cloneWorld(world: EndpointWorld): EndpointWorld {
  const network: NetworkView = {
    ...world.network,
    securityGroups: world.network.securityGroups.map((g) => ({ ...g, ingress: [...g.ingress], egress: [...g.egress] })),
  };
  return { ...world, network };
}

/**
 * Applies a fix command to a hypothetical world and config; returns the new config, or
 * undefined if the fix is not one the what-if assumes (it never changes the mode being asked about).
 */
export function assumeFix(
  world: EndpointWorld,
  config: EndpointConfig,
  command: Command,
): { config: EndpointConfig; applied: boolean } {
  if (command.type === 'sg.add-rule') {
    const group = world.network.securityGroups.find((g) => g.id === command.group) as SecurityGroup | undefined;
    if (!group) return { config, applied: false };
    const source = String(command.source);
    const rule: SgRule = {
      protocol: 'tcp',
      fromPort: Number(command.port ?? API_PORT),
      toPort: Number(command.port ?? API_PORT),
      ...(source.includes('/') ? { cidr: source } : { groupId: source }),
      description: 'assumed by the what-if',
    };
    const rules = command.direction === 'egress' ? group.egress : group.ingress;
    if (!rules.some((r) => sameRule(r, rule))) rules.push(rule);
    return { config, applied: true };
  }
  const keys = Object.keys(command).filter((k) => k !== 'type');
  if (command.type === 'endpoint.update' && keys.length === 1 && keys[0] === 'publicAccessCidrs') {
    return { config: { ...config, publicAccessCidrs: command.publicAccessCidrs as string[] }, applied: true };
  }
  return { config, applied: false };
}

/**
 * The what-if matrix: for each mode, each client's reachability under that mode (with the
 * current or given publicAccessCidrs), after assuming the fixes for the `allow` clients.
 */
export function whatIfEndpoint(
  world: EndpointWorld,
  current: EndpointConfig,
  options: WhatIfOptions = {},
): WhatIfRow[] {
  const error = checkWhatIfOptions(world, options);
  if (error) throw new RangeError(error);
  const modes = options.modes?.length ? options.modes : ENDPOINT_MODES;
  // Hosts of connected networks (VPN, peering, …) join the matrix when the scenario has them.
  const connected = world.network.hosts.filter((h) => h.connectedNetwork !== undefined).map((h) => h.name);
  const clients = options.clients?.length ? options.clients : [...MATRIX_CLIENTS, ...connected];
  const rows: WhatIfRow[] = [];
  for (const mode of modes) {
    const hypo = cloneWorld(world);
    let config = configOfMode(mode, options.publicAccessCidrs ?? current.publicAccessCidrs);
    const assumed: string[] = [];
    for (const name of options.allow ?? []) {
      const { host } = resolveClient(hypo, name) as { host: VantageHost };
      // A client may need two fixes in a row (an SG rule, then a CIDR): stop when no fix applies.
      for (let i = 0; i < 3; i++) {
        const r = reachApiServer(hypo, config, host);
        if (r.reachable || !r.fixCommand || !r.fix) break;
        const next = assumeFix(hypo, config, r.fixCommand);
        if (!next.applied) break;
        config = next.config;
        assumed.push(`${name}: ${r.fix}`);
      }
    }
    for (const name of clients) {
      const resolved = resolveClient(hypo, name);
      if (typeof resolved === 'string') {
        // The layout has no such place (no public subnet in a private-only VPC): say so in the row.
        rows.push({
          client: name,
          mode,
          reachable: false,
          via: null,
          path: [{ hop: 'placement', kind: 'client', ok: false, detail: resolved }],
          refusedAt: 'placement',
          fix: null,
          fixCommand: null,
          clientDetail: resolved,
          assumed: [...assumed],
        });
        continue;
      }
      rows.push({
        ...reachApiServer(hypo, config, resolved.host),
        client: name,
        clientDetail: resolved.detail,
        assumed: [...assumed],
      });
    }
  }
  return rows;
}
