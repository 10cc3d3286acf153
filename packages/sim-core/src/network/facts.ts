/**
 * Facts of the customer network, as data. Names and rules of the security groups follow
 * eksctl.io (VPC Networking) (eksctl docs and eksctl's CloudFormation builder: `IngressInterNodeGroupSG`,
 * `IngressDefaultClusterToNodeSG`, `IngressNodeToDefaultClusterSG`) and the seed's console
 * (docs/endpoint-modes.md).
 */
import type { SgRule } from './types';

/** The lab's layout (docs/lessons/seed-week1.md): the /24 index of each subnet inside the VPC's /16. */
export const LAB_SUBNETS = [
  { name: 'PublicSubnet1', kind: 'public', azIndex: 0, third: 1 },
  { name: 'PublicSubnet2', kind: 'public', azIndex: 1, third: 2 },
  { name: 'PrivateSubnet1', kind: 'private', azIndex: 0, third: 3 },
  { name: 'PrivateSubnet2', kind: 'private', azIndex: 1, third: 4 },
] as const;

/** The lab's two AZs: ap-northeast-2a and 2c (the seed's region; 2b takes no new instances in many accounts). */
export function labAzs(region: string): string[] {
  return region === 'ap-northeast-2' ? [`${region}a`, `${region}c`] : [`${region}a`, `${region}b`];
}

/** The bastion's host number in PublicSubnet1: the lab template pins myeks-host to 192.168.1.100. */
export const BASTION_HOST_NUMBER = 100;

/** A documentation address (RFC 5737 TEST-NET-3) for the learner's laptop on the internet. */
export const DEFAULT_LAPTOP_IP = '203.0.113.7';

/** Public IPv4 prefixes EC2 hands out in the seed's region (illustrative; any public address would do). */
export const EC2_PUBLIC_PREFIXES = ['3.34', '3.35', '3.36', '3.38', '13.124', '13.125', '43.201', '52.78', '54.180'];

/** The TCP port of the Kubernetes API server behind the endpoint. */
export const API_PORT = 443;
/** The kubelet's port, which the control plane reaches through the EKS-owned ENIs. */
export const KUBELET_PORT = 10250;

export const ALL_TRAFFIC_OUT: SgRule = {
  protocol: '-1',
  fromPort: 0,
  toPort: 65535,
  cidr: '0.0.0.0/0',
  description: 'all outbound (docs/endpoint-modes.md: all outbound open)',
};

/** EKS's own cluster security group (eksctl.io (VPC Networking)): all traffic from itself; all outbound. */
export const clusterSgName = (cluster: string, number: string) => `eks-cluster-sg-${cluster}-${number}`;
export const CLUSTER_SG_DESCRIPTION =
  'EKS created security group applied to ENI that is attached to EKS Control Plane master nodes, as well as any managed workloads.';

/** eksctl's cluster stack security groups (eksctl.io (VPC Networking), docs/endpoint-modes.md). */
export const controlPlaneSgName = (cluster: string, suffix: string) =>
  `eksctl-${cluster}-cluster-ControlPlaneSecurityGroup-${suffix}`;
export const CONTROL_PLANE_SG_DESCRIPTION = 'Communication between the control plane and worker nodegroups';
export const sharedNodeSgName = (cluster: string, suffix: string) =>
  `eksctl-${cluster}-cluster-ClusterSharedNodeSecurityGroup-${suffix}`;
export const SHARED_NODE_SG_DESCRIPTION = 'Communication between all nodes in the cluster';

/** `--ssh-access` on a managed node group (docs/endpoint-modes.md): TCP 22 from anywhere, or from the VPC with private networking. */
export const remoteAccessSgName = (cluster: string, nodegroup: string) =>
  `eksctl-${cluster}-nodegroup-${nodegroup}-remoteAccess`;
export const REMOTE_ACCESS_SG_DESCRIPTION = 'Allow SSH access';
