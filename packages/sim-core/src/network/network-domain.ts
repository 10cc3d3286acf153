import type { VpcConfig } from '../cluster/types';
import type { CommandSpec } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import type { Scenario } from '../scenarios/types';
import type { Domains } from '../simulation';

export interface NetworkSnapshotPart {
  readonly network: {
    readonly vpcId: string;
  };
}

/** The customer VPC (seed §4.1, §7). Placeholder until the network issue lands. */
export class NetworkDomain implements Domain<NetworkSnapshotPart> {
  readonly commands: readonly CommandSpec[] = [];

  constructor(
    private readonly ctx: SimContext<Domains>,
    private readonly scenario: Scenario,
  ) {}

  /** The VPC ids EKS records for a new cluster, and the cluster security group it makes. */
  provisionClusterNetworking(
    _clusterName: string,
  ): Pick<VpcConfig, 'vpcId' | 'subnetIds' | 'securityGroupIds' | 'clusterSecurityGroupId'> {
    return { vpcId: 'vpc-0', subnetIds: [], securityGroupIds: [], clusterSecurityGroupId: 'sg-0' };
  }

  snapshot(): NetworkSnapshotPart {
    void this.ctx;
    void this.scenario;
    return { network: { vpcId: 'vpc-0' } };
  }
}
