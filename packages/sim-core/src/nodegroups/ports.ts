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

/**
 * How long a node of a rolling upgrade takes to drain, and its replacement to boot. Drawn by the
 * versions domain, which implements it, from its random stream at the moment each is decided, so
 * runs keep the event logs they had when the upgrade lived there.
 */
export interface NodegroupsUpgradeTimingPort {
  nodeDrainMs(): number;
  nodeReplaceMs(): number;
}

export interface NodegroupsPorts {
  readonly cluster: Pick<ClusterDomain, 'cluster' | 'onEndpointAccessChanged'>;
  readonly network: Pick<
    NetworkDomain,
    'subnetsOfKind' | 'view' | 'nodeSecurityGroupIds' | 'allocatePrivateIp' | 'allocatePublicIp' | 'releasePrivateIp'
  >;
  readonly endpoint: NodegroupsEndpointPort;
  readonly versions: NodegroupsUpgradeTimingPort;
}
