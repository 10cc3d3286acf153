import type { ClusterDomain } from '../cluster/cluster-domain';
import { type Command, type CommandResult, type CommandSpec, fail, ok } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import type { NodegroupsDomain } from '../nodegroups/nodegroups-domain';
import type { WorkerNode } from '../nodegroups/types';
import { nameSuffix } from './names';

/**
 * What EKS runs in `kube-system` on every cluster, and the writes a lesson makes to it:
 * cordoned nodes, evicted pods, coredns's replica count (Amazon EKS User Guide, "Default
 * Amazon EKS add-ons": the Amazon VPC CNI `aws-node` and `kube-proxy` DaemonSets, the
 * `coredns` Deployment with two replicas). Pods are derived from the nodes that joined;
 * only what a write changed is kept here, so a cluster nobody touched logs nothing.
 */

export const KUBE_SYSTEM = 'kube-system';
export const DAEMONSETS = ['aws-node', 'kube-proxy'] as const;
export type DaemonSetName = (typeof DAEMONSETS)[number];
export const COREDNS = 'coredns';
/** EKS deploys coredns with two replicas (Amazon EKS User Guide, "Manage CoreDNS"). */
export const COREDNS_DEFAULT_REPLICAS = 2;
/** A bound on `kubectl scale` in the simulator: far more than a lesson needs, small enough to list. */
export const MAX_COREDNS_REPLICAS = 50;

/** A node the API server knows: its kubelet registered (launching and terminated instances are not Nodes). */
export interface ClusterNode {
  readonly name: string;
  readonly node: WorkerNode;
  /** When the node's group was created: the Node's creationTimestamp. */
  readonly createdAtMs: number;
}

/** Which instances are Nodes: one rule, read by the node view and by the scheduler here. */
export function clusterNodes(groups: NodegroupsDomain['all']): ClusterNode[] {
  const nodes: ClusterNode[] = [];
  for (const group of groups) {
    // A node that never joined (the group's NodeCreationFailure names its instance) is not a Node.
    const neverJoined = new Set(
      (group.health?.issues ?? []).filter((i) => i.code === 'NodeCreationFailure').flatMap((i) => i.resourceIds),
    );
    for (const node of group.nodes) {
      if (node.state === 'launching' || node.state === 'terminated' || neverJoined.has(node.instanceId)) continue;
      nodes.push({ name: node.name, node, createdAtMs: group.createdAtMs });
    }
  }
  return nodes;
}

/** One pod of kube-system, where it runs (null: Pending, no node can take it). */
export interface PodPlacement {
  readonly name: string;
  readonly app: DaemonSetName | typeof COREDNS;
  /** The DaemonSet or ReplicaSet that owns it. */
  readonly owner: { readonly kind: 'DaemonSet' | 'ReplicaSet'; readonly name: string };
  readonly nodeName: string | null;
  readonly createdAtMs: number;
}

/** A coredns pod a write created or kept: its serial names it. */
interface CorednsPod {
  readonly serial: number;
  readonly nodeName: string | null;
  readonly createdAtMs: number;
}

export interface WorkloadsSnapshotPart {
  readonly workloads: {
    readonly cordoned: readonly string[];
    readonly corednsReplicas: number;
  };
}

export interface SavedWorkloads {
  readonly cordoned: readonly string[];
  readonly corednsReplicas: number;
  readonly corednsPods: readonly CorednsPod[] | null;
  readonly nextSerial: number;
  /** `aws-node/<node>` → how many times that DaemonSet pod was evicted (its name changes each time). */
  readonly daemonRestarts: Readonly<Record<string, { readonly count: number; readonly atMs: number }>>;
}

export interface WorkloadsPorts {
  readonly cluster: Pick<ClusterDomain, 'cluster'>;
  readonly nodegroups: Pick<NodegroupsDomain, 'all'>;
}

export class WorkloadsDomain implements Domain<WorkloadsSnapshotPart, SavedWorkloads> {
  readonly commands: readonly CommandSpec[];
  private cordonedNodes: string[] = [];
  private corednsReplicas = COREDNS_DEFAULT_REPLICAS;
  /** Null until a write fixes where coredns runs; until then it is placed over the nodes as they are. */
  private corednsPods: CorednsPod[] | null = null;
  private nextSerial = COREDNS_DEFAULT_REPLICAS;
  private daemonRestarts: Record<string, { count: number; atMs: number }> = {};

  constructor(
    private readonly ctx: SimContext,
    private readonly ports: WorkloadsPorts,
  ) {
    const nodeField = { kind: 'string' as const, required: true, maxLength: 253, doc: 'the Node name' };
    const nsField = { kind: 'string' as const, required: true, maxLength: 63, doc: 'the namespace' };
    const nameField = { kind: 'string' as const, required: true, maxLength: 253, doc: 'the object name' };
    this.commands = [
      {
        type: 'node.cordon',
        doc: 'Mark a node unschedulable (kubectl cordon; drain starts with it).',
        fields: { node: nodeField },
        handle: (c) => this.setUnschedulable(c, true),
      },
      {
        type: 'node.uncordon',
        doc: 'Mark a node schedulable again (kubectl uncordon).',
        fields: { node: nodeField },
        handle: (c) => this.setUnschedulable(c, false),
      },
      {
        type: 'pod.evict',
        doc: 'Evict a kube-system pod (kubectl drain; the Eviction API): its owner starts a replacement.',
        fields: { namespace: nsField, name: nameField },
        handle: (c) => this.evict(String(c.namespace), String(c.name)),
      },
      {
        type: 'deployment.scale',
        doc: `Set a Deployment's replicas (kubectl scale deployment coredns -n kube-system --replicas=N; 0-${MAX_COREDNS_REPLICAS}).`,
        fields: {
          namespace: nsField,
          name: nameField,
          replicas: { kind: 'integer', required: true, min: 0, max: MAX_COREDNS_REPLICAS },
        },
        handle: (c) => this.scale(String(c.namespace), String(c.name), Number(c.replicas)),
      },
    ];
  }

  get cordoned(): readonly string[] {
    return this.cordonedNodes;
  }

  get replicas(): number {
    return this.corednsReplicas;
  }

  /** The Nodes of the cluster now (none without a cluster). */
  nodes(): ClusterNode[] {
    return this.ports.cluster.cluster ? clusterNodes(this.ports.nodegroups.all) : [];
  }

  /** Every kube-system pod: one of each DaemonSet per Node, then coredns's replicas. */
  pods(): PodPlacement[] {
    const nodes = this.nodes();
    if (nodes.length === 0 && !this.ports.cluster.cluster) return [];
    const pods: PodPlacement[] = [];
    for (const ds of DAEMONSETS) {
      for (const n of nodes) {
        const restart = this.daemonRestarts[`${ds}/${n.name}`];
        pods.push({
          name: `${ds}-${nameSuffix(`${ds}/${n.name}/${restart?.count ?? 0}`)}`,
          app: ds,
          owner: { kind: 'DaemonSet', name: ds },
          nodeName: n.name,
          createdAtMs: restart?.atMs ?? n.createdAtMs,
        });
      }
    }
    const rs = this.corednsReplicaSet();
    for (const pod of this.placedCoredns(nodes)) {
      pods.push({
        name: `${rs}-${nameSuffix(`${rs}/${pod.serial}`)}`,
        app: COREDNS,
        owner: { kind: 'ReplicaSet', name: rs },
        nodeName: pod.nodeName,
        createdAtMs: pod.createdAtMs,
      });
    }
    return pods;
  }

  /** coredns's ReplicaSet: `coredns-<pod-template-hash>`, stable for the cluster. */
  corednsReplicaSet(): string {
    return `${COREDNS}-${nameSuffix(`${this.ports.cluster.cluster?.name ?? ''}/coredns`, 9)}`;
  }

  /** Where coredns runs now: the kept pods, with any whose node is gone placed again over the nodes. */
  private placedCoredns(nodes: readonly ClusterNode[]): CorednsPod[] {
    const cluster = this.ports.cluster.cluster;
    const sorted = [...nodes].sort((a, b) => a.name.localeCompare(b.name));
    const kept =
      this.corednsPods ??
      Array.from({ length: this.corednsReplicas }, (_, serial) => ({
        serial,
        nodeName: null,
        createdAtMs: Math.max(cluster?.createdAtMs ?? 0, sorted[serial % Math.max(1, sorted.length)]?.createdAtMs ?? 0),
      }));
    const known = new Set(sorted.map((n) => n.name));
    const schedulable = sorted.filter((n) => this.schedulable(n));
    return kept.map((pod, i) => {
      if (pod.nodeName !== null && known.has(pod.nodeName)) return pod;
      // Not bound yet, or its node is gone: the scheduler spreads it over the nodes that can take it.
      const pool = this.corednsPods === null ? sorted : schedulable;
      const node = pool.length ? (pool[i % pool.length] as ClusterNode) : null;
      return { ...pod, nodeName: node?.name ?? null, createdAtMs: Math.max(pod.createdAtMs, node?.createdAtMs ?? 0) };
    });
  }

  private schedulable(n: ClusterNode): boolean {
    return n.node.state === 'Ready' && !this.cordonedNodes.includes(n.name);
  }

  /** The schedulable node with the fewest coredns pods (ties: by name), as the default scheduler's spreading does. */
  private leastLoaded(pods: readonly CorednsPod[]): string | null {
    const candidates = this.nodes()
      .filter((n) => this.schedulable(n))
      .sort((a, b) => a.name.localeCompare(b.name));
    let best: string | null = null;
    let bestLoad = Number.POSITIVE_INFINITY;
    for (const n of candidates) {
      const load = pods.filter((p) => p.nodeName === n.name).length;
      if (load < bestLoad) [best, bestLoad] = [n.name, load];
    }
    return best;
  }

  /** Fixes coredns where it runs now, so later node changes do not move it. */
  private materialized(): CorednsPod[] {
    if (this.corednsPods === null) this.corednsPods = this.placedCoredns(this.nodes());
    return this.corednsPods;
  }

  private setUnschedulable(c: Command, unschedulable: boolean): CommandResult {
    const name = String(c.node);
    if (!this.nodes().some((n) => n.name === name)) return fail('NotFound', `nodes "${name}" not found`);
    const already = this.cordonedNodes.includes(name) === unschedulable;
    if (already) return ok(`node/${name} already ${unschedulable ? 'cordoned' : 'uncordoned'}`);
    this.materialized();
    this.cordonedNodes = unschedulable ? [...this.cordonedNodes, name] : this.cordonedNodes.filter((n) => n !== name);
    this.ctx.emit(
      unschedulable ? 'node.cordoned' : 'node.uncordoned',
      `node/${name}`,
      unschedulable
        ? `Node ${name} is cordoned: SchedulingDisabled, new pods go elsewhere`
        : `Node ${name} is uncordoned: schedulable again`,
    );
    return ok(`node/${name} ${unschedulable ? 'cordoned' : 'uncordoned'}`);
  }

  private evict(namespace: string, name: string): CommandResult {
    const pod = namespace === KUBE_SYSTEM ? this.pods().find((p) => p.name === name) : undefined;
    if (!pod) return fail('NotFound', `pods "${name}" not found`);
    const now = this.ctx.clock.now();
    if (pod.owner.kind === 'DaemonSet') {
      // The DaemonSet controller starts a new pod on the same node (DaemonSet pods tolerate unschedulable).
      const key = `${pod.app}/${pod.nodeName}`;
      this.daemonRestarts[key] = { count: (this.daemonRestarts[key]?.count ?? 0) + 1, atMs: now };
      const next = this.pods().find((p) => p.app === pod.app && p.nodeName === pod.nodeName);
      this.ctx.emit(
        'pod.evicted',
        `pod/${KUBE_SYSTEM}/${name}`,
        `Evicted ${KUBE_SYSTEM}/${name}; DaemonSet ${pod.app} starts ${next?.name} on ${pod.nodeName}`,
        {
          node: pod.nodeName,
          replacement: next?.name ?? null,
        },
      );
      return ok(`pod/${name} evicted`);
    }
    const placed = this.materialized();
    const rs = this.corednsReplicaSet();
    const index = placed.findIndex((p) => `${rs}-${nameSuffix(`${rs}/${p.serial}`)}` === name);
    const rest = placed.filter((_, i) => i !== index);
    const replacement: CorednsPod = { serial: this.nextSerial++, nodeName: this.leastLoaded(rest), createdAtMs: now };
    this.corednsPods = [...rest, replacement];
    const newName = `${rs}-${nameSuffix(`${rs}/${replacement.serial}`)}`;
    this.ctx.emit(
      'pod.evicted',
      `pod/${KUBE_SYSTEM}/${name}`,
      replacement.nodeName
        ? `Evicted ${KUBE_SYSTEM}/${name} from ${pod.nodeName}; ReplicaSet ${rs} starts ${newName} on ${replacement.nodeName}`
        : `Evicted ${KUBE_SYSTEM}/${name} from ${pod.nodeName}; its replacement ${newName} is Pending: no schedulable node`,
      { node: pod.nodeName, replacement: newName, replacementNode: replacement.nodeName },
    );
    return ok(`pod/${name} evicted`);
  }

  private scale(namespace: string, name: string, replicas: number): CommandResult {
    if (namespace !== KUBE_SYSTEM || name !== COREDNS) {
      return fail('NotFound', `deployments.apps "${name}" not found in namespace "${namespace}"`);
    }
    if (replicas === this.corednsReplicas) return ok(`deployment.apps/${name} scaled`);
    const placed = [...this.materialized()];
    // Scaling down removes the newest pods first (ReplicaSet controller, pods ranked by age).
    while (placed.length > replicas) placed.pop();
    while (placed.length < replicas) {
      placed.push({ serial: this.nextSerial++, nodeName: this.leastLoaded(placed), createdAtMs: this.ctx.clock.now() });
    }
    const from = this.corednsReplicas;
    this.corednsPods = placed;
    this.corednsReplicas = replicas;
    this.ctx.emit(
      'deployment.scaled',
      `deployment/${KUBE_SYSTEM}/${name}`,
      `Scaled deployment ${KUBE_SYSTEM}/${name} from ${from} to ${replicas} replicas`,
      { from, to: replicas },
    );
    return ok(`deployment.apps/${name} scaled`);
  }

  snapshot(): WorkloadsSnapshotPart {
    return { workloads: { cordoned: [...this.cordonedNodes], corednsReplicas: this.corednsReplicas } };
  }

  save(): SavedWorkloads {
    return JSON.parse(
      JSON.stringify({
        cordoned: this.cordonedNodes,
        corednsReplicas: this.corednsReplicas,
        corednsPods: this.corednsPods,
        nextSerial: this.nextSerial,
        daemonRestarts: this.daemonRestarts,
      }),
    ) as SavedWorkloads;
  }

  restore(saved: SavedWorkloads): void {
    this.cordonedNodes = [...saved.cordoned];
    this.corednsReplicas = saved.corednsReplicas;
    this.corednsPods = saved.corednsPods === null ? null : saved.corednsPods.map((p) => ({ ...p }));
    this.nextSerial = saved.nextSerial;
    this.daemonRestarts = JSON.parse(JSON.stringify(saved.daemonRestarts)) as Record<
      string,
      { count: number; atMs: number }
    >;
  }
}
