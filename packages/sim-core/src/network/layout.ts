/**
 * The scenario's `network:` section read into the VPC layout the network domain builds, with
 * every problem found at once: the scenario validator reports them all, by path, before a run;
 * the domain refuses to build from a layout that has any.
 */
import { addressAt, cidrContains, isPrivateIpv4, parseIpv4, parseIpv4Cidr } from './cidr';
import { DEFAULT_LAPTOP_IP } from './facts';
import type { ConnectedNetworkInput, ConnectionKind, NetworkScenario } from './types';

export type NetworkLayout = Required<Omit<NetworkScenario, 'clusterSubnets'>> & {
  clusterSubnets: NetworkScenario['clusterSubnets'];
};

/** A problem in the scenario (its path from the scenario's root), what was wrong, and what would be accepted. */
export interface NetworkIssue {
  readonly path: readonly (string | number)[];
  readonly problem: string;
  readonly accepted: string;
}

const KNOWN_KEYS = [
  'vpcCidr',
  'subnets',
  'natGateway',
  'clusterSubnets',
  'enableDnsHostnames',
  'enableDnsSupport',
  'laptopPublicIp',
  'connectedNetworks',
];
const CONNECTION_KINDS: readonly ConnectionKind[] = ['vpn', 'peering', 'direct-connect', 'transit-gateway'];
/** The lab's subnets are the VPC's x.y.1.0/24 … x.y.4.0/24 (facts.ts LAB_SUBNETS), so the VPC must be a /16. */
const VPC_PREFIX = 16;

const overlaps = (a: string, b: string): boolean =>
  cidrContains(a, addressAt(b, 0)) || cidrContains(b, addressAt(a, 0));

/**
 * Reads `network` (and, for the node groups' `subnets:`, which kinds they ask for). Returns the
 * layout when there is no issue.
 */
export function readNetworkLayout(
  network: unknown,
  nodeGroupSubnets: readonly (string | undefined)[] = [],
): { layout?: NetworkLayout; issues: NetworkIssue[] } {
  const issues: NetworkIssue[] = [];
  const add = (path: (string | number)[], problem: string, accepted: string) =>
    issues.push({ path: path[0] === '@cluster' ? path.slice(1) : ['network', ...path], problem, accepted });
  const raw = (network ?? {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    add([], 'network must be a mapping', 'a mapping of network fields');
    return { issues };
  }
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.includes(key)) add([key], `unknown field "${key}"`, `known fields: ${KNOWN_KEYS.join(', ')}`);
  }
  const vpcCidr = raw.vpcCidr ?? '192.168.0.0/16';
  const block = typeof vpcCidr === 'string' ? parseIpv4Cidr(vpcCidr) : undefined;
  if (!block) {
    add(['vpcCidr'], `${JSON.stringify(vpcCidr)} is not an IPv4 CIDR block`, 'a /16 block such as 192.168.0.0/16');
  } else if (block.prefix !== VPC_PREFIX) {
    const firstSubnet = `${(
      addressAt(vpcCidr as string, 0)
        .split('.')
        .slice(0, 2) as string[]
    ).join('.')}.1.0/24`;
    add(
      ['vpcCidr'],
      block.prefix > VPC_PREFIX
        ? `a /${block.prefix} VPC is too small: its subnets (${firstSubnet} … .4.0/24) would lie outside the VPC`
        : `a /${block.prefix} VPC is larger than the /16 the lab's subnets are laid out in`,
      'a /16 block such as 192.168.0.0/16',
    );
  } else if (`${addressAt(vpcCidr as string, 0)}/16` !== vpcCidr) {
    add(
      ['vpcCidr'],
      `${vpcCidr} has host bits set`,
      `the block's first address: ${addressAt(vpcCidr as string, 0)}/16`,
    );
  }
  const vpcOk = issues.every((i) => i.path[1] !== 'vpcCidr');
  const oneOf = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const value = raw[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || !allowed.includes(value as T)) {
      add([key], `${JSON.stringify(value)} is not a ${key} setting`, `one of ${allowed.join(', ')}`);
      return fallback;
    }
    return value as T;
  };
  const bool = (key: string): boolean => {
    const value = raw[key];
    if (value === undefined) return true;
    if (typeof value !== 'boolean') add([key], `${JSON.stringify(value)} is not true or false`, 'true or false');
    return value !== false;
  };
  const subnets = oneOf('subnets', ['public-and-private', 'private-only'] as const, 'public-and-private');
  const natGateway = oneOf('natGateway', ['none', 'single', 'per-az'] as const, 'none');
  if (subnets === 'private-only' && natGateway !== 'none') {
    add(
      ['natGateway'],
      'the private route tables would send 0.0.0.0/0 to a NAT gateway that cannot exist: a NAT gateway lives in a public subnet and needs an internet gateway, and subnets: private-only has neither',
      'natGateway: none with subnets: private-only (or subnets: public-and-private)',
    );
  }
  const clusterSubnets =
    raw.clusterSubnets === undefined
      ? undefined
      : oneOf('clusterSubnets', ['public', 'private', 'both'] as const, 'public');
  if (subnets === 'private-only' && (clusterSubnets === 'public' || clusterSubnets === 'both')) {
    add(['clusterSubnets'], `there are no public subnets with subnets: private-only`, 'clusterSubnets: private');
  }
  if (subnets === 'private-only') {
    nodeGroupSubnets.forEach((kind, i) => {
      if (kind === 'public') {
        add(
          ['@cluster', 'cluster', 'nodeGroups', i, 'subnets'],
          'node group asks for public subnets, but the network has subnets: private-only',
          'subnets: private',
        );
      }
    });
  }
  const laptopPublicIp = raw.laptopPublicIp ?? DEFAULT_LAPTOP_IP;
  if (typeof laptopPublicIp !== 'string' || parseIpv4(laptopPublicIp) === undefined) {
    add(
      ['laptopPublicIp'],
      `${JSON.stringify(laptopPublicIp)} is not an IPv4 address`,
      'a public IPv4 address such as 203.0.113.7',
    );
  } else if (isPrivateIpv4(laptopPublicIp)) {
    add(['laptopPublicIp'], `${laptopPublicIp} is a private address`, 'a public IPv4 address such as 203.0.113.7');
  }
  const connectedNetworks = readConnectedNetworks(raw.connectedNetworks, vpcOk ? (vpcCidr as string) : undefined, add);
  if (issues.length > 0) return { issues };
  return {
    issues,
    layout: {
      connectedNetworks,
      vpcCidr: vpcCidr as string,
      subnets,
      natGateway,
      clusterSubnets,
      enableDnsHostnames: bool('enableDnsHostnames'),
      enableDnsSupport: bool('enableDnsSupport'),
      laptopPublicIp: laptopPublicIp as string,
    },
  };
}

function readConnectedNetworks(
  raw: unknown,
  vpcCidr: string | undefined,
  add: (path: (string | number)[], problem: string, accepted: string) => void,
): ConnectedNetworkInput[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    add(['connectedNetworks'], 'connectedNetworks must be a list', 'a list of { name, cidr, via }');
    return [];
  }
  const names = new Set(['bastion', 'laptop']);
  const blocks: { cidr: string; index: number }[] = [];
  const out: ConnectedNetworkInput[] = [];
  raw.forEach((entry, i) => {
    const at = (field: string) => ['connectedNetworks', i, field];
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      add(['connectedNetworks', i], 'a connected network must be a mapping', '{ name, cidr, via }');
      return;
    }
    const { name, cidr, via } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || !/^[a-z][a-z0-9-]*$/.test(name)) {
      add(at('name'), `${JSON.stringify(name)} is not a host name`, 'a lower-case name such as "office"');
    } else if (names.has(name)) {
      add(at('name'), `the name "${name}" is taken`, `a name other than ${[...names].join(', ')}`);
    } else names.add(name);
    const block = typeof cidr === 'string' ? parseIpv4Cidr(cidr) : undefined;
    if (!block || block.prefix > 28 || block.prefix < 8) {
      add(at('cidr'), `${JSON.stringify(cidr)} is not an IPv4 block from /8 to /28`, 'a block such as 10.20.0.0/16');
    } else {
      if (vpcCidr && overlaps(vpcCidr, cidr as string)) {
        add(
          at('cidr'),
          `${cidr} overlaps the VPC's ${vpcCidr}: routes could not tell them apart`,
          `a block outside ${vpcCidr}`,
        );
      }
      for (const other of blocks) {
        if (overlaps(other.cidr, cidr as string)) {
          add(
            at('cidr'),
            `${cidr} overlaps connectedNetworks[${other.index}]'s ${other.cidr}: routes could not tell them apart`,
            'a block that overlaps no other network',
          );
        }
      }
      blocks.push({ cidr: cidr as string, index: i });
    }
    if (typeof via !== 'string' || !CONNECTION_KINDS.includes(via as ConnectionKind)) {
      add(
        at('via'),
        `${JSON.stringify(via)} is not a way to join a network to a VPC`,
        `one of ${CONNECTION_KINDS.join(', ')}`,
      );
    }
    out.push({ name: name as string, cidr: cidr as string, via: via as ConnectionKind });
  });
  return out;
}
