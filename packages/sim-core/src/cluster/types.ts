/**
 * The EKS cluster as DescribeCluster shows it (AWS EKS API reference, `Cluster`), in plain
 * JSON. One cluster per simulation: the region view a class watches has one control plane.
 */
export type ClusterStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING' | 'FAILED';

/** Update types and statuses as the EKS API names them (`Update`, `UpdateType`). */
export type UpdateType =
  | 'EndpointAccessUpdate'
  | 'VersionUpdate'
  | 'ConfigUpdate'
  | 'ScalingTierConfigUpdate'
  | 'UpgradePolicyUpdate';
export type UpdateStatus = 'InProgress' | 'Failed' | 'Cancelled' | 'Successful';

export interface UpdateParam {
  readonly type: string;
  readonly value: string;
}

export interface ClusterUpdate {
  readonly id: string;
  readonly type: UpdateType;
  status: UpdateStatus;
  readonly params: readonly UpdateParam[];
  readonly createdAtMs: number;
  /** When it finishes (or finished). */
  readonly dueAtMs: number;
  readonly errors: readonly { errorCode: string; errorMessage: string }[];
}

export interface VpcConfig {
  vpcId: string;
  subnetIds: string[];
  /** Extra security groups given at creation (eksctl: the ControlPlaneSecurityGroup). */
  securityGroupIds: string[];
  /** `eks-cluster-sg-<name>-<number>`, made by EKS (eksctl.io (VPC Networking)). */
  clusterSecurityGroupId: string;
  endpointPublicAccess: boolean;
  endpointPrivateAccess: boolean;
  publicAccessCidrs: string[];
}

/** The endpoint fields of resourcesVpcConfig (UpdateClusterConfig). */
export type EndpointAccess = Pick<VpcConfig, 'endpointPublicAccess' | 'endpointPrivateAccess'> & {
  readonly publicAccessCidrs: readonly string[];
};

/** What an update changes in the cluster record when it completes; the cluster applies it itself. */
export interface ClusterChange {
  readonly version?: string;
  readonly platformVersion?: string;
  readonly supportType?: 'STANDARD' | 'EXTENDED';
  readonly endpointAccess?: EndpointAccess;
}

export interface ClusterRecord {
  readonly name: string;
  readonly arn: string;
  readonly createdAtMs: number;
  /** Read from the cluster's machine. */
  readonly status: ClusterStatus;
  version: string;
  platformVersion: string;
  /** `https://<ID>.gr7.<region>.eks.amazonaws.com` */
  readonly endpoint: string;
  readonly roleArn: string;
  readonly resourcesVpcConfig: VpcConfig;
  upgradePolicy: { supportType: 'STANDARD' | 'EXTENDED' };
  readonly tags: Record<string, string>;
  readonly updates: ClusterUpdate[];
}

export interface ClusterSnapshotPart {
  /** The cluster, or null before creation and after deletion. */
  readonly cluster: ClusterRecord | null;
  readonly region: string;
  readonly accountId: string;
}
