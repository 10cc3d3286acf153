import { ACCOUNT_ID } from '../cluster/facts';
import type { CommandSpec } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import type { Prng } from '../engine/prng';
import type { Scenario, ScenarioNodeGroup } from '../input/scenario';
import { awsId, cfnSuffix } from '../network/ids';
import type { NetworkNodegroupsPort } from '../network/ports';
import type { Subnet } from '../network/types';
import type { NodegroupsPorts } from './ports';
import type { NodegroupRecord, NodegroupsSnapshotPart, WorkerNode } from './types';

/** A managed node group's instances launch and join in a few minutes: the tail of eksctl's 10-15 (docs/lessons/seed-week1.md). */
export const NODEGROUP_CREATE_MS = { min: 3 * 60_000, max: 5 * 60_000 };

/** Hops where the network, not the control plane's health, refuses a node. */
const NETWORK_HOPS = new Set(['route-table', 'client-sg-egress', 'public-access-cidrs', 'cluster-sg-ingress']);

/** IAM role names are at most 64 characters; CloudFormation shortens the stack-name part (docs/eksctl.md). */
function nodeRoleName(cluster: string, nodegroup: string, suffix: string): string {
  const tail = `-NodeInstanceRole-${suffix}`;
  return `eksctl-${cluster}-nodegroup-${nodegroup}`.slice(0, 64 - tail.length) + tail;
}

/**
 * The data plane's managed node groups (docs/lessons/seed-week1.md): nodes placed in the subnets the scenario
 * names (the seed: the two public subnets), with private addresses from the subnet, public
 * ones in public subnets, the cluster security group and eksctl's, and EC2 private DNS names.
 */
export class NodegroupsDomain implements Domain<NodegroupsSnapshotPart>, NetworkNodegroupsPort {
  readonly commands: readonly CommandSpec[] = [];
  protected readonly groups: NodegroupRecord[] = [];
  private readonly rng: Prng;

  constructor(
    private readonly ctx: SimContext,
    private readonly ports: NodegroupsPorts,
    private readonly scenario: Scenario,
  ) {
    this.rng = ctx.rng('nodegroups');
  }

  start(): void {
    // Nodes whose path to the API server the new endpoint settings open or close change state.
    this.ports.cluster.onEndpointAccessChanged(() => this.refreshConnectivity());
  }

  get all(): readonly NodegroupRecord[] {
    return this.groups;
  }

  find(name: string): NodegroupRecord | undefined {
    return this.groups.find((g) => g.name === name);
  }

  /** Every node of every group, with its group. */
  nodes(): { group: NodegroupRecord; node: WorkerNode }[] {
    return this.groups.flatMap((group) => group.nodes.map((node) => ({ group, node })));
  }

  /**
   * Creates a managed node group; its nodes launch over a few simulated minutes, or at once
   * with `immediate` (a scenario that starts with the cluster built). Returns an error text
   * when EKS would refuse.
   */
  create(
    spec: ScenarioNodeGroup,
    // createMs: how long the nodes take to join, when the caller times it (eksctl's stack, provisioning/).
    // subnetIds: launch only in these (eksctl's given subnets); default: every subnet of the kind.
    opts: { immediate?: boolean; createMs?: number; subnetIds?: readonly string[] } = {},
  ): NodegroupRecord | string {
    const cluster = this.ports.cluster.cluster;
    if (!cluster) return 'No cluster found: create the cluster before its node groups.';
    if (this.find(spec.name)) return `NodeGroup already exists with name ${spec.name} and cluster name ${cluster.name}`;
    if (!Number.isInteger(spec.desiredCapacity) || spec.desiredCapacity < 0) {
      return `desiredCapacity must be a whole number ≥ 0 (got ${spec.desiredCapacity})`;
    }
    const network = this.ports.network;
    const subnetKind = spec.subnets ?? 'public';
    const subnets = network
      .subnetsOfKind(subnetKind)
      .filter((s) => opts.subnetIds === undefined || opts.subnetIds.includes(s.id));
    if (subnets.length === 0) {
      return `the VPC has no ${subnetKind} subnets for node group ${spec.name} (its layout: ${network
        .view()
        .subnets.map((s) => s.name)
        .join(', ')})`;
    }
    const now = this.ctx.clock.now();
    const securityGroupIds = network.nodeSecurityGroupIds(cluster.name, spec.name);
    const version = spec.version ?? cluster.version;
    const nodes: WorkerNode[] = [];
    for (let i = 0; i < spec.desiredCapacity; i++) {
      nodes.push(this.launchNode(subnets[i % subnets.length] as Subnet, version, securityGroupIds, opts.immediate));
    }
    const group: NodegroupRecord = {
      name: spec.name,
      clusterName: cluster.name,
      instanceType: spec.instanceType,
      volumeSizeGiB: spec.volumeSize ?? 80,
      scaling: {
        minSize: spec.minSize ?? spec.desiredCapacity,
        maxSize: spec.maxSize ?? spec.desiredCapacity,
        desiredSize: spec.desiredCapacity,
      },
      maxUnavailable: 1,
      version,
      status: opts.immediate ? 'ACTIVE' : 'CREATING',
      subnetKind,
      subnetIds: subnets.map((s) => s.id),
      nodes,
      nodeRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/${nodeRoleName(cluster.name, spec.name, cfnSuffix(this.rng).slice(0, 12))}`,
      createdAtMs: now,
    };
    this.groups.push(group);
    const source = `nodegroup/${group.name}`;
    const becomeActive = () => {
      group.status = 'ACTIVE';
      for (const node of group.nodes) if (node.state === 'launching') node.state = 'Ready';
      if (!this.checkJoin(group)) return;
      this.ctx.emit('nodegroup.active', source, `Node group ${group.name} is ACTIVE with ${group.nodes.length} nodes`, {
        nodes: group.nodes.map((n) => n.name),
      });
    };
    if (opts.immediate) {
      becomeActive();
    } else {
      this.ctx.emit(
        'nodegroup.creating',
        source,
        `Node group ${group.name} is CREATING: ${nodes.length} × ${group.instanceType} in ${subnetKind} subnets`,
      );
      this.ctx.clock.after(opts.createMs ?? this.rng.int(NODEGROUP_CREATE_MS.min, NODEGROUP_CREATE_MS.max), () => {
        if (group.status === 'CREATING') becomeActive();
      });
    }
    return group;
  }

  /**
   * A node joins (and stays Ready) only while it reaches the API server: a node in a private
   * subnet without NAT behind a public-only endpoint never joins (AWS EKS User Guide, cluster-endpoint.html). Failing nodes
   * turn the group CREATE_FAILED with EKS's health issue. Returns whether every node joined.
   */
  private checkJoin(group: NodegroupRecord): boolean {
    const stranded = group.nodes.filter((n) => n.state === 'Ready' && this.cutOff(n));
    if (stranded.length === 0) return true;
    for (const node of stranded) node.state = 'NotReady';
    group.status = 'CREATE_FAILED';
    group.health = {
      issues: [
        {
          code: 'NodeCreationFailure',
          message: 'Instances failed to join the kubernetes cluster',
          resourceIds: stranded.map((n) => n.instanceId),
        },
      ],
    };
    const why = this.ports.endpoint.reach(stranded[0]?.name as string);
    this.ctx.emit(
      'nodegroup.create-failed',
      `nodegroup/${group.name}`,
      `Node group ${group.name} CREATE_FAILED: ${stranded.length} instance(s) failed to join the cluster (refused at ${why.refusedAt}${why.fix ? `; fix: ${why.fix}` : ''})`,
      { nodes: stranded.map((n) => n.name), refusedAt: why.refusedAt },
    );
    return false;
  }

  /** Whether the network (not the control plane's health) keeps this node from the API server. */
  private cutOff(node: WorkerNode): boolean {
    const r = this.ports.endpoint.reach(node.name);
    return !r.reachable && r.refusedAt !== null && NETWORK_HOPS.has(r.refusedAt);
  }

  /**
   * After a network or endpoint change: joined nodes that lose the API server go NotReady (the
   * kubelet cannot post its status), and come back Ready when the path is open again.
   */
  refreshConnectivity(): void {
    for (const group of this.groups) {
      if (group.status === 'CREATING' || group.status === 'CREATE_FAILED') continue;
      for (const node of group.nodes) {
        if (node.state !== 'Ready' && node.state !== 'NotReady') continue;
        const cut = this.cutOff(node);
        if (cut && node.state === 'Ready') {
          node.state = 'NotReady';
          const why = this.ports.endpoint.reach(node.name);
          this.ctx.emit(
            'node.not-ready',
            `node/${node.name}`,
            `${node.name} is NotReady: it cannot reach the API server (refused at ${why.refusedAt})`,
            { refusedAt: why.refusedAt },
          );
        } else if (!cut && node.state === 'NotReady') {
          node.state = 'Ready';
          this.ctx.emit('node.ready', `node/${node.name}`, `${node.name} is Ready again: it reaches the API server`);
        }
      }
    }
  }

  /**
   * Deletes a node group (DeleteNodegroup; eksctl deletes its stack): DELETING, nodes draining,
   * then after `durationMs` the instances are terminated and the group is gone. Returns an error
   * text when EKS would refuse.
   */
  delete(name: string, durationMs: number): string | undefined {
    const group = this.find(name);
    if (!group) return `No node group found for name: ${name}.`;
    if (group.status === 'DELETING') return `Nodegroup ${name} is already being deleted.`;
    group.status = 'DELETING';
    for (const node of group.nodes) if (node.state !== 'terminated') node.state = 'draining';
    this.ctx.emit('nodegroup.deleting', `nodegroup/${name}`, `Node group ${name} is DELETING`);
    this.ctx.clock.after(durationMs, () => {
      for (const node of group.nodes) {
        node.state = 'terminated';
        this.ports.network.releasePrivateIp(node.privateIp);
      }
      const i = this.groups.indexOf(group);
      if (i >= 0) this.groups.splice(i, 1);
      this.ctx.emit('nodegroup.deleted', `nodegroup/${name}`, `Node group ${name} was deleted`);
    });
    return undefined;
  }

  private launchNode(subnet: Subnet, version: string, securityGroupIds: string[], ready?: boolean): WorkerNode {
    const network = this.ports.network;
    const privateIp = network.allocatePrivateIp(subnet.id);
    return {
      name: `ip-${privateIp.replaceAll('.', '-')}.${this.scenario.region}.compute.internal`,
      instanceId: awsId(this.rng, 'i'),
      az: subnet.az,
      subnetId: subnet.id,
      privateIp,
      publicIp: subnet.mapPublicIpOnLaunch ? network.allocatePublicIp() : null,
      securityGroupIds: [...securityGroupIds],
      kubeletVersion: version,
      state: ready ? 'Ready' : 'launching',
    };
  }

  snapshot(): NodegroupsSnapshotPart {
    return { nodegroups: JSON.parse(JSON.stringify(this.groups)) as NodegroupRecord[] };
  }
}
