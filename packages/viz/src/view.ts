/**
 * What the page draws, read from the typed snapshot (sim-core's `Snapshot`, carried by
 * `@eks-sim/protocol`) in the snapshot's own words. Nothing here decides anything the model
 * already decided (states, leaders, DNS membership, the endpoint mode, reachability verdicts
 * and where each hop happens are copied, never recomputed); it only gathers them per drawn thing.
 * A part may be missing (a page before its first snapshot, a script feeding a few parts): it is
 * then drawn empty.
 */
import type { Command, HopKind, Reachability, Snapshot } from '@eks-sim/sim-core';

type ControlPlanePart = Snapshot['controlPlane'];
/** The state words each drawn component has in the model (its machine's states). */
export type ApiServerState = ControlPlanePart['apiServers'][number]['state'];
export type EtcdState = ControlPlanePart['etcd'][number]['state'];
export type NlbState = ControlPlanePart['nlbs'][number]['state'];
export type AzState = ControlPlanePart['azs'][number]['health'];
/** A node's state; hosts and EKS-owned ENIs have no lifecycle in the model and are drawn `running`. */
export type HostState = Snapshot['nodegroups'][number]['nodes'][number]['state'] | 'running';
/** Every state word the picture colours. */
export type DrawnState = ApiServerState | EtcdState | NlbState | AzState | HostState;

export interface ApiServerView {
  readonly id: string;
  readonly az: string;
  readonly state: ApiServerState;
  readonly size: string | null;
  /** CPU use, 0..1. */
  readonly cpu: number | null;
  readonly memory: number | null;
  readonly rps: number | null;
}

export interface EtcdView {
  readonly id: string;
  readonly az: string;
  readonly state: EtcdState;
  readonly role: string | null;
  readonly term: number | null;
  readonly isLeader: boolean;
  readonly size: string | null;
}

export interface NlbView {
  readonly id: string;
  readonly az: string;
  readonly state: NlbState;
  readonly inDns: boolean | null;
  readonly ips: readonly string[];
}

export interface AzView {
  readonly id: string;
  readonly state: AzState;
  /** `connected`, or how a partition cuts it off. */
  readonly network: string | null;
}

export interface SubnetView {
  readonly id: string;
  readonly name: string;
  readonly az: string;
  readonly kind: 'public' | 'private';
  readonly cidr: string | null;
}

export interface HostView {
  readonly id: string;
  readonly name: string;
  /** What people see: the EC2 Name tag (`myeks-host`) or the node's name. */
  readonly label: string;
  readonly kind: string;
  readonly state: HostState;
  readonly subnetId: string | null;
  readonly az: string | null;
  readonly ip: string | null;
  readonly securityGroupIds: readonly string[];
}

export interface SecurityGroupView {
  readonly id: string;
  readonly name: string;
  readonly ruleCount: number | null;
}

export interface HopView {
  readonly hop: string;
  /** Where the hop happens, as the model says: the client's side, the NLB, an ENI, the API server, a node. */
  readonly kind: HopKind;
  /** The NLB node or ENI the hop passes through, when the model names one. */
  readonly resourceId: string | null;
  readonly ok: boolean;
  readonly detail: string;
}

export interface PathView {
  readonly client: string;
  readonly reachable: boolean;
  readonly mode: string | null;
  readonly refusedAt: string | null;
  readonly fix: string | null;
  /** The model's fix as a command (`sg.add-rule`, `endpoint.update`), when one command does it. */
  readonly fixCommand: Command | null;
  /** Which side of the endpoint the client's DNS answer sends it to (`public` → NLB, `private` → ENI). */
  readonly via: 'public' | 'private' | null;
  readonly hops: readonly HopView[];
  /** The hop's own sentence where it refused, for the label and the hover text. */
  readonly reason: string | null;
}

/** A control plane → kubelet path, with the node it goes to. */
export interface KubeletPathView extends PathView {
  readonly node: string;
}

export interface ArchitectureView {
  readonly region: string;
  readonly azs: readonly AzView[];
  readonly apiServers: readonly ApiServerView[];
  readonly etcd: readonly EtcdView[];
  readonly nlbs: readonly NlbView[];
  readonly vpc: { readonly id: string | null; readonly cidr: string | null };
  readonly customerAzs: readonly string[];
  readonly subnets: readonly SubnetView[];
  readonly securityGroups: readonly SecurityGroupView[];
  readonly enis: readonly HostView[];
  readonly hosts: readonly HostView[];
  readonly nodes: readonly HostView[];
  readonly endpointMode: string | null;
  /** An EndpointAccessUpdate in progress: the mode it goes to and when it is due. */
  readonly pendingEndpoint: { readonly to: string | null; readonly dueAtMs: number | null } | null;
  readonly nowMs: number | null;
  readonly publicAccessCidrs: readonly string[];
  readonly paths: readonly PathView[];
  /** Control plane → kubelet (exec, logs, webhooks), always through the EKS-owned ENIs (docs/endpoint-modes.md). */
  readonly kubeletPaths: readonly KubeletPathView[];
  /** EKS's cluster security group (`eks-cluster-sg-<cluster>-<n>`), the one a private endpoint checks. */
  readonly clusterSecurityGroupId: string | null;
}

/** A snapshot as the page may hold it: every part the model's shape, some parts possibly not there yet. */
export type SnapshotParts = Partial<Snapshot> | null | undefined;

function path(reach: Reachability): PathView {
  const hops = reach.path.map((h) => ({
    hop: h.hop,
    kind: h.kind,
    resourceId: h.resourceId ?? null,
    ok: h.ok,
    detail: h.detail,
  }));
  const refusing = hops.find((h) => h.hop === reach.refusedAt) ?? hops.find((h) => !h.ok);
  return {
    client: reach.client,
    reachable: reach.reachable,
    mode: reach.mode,
    refusedAt: reach.refusedAt ?? refusing?.hop ?? null,
    fix: reach.fix,
    fixCommand: reach.fixCommand,
    via: reach.via,
    hops,
    reason: refusing?.detail ?? null,
  };
}

export function architectureView(snapshot: SnapshotParts): ArchitectureView {
  const controlPlane = snapshot?.controlPlane;
  const network = snapshot?.network;
  const endpoint = snapshot?.endpoint;

  const apiServers: ApiServerView[] = (controlPlane?.apiServers ?? []).map((a) => ({
    id: a.id,
    az: a.az,
    state: a.state,
    size: a.size,
    cpu: a.cpu,
    memory: a.memory,
    rps: a.servedRps,
  }));
  const etcd: EtcdView[] = (controlPlane?.etcd ?? []).map((m) => ({
    id: m.id,
    az: m.az,
    state: m.state,
    role: m.role,
    term: m.term,
    isLeader: m.role === 'leader',
    size: m.size,
  }));
  const nlbs: NlbView[] = (controlPlane?.nlbs ?? []).map((n) => ({
    id: n.id,
    az: n.az,
    state: n.state,
    inDns: n.inDns,
    ips: n.ips,
  }));

  const azStates = new Map<string, AzView>();
  for (const az of controlPlane?.azs ?? []) azStates.set(az.id, { id: az.id, state: az.health, network: az.network });
  const azIds = new Set<string>(azStates.keys());
  for (const member of [...apiServers, ...etcd, ...nlbs]) azIds.add(member.az);
  const azs = [...azIds].sort().map((id) => azStates.get(id) ?? { id, state: 'up' as const, network: null });

  const subnets: SubnetView[] = (network?.subnets ?? []).map((s) => ({
    id: s.id,
    name: s.name,
    az: s.az,
    kind: s.kind,
    cidr: s.cidr,
  }));
  const subnetAz = new Map(subnets.map((s) => [s.id, s.az]));
  const azOf = (subnetId: string | null) => (subnetId === null ? null : (subnetAz.get(subnetId) ?? null));

  const hostsAndNodes: HostView[] = (network?.hosts ?? []).map((h) => ({
    id: h.name,
    name: h.name,
    label: h.label,
    kind: h.kind,
    state: 'running',
    subnetId: h.subnetId,
    az: azOf(h.subnetId),
    ip: h.privateIp ?? h.publicIp,
    securityGroupIds: h.securityGroupIds,
  }));
  const nodes: HostView[] = (snapshot?.nodegroups ?? []).flatMap((group) =>
    group.nodes.map((n) => ({
      id: n.instanceId,
      name: n.name,
      label: n.name,
      kind: 'node',
      state: n.state,
      subnetId: n.subnetId,
      az: n.az,
      ip: n.privateIp,
      securityGroupIds: n.securityGroupIds,
    })),
  );
  const enis: HostView[] = (network?.enis ?? []).map((e) => ({
    id: e.id,
    name: e.id,
    label: e.id,
    kind: 'eni',
    state: 'running',
    subnetId: e.subnetId,
    az: e.az,
    ip: e.privateIp,
    securityGroupIds: e.securityGroupIds,
  }));
  const securityGroups: SecurityGroupView[] = (network?.securityGroups ?? []).map((g) => ({
    id: g.id,
    name: g.name,
    ruleCount: g.ingress.length,
  }));
  const pending = endpoint?.pendingUpdate ?? null;

  return {
    region: snapshot?.region ?? '',
    azs,
    apiServers,
    etcd,
    nlbs,
    vpc: { id: network?.vpcId ?? null, cidr: network?.vpcCidr ?? null },
    customerAzs: [...new Set(subnets.map((s) => s.az))].sort(),
    subnets,
    securityGroups,
    enis,
    hosts: hostsAndNodes.filter((h) => h.kind !== 'node'),
    nodes,
    endpointMode: endpoint?.mode ?? null,
    pendingEndpoint: pending ? { to: pending.mode, dueAtMs: pending.dueAtMs } : null,
    nowMs: snapshot?.clock?.nowMs ?? null,
    publicAccessCidrs: endpoint?.publicAccessCidrs ?? [],
    paths: (endpoint?.reachability ?? []).map(path),
    kubeletPaths: (endpoint?.kubelets ?? []).map((k) => ({ ...path(k), node: k.node })),
    clusterSecurityGroupId: network?.clusterSecurityGroupId ?? null,
  };
}
