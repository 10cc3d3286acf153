import type { ClusterRecord } from '../cluster/types';
import { type CommandResult, type CommandSpec, fail, ok } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import type { Scenario } from '../input/scenario';
import type { NodegroupRecord } from '../nodegroups/types';
import { adoptExistingCluster } from './adopt';
import {
  CloudFormation,
  clusterStackName,
  nodegroupStackName,
  type StackRecord,
  type StackSpec,
} from './cloudformation';
import { planFromClusterConfig } from './cluster-config';
import { configContextOf } from './config-context';
import { Draws } from './draws';
import { IamRoles } from './iam';
import type { ClusterPlan, NodeGroupPlan } from './plan';
import type { ProvisioningPorts } from './ports';
import { EksctlResources } from './resource-providers';
import { clusterTemplate, nodegroupTemplate } from './templates';
import type {
  IamRole,
  ProvisioningSnapshot,
  RolePolicy,
  Stack,
  StackEvent,
  StackResourceSummary,
  StackStatus,
} from './types';
import { type CreationProgress, type DeletionProgress, EksctlWorkflows } from './workflows';

export interface ProvisioningSnapshotPart {
  readonly provisioning: ProvisioningSnapshot;
}

export type { CreationProgress, DeletionProgress };

/** What a save keeps: the stacks' records, the IAM roles, and which clusters have an eksctl run (the actors are the registry's). */
export interface SavedProvisioning {
  readonly stacks: ReturnType<CloudFormation['save']>;
  readonly roles: ReturnType<IamRoles['save']>;
  readonly workflows: ReturnType<EksctlWorkflows['save']>;
}
export { clusterStackName, nodegroupStackName };

/**
 * eksctl's CloudFormation stacks and the IAM roles they make (docs/lessons/seed-week1.md;
 * eksctl.io (VPC Networking)). `eksctl create cluster` and `eksctl delete cluster` are
 * workflow actors (create-cluster-machine.ts, delete-cluster-machine.ts); each stack is an
 * actor of stack-machine.ts, whose resources do their work through resource-providers.ts. The
 * read API (`stacks`, `stackEvents`, `stackResources`, `roles`, …) returns AWS-API-shaped
 * objects for the simulated `aws cloudformation` and `aws iam` commands.
 */
export class ProvisioningDomain implements Domain<ProvisioningSnapshotPart, SavedProvisioning> {
  readonly commands: readonly CommandSpec[] = [
    {
      type: 'provisioning.create-cluster',
      doc: 'What `eksctl create cluster -f` starts, without the shell: an eksctl.io/v1alpha5 ClusterConfig, checked as eksctl checks it; the cluster stack, then the node-group stacks, take 10-15 simulated minutes.',
      fields: { config: { kind: 'object', required: true, doc: 'an eksctl.io/v1alpha5 ClusterConfig (as JSON)' } },
      handle: (c) => this.handleCreate(c.config),
    },
    {
      type: 'provisioning.delete-cluster',
      doc: "Delete the cluster's stacks as from the CloudFormation console (docs/endpoint-modes.md: how the locked-out lab was deleted): node-group stacks, then the cluster stack. Unlike `eksctl delete cluster` it needs no path to the API server.",
      fields: { name: { kind: 'string', required: true, doc: 'cluster name' } },
      handle: (c) => {
        const error = this.deleteCluster(String(c.name));
        return error
          ? fail(error.startsWith('ResourceNotFound') ? 'ResourceNotFoundException' : 'ResourceInUseException', error)
          : ok(`Deleting the stacks of cluster ${String(c.name)}`);
      },
    },
    {
      type: 'provisioning.delete-stack',
      doc: "DeleteStack, as from the CloudFormation console or `aws cloudformation delete-stack`: a node-group stack deletes its node group, the cluster stack its cluster (refused by EKS while node groups are left). A stack that does not exist, or is already being deleted, is no error (CloudFormation's answer). Needs no path to the API server.",
      fields: { stackName: { kind: 'string', required: true, doc: 'stack name or StackId' } },
      handle: (c) => {
        const started = this.deleteStack(String(c.stackName));
        return ok(started ? `Deleting stack ${started}` : `No stack ${String(c.stackName)} to delete`, {
          stackName: started,
        });
      },
    },
  ];

  /**
   * CloudFormation's DeleteStack on one stack. Returns the name of the stack whose deletion
   * started, or undefined when there was nothing to start (no such live stack, or already
   * deleting: CloudFormation answers both without an error).
   */
  deleteStack(nameOrId: string): string | undefined {
    const stack = this.cfn.find(nameOrId);
    if (!stack || stack.deletedMs !== undefined) return undefined;
    if (this.cfn.statusOf(stack) === 'DELETE_IN_PROGRESS') return undefined;
    if (stack.kind === 'cluster') this.deleteClusterStack(stack.clusterName);
    else if (this.cfn.can(stack, { type: 'DELETE' })) this.cfn.send(stack, { type: 'DELETE' });
    else return undefined;
    return stack.name;
  }

  private handleCreate(config: unknown): CommandResult {
    const result = planFromClusterConfig(
      config,
      configContextOf(this.ctx, this.ports.cluster.region, this.ports.network),
      'config',
    );
    if (!result.ok) return fail('InvalidParameterException', result.error);
    const refused = this.createCluster(result.plan);
    if (refused) return fail('ResourceInUseException', refused);
    return ok(
      `Creating cluster ${result.plan.name}: stack ${clusterStackName(result.plan.name)} is CREATE_IN_PROGRESS`,
      { stacks: [clusterStackName(result.plan.name)] },
    );
  }
  private readonly cfn: CloudFormation;
  private readonly iam: IamRoles;
  private readonly draw: Draws;
  private readonly resources: EksctlResources;
  private readonly workflows: EksctlWorkflows;
  /** A plan between `createCluster` and its workflow deploying the cluster stack (within that call). */
  private readonly plans = new Map<string, ClusterPlan>();

  constructor(
    private readonly ctx: SimContext,
    private readonly ports: ProvisioningPorts,
  ) {
    const rng = ctx.rng('provisioning');
    this.draw = new Draws(rng);
    this.iam = new IamRoles(ctx, rng);
    this.resources = new EksctlResources(ctx, ports, this.iam, this.draw, (stack, status, failure) =>
      this.stackStatusChanged(stack, status, failure),
    );
    this.cfn = new CloudFormation(ctx, this.draw, ports.cluster.region, this.resources);
    this.resources.serve(this.cfn);
    this.workflows = new EksctlWorkflows(ctx, this.draw, {
      deployClusterStack: (name) => this.deployClusterStack(name),
      deployNodegroupStacks: (name) => this.deployNodegroupStacks(name),
      deleteNodegroupStacks: (names) => this.deleteStacks(names),
      deleteClusterStack: (name) => this.deleteClusterStack(name),
    });
  }

  start(): void {
    this.listen();
  }

  save(): SavedProvisioning {
    return { stacks: this.cfn.save(), roles: this.iam.save(), workflows: this.workflows.save() };
  }

  restore(saved: SavedProvisioning): void {
    this.listen();
    this.iam.restore(saved.roles);
    this.cfn.restore(saved.stacks);
    this.workflows.restore(saved.workflows);
  }

  private listen(): void {
    this.ports.cluster.onActive((cluster) => this.controlPlaneActive(cluster));
    this.ports.cluster.onDeleted((cluster) => this.controlPlaneDeleted(cluster));
    this.ports.nodegroups.onCreationEnded((group) => this.nodegroupCreationEnded(group));
  }

  // ---- read API (aws cloudformation …, aws iam …) ----

  /** `describe-stacks`: live stacks (not deleted), oldest first. */
  stacks(): Stack[] {
    return this.cfn.live().map((s) => this.cfn.toStack(s));
  }

  /** One stack by name or StackId; undefined when there is none (by name: or it was deleted). */
  stack(nameOrId: string): Stack | undefined {
    const record = this.cfn.find(nameOrId);
    return record ? this.cfn.toStack(record) : undefined;
  }

  /** `describe-stack-events`: newest first, as CloudFormation returns them. */
  stackEvents(nameOrId: string): StackEvent[] | undefined {
    const record = this.cfn.find(nameOrId);
    return record ? [...record.events].reverse() : undefined;
  }

  /** `list-stack-resources` → `StackResourceSummaries`. */
  stackResources(nameOrId: string): StackResourceSummary[] | undefined {
    const record = this.cfn.find(nameOrId);
    return record ? this.cfn.resources(record) : undefined;
  }

  roles(): IamRole[] {
    return this.iam.all();
  }

  /** `get-role`; the record also carries AttachedPolicies and PolicyNames. */
  role(roleName: string): IamRole | undefined {
    return this.iam.get(roleName);
  }

  /** `get-role-policy` for an inline policy. */
  rolePolicy(roleName: string, policyName: string): RolePolicy | undefined {
    return this.iam.rolePolicy(roleName, policyName);
  }

  /** The node instance role of a node group (docs/eksctl.md), once its stack has made it. */
  nodeRole(clusterName: string, nodegroupName: string): IamRole | undefined {
    return this.iam.ofStack(nodegroupStackName(clusterName, nodegroupName));
  }

  /** The cluster service role (eksctl.io (VPC Networking)). */
  clusterRole(clusterName: string): IamRole | undefined {
    return this.iam.ofStack(clusterStackName(clusterName));
  }

  /** eksctl gave up waiting (`--timeout`): the stack in flight completes, no node-group stack follows. */
  abandonCreation(clusterName: string): void {
    this.workflows.toCreation(clusterName, { type: 'ABANDON' });
  }

  creation(clusterName: string): CreationProgress | undefined {
    return this.workflows.creation(clusterName);
  }

  deletion(clusterName: string): DeletionProgress | undefined {
    return this.workflows.deletion(clusterName);
  }

  // ---- creation ----

  /**
   * Starts what `eksctl create cluster` does: the cluster stack now, the node-group stacks
   * when it completes. Returns an error text when eksctl would refuse to start.
   */
  createCluster(plan: ClusterPlan): string | undefined {
    const existing = this.cfn.find(clusterStackName(plan.name));
    if (existing) {
      return `creating CloudFormation stack "${existing.name}": operation error CloudFormation: CreateStack, https response error StatusCode: 400, AlreadyExistsException: Stack [${existing.name}] already exists`;
    }
    if (this.ports.cluster.cluster) {
      return `cannot create cluster "${plan.name}": this simulation models one cluster per region and "${this.ports.cluster.cluster.name}" exists; delete it first`;
    }
    this.plans.set(plan.name, plan);
    this.workflows.startCreation(
      plan.name,
      clusterStackName(plan.name),
      plan.nodeGroups.map((ng) => nodegroupStackName(plan.name, ng.name)),
    );
    return undefined;
  }

  private deployClusterStack(clusterName: string): void {
    const plan = this.plans.get(clusterName) as ClusterPlan;
    this.plans.delete(clusterName);
    this.cfn.create(
      { kind: 'cluster', plan },
      plan.name,
      undefined,
      `EKS cluster (dedicated VPC: ${plan.vpc.mode === 'new'}, dedicated IAM: true) [created and managed by eksctl]`,
      clusterTemplate(plan),
    );
  }

  /** eksctl's next task: every node-group stack of the plan, at once. */
  private deployNodegroupStacks(clusterName: string): void {
    const plan = this.clusterPlanOf(clusterName);
    if (!plan) return;
    for (const ng of plan.nodeGroups) {
      this.deployNodegroupStack({ name: plan.name, version: plan.version, withOIDC: plan.withOIDC }, ng);
    }
  }

  private deployNodegroupStack(cluster: Extract<StackSpec, { kind: 'nodegroup' }>['cluster'], ng: NodeGroupPlan): void {
    this.cfn.create(
      { kind: 'nodegroup', cluster, nodegroup: ng },
      cluster.name,
      ng.name,
      ng.managed
        ? `EKS Managed Nodes (SSH access: ${ng.ssh.allow}) [created by eksctl]`
        : `EKS nodes (AMI family: ${ng.amiFamily}, SSH access: ${ng.ssh.allow}, private networking: ${ng.privateNetworking}) [created and managed by eksctl]`,
      nodegroupTemplate(ng),
    );
  }

  /** The plan the cluster stack was deployed from (none for a cluster recorded as built). */
  private clusterPlanOf(clusterName: string): ClusterPlan | null {
    const spec = this.cfn.find(clusterStackName(clusterName))?.spec;
    return spec?.kind === 'cluster' ? spec.plan : null;
  }

  private controlPlaneActive(cluster: ClusterRecord): void {
    const stack = this.cfn.find(clusterStackName(cluster.name));
    if (stack) this.cfn.send(stack, { type: 'CONTROL_PLANE_ACTIVE' });
  }

  /** CloudFormation's AWS::EKS::Nodegroup is done when EKS's group is: ACTIVE, or failed with EKS's health issues. */
  private nodegroupCreationEnded(group: NodegroupRecord): void {
    const stack = this.cfn.find(nodegroupStackName(group.clusterName, group.name));
    if (!stack || !this.cfn.isIn(stack, 'CREATE_IN_PROGRESS.nodegroup.nodes.creating')) return;
    if (group.status === 'ACTIVE' || group.status === 'DEGRADED') {
      this.cfn.send(stack, { type: 'NODEGROUP_ACTIVE' });
      return;
    }
    const spec = stack.spec as Extract<StackSpec, { kind: 'nodegroup' }>;
    const logicalId = spec.nodegroup?.managed === false ? 'NodeGroup' : 'ManagedNodeGroup';
    // CloudFormation passes on EKS's health issues, as its AWS::EKS::Nodegroup handler does.
    const issues = (group.health?.issues ?? []).map(
      (i) => `Issue(Code=${i.code}, Message=${i.message}, ResourceIds=[${i.resourceIds.join(', ')}])`,
    );
    this.cfn.send(stack, {
      type: 'RESOURCE_FAILED',
      logicalId,
      reason: `Resource handler returned message: "[${issues.join(', ') || `Nodegroup ${group.name} failed to stabilize`}]" (HandlerErrorCode: GeneralServiceException)`,
    });
  }

  /** What CloudFormation reports moves eksctl's workflows on. */
  private stackStatusChanged(
    stack: StackRecord,
    status: StackStatus,
    failure: { logicalId: string; reason: string } | null,
  ): void {
    const cluster = stack.clusterName;
    if (status === 'CREATE_COMPLETE') {
      this.workflows.toCreation(
        cluster,
        stack.kind === 'cluster'
          ? { type: 'CLUSTER_STACK_CREATED' }
          : { type: 'NODEGROUP_STACK_CREATED', stackName: stack.name },
      );
    } else if (status === 'ROLLBACK_COMPLETE') {
      this.workflows.toCreation(cluster, {
        type: 'STACK_ROLLED_BACK',
        failure: `${failure?.logicalId}: ${failure?.reason}`,
      });
    } else if (status === 'DELETE_COMPLETE' && stack.kind === 'nodegroup') {
      this.workflows.toDeletion(cluster, { type: 'NODEGROUP_STACK_DELETED', stackName: stack.name });
    }
  }

  /**
   * What `eksctl create nodegroup` starts: one more node-group stack on an ACTIVE cluster.
   * Returns an error text when eksctl would refuse; the stack's status tells the rest.
   */
  createNodegroup(clusterName: string, ng: NodeGroupPlan): string | undefined {
    const cluster = this.ports.cluster.cluster;
    if (!cluster || cluster.name !== clusterName)
      return `ResourceNotFoundException: No cluster found for name: ${clusterName}.`;
    if (cluster.status !== 'ACTIVE')
      return `cluster "${clusterName}" is ${cluster.status}; a node group needs it ACTIVE`;
    const name = nodegroupStackName(clusterName, ng.name);
    if (this.cfn.find(name) || this.ports.nodegroups.find(ng.name)) {
      return `creating CloudFormation stack "${name}": AlreadyExistsException: Stack [${name}] already exists`;
    }
    const withOIDC = this.clusterPlanOf(clusterName)?.withOIDC ?? false;
    this.deployNodegroupStack({ name: clusterName, version: cluster.version, withOIDC }, ng);
    return undefined;
  }

  /**
   * What `eksctl delete nodegroup` does once the nodes are drained: the node-group stack and
   * the node group go, over 2-4 simulated minutes.
   */
  deleteNodegroup(clusterName: string, nodegroupName: string): string | undefined {
    const stack = this.cfn.find(nodegroupStackName(clusterName, nodegroupName));
    if (stack?.kind !== 'nodegroup') {
      return `stack "${nodegroupStackName(clusterName, nodegroupName)}" does not exist (no eksctl nodegroup "${nodegroupName}" in cluster "${clusterName}")`;
    }
    const status = this.cfn.statusOf(stack);
    if (status === 'DELETE_IN_PROGRESS' || status === 'CREATE_IN_PROGRESS' || status === 'UPDATE_IN_PROGRESS') {
      return `stack "${stack.name}" is ${status}; wait for it to finish`;
    }
    this.cfn.send(stack, { type: 'DELETE' });
    return undefined;
  }

  // ---- deletion ----

  /**
   * Starts what `eksctl delete cluster` does once it has reached the API server: node-group
   * stacks first, then the cluster stack, whose ControlPlane goes through the cluster domain.
   */
  deleteCluster(clusterName: string): string | undefined {
    const cluster = this.ports.cluster.cluster;
    if (!cluster || cluster.name !== clusterName) {
      return `ResourceNotFoundException: No cluster found for name: ${clusterName}.`;
    }
    const underway = this.workflows.deletion(clusterName);
    if (underway && underway.phase !== 'complete') return `cluster "${clusterName}" is already being deleted`;
    const ngStacks = this.cfn.live().filter((s) => s.kind === 'nodegroup' && s.clusterName === clusterName);
    this.workflows.startDeletion(
      clusterName,
      ngStacks.map((s) => s.name),
    );
    return undefined;
  }

  private deleteStacks(stackNames: readonly string[]): void {
    for (const name of stackNames) {
      const stack = this.cfn.find(name);
      if (stack) this.cfn.send(stack, { type: 'DELETE' });
    }
  }

  /** The cluster stack, whose ControlPlane resource deletes the cluster (EKS's cluster itself without one). */
  private deleteClusterStack(clusterName: string): void {
    const stack = this.cfn.find(clusterStackName(clusterName));
    if (stack && this.cfn.can(stack, { type: 'DELETE' })) this.cfn.send(stack, { type: 'DELETE' });
    else if (stack) this.resources.deleteControlPlane(stack);
    else this.ports.cluster.delete(clusterName);
  }

  private controlPlaneDeleted(cluster: ClusterRecord): void {
    const stack = this.cfn.find(clusterStackName(cluster.name));
    if (stack) this.cfn.send(stack, { type: 'CONTROL_PLANE_DELETED' });
    this.workflows.toDeletion(cluster.name, { type: 'CLUSTER_DELETED' });
    this.workflows.forgetCreation(cluster.name);
  }

  // ---- updates (eksctl upgrade …) ----

  /** Marks a stack UPDATE_IN_PROGRESS (an `eksctl upgrade` changeset); false if it cannot be updated now. */
  beginStackUpdate(nameOrId: string, logicalIds: readonly string[]): boolean {
    const stack = this.cfn.find(nameOrId);
    const update = { type: 'UPDATE' as const, logicalIds };
    if (!stack || !this.cfn.can(stack, update)) return false;
    this.cfn.send(stack, update);
    return true;
  }

  endStackUpdate(nameOrId: string): void {
    const stack = this.cfn.find(nameOrId);
    if (stack) this.cfn.send(stack, { type: 'UPDATE_DONE' });
  }

  /**
   * A scenario that starts with the cluster built: record what eksctl would have made (both
   * stacks CREATE_COMPLETE, the IAM roles, eksctl's security groups, the node groups) at once.
   */
  adoptExistingCluster(scenario: Scenario): void {
    adoptExistingCluster({ ctx: this.ctx, ports: this.ports, cfn: this.cfn, iam: this.iam, draw: this.draw }, scenario);
  }

  snapshot(): ProvisioningSnapshotPart {
    return {
      provisioning: {
        stacks: this.stacks().map((s) => ({ ...s, resources: this.stackResources(s.StackName) ?? [] })),
        roles: this.roles(),
      },
    };
  }
}
