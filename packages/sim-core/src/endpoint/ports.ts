import type { ClusterDomain } from '../cluster/cluster-domain';
import type { ControlPlaneDomain } from '../control-plane/control-plane-domain';
import type { NetworkDomain } from '../network/network-domain';
import type { NodegroupsDomain } from '../nodegroups/nodegroups-domain';

/** What reachability reads of the world, the cluster update an endpoint change is, and its completion. */
export interface EndpointPorts {
  readonly cluster: Pick<ClusterDomain, 'cluster' | 'startUpdate' | 'onEndpointAccessChanged'>;
  readonly network: Pick<NetworkDomain, 'host' | 'hosts' | 'view'>;
  readonly nodegroups: Pick<NodegroupsDomain, 'nodes'>;
  readonly controlPlane: Pick<ControlPlaneDomain, 'nlbNodesInDns' | 'canServe'>;
}
