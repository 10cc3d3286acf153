/**
 * What the resources of eksctl's stacks are, outside CloudFormation (eksctl.io, "VPC
 * Networking"; docs/eksctl.md): the IAM roles and their inline policies, eksctl's security
 * groups (network domain), the EKS cluster (cluster domain) and the node group (node-groups
 * domain), and the physical id CloudFormation reports for each. The stack machine says *when*;
 * this file says *what*.
 */

import type { SimContext } from '../engine/domain';
import { isoDate } from '../engine/duration';
import type { ScenarioNodeGroup } from '../input/scenario';
import type { CloudFormation, ResourceProviders, StackRecord, StackSpec } from './cloudformation';
import type { Draws } from './draws';
import {
  CFN_SUFFIX_LENGTH,
  CLUSTER_ROLE_POLICIES,
  EXTERNAL_DNS_POLICIES,
  nodeRoleManagedPolicies,
  RESOURCE_TYPES,
} from './facts';
import type { IamRoles } from './iam';
import type { ClusterPlan, NodeGroupPlan } from './plan';
import type { ProvisioningPorts } from './ports';
import { azIds } from './templates';
import type { StackStatus } from './types';

type NodegroupSpec = Extract<StackSpec, { kind: 'nodegroup' }>;

/** The prefix of the id EC2 gives each kind of VPC resource. */
const EC2_PREFIX: Readonly<Record<string, string>> = {
  'AWS::EC2::VPC': 'vpc',
  'AWS::EC2::InternetGateway': 'igw',
  'AWS::EC2::RouteTable': 'rtb',
  'AWS::EC2::EIP': 'eipalloc',
  'AWS::EC2::NatGateway': 'nat',
  'AWS::EC2::Subnet': 'subnet',
  'AWS::EC2::SubnetRouteTableAssociation': 'rtbassoc',
};

export class EksctlResources implements ResourceProviders {
  private cfn: CloudFormation | undefined;

  constructor(
    private readonly ctx: SimContext,
    private readonly ports: ProvisioningPorts,
    private readonly iam: IamRoles,
    private readonly draw: Draws,
    private readonly onStatus: ResourceProviders['statusChanged'],
  ) {}

  /** The CloudFormation these providers serve (made after them: it takes them in its constructor). */
  serve(cfn: CloudFormation): void {
    this.cfn = cfn;
  }

  started(stack: StackRecord, logicalIds: readonly string[], durationMs: number | undefined): void {
    for (const logicalId of logicalIds) {
      if (logicalId === 'ServiceRole') {
        this.iam.create(stack.name, stack.tags, logicalId, 'eks.amazonaws.com', CLUSTER_ROLE_POLICIES);
      } else if (logicalId === 'NodeInstanceRole') {
        const spec = stack.spec as NodegroupSpec;
        const policies = nodeRoleManagedPolicies(isoDate(this.ctx.clock.now()), spec.cluster.withOIDC);
        this.iam.create(stack.name, stack.tags, logicalId, 'ec2.amazonaws.com', policies);
      } else if (logicalId === 'ControlPlane') {
        this.createControlPlane(stack);
      } else if (logicalId === 'ManagedNodeGroup' || logicalId === 'NodeGroup') {
        this.createNodegroup(stack, logicalId, durationMs ?? 0);
      }
    }
  }

  created(stack: StackRecord, logicalIds: readonly string[]): string[] {
    if (logicalIds[0] === 'ControlPlaneSecurityGroup') {
      return this.ports.network.addEksctlSecurityGroups({ clusterName: stack.clusterName });
    }
    return logicalIds.map((logicalId) => this.physicalId(stack, logicalId));
  }

  nodeSecurityGroups(stack: StackRecord): void {
    const ng = (stack.spec as NodegroupSpec).nodegroup as NodeGroupPlan;
    this.ports.network.addEksctlSecurityGroups({
      clusterName: stack.clusterName,
      nodegroupName: ng.name,
      sshAccess: false,
      privateNetworking: ng.privateNetworking,
    });
  }

  /** The node group goes first (drained, terminated); the stack completes a moment later. */
  deleteNodegroup(stack: StackRecord, durationMs: number): void {
    if (stack.nodegroupName) this.ports.nodegroups.delete(stack.nodegroupName, durationMs - 1000);
  }

  deleteControlPlane(stack: StackRecord): void {
    const error = this.ports.cluster.delete(stack.clusterName);
    if (error) this.cfn?.event(stack, 'ControlPlane', 'AWS::EKS::Cluster', stack.clusterName, 'DELETE_FAILED', error);
  }

  statusChanged(stack: StackRecord, status: StackStatus, failure: { logicalId: string; reason: string } | null): void {
    // CloudFormation deletes what the stack made: eksctl's security groups and the IAM roles.
    if (status === 'DELETE_COMPLETE') {
      this.ports.network.removeEksctlSecurityGroups(
        stack.resources.filter((r) => r.type === 'AWS::EC2::SecurityGroup').map((r) => r.physicalId),
      );
      this.iam.deleteOfStack(stack.name);
    }
    this.onStatus(stack, status, failure);
  }

  private physicalId(stack: StackRecord, logicalId: string): string {
    const type = stack.resources.find((r) => r.logicalId === logicalId)?.type ?? RESOURCE_TYPES[logicalId] ?? '';
    switch (logicalId) {
      case 'ServiceRole':
      case 'NodeInstanceRole':
        return this.iam.ofStack(stack.name)?.RoleName ?? '';
      case 'ControlPlane':
        return stack.clusterName;
      case 'SSH':
      case 'SG':
        return this.nodeSecurityGroup(stack) ?? `sg-0${this.draw.hex(16)}`;
      case 'LaunchTemplate':
      case 'NodeGroupLaunchTemplate':
        return `lt-0${this.draw.hex(16)}`;
      case 'NodeInstanceProfile':
        return `${stack.name}-NodeInstanceProfile-${this.draw.suffix(CFN_SUFFIX_LENGTH)}`;
      case 'ManagedNodeGroup':
        return `${stack.clusterName}/${stack.nodegroupName}`;
      case 'NodeGroup':
        return `${stack.name}-NodeGroup-${this.draw.suffix(13).toUpperCase()}`;
    }
    if (type === 'AWS::EC2::SecurityGroupIngress') return this.draw.sgrId();
    if (type === 'AWS::IAM::Policy') return this.attachPolicy(stack, logicalId);
    return this.vpcResourceId(stack, logicalId, type);
  }

  /** The SSH (or unmanaged nodes') security group: made when CloudFormation reports it created. */
  private nodeSecurityGroup(stack: StackRecord): string | undefined {
    const ng = (stack.spec as NodegroupSpec).nodegroup as NodeGroupPlan;
    return this.ports.network.addEksctlSecurityGroups({
      clusterName: stack.clusterName,
      nodegroupName: ng.name,
      sshAccess: ng.ssh.allow,
      privateNetworking: ng.privateNetworking,
    })[0];
  }

  /** PutRolePolicy: an inline policy of the node role (--external-dns-access). */
  private attachPolicy(stack: StackRecord, logicalId: string): string {
    const policyName = `${stack.name}-${logicalId}`;
    const role = this.iam.ofStack(stack.name);
    const document = EXTERNAL_DNS_POLICIES.find((p) => p.logicalId === logicalId)?.document;
    if (role && document) this.iam.attachInline(role.RoleName, policyName, document);
    return policyName;
  }

  /** "The VPC eksctl made" is the scenario's network: CloudFormation reports its real ids. */
  private vpcResourceId(stack: StackRecord, logicalId: string, type: string): string {
    const plan = (stack.spec as { plan: ClusterPlan }).plan;
    const view = this.ports.network.view();
    const known: Record<string, string | undefined> = {
      VPC: view.vpcId,
      InternetGateway: view.internetGatewayId ?? undefined,
      NATGateway: view.natGateways[0]?.id,
    };
    for (const [i, az] of plan.vpc.availabilityZones.entries()) {
      const id = azIds(plan)[i] as string;
      known[`SubnetPublic${id}`] = plan.vpc.publicSubnets.find((s) => s.az === az)?.id;
      known[`SubnetPrivate${id}`] = plan.vpc.privateSubnets.find((s) => s.az === az)?.id;
    }
    const prefix = EC2_PREFIX[type];
    return (
      known[logicalId] ??
      (prefix ? `${prefix}-0${this.draw.hex(16)}` : `${stack.name}-${logicalId}-${this.draw.suffix(12).toUpperCase()}`)
    );
  }

  /** The EKS cluster, with the stack's service role; EKS's refusal fails the ControlPlane resource. */
  private createControlPlane(stack: StackRecord): void {
    const plan = (stack.spec as { plan: ClusterPlan }).plan;
    const result = this.ports.cluster.create({
      name: plan.name,
      version: plan.version,
      endpointPublicAccess: plan.endpointPublicAccess,
      endpointPrivateAccess: plan.endpointPrivateAccess,
      publicAccessCidrs: plan.publicAccessCidrs,
      supportType: plan.supportType,
      roleArn: this.iam.ofStack(stack.name)?.Arn as string,
      tags: {
        ...plan.tags,
        'alpha.eksctl.io/cluster-name': plan.name,
        'eksctl.cluster.k8s.io/v1alpha1/cluster-name': plan.name,
      },
    });
    if (typeof result === 'string')
      this.cfn?.send(stack, { type: 'RESOURCE_FAILED', logicalId: 'ControlPlane', reason: result });
  }

  /** The node group, told how long its nodes take (CloudFormation's AWS::EKS::Nodegroup waits for it). */
  private createNodegroup(stack: StackRecord, logicalId: string, createMs: number): void {
    const spec = stack.spec as NodegroupSpec;
    const ng = spec.nodegroup as NodeGroupPlan;
    const group: ScenarioNodeGroup = {
      name: ng.name,
      instanceType: ng.instanceType,
      desiredCapacity: ng.desiredCapacity,
      minSize: ng.minSize,
      maxSize: ng.maxSize,
      volumeSize: ng.volumeSize,
      subnets: ng.privateNetworking ? 'private' : 'public',
      sshAccess: ng.ssh.allow,
      externalDnsAccess: ng.externalDNS,
      ...(ng.version !== spec.cluster.version ? { version: ng.version } : {}),
    };
    const created = this.ports.nodegroups.create(group, { createMs, subnetIds: ng.subnetIds });
    if (typeof created === 'string') {
      this.cfn?.send(stack, { type: 'RESOURCE_FAILED', logicalId, reason: created });
      return;
    }
    created.nodeRoleArn = this.iam.ofStack(stack.name)?.Arn as string;
  }
}
