import type { VpcConfig } from '../cluster/types';
import type { CommandSpec } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import type { Scenario } from '../scenarios/types';
import type { Domains } from '../simulation';

/** A place the shell can run from and the what-if asks about. */
export interface VantageHost {
  readonly name: string;
  readonly kind: 'bastion' | 'laptop' | 'node';
  readonly privateIp: string | null;
  readonly publicIp: string | null;
  /** null for hosts outside the customer VPC (the laptop). */
  readonly subnetId: string | null;
  readonly securityGroupIds: readonly string[];
}

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

  /** A vantage host (bastion, laptop, or a node by name); undefined if there is none by that name. */
  host(_name: string): VantageHost | undefined {
    return undefined;
  }

  /** Every vantage host, for the shell's `--from` and the what-if matrix. */
  hosts(): VantageHost[] {
    return [];
  }

  /**
   * The security groups eksctl's stacks make (eks-facts §5): ControlPlaneSecurityGroup and
   * ClusterSharedNodeSecurityGroup with the cluster stack; `<ng>-remoteAccess` with a node group
   * that has SSH access. Returns the ids it made.
   */
  addEksctlSecurityGroups(_input: {
    clusterName: string;
    nodegroupName?: string;
    sshAccess?: boolean;
    privateNetworking?: boolean;
  }): string[] {
    return [];
  }

  snapshot(): NetworkSnapshotPart {
    void this.ctx;
    void this.scenario;
    return { network: { vpcId: 'vpc-0' } };
  }
}
