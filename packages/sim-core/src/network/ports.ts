import type { ClusterDomain } from '../cluster/cluster-domain';

/** What the network reads of a worker node to make it a vantage host. */
export interface NodeAsHost {
  readonly name: string;
  readonly state: string;
  readonly privateIp: string;
  readonly publicIp: string | null;
  readonly subnetId: string;
  readonly securityGroupIds: readonly string[];
}

/**
 * What the network asks of the node groups: their nodes (vantage hosts) and a re-check of their
 * path after a rule changed. Declared here, below the node groups, which implement it.
 */
export interface NetworkNodegroupsPort {
  readonly all: readonly { readonly nodes: readonly NodeAsHost[] }[];
  refreshConnectivity(): void;
}

export interface NetworkPorts {
  readonly cluster: Pick<ClusterDomain, 'cluster' | 'onDeleted' | 'onEndpointAccessChanged' | 'attachSecurityGroup'>;
  readonly nodegroups: NetworkNodegroupsPort;
}
