/**
 * What the page draws, read from the snapshot in the snapshot's own words. Nothing here
 * decides anything the model already decided (states, leaders, DNS membership, reachability
 * verdicts are copied, never recomputed); it only gathers them per drawn thing.
 */
import { asRecord, bool, isRecord, type Json, num, records, str, strings } from './read';

export interface ApiServerView {
  readonly id: string;
  readonly az: string;
  readonly state: string;
  readonly size: string | null;
  /** CPU use 0..1 when the snapshot says it. */
  readonly cpu: number | null;
  readonly memory: number | null;
  readonly rps: number | null;
}

export interface EtcdView {
  readonly id: string;
  readonly az: string;
  readonly state: string;
  readonly role: string | null;
  readonly term: number | null;
  readonly isLeader: boolean;
  readonly size: string | null;
}

export interface NlbView {
  readonly id: string;
  readonly az: string;
  readonly state: string;
  readonly inDns: boolean | null;
  readonly ips: readonly string[];
}

export interface AzView {
  readonly id: string;
  readonly state: string;
  /** `connected`, or how a partition cuts it off, when the model says. */
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
  readonly state: string;
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
  readonly fixCommand: Json | null;
  /** Which side of the endpoint the client's DNS answer sends it to (`public` → NLB, `private` → ENI). */
  readonly via: string | null;
  readonly hops: readonly HopView[];
  /** The hop's own sentence where it refused, for the label and the hover text. */
  readonly reason: string | null;
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
  /** Control plane → kubelet (exec, logs, webhooks), always through the EKS-owned ENIs (AWS EKS User Guide, cluster-endpoint.html). */
  readonly kubeletPaths: readonly PathView[];
  /** EKS's cluster security group (`eks-cluster-sg-<cluster>-<n>`), the one a private endpoint checks. */
  readonly clusterSecurityGroupId: string | null;
}

function fraction(value: number | null): number | null {
  if (value === null) return null;
  // Percentages (0-100) and fractions (0-1) both occur in models; draw both as 0..1.
  return Math.max(0, Math.min(1, value > 1 ? value / 100 : value));
}

function apiServer(raw: Json, index: number): ApiServerView {
  return {
    id: str(raw, 'id', 'instanceId', 'name') ?? `apiserver-${index}`,
    az: str(raw, 'az', 'azId', 'zone') ?? '?',
    state: str(raw, 'state', 'status') ?? 'unknown',
    size: str(raw, 'size', 'instanceType', 'type'),
    cpu: fraction(num(raw, 'cpu', 'cpuUtilization', 'cpuPct', 'cpuPercent')),
    memory: fraction(num(raw, 'memory', 'memoryUtilization', 'memPct', 'memoryPercent')),
    rps: num(raw, 'rps', 'servedRps', 'load'),
  };
}

function etcdMember(raw: Json, index: number): EtcdView {
  const role = str(raw, 'role');
  const state = str(raw, 'state', 'status') ?? role ?? 'unknown';
  return {
    id: str(raw, 'id', 'name') ?? `etcd-${index}`,
    az: str(raw, 'az', 'azId', 'zone') ?? '?',
    state,
    role,
    term: num(raw, 'term'),
    isLeader: role === 'leader' || state === 'leader' || bool(raw, 'leader', 'isLeader') === true,
    size: str(raw, 'size', 'instanceType'),
  };
}

function nlbNode(raw: Json, index: number): NlbView {
  return {
    id: str(raw, 'id', 'name') ?? `nlb-${index}`,
    az: str(raw, 'az', 'azId', 'zone') ?? '?',
    state: str(raw, 'state', 'status') ?? 'unknown',
    inDns: bool(raw, 'inDns'),
    ips: strings(raw.ips ?? (str(raw, 'ip') ? [str(raw, 'ip')] : [])),
  };
}

function host(raw: Json, fallbackKind: string, index: number): HostView {
  const name = str(raw, 'name', 'id', 'instanceId') ?? `${fallbackKind}-${index}`;
  return {
    id: str(raw, 'id', 'instanceId', 'name') ?? name,
    name,
    label: str(raw, 'label', 'nameTag', 'name') ?? name,
    kind: str(raw, 'kind', 'role') ?? fallbackKind,
    state: str(raw, 'state', 'status') ?? 'running',
    subnetId: str(raw, 'subnetId', 'subnet'),
    az: str(raw, 'az', 'availabilityZone'),
    ip: str(raw, 'privateIp', 'ip', 'publicIp', 'privateIpAddress'),
    securityGroupIds: strings(raw.securityGroupIds ?? raw.groups ?? raw.securityGroups),
  };
}

function hop(raw: Json): HopView {
  return {
    hop: str(raw, 'hop', 'name') ?? '?',
    ok: bool(raw, 'ok', 'allowed') ?? true,
    detail: str(raw, 'detail', 'reason', 'message') ?? '',
  };
}

function path(raw: Json): PathView {
  const hops = records(raw.path ?? raw.hops).map(hop);
  const refusedAt = str(raw, 'refusedAt');
  const refusingHop = hops.find((h) => h.hop === refusedAt) ?? hops.find((h) => !h.ok);
  return {
    client: str(raw, 'client', 'from', 'name') ?? '?',
    reachable: bool(raw, 'reachable', 'ok') ?? false,
    mode: str(raw, 'mode'),
    refusedAt: refusedAt ?? refusingHop?.hop ?? null,
    fix: str(raw, 'fix'),
    fixCommand: isRecord(raw.fixCommand) ? raw.fixCommand : null,
    via: str(raw, 'via'),
    hops,
    reason: refusingHop?.detail ?? str(raw, 'reason'),
  };
}

/** Reachability verdicts, wherever the endpoint part keeps them (a list, or a map by client). */
function reachability(endpoint: Json): Json[] {
  for (const key of ['reachability', 'clients', 'paths', 'reach']) {
    const value = endpoint[key];
    if (Array.isArray(value)) return records(value);
    if (isRecord(value)) {
      return Object.entries(value)
        .filter(([, v]) => isRecord(v))
        .map(([client, v]) => ({ client, ...(v as Json) }));
    }
  }
  return [];
}

function modeOfFlags(flags: Json): string | null {
  const pub = bool(flags, 'endpointPublicAccess');
  const priv = bool(flags, 'endpointPrivateAccess');
  if (pub === null || priv === null) return null;
  // The mode's name for the cluster's two flags, as EKS's docs name them (AWS EKS User Guide, cluster-endpoint.html).
  return pub && priv ? 'public-private' : pub ? 'public' : 'private';
}

function endpointMode(endpoint: Json, cluster: Json): string | null {
  return str(endpoint, 'mode') ?? modeOfFlags(asRecord(cluster.resourcesVpcConfig));
}

export function architectureView(snapshot: unknown): ArchitectureView {
  const snap = asRecord(snapshot);
  const controlPlane = asRecord(snap.controlPlane);
  const network = asRecord(snap.network);
  const endpoint = asRecord(snap.endpoint);
  const cluster = asRecord(snap.cluster);

  const apiServers = records(controlPlane.apiServers).map(apiServer);
  const etcd = records(controlPlane.etcd).map(etcdMember);
  const nlbs = records(controlPlane.nlbs).map(nlbNode);

  const azRecords = records(controlPlane.azs ?? controlPlane.zones);
  const azStates = new Map<string, string>();
  const azNetworks = new Map<string, string>();
  for (const raw of azRecords) {
    const id = str(raw, 'id', 'az', 'name');
    if (!id) continue;
    azStates.set(id, str(raw, 'state', 'health', 'status') ?? 'up');
    const network = str(raw, 'network');
    if (network) azNetworks.set(id, network);
  }
  const azIds = new Set<string>(azStates.keys());
  for (const member of [...apiServers, ...etcd, ...nlbs]) if (member.az !== '?') azIds.add(member.az);
  const azs = [...azIds]
    .sort()
    .map((id) => ({ id, state: azStates.get(id) ?? 'up', network: azNetworks.get(id) ?? null }));

  const subnets: SubnetView[] = records(network.subnets).map((raw, i) => {
    const name = str(raw, 'name', 'id') ?? `subnet-${i}`;
    const kindText = str(raw, 'kind', 'type', 'tier') ?? (/priv/i.test(name) ? 'private' : 'public');
    return {
      id: str(raw, 'id') ?? name,
      name,
      az: str(raw, 'az', 'availabilityZone') ?? '?',
      kind: /priv/i.test(kindText) ? 'private' : 'public',
      cidr: str(raw, 'cidr', 'cidrBlock'),
    };
  });
  const subnetAz = new Map(subnets.map((s) => [s.id, s.az]));
  const withAz = (h: HostView): HostView => (h.az || !h.subnetId ? h : { ...h, az: subnetAz.get(h.subnetId) ?? null });

  const hostList = records(network.hosts ?? network.vantageHosts).map((raw, i) => withAz(host(raw, 'host', i)));
  for (const key of ['bastion', 'laptop']) {
    const raw = network[key];
    if (isRecord(raw) && !hostList.some((h) => h.kind === key))
      hostList.push(withAz(host({ kind: key, ...raw }, key, 0)));
  }
  const nodes: HostView[] = [];
  for (const group of records(snap.nodegroups)) {
    for (const raw of records(group.nodes)) {
      nodes.push(withAz(host({ kind: 'node', ...raw }, 'node', nodes.length)));
    }
  }
  const hosts = hostList.filter((h) => h.kind !== 'node');
  const enis = records(network.enis ?? network.eksOwnedEnis ?? endpoint.enis).map((raw, i) =>
    withAz(host({ kind: 'eni', ...raw }, 'eni', i)),
  );
  const securityGroups: SecurityGroupView[] = records(network.securityGroups).map((raw, i) => ({
    id: str(raw, 'id', 'groupId') ?? `sg-${i}`,
    name: str(raw, 'name', 'groupName', 'id') ?? `sg-${i}`,
    ruleCount: Array.isArray(raw.rules) || Array.isArray(raw.ingress) ? records(raw.rules ?? raw.ingress).length : null,
  }));

  const customerAzs = [...new Set(subnets.map((s) => s.az))].filter((az) => az !== '?').sort();
  const vpcConfig = asRecord(cluster.resourcesVpcConfig);
  const cidrs = strings(endpoint.publicAccessCidrs ?? vpcConfig.publicAccessCidrs);

  return {
    region: str(snap, 'region') ?? '',
    azs,
    apiServers,
    etcd,
    nlbs,
    vpc: { id: str(network, 'vpcId', 'id'), cidr: str(network, 'cidr', 'cidrBlock', 'vpcCidr') },
    customerAzs,
    subnets,
    securityGroups,
    enis,
    hosts,
    nodes,
    endpointMode: endpointMode(endpoint, cluster),
    pendingEndpoint: isRecord(endpoint.pendingUpdate)
      ? { to: modeOfFlags(asRecord(endpoint.pendingUpdate.to)), dueAtMs: num(endpoint.pendingUpdate, 'dueAtMs') }
      : null,
    nowMs: num(asRecord(snap.clock), 'nowMs'),
    publicAccessCidrs: cidrs,
    paths: reachability(endpoint).map(path),
    kubeletPaths: records(endpoint.kubelets).map(path),
    clusterSecurityGroupId: str(network, 'clusterSecurityGroupId') ?? str(vpcConfig, 'clusterSecurityGroupId'),
  };
}
