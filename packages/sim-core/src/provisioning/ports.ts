import type { ClusterDomain } from '../cluster/cluster-domain';
import type { NetworkDomain } from '../network/network-domain';
import type { NodegroupsDomain } from '../nodegroups/nodegroups-domain';

/** The VPC as a ClusterConfig is checked against it. */
export type ConfigNetworkPort = Pick<NetworkDomain, 'subnetsOfKind' | 'vpcId' | 'vpcCidr' | 'azs' | 'view'>;

/** What eksctl's stacks create and delete through EKS and EC2. */
export interface ProvisioningPorts {
  readonly cluster: Pick<ClusterDomain, 'cluster' | 'region' | 'create' | 'delete' | 'onActive' | 'onDeleted'>;
  readonly network: ConfigNetworkPort & Pick<NetworkDomain, 'addEksctlSecurityGroups' | 'removeEksctlSecurityGroups'>;
  readonly nodegroups: Pick<NodegroupsDomain, 'create' | 'delete' | 'find' | 'onCreationEnded'>;
}
