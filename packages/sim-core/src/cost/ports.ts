import type { ClusterDomain } from '../cluster/cluster-domain';
import type { NodegroupsDomain } from '../nodegroups/nodegroups-domain';

/** What the bill reads: the cluster, its region and the node groups' instances. */
export interface CostPorts {
  readonly cluster: Pick<ClusterDomain, 'cluster' | 'region'>;
  readonly nodegroups: Pick<NodegroupsDomain, 'all'>;
}
