/**
 * eksctl's two CloudFormation templates as the stack machine runs them: which resources each
 * stack has, by the plan (eksctl.io, "VPC Networking"; eksctl's cluster and nodegroup templates).
 */
import { EXTERNAL_DNS_POLICIES, RESOURCE_TYPES } from './facts';
import type { ClusterPlan, NodeGroupPlan } from './plan';

/** The cluster template's choices: the VPC resources eksctl adds when it makes the VPC. */
export interface ClusterTemplate {
  readonly kind: 'cluster';
  readonly vpcResources: readonly { readonly logicalId: string; readonly type: string }[];
}

/** The node-group template's choices (managed or not, SSH access, ExternalDNS policies). */
export interface NodegroupTemplate {
  readonly kind: 'nodegroup';
  readonly managed: boolean;
  /** `SSH` (managed, with --ssh-access), `SG` (unmanaged), or none. */
  readonly sshGroup: 'SSH' | 'SG' | null;
  readonly launchTemplate: 'LaunchTemplate' | 'NodeGroupLaunchTemplate';
  readonly group: 'ManagedNodeGroup' | 'NodeGroup';
  /** Logical ids of the node role's inline policies. */
  readonly policies: readonly string[];
}

/** The cluster stack; with a VPC of eksctl's own, the VPC's resources too (one public and one private subnet per AZ). */
export function clusterTemplate(plan: ClusterPlan): ClusterTemplate {
  if (plan.vpc.mode !== 'new') return { kind: 'cluster', vpcResources: [] };
  const vpcIds: string[] = ['VPC', 'InternetGateway', 'VPCGatewayAttachment', 'PublicRouteTable', 'PublicSubnetRoute'];
  if (plan.vpc.nat !== 'Disable') vpcIds.push('NATIP', 'NATGateway');
  const resources = vpcIds.map((logicalId) => ({ logicalId, type: RESOURCE_TYPES[logicalId] as string }));
  for (const az of azIds(plan)) {
    resources.push(
      { logicalId: `SubnetPublic${az}`, type: 'AWS::EC2::Subnet' },
      { logicalId: `SubnetPrivate${az}`, type: 'AWS::EC2::Subnet' },
      { logicalId: `RouteTableAssociationPublic${az}`, type: 'AWS::EC2::SubnetRouteTableAssociation' },
      { logicalId: `PrivateRouteTable${az}`, type: 'AWS::EC2::RouteTable' },
      { logicalId: `RouteTableAssociationPrivate${az}`, type: 'AWS::EC2::SubnetRouteTableAssociation' },
    );
  }
  return { kind: 'cluster', vpcResources: resources };
}

/** `ap-northeast-2a` → `APNORTHEAST2A`, as eksctl names the subnets' logical ids. */
export function azIds(plan: ClusterPlan): string[] {
  return plan.vpc.availabilityZones.map((az) => az.replace(/-/g, '').toUpperCase());
}

/** A node-group stack: managed (`ManagedNodeGroup`, an SSH group only with SSH access) or not (`NodeGroup`, its `SG`). */
export function nodegroupTemplate(ng: NodeGroupPlan): NodegroupTemplate {
  return {
    kind: 'nodegroup',
    managed: ng.managed,
    sshGroup: ng.managed ? (ng.ssh.allow ? 'SSH' : null) : 'SG',
    launchTemplate: ng.managed ? 'LaunchTemplate' : 'NodeGroupLaunchTemplate',
    group: ng.managed ? 'ManagedNodeGroup' : 'NodeGroup',
    policies: ng.externalDNS ? EXTERNAL_DNS_POLICIES.map((p) => p.logicalId) : [],
  };
}

export type StackKind = 'cluster' | 'nodegroup';

export interface StackInput {
  /** The StackId: what the stack's reports name. */
  readonly stackId: string;
  readonly kind: StackKind;
  /** null: a stack recorded as already built (a scenario that starts with the cluster). */
  readonly template: ClusterTemplate | NodegroupTemplate | null;
}
