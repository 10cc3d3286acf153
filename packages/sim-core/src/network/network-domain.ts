import type { ClusterNetworkPort } from '../cluster/ports';
import type { VpcConfig } from '../cluster/types';
import type { CommandSpec } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import { fieldPath } from '../engine/field-path';
import type { Prng } from '../engine/prng';
import type { Scenario } from '../input/scenario';
import { Addresses } from './addresses';
import {
  ALL_TRAFFIC_OUT,
  CLUSTER_SG_DESCRIPTION,
  CONTROL_PLANE_SG_DESCRIPTION,
  clusterSgName,
  controlPlaneSgName,
  REMOTE_ACCESS_SG_DESCRIPTION,
  remoteAccessSgName,
  SHARED_NODE_SG_DESCRIPTION,
  sharedNodeSgName,
} from './facts';
import { awsId, cfnSuffix } from './ids';
import { buildLabVpc } from './lab-vpc';
import { type NetworkIssue, type NetworkLayout, readNetworkLayout } from './layout';
import type { NetworkPorts } from './ports';
import { sameRule } from './rules';
import { securityGroupRuleCommands } from './sg-commands';
import type {
  ConnectedNetwork,
  EksEni,
  NatGateway,
  NetworkSnapshotPart,
  NetworkView,
  RouteTable,
  SecurityGroup,
  SgRule,
  Subnet,
  SubnetKind,
  VantageHost,
} from './types';

export type { NetworkSnapshotPart, VantageHost } from './types';

/** The customer VPC (docs/lessons/seed-week1.md): subnets, routes, gateways, security groups, EKS-owned ENIs, bastion and laptop. */
/** What a save keeps of the VPC: what changes after it is built (the rest is rebuilt from the scenario and seed). */
export interface SavedNetwork {
  readonly securityGroups: readonly SecurityGroup[];
  readonly enis: readonly EksEni[];
  readonly clusterSubnetIds: readonly string[];
  readonly clusterSecurityGroupId: string | null;
  readonly addresses: ReturnType<Addresses['save']>;
}

export class NetworkDomain implements Domain<NetworkSnapshotPart, SavedNetwork>, ClusterNetworkPort {
  private readonly rng: Prng;
  private readonly layout: NetworkLayout;
  private readonly prefix: string;
  readonly vpcId: string;
  readonly azs: string[];
  readonly subnets: Subnet[];
  readonly routeTables: RouteTable[];
  readonly natGateways: NatGateway[];
  readonly internetGatewayId: string | null;
  readonly securityGroups: SecurityGroup[];
  enis: EksEni[] = [];
  clusterSubnetIds: string[] = [];
  clusterSecurityGroupId: string | null = null;
  private readonly addresses: Addresses;
  private readonly bastion: VantageHost;
  private readonly laptop: VantageHost;
  readonly connectedNetworks: ConnectedNetwork[];
  private readonly connectedHosts: VantageHost[];

  constructor(
    private readonly ctx: SimContext,
    private readonly ports: NetworkPorts,
    private readonly scenario: Scenario,
  ) {
    this.rng = ctx.rng('network');
    const { layout, issues } = readNetworkLayout(
      scenario.network,
      (scenario.cluster.nodeGroups ?? []).map((g) => g.subnets),
    );
    if (!layout) {
      const first = issues[0] as NetworkIssue;
      throw new RangeError(`scenario ${scenario.name}: ${fieldPath(first.path)}: ${first.problem} (${first.accepted})`);
    }
    this.layout = layout;
    this.prefix = scenario.cluster.name;
    this.addresses = new Addresses(this.rng);
    const vpc = buildLabVpc(this.rng, this.addresses, layout, this.prefix, scenario.region);
    this.vpcId = vpc.vpcId;
    this.azs = vpc.azs;
    this.internetGatewayId = vpc.internetGatewayId;
    this.routeTables = vpc.routeTables;
    this.subnets = vpc.subnets;
    this.natGateways = vpc.natGateways;
    this.securityGroups = vpc.securityGroups;
    this.bastion = vpc.bastion;
    this.laptop = vpc.laptop;
    this.connectedNetworks = vpc.connectedNetworks;
    this.connectedHosts = vpc.connectedHosts;
  }

  readonly commands: readonly CommandSpec[] = securityGroupRuleCommands({
    find: (ref) => this.findSecurityGroup(ref),
    nameOf: (id) => this.group(id)?.name,
    emit: (type, source, message, data) => this.ctx.emit(type, source, message, data),
    // Reachability follows a rule at once: nodes that lose or regain the API server change state.
    changed: () => this.ports.nodegroups.refreshConnectivity(),
  });

  start(): void {
    this.listen();
  }

  save(): SavedNetwork {
    return {
      securityGroups: this.securityGroups,
      enis: this.enis,
      clusterSubnetIds: this.clusterSubnetIds,
      clusterSecurityGroupId: this.clusterSecurityGroupId,
      addresses: this.addresses.save(),
    };
  }

  restore(saved: SavedNetwork): void {
    this.listen();
    this.securityGroups.splice(0, this.securityGroups.length, ...saved.securityGroups);
    this.enis = [...saved.enis];
    this.clusterSubnetIds = [...saved.clusterSubnetIds];
    this.clusterSecurityGroupId = saved.clusterSecurityGroupId;
    this.addresses.restore(saved.addresses);
  }

  private listen(): void {
    this.ports.cluster.onEndpointAccessChanged(() => this.restoreClusterSgSelfRule());
    // EKS deletes its ENIs and the cluster security group with the cluster.
    this.ports.cluster.onDeleted(() => {
      for (const eni of this.enis) this.addresses.release(eni.privateIp);
      this.enis = [];
      if (this.clusterSecurityGroupId) this.removeGroup(this.clusterSecurityGroupId);
      this.clusterSecurityGroupId = null;
    });
  }

  get vpcCidr(): string {
    return this.layout.vpcCidr;
  }

  subnetsOfKind(kind: SubnetKind): Subnet[] {
    return this.subnets.filter((s) => s.kind === kind);
  }

  subnet(id: string): Subnet | undefined {
    return this.subnets.find((s) => s.id === id);
  }

  /**
   * What EKS does at CreateCluster: the cluster security group `eks-cluster-sg-<cluster>-<number>`
   * and 2-4 EKS-owned ENIs in the cluster's subnets carrying it (docs/endpoint-modes.md, AWS EKS User Guide, cluster-endpoint.html).
   */
  provisionClusterNetworking(
    clusterName: string,
    /** CreateCluster's resourcesVpcConfig.subnetIds, already checked to exist; absent, the layout picks. */
    requestedSubnetIds?: readonly string[],
  ): Pick<VpcConfig, 'vpcId' | 'subnetIds' | 'securityGroupIds' | 'clusterSecurityGroupId'> {
    this.clusterSubnetIds = requestedSubnetIds?.length
      ? [...requestedSubnetIds]
      : this.chooseClusterSubnets().map((s) => s.id);
    const number = String(this.rng.int(1_000_000_000, 2_147_483_647));
    const clusterSg: SecurityGroup = {
      id: awsId(this.rng, 'sg'),
      name: clusterSgName(clusterName, number),
      description: CLUSTER_SG_DESCRIPTION,
      madeBy: 'eks',
      ingress: [],
      egress: [ALL_TRAFFIC_OUT],
    };
    clusterSg.ingress.push({
      protocol: '-1',
      fromPort: 0,
      toPort: 65535,
      groupId: clusterSg.id,
      description: 'all from itself',
    });
    this.securityGroups.push(clusterSg);
    this.clusterSecurityGroupId = clusterSg.id;
    const controlPlaneSg = this.findByName(controlPlaneSgName(clusterName, ''), true);
    this.linkEksctlToClusterSg(clusterName);

    const count = this.rng.int(2, 4);
    this.enis = [];
    for (let i = 0; i < count; i++) {
      const subnet = this.subnet(this.clusterSubnetIds[i % this.clusterSubnetIds.length] as string) as Subnet;
      this.enis.push({
        id: awsId(this.rng, 'eni'),
        subnetId: subnet.id,
        az: subnet.az,
        privateIp: this.allocatePrivateIp(subnet.id),
        securityGroupIds: controlPlaneSg ? [clusterSg.id, controlPlaneSg.id] : [clusterSg.id],
        description: `Amazon EKS ${clusterName}`,
      });
    }
    this.ctx.emit(
      'network.cluster-networking',
      `vpc/${this.vpcId}`,
      `EKS made ${clusterSg.name} and ${count} EKS-owned ENIs in ${this.clusterSubnetIds.length} subnets`,
      { clusterSecurityGroupId: clusterSg.id, enis: this.enis.map((e) => e.id) },
    );
    return {
      vpcId: this.vpcId,
      subnetIds: [...this.clusterSubnetIds],
      securityGroupIds: controlPlaneSg ? [controlPlaneSg.id] : [],
      clusterSecurityGroupId: clusterSg.id,
    };
  }

  /**
   * The security groups eksctl's stacks make (eksctl.io (VPC Networking)): ControlPlaneSecurityGroup and
   * ClusterSharedNodeSecurityGroup with the cluster stack; `<ng>-remoteAccess` with a node group
   * that has SSH access. Idempotent; returns the ids it made.
   */
  addEksctlSecurityGroups(input: {
    clusterName: string;
    nodegroupName?: string;
    sshAccess?: boolean;
    privateNetworking?: boolean;
  }): string[] {
    const made: string[] = [];
    const { clusterName } = input;
    if (!input.nodegroupName) {
      if (!this.findByName(controlPlaneSgName(clusterName, ''), true)) {
        const suffix = cfnSuffix(this.rng);
        const sg: SecurityGroup = {
          id: awsId(this.rng, 'sg'),
          name: controlPlaneSgName(clusterName, suffix),
          description: CONTROL_PLANE_SG_DESCRIPTION,
          madeBy: 'eksctl',
          ingress: [], // docs/endpoint-modes.md: no inbound rules, also when the endpoint is private
          egress: [ALL_TRAFFIC_OUT],
        };
        this.securityGroups.push(sg);
        made.push(sg.id);
        // EKS attaches the cluster's extra security groups to its ENIs (eksctl passes this one).
        for (const eni of this.enis) if (!eni.securityGroupIds.includes(sg.id)) eni.securityGroupIds.push(sg.id);
        this.ports.cluster.attachSecurityGroup(sg.id);
      }
      if (!this.findByName(sharedNodeSgName(clusterName, ''), true)) {
        const sg: SecurityGroup = {
          id: awsId(this.rng, 'sg'),
          name: sharedNodeSgName(clusterName, cfnSuffix(this.rng)),
          description: SHARED_NODE_SG_DESCRIPTION,
          madeBy: 'eksctl',
          ingress: [],
          egress: [ALL_TRAFFIC_OUT],
        };
        sg.ingress.push({
          protocol: '-1',
          fromPort: 0,
          toPort: 65535,
          groupId: sg.id,
          description: 'IngressInterNodeGroupSG: Allow nodes to communicate with each other (all ports)',
        });
        this.securityGroups.push(sg);
        made.push(sg.id);
      }
      this.linkEksctlToClusterSg(clusterName);
    } else if (input.sshAccess) {
      const name = remoteAccessSgName(clusterName, input.nodegroupName);
      if (!this.findByName(name, false)) {
        const source = input.privateNetworking ? [this.layout.vpcCidr] : ['0.0.0.0/0', '::/0'];
        const sg: SecurityGroup = {
          id: awsId(this.rng, 'sg'),
          name,
          description: REMOTE_ACCESS_SG_DESCRIPTION,
          madeBy: 'eksctl',
          ingress: source.map((cidr) => ({ protocol: 'tcp', fromPort: 22, toPort: 22, cidr, description: 'SSH' })),
          egress: [ALL_TRAFFIC_OUT],
        };
        this.securityGroups.push(sg);
        made.push(sg.id);
      }
    }
    if (made.length > 0) {
      this.ctx.emit(
        'network.eksctl-security-groups',
        `vpc/${this.vpcId}`,
        `eksctl made ${made.length} security group(s): ${made.map((id) => this.group(id)?.name).join(', ')}`,
        { ids: made },
      );
    }
    return made;
  }

  /** eksctl's rules between its shared node group and EKS's cluster security group, once both exist (eksctl.io (VPC Networking)). */
  private linkEksctlToClusterSg(clusterName: string): void {
    const shared = this.findByName(sharedNodeSgName(clusterName, ''), true);
    const clusterSg = this.clusterSecurityGroupId ? this.group(this.clusterSecurityGroupId) : undefined;
    if (!shared || !clusterSg) return;
    const toNode: SgRule = {
      protocol: '-1',
      fromPort: 0,
      toPort: 65535,
      groupId: clusterSg.id,
      description:
        'IngressDefaultClusterToNodeSG: Allow managed and unmanaged nodes to communicate with each other (all ports)',
    };
    const toCluster: SgRule = {
      protocol: '-1',
      fromPort: 0,
      toPort: 65535,
      groupId: shared.id,
      description: 'IngressNodeToDefaultClusterSG: Allow unmanaged nodes to communicate with control plane (all ports)',
    };
    if (!shared.ingress.some((r) => sameRule(r, toNode))) shared.ingress.push(toNode);
    if (!clusterSg.ingress.some((r) => sameRule(r, toCluster))) clusterSg.ingress.push(toCluster);
  }

  /**
   * EKS puts the cluster security group's inbound rule (all traffic from itself) back on every
   * cluster update (eksctl.io (VPC Networking)). Returns whether it had to.
   */
  restoreClusterSgSelfRule(): boolean {
    const sg = this.clusterSecurityGroupId ? this.group(this.clusterSecurityGroupId) : undefined;
    if (!sg) return false;
    const self: SgRule = { protocol: '-1', fromPort: 0, toPort: 65535, groupId: sg.id, description: 'all from itself' };
    if (sg.ingress.some((r) => sameRule(r, self))) return false;
    sg.ingress.push(self);
    this.ctx.emit(
      'sg.rule-restored',
      `sg/${sg.id}`,
      `EKS restored ${sg.name}'s inbound rule: all traffic from itself`,
      {
        groupId: sg.id,
      },
    );
    return true;
  }

  /**
   * Removes security groups eksctl's stacks made, when CloudFormation deletes them, and the
   * rules of other groups that named them.
   */
  removeEksctlSecurityGroups(ids: readonly string[]): void {
    const gone = new Set(ids.filter((id) => this.group(id)?.madeBy === 'eksctl'));
    if (gone.size === 0) return;
    for (const id of gone) this.removeGroup(id);
    const prune = <T>(list: T[], drop: (item: T) => boolean) => {
      for (let i = list.length - 1; i >= 0; i--) if (drop(list[i] as T)) list.splice(i, 1);
    };
    for (const g of this.securityGroups) {
      prune(g.ingress, (r) => r.groupId !== undefined && gone.has(r.groupId));
      prune(g.egress, (r) => r.groupId !== undefined && gone.has(r.groupId));
    }
    for (const eni of this.enis) prune(eni.securityGroupIds as string[], (id) => gone.has(id));
    this.ctx.emit(
      'network.eksctl-security-groups-deleted',
      `vpc/${this.vpcId}`,
      `${gone.size} eksctl security group(s) deleted`,
      {
        ids: [...gone],
      },
    );
  }

  /** Security groups a managed node of `nodegroup` carries: the cluster SG (EKS adds it) and eksctl's. */
  nodeSecurityGroupIds(clusterName: string, nodegroup: string): string[] {
    const ids: string[] = [];
    if (this.clusterSecurityGroupId) ids.push(this.clusterSecurityGroupId);
    const shared = this.findByName(sharedNodeSgName(clusterName, ''), true);
    if (shared) ids.push(shared.id);
    const remote = this.findByName(remoteAccessSgName(clusterName, nodegroup), false);
    if (remote) ids.push(remote.id);
    return ids;
  }

  /** A free private address in the subnet. */
  allocatePrivateIp(subnetId: string): string {
    const subnet = this.subnet(subnetId);
    if (!subnet) throw new RangeError(`no subnet ${subnetId}`);
    return this.addresses.privateIn(subnet);
  }

  releasePrivateIp(ip: string): void {
    this.addresses.release(ip);
  }

  /** A public IPv4 address EC2 would assign in a public subnet. */
  allocatePublicIp(): string {
    return this.addresses.publicIp();
  }

  group(id: string): SecurityGroup | undefined {
    return this.securityGroups.find((g) => g.id === id);
  }

  /**
   * A security group by id, exact name, or unique name prefix (`eks-cluster-sg-myeks` finds
   * `eks-cluster-sg-myeks-1234567890`, so lessons need not know the random suffix).
   */
  findSecurityGroup(ref: string): SecurityGroup | string {
    const byId = this.group(ref);
    if (byId) return byId;
    const exact = this.securityGroups.filter((g) => g.name === ref);
    if (exact.length === 1) return exact[0] as SecurityGroup;
    const prefixed = this.securityGroups.filter((g) => g.name.startsWith(ref));
    if (prefixed.length === 1) return prefixed[0] as SecurityGroup;
    const known = this.securityGroups.map((g) => `${g.id} (${g.name})`).join(', ');
    if (prefixed.length > 1) {
      return `"${ref}" names ${prefixed.length} security groups (${prefixed.map((g) => g.name).join(', ')}); give the id or the full name`;
    }
    return `The security group '${ref}' does not exist in ${this.vpcId} (known: ${known})`;
  }

  private findByName(nameOrPrefix: string, prefix: boolean): SecurityGroup | undefined {
    return this.securityGroups.find((g) => (prefix ? g.name.startsWith(nameOrPrefix) : g.name === nameOrPrefix));
  }

  private removeGroup(id: string): void {
    const i = this.securityGroups.findIndex((g) => g.id === id);
    if (i >= 0) this.securityGroups.splice(i, 1);
  }

  /** A vantage host (`bastion` or its Name tag, `laptop`, or a node by name or instance id). */
  host(name: string): VantageHost | undefined {
    if (name === 'bastion' || name === this.bastion.label) return this.bastion;
    if (name === 'laptop') return this.laptop;
    const connected = this.connectedHosts.find((h) => h.name === name);
    if (connected) return connected;
    return this.nodeHosts().find((h) => h.name === name || h.label === name);
  }

  /** Every vantage host, for the shell's `--from` and the what-if matrix. */
  hosts(): VantageHost[] {
    return [this.bastion, this.laptop, ...this.connectedHosts, ...this.nodeHosts()];
  }

  private nodeHosts(): VantageHost[] {
    const groups = this.ports.nodegroups?.all ?? [];
    return groups.flatMap((g) =>
      g.nodes
        .filter((n) => n.state !== 'terminated')
        .map(
          (n): VantageHost => ({
            name: n.name,
            kind: 'node',
            label: n.name,
            privateIp: n.privateIp,
            publicIp: n.publicIp,
            subnetId: n.subnetId,
            securityGroupIds: [...n.securityGroupIds],
          }),
        ),
    );
  }

  /** The live network as the what-if reads it (not a copy: do not mutate). */
  view(): NetworkView {
    return {
      vpcId: this.vpcId,
      vpcCidr: this.layout.vpcCidr,
      region: this.scenario.region,
      azs: this.azs,
      enableDnsHostnames: this.layout.enableDnsHostnames,
      enableDnsSupport: this.layout.enableDnsSupport,
      internetGatewayId: this.internetGatewayId,
      natGateways: this.natGateways,
      subnets: this.subnets,
      routeTables: this.routeTables,
      securityGroups: this.securityGroups,
      enis: this.enis,
      clusterSubnetIds: this.clusterSubnetIds,
      clusterSecurityGroupId: this.clusterSecurityGroupId,
      connectedNetworks: this.connectedNetworks,
      hosts: [this.bastion, this.laptop, ...this.connectedHosts],
    };
  }

  snapshot(): NetworkSnapshotPart {
    return { network: JSON.parse(JSON.stringify(this.view())) as NetworkView };
  }

  private chooseClusterSubnets(): Subnet[] {
    const firstGroup = this.scenario.cluster.nodeGroups?.[0];
    const wanted = this.layout.clusterSubnets ?? firstGroup?.subnets ?? 'public';
    if (wanted === 'both') return [...this.subnets];
    const of = this.subnetsOfKind(wanted);
    return of.length > 0 ? of : this.subnetsOfKind('private');
  }
}
