import type { ClusterDomain } from '../cluster/cluster-domain';
import type { NodegroupsDomain } from '../nodegroups/nodegroups-domain';

/** What the control plane hears of the cluster's life and reads of the data plane (kubelet load). */
export interface ControlPlanePorts {
  readonly cluster: Pick<ClusterDomain, 'onCreated' | 'onActive' | 'onDeleted'>;
  readonly nodegroups: Pick<NodegroupsDomain, 'all'>;
}
