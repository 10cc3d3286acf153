/**
 * What eksctl builds and how long it takes, as data (eksctl.io (VPC Networking), docs/lessons/seed-week1.md).
 * Each row cites its source; code reads these tables.
 */
import type { PolicyDocument } from './types';

/**
 * eksctl releases whose output the shell mimics: the newest released on or before the simulated
 * date prints `eksctl version …` and gives the default Kubernetes version. Sources: GitHub
 * releases of eksctl-io/eksctl — v0.161.0 (06 Oct 2023, "Make EKS 1.27 default"), v0.173.0
 * (rc.0 01 Mar 2024, "Make EKS 1.29 default", "Remove inline ELB and CloudWatch policies from
 * Cluster Role"), v0.179.0 (May 24, 2024), v0.184.0 (July 3, 2024; after PR #7827 "Make EKS 1.30
 * the default", merged Jun 11, 2024), v0.191.0 (Sep 26, 2024, "Add support for EKS 1.31").
 * The seed's lab (2024-03-10) therefore runs eksctl 0.173.0.
 */
export const EKSCTL_RELEASES: readonly {
  readonly version: string;
  readonly releasedOn: string;
  readonly defaultKubernetesVersion: string;
}[] = [
  { version: '0.161.0', releasedOn: '2023-10-06', defaultKubernetesVersion: '1.27' },
  { version: '0.173.0', releasedOn: '2024-03-01', defaultKubernetesVersion: '1.29' },
  { version: '0.179.0', releasedOn: '2024-05-24', defaultKubernetesVersion: '1.29' },
  { version: '0.184.0', releasedOn: '2024-07-03', defaultKubernetesVersion: '1.30' },
  { version: '0.191.0', releasedOn: '2024-09-26', defaultKubernetesVersion: '1.30' },
];

/** The eksctl release in use on a simulated date (the oldest row before the first release). */
export function eksctlRelease(simulatedDate: string): (typeof EKSCTL_RELEASES)[number] {
  let chosen = EKSCTL_RELEASES[0] as (typeof EKSCTL_RELEASES)[number];
  for (const row of EKSCTL_RELEASES) if (row.releasedOn <= simulatedDate) chosen = row;
  return chosen;
}

/**
 * The ECR policy on the node role. eksctl attached AmazonEC2ContainerRegistryReadOnly in the
 * seed's era (eksctl.io (VPC Networking)); the switch to AmazonEC2ContainerRegistryPullOnly was proposed in
 * eksctl-io/eksctl#8318 (2025-03-28) and PR #8386 (2025-05-23), in line with the EKS user
 * guide's node-role page; we take it as effective from mid-2025 (the brief's date; the exact
 * eksctl release is not verified).
 */
export const ECR_PULL_ONLY_FROM = '2025-07-01';

const AWS_POLICY = 'arn:aws:iam::aws:policy/';

/** Managed policies on the cluster service role (eksctl.io (VPC Networking)). */
export const CLUSTER_ROLE_POLICIES: readonly string[] = ['AmazonEKSClusterPolicy', 'AmazonEKSVPCResourceController'];

/**
 * Managed policies on the node instance role, in eksctl's order (docs/eksctl.md: 4 managed, then
 * the 2 inline ExternalDNS policies; eksctl.io (VPC Networking)). The ECR row is chosen by date.
 */
export function nodeRoleManagedPolicies(simulatedDate: string, withOIDC = false): string[] {
  const ecr =
    simulatedDate >= ECR_PULL_ONLY_FROM ? 'AmazonEC2ContainerRegistryPullOnly' : 'AmazonEC2ContainerRegistryReadOnly';
  // eksctl.io (VPC Networking): AmazonEKS_CNI_Policy is on the node role "when OIDC is off, the default";
  // with an OIDC provider the VPC CNI gets it through its own service-account role instead.
  const cni = withOIDC ? [] : ['AmazonEKS_CNI_Policy'];
  return ['AmazonEKSWorkerNodePolicy', ...cni, ecr, 'AmazonSSMManagedInstanceCore'];
}

export const policyArn = (name: string): string => `${AWS_POLICY}${name}`;

/**
 * The two inline policies of `--external-dns-access` / `iam.withAddonPolicies.externalDNS`
 * (eksctl.io (VPC Networking); eksctl's IAM addon policies): record changes on hosted zones, and reads.
 */
export const EXTERNAL_DNS_POLICIES: readonly { readonly logicalId: string; readonly document: PolicyDocument }[] = [
  {
    logicalId: 'PolicyExternalDNSChangeSet',
    document: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['route53:ChangeResourceRecordSets'], Resource: 'arn:aws:route53:::hostedzone/*' },
      ],
    },
  },
  {
    logicalId: 'PolicyExternalDNSHostedZones',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['route53:ListHostedZones', 'route53:ListResourceRecordSets', 'route53:ListTagsForResource'],
          Resource: '*',
        },
      ],
    },
  },
];

export const assumeRolePolicy = (service: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: [service] }, Action: ['sts:AssumeRole'], Resource: '*' }],
});

/**
 * CloudFormation resource types of the logical ids eksctl uses (eksctl's cluster and nodegroup
 * templates; eksctl.io (VPC Networking)).
 */
export const RESOURCE_TYPES: Readonly<Record<string, string>> = {
  ServiceRole: 'AWS::IAM::Role',
  ControlPlaneSecurityGroup: 'AWS::EC2::SecurityGroup',
  ClusterSharedNodeSecurityGroup: 'AWS::EC2::SecurityGroup',
  IngressInterNodeGroupSG: 'AWS::EC2::SecurityGroupIngress',
  IngressDefaultClusterToNodeSG: 'AWS::EC2::SecurityGroupIngress',
  IngressNodeToDefaultClusterSG: 'AWS::EC2::SecurityGroupIngress',
  ControlPlane: 'AWS::EKS::Cluster',
  VPC: 'AWS::EC2::VPC',
  InternetGateway: 'AWS::EC2::InternetGateway',
  VPCGatewayAttachment: 'AWS::EC2::VPCGatewayAttachment',
  PublicRouteTable: 'AWS::EC2::RouteTable',
  PublicSubnetRoute: 'AWS::EC2::Route',
  NATIP: 'AWS::EC2::EIP',
  NATGateway: 'AWS::EC2::NatGateway',
  NodeInstanceRole: 'AWS::IAM::Role',
  NodeInstanceProfile: 'AWS::IAM::InstanceProfile',
  PolicyExternalDNSChangeSet: 'AWS::IAM::Policy',
  PolicyExternalDNSHostedZones: 'AWS::IAM::Policy',
  SSH: 'AWS::EC2::SecurityGroup',
  SG: 'AWS::EC2::SecurityGroup',
  LaunchTemplate: 'AWS::EC2::LaunchTemplate',
  NodeGroupLaunchTemplate: 'AWS::EC2::LaunchTemplate',
  ManagedNodeGroup: 'AWS::EKS::Nodegroup',
  NodeGroup: 'AWS::AutoScaling::AutoScalingGroup',
};

/**
 * Simulated seconds each kind of resource takes to create (CloudFormation creates independent
 * resources in parallel). Chosen so that the seed's line ends in 10-15 minutes (docs/lessons/seed-week1.md):
 * the control plane's own 8-11 minutes come from the cluster domain.
 */
export const CREATE_SECONDS: Readonly<Record<string, { readonly min: number; readonly max: number }>> = {
  'AWS::IAM::Role': { min: 13, max: 20 },
  'AWS::IAM::InstanceProfile': { min: 100, max: 130 },
  'AWS::IAM::Policy': { min: 12, max: 17 },
  'AWS::EC2::SecurityGroup': { min: 4, max: 7 },
  'AWS::EC2::SecurityGroupIngress': { min: 1, max: 2 },
  'AWS::EC2::LaunchTemplate': { min: 2, max: 4 },
  'AWS::EC2::VPC': { min: 12, max: 16 },
  'AWS::EC2::InternetGateway': { min: 12, max: 16 },
  'AWS::EC2::VPCGatewayAttachment': { min: 15, max: 18 },
  'AWS::EC2::RouteTable': { min: 2, max: 3 },
  'AWS::EC2::Route': { min: 15, max: 18 },
  'AWS::EC2::EIP': { min: 15, max: 18 },
  'AWS::EC2::NatGateway': { min: 50, max: 60 },
  'AWS::EC2::Subnet': { min: 5, max: 8 },
  'AWS::EC2::SubnetRouteTableAssociation': { min: 1, max: 2 },
  /**
   * A managed node group: launch template → ASG → nodes join. Kept to 100-140 s so that, with
   * the control plane's 8-11 minutes, the seed's line ends in 10-15 minutes (docs/lessons/seed-week1.md).
   */
  'AWS::EKS::Nodegroup': { min: 100, max: 140 },
  'AWS::AutoScaling::AutoScalingGroup': { min: 60, max: 90 },
};

/** Deleting a node-group stack (drain, terminate, roles) takes a few minutes. */
export const NODEGROUP_STACK_DELETE_SECONDS = { min: 120, max: 240 };

/** How often eksctl polls CloudFormation while it waits ("waiting for CloudFormation stack …"). */
export const EKSCTL_POLL_SECONDS = { min: 15, max: 30 };

/** How long eksctl's Kubernetes client waits before `dial tcp …:443: i/o timeout` (docs/endpoint-modes.md). */
export const KUBE_CLIENT_TIMEOUT_MS = 30_000;

/**
 * CloudFormation names resources it names itself `<stack>-<logicalId>-<suffix>`, with the stack
 * part cut so the whole fits IAM's 64 characters: hence the seed's
 * `eksctl-myeks-nodegroup-myeks-nodeg-NodeInstanceRole-5j44alSi46Rr` (docs/eksctl.md).
 */
export const IAM_ROLE_NAME_MAX = 64;
export const CFN_SUFFIX_LENGTH = 12;
