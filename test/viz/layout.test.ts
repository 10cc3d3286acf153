import { describe, expect, it } from 'vitest';
import { type Box, inside, intersects, layoutArchitecture } from '../../packages/viz/src/layout';
import { abbreviate, estimateWidth, wrapToWidth } from '../../packages/viz/src/text-fit';
import type { ArchitectureView, HostView } from '../../packages/viz/src/view';

const azs = ['apne2-az1', 'apne2-az2', 'apne2-az3'];

function host(id: string, kind: string, subnetId: string): HostView {
  return {
    id,
    name: id,
    label: id,
    kind,
    state: 'running',
    subnetId,
    az: null,
    ip: '192.168.1.100',
    securityGroupIds: [],
  };
}

/** A view with `apiPerAz` API servers in every AZ, `etcd` members, and `nodesPerSubnet` nodes in every subnet. */
function view(apiPerAz: number, etcd: number, nodesPerSubnet: number): ArchitectureView {
  const subnets = ['a', 'b'].flatMap((az, i) =>
    (['public', 'private'] as const).map((kind) => ({
      id: `subnet-${kind}-${i}`,
      name: `${kind}${i}`,
      az: `az-${az}`,
      kind,
      cidr: '192.168.0.0/24',
    })),
  );
  return {
    region: 'ap-northeast-2',
    azs: azs.map((id) => ({ id, state: 'up', network: null })),
    apiServers: azs.flatMap((az) =>
      Array.from({ length: apiPerAz }, (_, i) => ({
        id: `${az}-api-${i}`,
        az,
        state: 'healthy',
        size: 'm5.large',
        cpu: 0.5,
        memory: null,
        rps: null,
      })),
    ),
    etcd: Array.from({ length: etcd }, (_, i) => ({
      id: `etcd-${i}`,
      az: azs[i % 3]!,
      state: 'follower',
      role: 'follower',
      term: 1,
      isLeader: i === 0,
      size: null,
    })),
    nlbs: azs.map((az) => ({ id: `nlb-${az}`, az, state: 'in-dns', inDns: true, ips: ['3.34.52.15'] })),
    vpc: { id: 'vpc-1', cidr: '192.168.0.0/16' },
    customerAzs: ['az-a', 'az-b'],
    subnets,
    securityGroups: [],
    enis: [],
    hosts: [host('bastion', 'bastion', 'subnet-public-0'), { ...host('laptop', 'laptop', ''), subnetId: null }],
    nodes: subnets.flatMap((s) =>
      Array.from({ length: nodesPerSubnet }, (_, i) => host(`${s.id}-node-${i}`, 'node', s.id)),
    ),
    endpointMode: 'public',
    pendingEndpoint: null,
    nowMs: 0,
    publicAccessCidrs: [],
    paths: [],
    kubeletPaths: [],
    clusterSecurityGroupId: null,
  };
}

function overlaps(boxes: readonly Box[]): [Box, Box][] {
  const found: [Box, Box][] = [];
  boxes.forEach((a, i) => {
    for (const b of boxes.slice(i + 1)) if (intersects(a, b)) found.push([a, b]);
  });
  return found;
}

describe('the architecture layout cannot collide', () => {
  for (const [apiPerAz, etcd, nodes] of [
    [1, 3, 0],
    [2, 3, 1],
    [3, 5, 2],
    [9, 5, 6],
  ] as const) {
    it(`${apiPerAz} API servers per AZ, ${etcd} etcd members, ${nodes} nodes per subnet: no box over another, each inside its frame`, () => {
      const v = view(apiPerAz, etcd, nodes);
      const layout = layoutArchitecture(v);
      const control = [...layout.etcd.values(), ...layout.apiServers.values(), ...layout.nlbs.values()];
      expect(control).toHaveLength(apiPerAz * 3 + etcd + 3);
      expect(overlaps(control)).toEqual([]);
      for (const [az, column] of layout.azColumns) {
        for (const member of [...v.apiServers, ...v.etcd].filter((m) => m.az === az)) {
          const box = layout.apiServers.get(member.id) ?? layout.etcd.get(member.id)!;
          expect(inside(box, column), `${member.id} inside ${az}`).toBe(true);
        }
      }
      const hosts = [...layout.hosts.values()];
      expect(hosts).toHaveLength(1 + 1 + nodes * 4);
      expect(overlaps(hosts)).toEqual([]);
      for (const node of v.nodes) {
        const box = layout.hosts.get(node.id)!;
        const subnet = layout.subnets.get(node.subnetId!)!;
        expect(inside(box, subnet), `${node.id} ${JSON.stringify(box)} inside ${JSON.stringify(subnet)}`).toBe(true);
      }
      expect(inside(layout.managedVpc, layout.region)).toBe(true);
      expect(inside(layout.customerVpc, layout.region)).toBe(true);
      expect(intersects(layout.managedVpc, layout.customerVpc)).toBe(false);
    });
  }

  it('an empty subnet shrinks to a line; the subnets with nodes share the height', () => {
    const layout = layoutArchitecture(view(2, 3, 0));
    const bastionSubnet = layout.subnets.get('subnet-public-0')!;
    const empty = layout.subnets.get('subnet-private-0')!;
    expect(empty.h).toBeLessThan(30);
    expect(bastionSubnet.h).toBeGreaterThan(empty.h * 4);
  });
});

describe('text that fits its box', () => {
  const measure = (text: string) => estimateWidth(text, 13);

  it('abbreviates by rule: whole words first, "…" at the end, never wider than the box', () => {
    const text = 'eksctl-myeks-cluster-ControlPlaneSecurityGroup-1ABCDEF';
    const short = abbreviate(text, 120, measure);
    expect(short.endsWith('…')).toBe(true);
    expect(measure(short)).toBeLessThanOrEqual(120);
    expect(text.startsWith(short.slice(0, -1))).toBe(true);
    expect(abbreviate('API server', 200, measure)).toBe('API server');
    const sentence = 'bastion: the EKS-owned ENI refused it';
    const words = abbreviate(sentence, 150, measure).slice(0, -1);
    expect(sentence[words.length]).toBe(' ');
  });

  it('wraps at spaces within the width, cuts a word longer than a line, and marks what it left out', () => {
    const lines = wrapToWidth('the EKS-owned ENI carries the cluster security group', 130, 13, 5);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(measure(line)).toBeLessThanOrEqual(130);
    expect(lines.join(' ')).toBe('the EKS-owned ENI carries the cluster security group');
    const cut = wrapToWidth('one two three four five six seven eight nine ten eleven twelve', 60, 13, 2);
    expect(cut).toHaveLength(2);
    expect(cut[1]?.endsWith('…')).toBe(true);
    const long = wrapToWidth('eni-0264c441d9442687e0264c441d9442687e', 60, 13, 9);
    for (const line of long) expect(measure(line)).toBeLessThanOrEqual(60);
  });
});
