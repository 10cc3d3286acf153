import type { SimContext } from '../engine/domain';
import { isoDate } from '../engine/duration';
import type { Scenario } from '../input/scenario';
import type { CloudFormation, StackRecord } from './cloudformation';
import type { Draws } from './draws';
import { CLUSTER_ROLE_POLICIES, EXTERNAL_DNS_POLICIES, nodeRoleManagedPolicies } from './facts';
import type { IamRoles } from './iam';
import type { ProvisioningPorts } from './ports';
import type { IamRole } from './types';

export interface AdoptWork {
  readonly ctx: SimContext;
  readonly ports: ProvisioningPorts;
  readonly cfn: CloudFormation;
  readonly iam: IamRoles;
  readonly draw: Draws;
}

/** An AWS::IAM::Role resource of `stack`, and the role it makes. */
function createRole(
  w: AdoptWork,
  stack: StackRecord,
  logicalId: string,
  service: string,
  managed: readonly string[],
): IamRole {
  w.cfn.startResource(stack, logicalId);
  return w.iam.create(stack.name, stack.tags, logicalId, service, managed);
}

/**
 * A scenario that starts with the cluster built: record what eksctl would have made (both
 * stacks CREATE_COMPLETE, the IAM roles, eksctl's security groups, the node groups) at once.
 * The node groups were made `PREBUILT_NODEGROUP_AGE_MS` before the start, the tail of eksctl's
 * run (docs/lessons/seed-week1.md: the node group's stack takes its last minutes), so their
 * nodes show a real AGE.
 */
export const PREBUILT_NODEGROUP_AGE_MS = 4 * 60_000;

export function adoptExistingCluster(w: AdoptWork, scenario: Scenario): void {
  const network = w.ports.network;
  const cluster = scenario.cluster;
  const stack = w.cfn.create(
    { kind: 'cluster', plan: null },
    cluster.name,
    undefined,
    'EKS cluster (dedicated VPC: false, dedicated IAM: true) [created and managed by eksctl]',
    null,
  );
  const role = createRole(w, stack, 'ServiceRole', 'eks.amazonaws.com', CLUSTER_ROLE_POLICIES);
  const [cpSg, sharedSg] = network.addEksctlSecurityGroups({ clusterName: cluster.name });
  const record = w.ports.cluster.cluster;
  // The simulation created the cluster record before calling us; point it at the role we made.
  if (record) (record as { roleArn: string }).roleArn = role.Arn;
  const built: Array<[string, string]> = [
    ['ServiceRole', role.RoleName],
    ['ControlPlaneSecurityGroup', cpSg ?? `sg-0${w.draw.hex(16)}`],
    ['ClusterSharedNodeSecurityGroup', sharedSg ?? `sg-0${w.draw.hex(16)}`],
    ['IngressInterNodeGroupSG', w.draw.sgrId()],
    ['ControlPlane', cluster.name],
    ['IngressDefaultClusterToNodeSG', w.draw.sgrId()],
    ['IngressNodeToDefaultClusterSG', w.draw.sgrId()],
  ];
  for (const [logicalId, physicalId] of built) {
    if (!stack.resources.some((r) => r.logicalId === logicalId)) w.cfn.startResource(stack, logicalId);
    w.cfn.completeResource(stack, logicalId, physicalId);
  }
  w.cfn.send(stack, { type: 'BUILT' });
  for (const ng of cluster.nodeGroups ?? []) {
    const ngStack = w.cfn.create(
      {
        kind: 'nodegroup',
        cluster: { name: cluster.name, version: cluster.version, withOIDC: false },
        nodegroup: null,
      },
      cluster.name,
      ng.name,
      `EKS Managed Nodes (SSH access: ${ng.sshAccess ?? false}) [created by eksctl]`,
      null,
    );
    const nodeRole = createRole(
      w,
      ngStack,
      'NodeInstanceRole',
      'ec2.amazonaws.com',
      nodeRoleManagedPolicies(isoDate(w.ctx.clock.now())),
    );
    const ids = network.addEksctlSecurityGroups({
      clusterName: cluster.name,
      nodegroupName: ng.name,
      sshAccess: ng.sshAccess,
    });
    const parts: Array<[string, string]> = [['NodeInstanceRole', nodeRole.RoleName]];
    if (ng.externalDnsAccess) {
      for (const policy of EXTERNAL_DNS_POLICIES) {
        const policyName = `${ngStack.name}-${policy.logicalId}`;
        w.iam.attachInline(nodeRole.RoleName, policyName, policy.document);
        parts.push([policy.logicalId, policyName]);
      }
    }
    if (ng.sshAccess) parts.push(['SSH', ids[0] ?? `sg-0${w.draw.hex(16)}`]);
    parts.push(['LaunchTemplate', `lt-0${w.draw.hex(16)}`], ['ManagedNodeGroup', `${cluster.name}/${ng.name}`]);
    for (const [logicalId, physicalId] of parts) {
      if (!ngStack.resources.some((r) => r.logicalId === logicalId)) w.cfn.startResource(ngStack, logicalId);
      w.cfn.completeResource(ngStack, logicalId, physicalId);
    }
    const created = w.ports.nodegroups.create(ng, {
      immediate: true,
      createdAtMs: w.ctx.clock.now() - PREBUILT_NODEGROUP_AGE_MS,
    });
    if (typeof created !== 'string') created.nodeRoleArn = nodeRole.Arn;
    w.cfn.send(ngStack, { type: 'BUILT' });
  }
}
