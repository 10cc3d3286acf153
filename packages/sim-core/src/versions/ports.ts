import type { ClusterDomain } from '../cluster/cluster-domain';
import type { NodegroupsDomain } from '../nodegroups/nodegroups-domain';

/** What the versions domain asks of the others: the cluster's record and updates, the node groups. */
export interface VersionsPorts {
  readonly cluster: Pick<ClusterDomain, 'cluster' | 'onCreated' | 'onDeleted' | 'startUpdate' | 'onUpdateSuccessful'>;
  /** Their records, and a rolling upgrade this domain has checked against the cluster. */
  readonly nodegroups: Pick<NodegroupsDomain, 'all' | 'startUpgrade' | 'upgrades' | 'onUpgradeProgress'>;
}
