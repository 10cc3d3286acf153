import type { NodeState } from './node-machine';
import type { HealthIssue } from './nodegroup-machine';

/**
 * Managed node groups and their nodes (EKS API `Nodegroup`; docs/lessons/seed-week1.md: two t3.medium nodes
 * with 30 GiB gp3 volumes in the public subnets).
 */
export type NodegroupStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING' | 'CREATE_FAILED' | 'DEGRADED';

export interface WorkerNode {
  /** EC2 private DNS name, `ip-192-168-1-51.ap-northeast-2.compute.internal`: kubectl's node name. */
  readonly name: string;
  readonly instanceId: string;
  /** Customer AZ name, `ap-northeast-2a`. */
  readonly az: string;
  readonly subnetId: string;
  readonly privateIp: string;
  readonly publicIp: string | null;
  /** The cluster security group and eksctl's node security groups (eksctl.io (VPC Networking)). */
  readonly securityGroupIds: string[];
  /** Kubelet minor version, `1.28` (read from the node's machine). */
  readonly kubeletVersion: string;
  /** Read from the node's machine (node-machine.ts). */
  readonly state: NodeState;
}

export interface NodegroupRecord {
  readonly name: string;
  readonly clusterName: string;
  readonly instanceType: string;
  readonly volumeSizeGiB: number;
  readonly scaling: { minSize: number; maxSize: number; desiredSize: number };
  /** `maxUnavailable` of the update config (EKS default 1). */
  readonly maxUnavailable: number;
  /** Minor version the group's launch template runs (read from the group's machine). */
  readonly version: string;
  /** Read from the group's machine (nodegroup-machine.ts). */
  readonly status: NodegroupStatus;
  readonly subnetKind: 'public' | 'private';
  readonly subnetIds: string[];
  readonly nodes: WorkerNode[];
  /** IAM role of the nodes (docs/eksctl.md). */
  nodeRoleArn: string;
  /** Simulated ms when the group was created. */
  readonly createdAtMs: number;
  /** Its tags (CreateNodegroup, TagResource, UntagResource); eksctl's tags are on its stack. */
  readonly tags: Record<string, string>;
  /** DescribeNodegroup's `health.issues` (e.g. NodeCreationFailure when nodes cannot reach the API server). */
  readonly health?: { issues: readonly HealthIssue[] };
}

/** One rolling upgrade of a node group (UpdateNodegroupVersion), as the snapshot shows it. */
export interface NodegroupUpgradeView {
  readonly nodegroup: string;
  readonly fromVersion: string;
  readonly toVersion: string;
  readonly maxUnavailable: number;
  readonly startedAtMs: number;
  completedAtMs: number | null;
  nodesUpgraded: number;
  readonly nodesTotal: number;
}

export interface NodegroupsSnapshotPart {
  readonly nodegroups: readonly NodegroupRecord[];
}
