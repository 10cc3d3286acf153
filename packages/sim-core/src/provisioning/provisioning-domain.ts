import type { ClusterRecord } from '../cluster/types';
import { type CommandResult, type CommandSpec, fail, ok } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import type { Prng } from '../engine/prng';
import type { Scenario } from '../input/scenario';
import { adoptExistingCluster } from './adopt';
import { CloudFormation, clusterStackName, nodegroupStackName, type StackRecord } from './cloudformation';
import { planFromClusterConfig } from './cluster-config';
import { configContextOf } from './config-context';
import { CLUSTER_ROLE_POLICIES, NODEGROUP_STACK_DELETE_SECONDS } from './facts';
import { IamRoles } from './iam';
import { createNodegroupStack } from './nodegroup-stack';
import type { ClusterPlan, NodeGroupPlan } from './plan';
import type { ProvisioningPorts } from './ports';
import { Draws, type StackWork } from './stack-work';
import type {
  IamRole,
  ProvisioningSnapshot,
  RolePolicy,
  Stack,
  StackEvent,
  StackResourceSummary,
  StackStatus,
} from './types';
import { buildVpcResources } from './vpc-stack';

export interface ProvisioningSnapshotPart {
  readonly provisioning: ProvisioningSnapshot;
}

/** Where `eksctl create cluster` is: what the shell polls while it blocks. */
export interface CreationProgress {
  readonly clusterName: string;
  phase: 'cluster-stack' | 'nodegroup-stacks' | 'complete' | 'failed';
  failure?: string;
  /** eksctl stopped waiting (`--timeout`): CloudFormation finishes the stack in flight, nothing follows. */
  abandoned?: boolean;
  readonly clusterStack: string;
  readonly nodegroupStacks: string[];
}

export interface DeletionProgress {
  readonly clusterName: string;
  phase: 'nodegroup-stacks' | 'cluster-stack' | 'complete';
  readonly stackNames: string[];
}

export { clusterStackName, nodegroupStackName };

/**
 * eksctl's CloudFormation stacks and the IAM roles they make (docs/lessons/seed-week1.md;
 * eksctl.io (VPC Networking)). A cluster is created as eksctl does it: the cluster stack (service role,
 * eksctl's security groups, the control plane through the cluster domain, eksctl's ingress
 * rules), then one stack per node group (node role with its managed and inline policies, SSH
 * security group, launch template, the node group through the node-groups domain). The read
 * API (`stacks`, `stackEvents`, `stackResources`, `roles`, …) returns AWS-API-shaped objects for
 * the simulated `aws cloudformation` and `aws iam` commands.
 */
export class ProvisioningDomain implements Domain<ProvisioningSnapshotPart> {
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
  ];

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
  private readonly creations = new Map<string, CreationProgress>();
  private readonly deletions = new Map<string, DeletionProgress>();
  private readonly rng: Prng;
  private readonly cfn: CloudFormation;
  private readonly iam: IamRoles;
  private readonly draw: Draws;
  /** What the stack builders in nodegroup-stack.ts, vpc-stack.ts and adopt.ts work with. */
  private readonly work: StackWork;

  constructor(
    private readonly ctx: SimContext,
    private readonly ports: ProvisioningPorts,
  ) {
    this.rng = ctx.rng('provisioning');
    this.cfn = new CloudFormation(ctx, this.rng, ports.cluster.region);
    this.iam = new IamRoles(ctx, this.rng);
    this.draw = new Draws(this.rng);
    this.work = {
      ctx,
      ports,
      cfn: this.cfn,
      iam: this.iam,
      draw: this.draw,
      createRole: (stack, logicalId, service, managed) => this.createRole(stack, logicalId, service, managed),
      failStack: (stack, logicalId, reason) => this.failStack(stack, logicalId, reason),
    };
  }

  start(): void {
    this.ports.cluster.onActive((cluster) => this.controlPlaneActive(cluster));
    this.ports.cluster.onDeleted((cluster) => this.controlPlaneDeleted(cluster));
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
    const progress = this.creations.get(clusterName);
    if (progress) progress.abandoned = true;
  }

  creation(clusterName: string): CreationProgress | undefined {
    return this.creations.get(clusterName);
  }

  deletion(clusterName: string): DeletionProgress | undefined {
    return this.deletions.get(clusterName);
  }

  // ---- creation ----

  /**
   * Starts what `eksctl create cluster` does: the cluster stack now, the node-group stacks
   * when it completes. Returns an error text when eksctl would refuse to start.
   */
  createCluster(plan: ClusterPlan): string | undefined {
    const existing = this.findStack(clusterStackName(plan.name));
    if (existing) {
      return `creating CloudFormation stack "${existing.name}": operation error CloudFormation: CreateStack, https response error StatusCode: 400, AlreadyExistsException: Stack [${existing.name}] already exists`;
    }
    if (this.ports.cluster.cluster) {
      return `cannot create cluster "${plan.name}": this simulation models one cluster per region and "${this.ports.cluster.cluster.name}" exists; delete it first`;
    }
    const stack = this.cfn.create(
      'cluster',
      plan.name,
      undefined,
      `EKS cluster (dedicated VPC: ${plan.vpc.mode === 'new'}, dedicated IAM: true) [created and managed by eksctl]`,
    );
    const progress: CreationProgress = {
      clusterName: plan.name,
      phase: 'cluster-stack',
      clusterStack: stack.name,
      nodegroupStacks: [],
    };
    this.creations.set(plan.name, progress);
    this.deletions.delete(plan.name);
    this.pendingPlans.set(plan.name, plan);
    if (plan.withOIDC) this.oidcClusters.add(plan.name);
    else this.oidcClusters.delete(plan.name);

    if (plan.vpc.mode === 'new') buildVpcResources(this.work, stack, plan);
    const role = this.createRole(stack, 'ServiceRole', 'eks.amazonaws.com', CLUSTER_ROLE_POLICIES);
    const sgSeconds = this.draw.seconds('AWS::EC2::SecurityGroup');
    this.cfn.startResource(stack, 'ControlPlaneSecurityGroup');
    this.cfn.startResource(stack, 'ClusterSharedNodeSecurityGroup');
    let securityGroupsDone = false;
    let roleDone = false;
    const startControlPlane = () => {
      if (!securityGroupsDone || !roleDone) return;
      this.cfn.startResource(stack, 'ControlPlane');
      const result = this.ports.cluster.create({
        name: plan.name,
        version: plan.version,
        endpointPublicAccess: plan.endpointPublicAccess,
        endpointPrivateAccess: plan.endpointPrivateAccess,
        publicAccessCidrs: plan.publicAccessCidrs,
        supportType: plan.supportType,
        roleArn: role.Arn,
        tags: {
          ...plan.tags,
          'alpha.eksctl.io/cluster-name': plan.name,
          'eksctl.cluster.k8s.io/v1alpha1/cluster-name': plan.name,
        },
      });
      if (typeof result === 'string') this.failStack(stack, 'ControlPlane', result);
    };
    this.ctx.clock.after(sgSeconds * 1000, () => {
      const ids = this.ports.network.addEksctlSecurityGroups({ clusterName: plan.name });
      this.cfn.completeResource(stack, 'ControlPlaneSecurityGroup', ids[0]);
      this.cfn.completeResource(stack, 'ClusterSharedNodeSecurityGroup', ids[1]);
      this.cfn.startResource(stack, 'IngressInterNodeGroupSG');
      this.ctx.clock.after(this.draw.seconds('AWS::EC2::SecurityGroupIngress') * 1000, () =>
        this.cfn.completeResource(stack, 'IngressInterNodeGroupSG', this.draw.sgrId()),
      );
      securityGroupsDone = true;
      startControlPlane();
    });
    this.ctx.clock.after(this.draw.seconds('AWS::IAM::Role') * 1000, () => {
      this.cfn.completeResource(stack, 'ServiceRole', role.RoleName);
      roleDone = true;
      startControlPlane();
    });
    return undefined;
  }

  private readonly pendingPlans = new Map<string, ClusterPlan>();
  /** Clusters created with an IAM OIDC provider (`iam.withOIDC`, `--with-oidc`). */
  private readonly oidcClusters = new Set<string>();

  private controlPlaneActive(cluster: ClusterRecord): void {
    const stack = this.cfn.find(clusterStackName(cluster.name));
    const progress = this.creations.get(cluster.name);
    const plan = this.pendingPlans.get(cluster.name);
    if (!stack || !progress || !plan || progress.phase !== 'cluster-stack') return;
    this.cfn.completeResource(stack, 'ControlPlane', cluster.name);
    const ingress = ['IngressDefaultClusterToNodeSG', 'IngressNodeToDefaultClusterSG'];
    for (const id of ingress) this.cfn.startResource(stack, id);
    this.ctx.clock.after(this.draw.seconds('AWS::EC2::SecurityGroupIngress') * 1000, () => {
      for (const id of ingress) this.cfn.completeResource(stack, id, this.draw.sgrId());
      this.ctx.clock.after(1000, () => {
        this.cfn.finish(stack);
        progress.phase = 'nodegroup-stacks';
        this.pendingPlans.delete(cluster.name);
        if (progress.abandoned) {
          progress.phase = 'failed';
          progress.failure = 'eksctl stopped waiting before the node-group stacks';
          return;
        }
        if (plan.nodeGroups.length === 0) {
          progress.phase = 'complete';
          return;
        }
        // eksctl's next task starts a moment after its poll sees the stack complete.
        this.ctx.clock.after(this.rng.int(2, 6) * 1000, () => {
          for (const ng of plan.nodeGroups) {
            const ngStack = createNodegroupStack(this.work, plan, ng, () => this.nodegroupStackDone(progress));
            progress.nodegroupStacks.push(ngStack.name);
          }
        });
      });
    });
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
    if (this.findStack(name) || this.ports.nodegroups.find(ng.name)) {
      return `creating CloudFormation stack "${name}": AlreadyExistsException: Stack [${name}] already exists`;
    }
    createNodegroupStack(
      this.work,
      { name: clusterName, version: cluster.version, withOIDC: this.oidcClusters.has(clusterName) },
      ng,
      () => undefined,
    );
    return undefined;
  }

  /**
   * What `eksctl delete nodegroup` does once the nodes are drained: the node-group stack and
   * the node group go, over 2-4 simulated minutes.
   */
  deleteNodegroup(clusterName: string, nodegroupName: string): string | undefined {
    const stack = this.findStack(nodegroupStackName(clusterName, nodegroupName));
    if (stack?.kind !== 'nodegroup') {
      return `stack "${nodegroupStackName(clusterName, nodegroupName)}" does not exist (no eksctl nodegroup "${nodegroupName}" in cluster "${clusterName}")`;
    }
    const status = this.statusOf(stack);
    if (status === 'DELETE_IN_PROGRESS' || status === 'CREATE_IN_PROGRESS' || status === 'UPDATE_IN_PROGRESS') {
      return `stack "${stack.name}" is ${status}; wait for it to finish`;
    }
    this.cfn.beginDelete(stack);
    const deleteMs = this.rng.int(NODEGROUP_STACK_DELETE_SECONDS.min, NODEGROUP_STACK_DELETE_SECONDS.max) * 1000;
    this.ports.nodegroups.delete(nodegroupName, deleteMs - 1000);
    this.ctx.clock.after(deleteMs, () => this.endDelete(stack));
    return undefined;
  }

  private nodegroupStackDone(progress: CreationProgress): void {
    const states = progress.nodegroupStacks.map((n) => this.statusOf(this.cfn.find(n)));
    if (states.some((s) => s === 'ROLLBACK_COMPLETE' || s === 'ROLLBACK_IN_PROGRESS')) {
      progress.phase = 'failed';
      progress.failure ??= 'a node-group stack failed';
    } else if (states.every((s) => s === 'CREATE_COMPLETE')) {
      progress.phase = 'complete';
    }
  }

  // ---- deletion ----

  /**
   * Starts what `eksctl delete cluster` does once it has reached the API server: node-group
   * stacks first, then the cluster stack, whose ControlPlane goes through the cluster domain.
   */
  deleteCluster(clusterName: string): string | undefined {
    const cluster = this.ports.cluster.cluster;
    const clusterStack = this.findStack(clusterStackName(clusterName));
    if (!cluster || cluster.name !== clusterName) {
      return `ResourceNotFoundException: No cluster found for name: ${clusterName}.`;
    }
    if (cluster.status === 'DELETING' || this.deletions.get(clusterName)?.phase !== undefined) {
      const d = this.deletions.get(clusterName);
      if (d && d.phase !== 'complete') return `cluster "${clusterName}" is already being deleted`;
    }
    const ngStacks = this.cfn.live().filter((s) => s.kind === 'nodegroup' && s.clusterName === clusterName);
    const progress: DeletionProgress = {
      clusterName,
      phase: 'nodegroup-stacks',
      stackNames: [...ngStacks.map((s) => s.name), ...(clusterStack ? [clusterStack.name] : [])],
    };
    this.deletions.set(clusterName, progress);
    const deleteClusterStack = () => {
      progress.phase = 'cluster-stack';
      if (clusterStack) this.cfn.beginDelete(clusterStack);
      const error = this.ports.cluster.delete(clusterName);
      if (error && clusterStack) {
        this.cfn.event(clusterStack, 'ControlPlane', 'AWS::EKS::Cluster', clusterName, 'DELETE_FAILED', error);
      }
    };
    if (ngStacks.length === 0) {
      deleteClusterStack();
      return undefined;
    }
    let left = ngStacks.length;
    for (const stack of ngStacks) {
      this.cfn.beginDelete(stack);
      const deleteMs = this.rng.int(NODEGROUP_STACK_DELETE_SECONDS.min, NODEGROUP_STACK_DELETE_SECONDS.max) * 1000;
      // The node group goes first (drained, terminated); the stack completes a moment later.
      if (stack.nodegroupName) this.ports.nodegroups.delete(stack.nodegroupName, deleteMs - 1000);
      this.ctx.clock.after(deleteMs, () => {
        this.endDelete(stack);
        if (--left === 0) deleteClusterStack();
      });
    }
    return undefined;
  }

  private controlPlaneDeleted(cluster: ClusterRecord): void {
    const stack = this.findStack(clusterStackName(cluster.name));
    if (stack && this.statusOf(stack) === 'DELETE_IN_PROGRESS') this.endDelete(stack);
    const progress = this.deletions.get(cluster.name);
    if (progress) progress.phase = 'complete';
    this.creations.delete(cluster.name);
  }

  /** CloudFormation deletes what the stack made: eksctl's security groups and the IAM roles. */
  private endDelete(stack: StackRecord): void {
    this.cfn.endDelete(stack);
    this.ports.network.removeEksctlSecurityGroups(
      stack.resources.filter((r) => r.type === 'AWS::EC2::SecurityGroup').map((r) => r.physicalId),
    );
    this.iam.deleteOfStack(stack.name);
  }

  // ---- updates (eksctl upgrade …) ----

  /** Marks a stack UPDATE_IN_PROGRESS (an `eksctl upgrade` changeset); false if it cannot be updated now. */
  beginStackUpdate(nameOrId: string, logicalIds: readonly string[]): boolean {
    const stack = this.cfn.find(nameOrId);
    return stack ? this.cfn.beginUpdate(stack, logicalIds) : false;
  }

  endStackUpdate(nameOrId: string): void {
    const stack = this.cfn.find(nameOrId);
    if (stack) this.cfn.endUpdate(stack);
  }

  /**
   * A scenario that starts with the cluster built: record what eksctl would have made (both
   * stacks CREATE_COMPLETE, the IAM roles, eksctl's security groups, the node groups) at once.
   */
  adoptExistingCluster(scenario: Scenario): void {
    adoptExistingCluster(this.work, scenario);
  }

  snapshot(): ProvisioningSnapshotPart {
    return {
      provisioning: {
        stacks: this.stacks().map((s) => ({ ...s, resources: this.stackResources(s.StackName) ?? [] })),
        roles: this.roles(),
      },
    };
  }

  // ---- helpers ----

  private findStack(nameOrId: string): StackRecord | undefined {
    return this.cfn.find(nameOrId);
  }

  private statusOf(stack: StackRecord | undefined): StackStatus | undefined {
    return this.cfn.statusOf(stack);
  }

  /** A resource failed: its stack rolls back and the creation eksctl waits on has failed. */
  private failStack(stack: StackRecord, logicalId: string, reason: string): void {
    this.cfn.fail(stack, logicalId, reason);
    const progress = this.creations.get(stack.clusterName);
    if (progress) {
      progress.phase = 'failed';
      progress.failure = `${logicalId}: ${reason}`;
    }
  }

  /** An AWS::IAM::Role resource of `stack`, and the role it makes. */
  private createRole(stack: StackRecord, logicalId: string, service: string, managed: readonly string[]): IamRole {
    this.cfn.startResource(stack, logicalId);
    return this.iam.create(stack.name, stack.tags, logicalId, service, managed);
  }
}
