import type { AddonsDomain } from '../addons/addons-domain';
import type { ClusterDomain } from '../cluster/cluster-domain';
import type { EndpointDomain } from '../endpoint/endpoint-domain';
import type { SimContext } from '../engine/domain';
import type { NetworkDomain } from '../network/network-domain';
import type { NodegroupsDomain } from '../nodegroups/nodegroups-domain';
import type { ProvisioningDomain } from '../provisioning/provisioning-domain';
import type { VersionsDomain } from '../versions/versions-domain';
import type { WorkloadsDomain } from '../workloads/workloads-domain';

/**
 * What the shell's tools read from the other domains and ask of them: only these members.
 * The shell sits above every domain it formats; none of them imports it.
 */
export interface ShellPorts {
  readonly cluster: Pick<ClusterDomain, 'cluster' | 'region' | 'create' | 'delete' | 'findUpdate'>;
  readonly network: Pick<
    NetworkDomain,
    'host' | 'hosts' | 'view' | 'group' | 'subnet' | 'subnetsOfKind' | 'vpcId' | 'vpcCidr' | 'azs' | 'enis'
  >;
  readonly nodegroups: Pick<NodegroupsDomain, 'all' | 'find' | 'upgrades'>;
  readonly addons: Pick<AddonsDomain, 'all'>;
  readonly endpoint: Pick<EndpointDomain, 'reach' | 'dnsAnswer'>;
  readonly versions: Pick<VersionsDomain, 'updateClusterVersion' | 'upgradeNodegroup'>;
  readonly workloads: Pick<WorkloadsDomain, 'pods' | 'nodes' | 'cordoned' | 'replicas' | 'corednsReplicaSet'>;
  readonly provisioning: Pick<
    ProvisioningDomain,
    | 'stack'
    | 'stacks'
    | 'stackEvents'
    | 'stackResources'
    | 'role'
    | 'roles'
    | 'rolePolicy'
    | 'createCluster'
    | 'deleteCluster'
    | 'creation'
    | 'abandonCreation'
    | 'createNodegroup'
    | 'deleteNodegroup'
    | 'beginStackUpdate'
    | 'endStackUpdate'
  >;
}

/** The engine's context as the shell's tools get it: time, randomness, the log, and the ports. */
export interface ShellContext extends SimContext {
  readonly domains: ShellPorts;
}
