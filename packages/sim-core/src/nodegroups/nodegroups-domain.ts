import type { Actor } from 'xstate';
import { ACCOUNT_ID } from '../cluster/facts';
import { tagChange } from '../cluster/tags';
import { type CommandResult, type CommandSpec, fail, ok } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import type { Prng } from '../engine/prng';
import type { Scenario, ScenarioNodeGroup } from '../input/scenario';
import { awsId, cfnSuffix } from '../network/ids';
import type { NetworkNodegroupsPort } from '../network/ports';
import type { Subnet } from '../network/types';
import { type NodeEmitted, nodeMachine, type ZoneOutage } from './node-machine';
import { type CreateNodegroupInput, created, nodegroupCommands, scalingRefusal } from './nodegroup-commands';
import { type NodegroupEmitted, nodegroupMachine } from './nodegroup-machine';
import type { NodegroupsPorts } from './ports';
import { groupKey, groupOver, nodeKey, nodeOver, type SavedNodegroups } from './records';
import type { NodegroupRecord, NodegroupsSnapshotPart, NodegroupUpgradeView, WorkerNode } from './types';

/** A managed node group's instances launch and join in a few minutes: the tail of eksctl's 10-15 (docs/lessons/seed-week1.md). */
export const NODEGROUP_CREATE_MS = { min: 3 * 60_000, max: 5 * 60_000 };
/** DeleteNodegroup: the nodes drain and terminate in a few minutes (as eksctl's node-group stack deletion). */
export const NODEGROUP_DELETE_MS = { min: 2 * 60_000, max: 4 * 60_000 };
/** The EKS API's default root volume of a node group's nodes (CreateNodegroup `diskSize`: 20 GiB for Linux). */
const API_DEFAULT_DISK_GIB = 20;

/** Hops where the network, not the control plane's health, refuses a node. */
const NETWORK_HOPS = new Set(['route-table', 'client-sg-egress', 'public-access-cidrs', 'cluster-sg-ingress']);

/** IAM role names are at most 64 characters; CloudFormation shortens the stack-name part (docs/eksctl.md). */
function nodeRoleName(cluster: string, nodegroup: string, suffix: string): string {
  const tail = `-NodeInstanceRole-${suffix}`;
  return `eksctl-${cluster}-nodegroup-${nodegroup}`.slice(0, 64 - tail.length) + tail;
}

type UpgradeListener = (group: NodegroupRecord) => void;

/**
 * The data plane's managed node groups (docs/lessons/seed-week1.md): nodes placed in the subnets the scenario
 * names (the seed: the two public subnets), with private addresses from the subnet, public
 * ones in public subnets, the cluster security group and eksctl's, and EC2 private DNS names.
 * Each group and each node is an actor (nodegroup-machine.ts, node-machine.ts) that keeps its
 * state and timing; the records read them. This domain is the only writer of its records.
 */
export class NodegroupsDomain implements Domain<NodegroupsSnapshotPart, SavedNodegroups>, NetworkNodegroupsPort {
  readonly commands: readonly CommandSpec[] = nodegroupCommands(this);
  protected readonly groups: NodegroupRecord[] = [];
  private readonly groupActors = new Map<string, Actor<typeof nodegroupMachine>>();
  private readonly nodeActors = new Map<string, Actor<typeof nodeMachine>>();
  /** Every rolling upgrade started, oldest first. */
  private readonly upgradeViews: NodegroupUpgradeView[] = [];
  private readonly upgradeListeners: UpgradeListener[] = [];
  private readonly creationListeners: ((group: NodegroupRecord) => void)[] = [];
  /** The AZs (customer names) that are down or cut off from the control plane's other AZs. */
  private readonly zonesOut = new Map<string, ZoneOutage>();
  private readonly rng: Prng;

  constructor(
    private readonly ctx: SimContext,
    private readonly ports: NodegroupsPorts,
    private readonly scenario: Scenario,
  ) {
    this.rng = ctx.rng('nodegroups');
  }

  start(): void {
    this.listen();
  }

  /** Wired in `start` or `restore`, after the network's own listener (it restores the SG rule first). */
  private listen(): void {
    // Nodes whose path to the API server the new endpoint settings open or close change state.
    this.ports.cluster.onEndpointAccessChanged(() => this.refreshConnectivity());
  }

  /** After a group's creation ends: ACTIVE, or CREATE_FAILED with its health issue (eksctl's stack waits for it). */
  onCreationEnded(listener: (group: NodegroupRecord) => void): void {
    this.creationListeners.push(listener);
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
    // nodeRoleArn, tags: what CreateNodegroup names (eksctl's stack makes its own role).
    opts: {
      immediate?: boolean;
      createMs?: number;
      subnetIds?: readonly string[];
      nodeRoleArn?: string;
      tags?: Readonly<Record<string, string>>;
      /** With `immediate`: when the group was made, before the start (a scenario's pre-built cluster). */
      createdAtMs?: number;
    } = {},
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
    const nodeRoleArn =
      opts.nodeRoleArn ??
      `arn:aws:iam::${ACCOUNT_ID}:role/${nodeRoleName(cluster.name, spec.name, cfnSuffix(this.rng).slice(0, 12))}`;
    let actor: Actor<typeof nodegroupMachine> | null = null;
    const group = groupOver(() => actor as Actor<typeof nodegroupMachine>, nodes, {
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
      subnetKind,
      subnetIds: subnets.map((s) => s.id),
      nodeRoleArn,
      createdAtMs: opts.immediate && opts.createdAtMs !== undefined ? opts.createdAtMs : now,
      tags: { ...(opts.tags ?? {}) },
    });
    this.groups.push(group);
    for (const node of nodes) this.nodeActors.get(node.name)?.on('*', (said) => this.heardNode(group, node, said));
    const input = {
      name: spec.name,
      version,
      instanceType: spec.instanceType,
      subnetKind,
      nodeCount: nodes.length,
      createMs: opts.immediate ? 0 : (opts.createMs ?? this.rng.int(NODEGROUP_CREATE_MS.min, NODEGROUP_CREATE_MS.max)),
      running: opts.immediate === true,
    };
    this.ctx.actors.start(groupKey(group.name), nodegroupMachine, { input }, (started) => {
      actor = started;
      this.groupActors.set(group.name, started);
      started.on('*', (said) => this.heardGroup(group, said));
    });
    return group;
  }

  /** CreateNodegroup: EKS's checks, then `create` in the subnets named. */
  createFromApi(input: CreateNodegroupInput): CommandResult {
    const cluster = this.ports.cluster.cluster;
    if (!cluster || cluster.name !== input.clusterName) {
      return fail('ResourceNotFoundException', `No cluster found for name: ${input.clusterName}.`);
    }
    if (cluster.status !== 'ACTIVE') {
      return fail('ResourceInUseException', `Cluster '${cluster.name}' is in ${cluster.status} state.`);
    }
    if (this.find(input.nodegroup)) {
      return fail(
        'ResourceInUseException',
        `NodeGroup already exists with name ${input.nodegroup} and cluster name ${cluster.name}`,
      );
    }
    const subnets = this.ports.network.view().subnets;
    const unknown = input.subnetIds.find((id) => !subnets.some((s) => s.id === id));
    if (input.subnetIds.length === 0 || unknown !== undefined) {
      return fail(
        'InvalidParameterException',
        unknown === undefined
          ? 'subnets must name at least one subnet'
          : `The subnet ID '${unknown}' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidSubnetID.NotFound)`,
      );
    }
    const kinds = new Set(input.subnetIds.map((id) => subnets.find((s) => s.id === id)?.kind));
    if (kinds.size > 1) {
      return fail(
        'InvalidParameterException',
        'eks-sim places a node group in public subnets or in private ones, not both: name subnets of one kind',
      );
    }
    const desired = input.desiredSize ?? 2;
    const min = input.minSize ?? Math.min(desired, input.maxSize ?? desired);
    const max = input.maxSize ?? Math.max(desired, 1);
    const refused = scalingRefusal(min, desired, max);
    if (refused) return refused;
    const minor = (v: string) => Number(v.split('.')[1]);
    if (input.version !== undefined && !(minor(input.version) <= minor(cluster.version))) {
      return fail(
        'InvalidParameterException',
        `Requested Nodegroup version ${input.version} is invalid; it must be at most the cluster version ${cluster.version}`,
      );
    }
    const group = this.create(
      {
        name: input.nodegroup,
        instanceType: input.instanceType ?? 't3.medium',
        desiredCapacity: desired,
        minSize: min,
        maxSize: max,
        volumeSize: input.diskSize ?? API_DEFAULT_DISK_GIB,
        subnets: [...kinds][0] as 'public' | 'private',
        ...(input.version !== undefined ? { version: input.version } : {}),
      },
      { subnetIds: input.subnetIds, nodeRoleArn: input.nodeRole, tags: input.tags },
    );
    return typeof group === 'string' ? fail('InvalidParameterException', group) : created(group.name);
  }

  /** DeleteNodegroup: the group of that cluster goes DELETING, its nodes drain and terminate. */
  deleteFromApi(clusterName: string, name: string): CommandResult {
    const group = this.find(name);
    if (!group || group.clusterName !== clusterName) {
      return fail('ResourceNotFoundException', `No node group found for name: ${name}.`);
    }
    const error = this.delete(name, this.rng.int(NODEGROUP_DELETE_MS.min, NODEGROUP_DELETE_MS.max));
    return error ? fail('ResourceInUseException', error) : ok(`Nodegroup ${name} is DELETING`, { nodegroup: name });
  }

  /** TagResource / UntagResource on a node group's ARN. */
  retag(clusterName: string, name: string, change: { add?: Record<string, string>; remove?: string[] }): CommandResult {
    const group = this.find(name);
    if (!group || group.clusterName !== clusterName) {
      return fail('NotFoundException', `No node group found for name: ${name}.`);
    }
    const changed = tagChange(group.tags, change);
    if (typeof changed === 'string') return fail('BadRequestException', changed);
    const { tags, keys, verb } = changed;
    for (const key of Object.keys(group.tags)) delete group.tags[key];
    Object.assign(group.tags, tags);
    this.ctx.emit(`nodegroup.${verb}`, `nodegroup/${name}`, `Node group ${name} ${verb}: ${keys.join(', ')}`, { keys });
    return ok(`Nodegroup ${name} ${verb}`);
  }

  save(): SavedNodegroups {
    const groups = (JSON.parse(JSON.stringify(this.groups)) as NodegroupRecord[]).map(
      ({ version: _v, status: _s, health: _h, nodes, ...group }) => ({
        ...group,
        nodes: nodes.map(({ kubeletVersion: _k, state: _st, ...node }) => node),
      }),
    );
    return {
      groups,
      upgrades: JSON.parse(JSON.stringify(this.upgradeViews)) as NodegroupUpgradeView[],
      zonesOut: [...this.zonesOut],
    };
  }

  restore(saved: SavedNodegroups): void {
    this.listen();
    for (const data of saved.groups) {
      const nodes = data.nodes.map((n) => {
        const nodeActor = this.ctx.actors.revive(nodeKey(n.name), nodeMachine);
        this.nodeActors.set(n.name, nodeActor);
        return nodeOver(() => nodeActor, n);
      });
      const actor = this.ctx.actors.revive(groupKey(data.name), nodegroupMachine);
      this.groupActors.set(data.name, actor);
      const group = groupOver(() => actor, nodes, data);
      this.groups.push(group);
      for (const node of nodes) this.nodeActors.get(node.name)?.on('*', (said) => this.heardNode(group, node, said));
      actor.on('*', (said) => this.heardGroup(group, said));
    }
    this.upgradeViews.push(...saved.upgrades);
    // A save from before AZ outages reached the nodes has none.
    for (const [az, outage] of saved.zonesOut ?? []) this.zonesOut.set(az, outage);
  }

  /** What a group's machine said: a line for the log, or a cue to act on its nodes. */
  private heardGroup(group: NodegroupRecord, said: NodegroupEmitted): void {
    if (said.type === 'instances-launched') {
      this.register(group);
      return;
    }
    if (said.type === 'batch-due') {
      for (const name of said.nodes) {
        this.nodeActors
          .get(name)
          ?.send({ type: 'UPGRADE', toVersion: said.toVersion, drainMs: this.ports.versions.nodeDrainMs() });
      }
      return;
    }
    if (said.type === 'nodegroup.deleted') {
      for (const node of group.nodes) {
        this.nodeActors.get(node.name)?.send({ type: 'TERMINATE' });
        this.nodeActors.delete(node.name);
        this.ctx.actors.stop(nodeKey(node.name));
        this.ports.network.releasePrivateIp(node.privateIp);
      }
      const i = this.groups.indexOf(group);
      if (i >= 0) this.groups.splice(i, 1);
      this.groupActors.delete(group.name);
      this.ctx.actors.stop(groupKey(group.name));
    }
    const view = this.latestUpgradeOf(group.name);
    if (said.type === 'nodegroup.update-successful' && view) view.completedAtMs = this.ctx.clock.now();
    this.ctx.emit(said.type, said.source, said.message, said.data);
    if (said.type === 'nodegroup.update-successful') for (const l of this.upgradeListeners) l(group);
    if (said.type === 'nodegroup.active' || said.type === 'nodegroup.create-failed') {
      for (const l of this.creationListeners) l(group);
    }
  }

  /** What a node's machine said: a line for the log, or the cue to time its replacement's boot. */
  private heardNode(group: NodegroupRecord, node: WorkerNode, said: NodeEmitted): void {
    if (said.type === 'replacement-launched') {
      this.nodeActors
        .get(node.name)
        ?.send({ type: 'REPLACEMENT_BOOT_TIME', bootMs: this.ports.versions.nodeReplaceMs() });
      return;
    }
    const view = this.latestUpgradeOf(group.name);
    if (said.type === 'nodegroup.node-upgraded' && view) view.nodesUpgraded++;
    this.ctx.emit(said.type, said.source, said.message, said.data);
    if (said.type === 'nodegroup.node-upgraded') {
      for (const l of this.upgradeListeners) l(group);
      this.groupActors.get(group.name)?.send({ type: 'NODE_UPGRADED' });
    }
  }

  /**
   * The instances are up: each kubelet registers only if it reaches the API server. A node in a
   * private subnet without NAT behind a public-only endpoint never joins (AWS EKS User Guide,
   * cluster-endpoint.html); then the group is CREATE_FAILED with EKS's health issue.
   */
  private register(group: NodegroupRecord): void {
    for (const node of group.nodes) {
      if (node.state !== 'launching') continue;
      this.nodeActors.get(node.name)?.send({ type: 'REGISTERED' });
      const outage = this.zonesOut.get(node.az);
      if (outage) this.nodeActors.get(node.name)?.send({ type: 'AZ_LOST', az: node.az, why: outage });
    }
    const stranded = group.nodes.filter((n) => n.state === 'Ready' && this.cutOff(n));
    const actor = this.groupActors.get(group.name);
    if (stranded.length === 0) {
      actor?.send({ type: 'JOINED', nodes: group.nodes.map((n) => n.name) });
      return;
    }
    for (const node of stranded) this.nodeActors.get(node.name)?.send({ type: 'NEVER_REGISTERED' });
    const why = this.ports.endpoint.reach(stranded[0]?.name as string);
    actor?.send({
      type: 'JOIN_FAILED',
      stranded: stranded.map((n) => n.name),
      instanceIds: stranded.map((n) => n.instanceId),
      why: `refused at ${why.refusedAt}${why.fix ? `; fix: ${why.fix}` : ''}`,
      refusedAt: why.refusedAt,
    });
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
        // Its AZ's outage decides until the AZ is back.
        if (this.zonesOut.has(node.az)) continue;
        const cut = this.cutOff(node);
        const actor = this.nodeActors.get(node.name);
        if (cut && node.state === 'Ready') {
          actor?.send({ type: 'LOST_API_SERVER', refusedAt: this.ports.endpoint.reach(node.name).refusedAt });
        } else if (!cut && node.state === 'NotReady') {
          actor?.send({ type: 'API_SERVER_REACHED' });
        }
      }
    }
  }

  /**
   * An AZ (the customer's name for it) went down or was cut off from the control plane's other
   * AZs, or is back (`null`). Its nodes' kubelets cannot post their status, so each turns
   * NotReady after the node controller's grace period; once the AZ is back they post again.
   */
  zoneReach(az: string, outage: ZoneOutage | null): void {
    if (outage) this.zonesOut.set(az, outage);
    else this.zonesOut.delete(az);
    for (const { node } of this.nodes()) {
      if (node.az !== az) continue;
      const actor = this.nodeActors.get(node.name);
      if (!outage) actor?.send({ type: 'AZ_RECOVERED' });
      else if (node.state === 'Ready') actor?.send({ type: 'AZ_LOST', az, why: outage });
    }
    // Back in touch, a node whose path to the endpoint is closed is NotReady for that reason.
    if (!outage) this.refreshConnectivity();
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
    for (const node of group.nodes) this.nodeActors.get(node.name)?.send({ type: 'DRAIN' });
    this.groupActors.get(name)?.send({ type: 'DELETE_REQUESTED', deleteMs: durationMs });
    return undefined;
  }

  /**
   * UpdateNodegroupVersion, once the versions domain has checked it against the cluster: a
   * rolling replacement of every node not on `toVersion`, `maxUnavailable` at a time.
   */
  startUpgrade(name: string, toVersion: string): NodegroupUpgradeView | undefined {
    const group = this.find(name);
    const actor = this.groupActors.get(name);
    if (!group || !actor || group.status !== 'ACTIVE') return undefined;
    const pending = group.nodes.filter((n) => n.state !== 'terminated' && n.kubeletVersion !== toVersion);
    const view: NodegroupUpgradeView = {
      nodegroup: group.name,
      fromVersion: group.version,
      toVersion,
      maxUnavailable: Math.max(1, group.maxUnavailable),
      startedAtMs: this.ctx.clock.now(),
      completedAtMs: null,
      nodesUpgraded: 0,
      nodesTotal: pending.length,
    };
    this.upgradeViews.push(view);
    actor.send({ type: 'UPGRADE', toVersion, maxUnavailable: view.maxUnavailable, nodes: pending.map((n) => n.name) });
    return view;
  }

  private latestUpgradeOf(nodegroup: string): NodegroupUpgradeView | undefined {
    for (let i = this.upgradeViews.length - 1; i >= 0; i--) {
      if (this.upgradeViews[i]?.nodegroup === nodegroup) return this.upgradeViews[i];
    }
    return undefined;
  }

  /** Every rolling upgrade started, oldest first (the versions part of the snapshot shows them). */
  get upgrades(): readonly NodegroupUpgradeView[] {
    return this.upgradeViews;
  }

  /** After each node of a rolling upgrade is Ready on the new version, and when the group is. */
  onUpgradeProgress(listener: UpgradeListener): void {
    this.upgradeListeners.push(listener);
  }

  private launchNode(subnet: Subnet, version: string, securityGroupIds: string[], running?: boolean): WorkerNode {
    const network = this.ports.network;
    const privateIp = network.allocatePrivateIp(subnet.id);
    const name = `ip-${privateIp.replaceAll('.', '-')}.${this.scenario.region}.compute.internal`;
    const actor = this.ctx.actors.start(nodeKey(name), nodeMachine, {
      input: { name, kubeletVersion: version, running: running === true },
    });
    this.nodeActors.set(name, actor);
    return nodeOver(() => actor, {
      name,
      instanceId: awsId(this.rng, 'i'),
      az: subnet.az,
      subnetId: subnet.id,
      privateIp,
      publicIp: subnet.mapPublicIpOnLaunch ? network.allocatePublicIp() : null,
      securityGroupIds: [...securityGroupIds],
    });
  }

  snapshot(): NodegroupsSnapshotPart {
    return { nodegroups: JSON.parse(JSON.stringify(this.groups)) as NodegroupRecord[] };
  }
}
