import type { Prng } from '../engine/prng';
import type { Addresses } from './addresses';
import { addressAt } from './cidr';
import { ALL_TRAFFIC_OUT, BASTION_HOST_NUMBER, LAB_SUBNETS, labAzs } from './facts';
import { awsId } from './ids';
import type { NetworkLayout } from './layout';
import type { ConnectedNetwork, NatGateway, RouteTable, SecurityGroup, Subnet, VantageHost } from './types';

/** The customer VPC as the scenario lays it out, before any cluster: what the lab's template makes. */
export interface LabVpc {
  readonly vpcId: string;
  readonly azs: string[];
  readonly internetGatewayId: string | null;
  readonly routeTables: RouteTable[];
  readonly subnets: Subnet[];
  readonly natGateways: NatGateway[];
  readonly securityGroups: SecurityGroup[];
  readonly bastion: VantageHost;
  readonly laptop: VantageHost;
  readonly connectedNetworks: ConnectedNetwork[];
  readonly connectedHosts: VantageHost[];
}

/**
 * Builds the lab's VPC: subnets and their route tables, the internet and NAT gateways, the
 * bastion and the laptop, and the networks joined to it. Ids come from the network's random
 * stream in this order, so a seed gives the same VPC every time.
 */
export function buildLabVpc(
  rng: Prng,
  addresses: Addresses,
  layout: NetworkLayout,
  prefix: string,
  region: string,
): LabVpc {
  const vpcId = awsId(rng, 'vpc');
  const azs = labAzs(region);
  const withPublic = layout.subnets === 'public-and-private';
  const routeTables: RouteTable[] = [];
  const subnets: Subnet[] = [];
  const natGateways: NatGateway[] = [];
  const connectedNetworks: ConnectedNetwork[] = [];
  const connectedHosts: VantageHost[] = [];
  const internetGatewayId = withPublic ? awsId(rng, 'igw') : null;

  const publicRt: RouteTable | null = withPublic
    ? {
        id: awsId(rng, 'rtb'),
        name: `${prefix}-PublicSubnetRouteTable`,
        routes: [
          { destination: layout.vpcCidr, target: 'local' },
          { destination: '0.0.0.0/0', target: internetGatewayId as string },
        ],
      }
    : null;
  if (publicRt) routeTables.push(publicRt);
  const privateRt: RouteTable[] = azs.map((_, i) => ({
    id: awsId(rng, 'rtb'),
    name: `${prefix}-PrivateSubnetRouteTable${i + 1}`,
    routes: [{ destination: layout.vpcCidr, target: 'local' }],
  }));
  routeTables.push(...privateRt);

  const [a, b] = (layout.vpcCidr.split('/')[0] as string).split('.');
  for (const spec of LAB_SUBNETS) {
    if (spec.kind === 'public' && !withPublic) continue;
    const rt = spec.kind === 'public' ? (publicRt as RouteTable) : (privateRt[spec.azIndex] as RouteTable);
    subnets.push({
      id: awsId(rng, 'subnet'),
      name: `${prefix}-${spec.name}`,
      kind: spec.kind,
      cidr: `${a}.${b}.${spec.third}.0/24`,
      az: azs[spec.azIndex] as string,
      routeTableId: rt.id,
      mapPublicIpOnLaunch: spec.kind === 'public',
    });
  }

  if (withPublic && layout.natGateway !== 'none') {
    const publicSubnets = subnets.filter((s) => s.kind === 'public');
    const count = layout.natGateway === 'per-az' ? publicSubnets.length : 1;
    for (let i = 0; i < count; i++) {
      const subnet = publicSubnets[i] as Subnet;
      const nat: NatGateway = { id: awsId(rng, 'nat'), subnetId: subnet.id, publicIp: addresses.publicIp() };
      natGateways.push(nat);
    }
    privateRt.forEach((rt, i) => {
      const nat = natGateways[Math.min(i, natGateways.length - 1)] as NatGateway;
      rt.routes.push({ destination: '0.0.0.0/0', target: nat.id });
    });
  }

  // The lab's work EC2 (docs/lessons/seed-week1.md): in PublicSubnet1 with a public IP; in a private-only VPC, in PrivateSubnet1.
  const bastionSubnet = (
    withPublic ? subnets.filter((s) => s.kind === 'public')[0] : subnets.filter((s) => s.kind === 'private')[0]
  ) as Subnet;
  const bastionIp = addressAt(bastionSubnet.cidr, BASTION_HOST_NUMBER);
  addresses.reserve(bastionIp);
  const bastionSg: SecurityGroup = {
    id: awsId(rng, 'sg'),
    name: `${prefix}-EKSEC2SG`,
    description: `${prefix}-host security group (the lab's template, docs/lessons/seed-week1.md)`,
    madeBy: 'lab',
    ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0', description: 'SSH to the work EC2' }],
    egress: [ALL_TRAFFIC_OUT],
  };
  const securityGroups: SecurityGroup[] = [bastionSg];
  const bastion: VantageHost = {
    name: 'bastion',
    kind: 'bastion',
    label: `${prefix}-host`,
    privateIp: bastionIp,
    publicIp: withPublic ? addresses.publicIp() : null,
    subnetId: bastionSubnet.id,
    securityGroupIds: [bastionSg.id],
  };
  const laptop: VantageHost = {
    name: 'laptop',
    kind: 'laptop',
    label: 'laptop',
    privateIp: null,
    publicIp: layout.laptopPublicIp,
    subnetId: null,
    securityGroupIds: [],
  };
  // Networks joined to the VPC (AWS EKS User Guide, cluster-endpoint.html): a route in every table, and a host to ask from.
  const gatewayPrefix = { vpn: 'vgw', 'direct-connect': 'vgw', peering: 'pcx', 'transit-gateway': 'tgw' } as const;
  for (const input of layout.connectedNetworks) {
    const link: ConnectedNetwork = { ...input, gatewayId: awsId(rng, gatewayPrefix[input.via]) };
    connectedNetworks.push(link);
    for (const rt of routeTables) rt.routes.push({ destination: link.cidr, target: link.gatewayId });
    connectedHosts.push({
      name: link.name,
      // Outside the VPC, like the laptop: the shell gives it a workstation's prompt.
      kind: 'laptop',
      label: link.name,
      privateIp: addressAt(link.cidr, 10),
      publicIp: addresses.publicIp(),
      subnetId: null,
      securityGroupIds: [],
      connectedNetwork: link.name,
    });
  }
  return {
    vpcId,
    azs,
    internetGatewayId,
    routeTables,
    subnets,
    natGateways,
    securityGroups,
    bastion,
    laptop,
    connectedNetworks,
    connectedHosts,
  };
}
