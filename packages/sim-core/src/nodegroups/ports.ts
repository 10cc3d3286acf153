import type { ClusterDomain } from '../cluster/cluster-domain';
import type { NetworkDomain } from '../network/network-domain';

/**
 * Whether a node reaches the API server, and if not where it is refused. Declared here, below
 * the endpoint domain, which implements it.
 */
export interface NodegroupsEndpointPort {
  reach(client: string): {
    readonly reachable: boolean;
    readonly refusedAt: string | null;
    readonly fix: string | null;
  };
}

export interface NodegroupsPorts {
  readonly cluster: Pick<ClusterDomain, 'cluster' | 'onEndpointAccessChanged'>;
  readonly network: Pick<
    NetworkDomain,
    'subnetsOfKind' | 'view' | 'nodeSecurityGroupIds' | 'allocatePrivateIp' | 'allocatePublicIp' | 'releasePrivateIp'
  >;
  readonly endpoint: NodegroupsEndpointPort;
}
