import type { Command } from '../engine/command-spec';
import type { NetworkView, VantageHost } from '../network/types';

export type EndpointMode = 'public' | 'public-private' | 'private';

export const ENDPOINT_MODES: readonly EndpointMode[] = ['public', 'public-private', 'private'];

/** The endpoint settings of DescribeCluster's `resourcesVpcConfig` (AWS EKS User Guide, cluster-endpoint.html). */
export interface EndpointConfig {
  readonly endpointPublicAccess: boolean;
  readonly endpointPrivateAccess: boolean;
  readonly publicAccessCidrs: readonly string[];
}

/** Hop names, in path order (DNS answer → route → SG egress → CIDR check or cluster SG → NLB or ENI → API server). */
export type HopName =
  | 'placement'
  | 'dns-answer'
  | 'route-table'
  | 'client-sg-egress'
  | 'public-access-cidrs'
  | 'cluster-sg-ingress'
  | 'nlb-node'
  | 'eks-eni'
  | 'api-server'
  | 'eni-sg-egress'
  | 'node-sg-ingress'
  | 'kubelet';

/**
 * Where a hop happens, for readers that place it without parsing its sentence: the client's
 * side (its DNS answer, route table and security group), the endpoint's public front door
 * (the NLB and its CIDR check), an EKS-owned ENI (and the cluster security group on it), the
 * API server, or a node (the kubelet path's far end).
 */
export type HopKind = 'client' | 'nlb' | 'eni' | 'api-server' | 'node';

/** One step of a request's path. */
export interface Hop {
  readonly hop: HopName;
  readonly kind: HopKind;
  /** The NLB node or EKS-owned ENI the hop passes through, on the hops that name one. */
  readonly resourceId?: string;
  readonly ok: boolean;
  /** The step in words, for people. */
  readonly detail: string;
}

export interface Reachability {
  readonly client: string;
  readonly mode: EndpointMode;
  readonly reachable: boolean;
  /** Which side of the endpoint the client's DNS answer sends it to. */
  readonly via: 'public' | 'private' | null;
  readonly path: readonly Hop[];
  /** Name of the first hop that refused, or null. */
  readonly refusedAt: HopName | null;
  /** The smallest change that would let the client through, or null. */
  readonly fix: string | null;
  /** That change as a command (`sg.add-rule`, `endpoint.update`), when one command does it. */
  readonly fixCommand: Command | null;
}

/** A control plane → kubelet verdict (exec, logs, webhooks), with the node it goes to. */
export interface KubeletReachability extends Reachability {
  /** The node's name (its EC2 private DNS name), as kubectl and the vantage list name it. */
  readonly node: string;
}

/** Everything reachability depends on, as plain data: the what-if evaluates hypotheticals over a copy. */
export interface EndpointWorld {
  readonly network: NetworkView;
  /** The endpoint's DNS name (`<ID>.gr7.<region>.eks.amazonaws.com`), or null without a cluster. */
  readonly endpointName: string | null;
  /** NLB nodes in the public DNS answer (one per AZ with a healthy target). */
  readonly nlbNodes: readonly { id: string; az: string; ips: string[] }[];
  /** Whether an API server can answer a read now. */
  readonly apiServerServing: boolean;
  /** Nodes of the cluster as vantage hosts, with their kubelet state. */
  readonly nodes: readonly (VantageHost & { ready: boolean })[];
}

export function modeOf(config: Pick<EndpointConfig, 'endpointPublicAccess' | 'endpointPrivateAccess'>): EndpointMode {
  if (config.endpointPublicAccess && config.endpointPrivateAccess) return 'public-private';
  return config.endpointPublicAccess ? 'public' : 'private';
}

export function configOfMode(mode: EndpointMode, publicAccessCidrs: readonly string[]): EndpointConfig {
  return {
    endpointPublicAccess: mode !== 'private',
    endpointPrivateAccess: mode !== 'public',
    publicAccessCidrs,
  };
}
