import type { ClusterDomain } from '../cluster/cluster-domain';
import type { NodegroupsDomain } from '../nodegroups/nodegroups-domain';

/** What the control plane hears of the cluster's life, reads of the data plane (kubelet load) and tells it. */
export interface ControlPlanePorts {
  readonly cluster: Pick<ClusterDomain, 'onCreated' | 'onActive' | 'onDeleted'>;
  /** The nodes of an AZ that goes down or is cut off lose the API server with it. */
  readonly nodegroups: Pick<NodegroupsDomain, 'all' | 'zoneReach'>;
}
