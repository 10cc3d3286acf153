/**
 * The customer VPC as data (docs/lessons/seed-week1.md; AWS EKS User Guide, cluster-endpoint.html). Everything here is plain JSON:
 * it is the network part of the snapshot, and the what-if evaluates reachability over it.
 */

export type { ConnectedNetworkInput, ConnectionKind, NetworkScenario } from '../input/scenario';

import type { ConnectedNetworkInput } from '../input/scenario';

export interface ConnectedNetwork extends ConnectedNetworkInput {
  /** `vgw-…` (VPN, Direct Connect), `pcx-…` (peering) or `tgw-…`. */
  readonly gatewayId: string;
}

export type SubnetKind = 'public' | 'private';

export interface Subnet {
  readonly id: string;
  /** `myeks-PublicSubnet1` */
  readonly name: string;
  readonly kind: SubnetKind;
  readonly cidr: string;
  /** Customer AZ name, `ap-northeast-2a`. */
  readonly az: string;
  readonly routeTableId: string;
  /** Public subnets give instances a public IPv4 address at launch. */
  readonly mapPublicIpOnLaunch: boolean;
}

export interface Route {
  readonly destination: string;
  /** `local`, an internet gateway id (`igw-…`) or a NAT gateway id (`nat-…`). */
  readonly target: string;
}

export interface RouteTable {
  readonly id: string;
  readonly name: string;
  readonly routes: Route[];
}

export interface NatGateway {
  readonly id: string;
  readonly subnetId: string;
  /** The Elastic IP traffic from private subnets leaves with. */
  readonly publicIp: string;
}

/** `-1` is EC2's "all traffic". */
export type SgProtocol = 'tcp' | 'udp' | 'icmp' | '-1';

/** One security-group rule; the peer is a CIDR or another security group. */
export interface SgRule {
  readonly protocol: SgProtocol;
  readonly fromPort: number;
  readonly toPort: number;
  readonly cidr?: string;
  readonly groupId?: string;
  readonly description?: string;
}

export interface SecurityGroup {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Who made it: EKS (the cluster security group), eksctl's stacks, or the lab's template. */
  readonly madeBy: 'eks' | 'eksctl' | 'lab';
  readonly ingress: SgRule[];
  readonly egress: SgRule[];
}

/** An EKS-owned (requester-managed) ENI in one of the cluster's subnets (docs/endpoint-modes.md). */
export interface EksEni {
  readonly id: string;
  readonly subnetId: string;
  readonly az: string;
  readonly privateIp: string;
  readonly securityGroupIds: string[];
  readonly description: string;
}

/** A place the shell can run from and the what-if asks about. */
export interface VantageHost {
  /** `bastion`, `laptop`, or a node's EC2 private DNS name. */
  readonly name: string;
  readonly kind: 'bastion' | 'laptop' | 'node';
  /** The EC2 Name tag (`myeks-host`) or the node name; what people see. */
  readonly label: string;
  readonly privateIp: string | null;
  readonly publicIp: string | null;
  /** null for hosts outside the customer VPC (the laptop, a connected network's host). */
  readonly subnetId: string | null;
  readonly securityGroupIds: readonly string[];
  /** Name of the connected network the host sits in (outside the VPC but routed to it). */
  readonly connectedNetwork?: string;
}

export interface NetworkView {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly region: string;
  readonly azs: readonly string[];
  readonly enableDnsHostnames: boolean;
  readonly enableDnsSupport: boolean;
  readonly internetGatewayId: string | null;
  readonly natGateways: readonly NatGateway[];
  readonly subnets: readonly Subnet[];
  readonly routeTables: readonly RouteTable[];
  readonly securityGroups: readonly SecurityGroup[];
  /** EKS-owned ENIs of the cluster (empty before the cluster exists). */
  readonly enis: readonly EksEni[];
  /** The cluster's subnets (where the ENIs go). */
  readonly clusterSubnetIds: readonly string[];
  readonly clusterSecurityGroupId: string | null;
  readonly connectedNetworks: readonly ConnectedNetwork[];
  /** The bastion, the laptop and connected networks' hosts; nodes are in the node groups' part of the snapshot. */
  readonly hosts: readonly VantageHost[];
}

export interface NetworkSnapshotPart {
  readonly network: NetworkView;
}
