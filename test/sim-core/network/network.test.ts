import { createSimulation, parseScenario, scenarios } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';
import { cidrContains } from '../../../packages/sim-core/src/network/cidr';

const ID = (prefix: string) => new RegExp(`^${prefix}-0[0-9a-f]{16}$`);

function withNetwork(network: Record<string, unknown>, nodeSubnets: 'public' | 'private' = 'public') {
  const base = scenarios['seed-week1'];
  if (!base) throw new Error('seed-week1 missing');
  const nodeGroups = (base.cluster.nodeGroups ?? []).map((g) => ({ ...g, subnets: nodeSubnets }));
  return createSimulation({ ...base, network, cluster: { ...base.cluster, nodeGroups } });
}

describe("the seed's lab network (docs/lessons/seed-week1.md)", () => {
  const sim = createSimulation();
  const net = sim.snapshot().network;

  it('is one VPC 192.168.0.0/16 with DNS hostnames and support on, over ap-northeast-2a and 2c', () => {
    expect(net.vpcId).toMatch(ID('vpc'));
    expect(net.vpcCidr).toBe('192.168.0.0/16');
    expect(net.enableDnsHostnames).toBe(true);
    expect(net.enableDnsSupport).toBe(true);
    expect(net.azs).toEqual(['ap-northeast-2a', 'ap-northeast-2c']);
  });

  it('has 2 public and 2 private subnets, one of each per AZ, named like the lab', () => {
    expect(net.subnets.map((s) => [s.name, s.kind, s.cidr, s.az])).toEqual([
      ['myeks-PublicSubnet1', 'public', '192.168.1.0/24', 'ap-northeast-2a'],
      ['myeks-PublicSubnet2', 'public', '192.168.2.0/24', 'ap-northeast-2c'],
      ['myeks-PrivateSubnet1', 'private', '192.168.3.0/24', 'ap-northeast-2a'],
      ['myeks-PrivateSubnet2', 'private', '192.168.4.0/24', 'ap-northeast-2c'],
    ]);
    for (const s of net.subnets) expect(s.id).toMatch(ID('subnet'));
  });

  it('routes the public subnets to the internet gateway and keeps the private ones local (no NAT)', () => {
    expect(net.internetGatewayId).toMatch(ID('igw'));
    expect(net.natGateways).toEqual([]);
    for (const s of net.subnets) {
      const rt = net.routeTables.find((r) => r.id === s.routeTableId);
      const exit = rt?.routes.find((r) => r.destination === '0.0.0.0/0');
      expect(rt?.routes).toContainEqual({ destination: '192.168.0.0/16', target: 'local' });
      expect(exit?.target ?? null).toBe(s.kind === 'public' ? net.internetGatewayId : null);
    }
  });

  it('puts the bastion myeks-host in PublicSubnet1 with a public IP and its own security group', () => {
    const bastion = sim.domains.network.host('myeks-host');
    const subnet1 = net.subnets[0];
    expect(bastion?.name).toBe('bastion');
    expect(bastion?.subnetId).toBe(subnet1?.id);
    expect(bastion?.privateIp).toBe('192.168.1.100');
    expect(bastion?.publicIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const sg = net.securityGroups.find((g) => g.id === bastion?.securityGroupIds[0]);
    expect(sg?.name).toBe('myeks-EKSEC2SG');
  });

  it('has a laptop on the internet with a public IP and no subnet', () => {
    expect(sim.domains.network.host('laptop')).toMatchObject({
      publicIp: '203.0.113.7',
      subnetId: null,
      privateIp: null,
    });
  });

  it('has the four security groups of eksctl.io (VPC Networking) with their rules, all outbound open (docs/endpoint-modes.md)', () => {
    const byName = (re: RegExp) => net.securityGroups.find((g) => re.test(g.name));
    const clusterSg = byName(/^eks-cluster-sg-myeks-\d+$/);
    const controlPlane = byName(/^eksctl-myeks-cluster-ControlPlaneSecurityGroup-[0-9A-Z]{13}$/);
    const shared = byName(/^eksctl-myeks-cluster-ClusterSharedNodeSecurityGroup-[0-9A-Z]{13}$/);
    const remote = byName(/^eksctl-myeks-nodegroup-myeks-nodegroup-remoteAccess$/);
    expect([clusterSg, controlPlane, shared, remote].every(Boolean)).toBe(true);
    expect(clusterSg?.ingress).toContainEqual(expect.objectContaining({ protocol: '-1', groupId: clusterSg?.id }));
    expect(controlPlane?.ingress).toEqual([]); // docs/endpoint-modes.md: no inbound rules
    expect(shared?.ingress).toContainEqual(expect.objectContaining({ protocol: '-1', groupId: shared?.id }));
    expect(shared?.ingress).toContainEqual(expect.objectContaining({ protocol: '-1', groupId: clusterSg?.id }));
    expect(remote?.ingress.map((r) => [r.protocol, r.fromPort, r.toPort, r.cidr])).toEqual([
      ['tcp', 22, 22, '0.0.0.0/0'],
      ['tcp', 22, 22, '::/0'],
    ]);
    for (const g of net.securityGroups) expect(g.egress).toContainEqual(expect.objectContaining({ cidr: '0.0.0.0/0' }));
    expect(sim.snapshot().cluster?.resourcesVpcConfig.clusterSecurityGroupId).toBe(clusterSg?.id);
    expect(sim.snapshot().cluster?.resourcesVpcConfig.securityGroupIds).toEqual([controlPlane?.id]);
  });

  it("puts 2-4 EKS-owned ENIs in the cluster's (public) subnets, carrying the cluster security group", () => {
    expect(net.enis.length).toBeGreaterThanOrEqual(2);
    expect(net.enis.length).toBeLessThanOrEqual(4);
    const publicIds = net.subnets.filter((s) => s.kind === 'public').map((s) => s.id);
    expect(net.clusterSubnetIds).toEqual(publicIds);
    for (const eni of net.enis) {
      expect(eni.id).toMatch(ID('eni'));
      expect(publicIds).toContain(eni.subnetId);
      const subnet = net.subnets.find((s) => s.id === eni.subnetId);
      expect(cidrContains(subnet?.cidr ?? '', eni.privateIp)).toBe(true);
      expect(eni.securityGroupIds[0]).toBe(net.clusterSecurityGroupId);
    }
  });

  it('places the node group in the two public subnets with addresses from them and EC2 private DNS names', () => {
    const group = sim.snapshot().nodegroups[0];
    expect(group?.nodes).toHaveLength(2);
    expect(new Set(group?.nodes.map((n) => n.subnetId)).size).toBe(2);
    for (const node of group?.nodes ?? []) {
      const subnet = net.subnets.find((s) => s.id === node.subnetId);
      expect(subnet?.kind).toBe('public');
      expect(cidrContains(subnet?.cidr ?? '', node.privateIp)).toBe(true);
      expect(node.name).toBe(`ip-${node.privateIp.replaceAll('.', '-')}.ap-northeast-2.compute.internal`);
      expect(node.publicIp).not.toBeNull();
      expect(node.instanceId).toMatch(ID('i'));
      expect(node.securityGroupIds).toContain(net.clusterSecurityGroupId);
      expect(node.state).toBe('Ready');
    }
  });

  it('never hands out the same private address twice', () => {
    const ips = [
      ...net.hosts.map((h) => h.privateIp).filter(Boolean),
      ...net.enis.map((e) => e.privateIp),
      ...sim.snapshot().nodegroups.flatMap((g) => g.nodes.map((n) => n.privateIp)),
    ];
    expect(new Set(ips).size).toBe(ips.length);
  });

  it('is the same for the same seed and differs for another', () => {
    expect(createSimulation(undefined, { seed: 1 }).snapshot().network).toEqual(
      createSimulation(undefined, { seed: 1 }).snapshot().network,
    );
    expect(createSimulation(undefined, { seed: 2 }).snapshot().network.vpcId).not.toBe(net.vpcId);
  });
});

describe('other layouts from the scenario', () => {
  it('with a NAT gateway, the private subnets route 0.0.0.0/0 to it', () => {
    const net = withNetwork({ natGateway: 'single' }).snapshot().network;
    expect(net.natGateways).toHaveLength(1);
    for (const s of net.subnets.filter((x) => x.kind === 'private')) {
      const rt = net.routeTables.find((r) => r.id === s.routeTableId);
      expect(rt?.routes).toContainEqual({ destination: '0.0.0.0/0', target: net.natGateways[0]?.id });
    }
  });

  it('private subnets only: no internet gateway, the bastion without a public IP, nodes and ENIs in private subnets', () => {
    const sim = withNetwork({ subnets: 'private-only' }, 'private');
    const net = sim.snapshot().network;
    expect(net.internetGatewayId).toBeNull();
    expect(net.subnets.every((s) => s.kind === 'private')).toBe(true);
    expect(sim.domains.network.host('bastion')?.publicIp).toBeNull();
    expect(sim.snapshot().nodegroups[0]?.nodes.every((n) => n.publicIp === null)).toBe(true);
    expect(net.enis.every((e) => net.subnets.some((s) => s.id === e.subnetId))).toBe(true);
  });

  it('refuses a bad network section with a message naming the field', () => {
    expect(() => withNetwork({ natGateway: 'sometimes' })).toThrow(
      /network\.natGateway: "sometimes" is not a natGateway setting \(one of none, single, per-az\)/,
    );
    expect(() => withNetwork({ vpcCidr: '10.0.0.0/8' })).toThrow(/network\.vpcCidr: a \/8 VPC .*\(a \/16 block/);
    expect(() => withNetwork({ subnet: 'x' })).toThrow(/network\.subnet: unknown field "subnet"/);
  });

  it('reads a YAML scenario that extends the lab with a NAT gateway', () => {
    const scenario = parseScenario('extends: seed-week1\nname: nat\nnetwork:\n  natGateway: per-az\n');
    expect(createSimulation(scenario).snapshot().network.natGateways).toHaveLength(2);
  });
});

describe('security-group rules by command', () => {
  const rule = {
    type: 'sg.add-rule',
    group: 'eks-cluster-sg-myeks',
    protocol: 'tcp',
    port: 443,
    source: 'myeks-EKSEC2SG',
  };

  it('adds a rule found by name prefix, refuses the same rule twice, and removes it', () => {
    const sim = createSimulation();
    const added = sim.apply(rule);
    expect(added).toMatchObject({ ok: true });
    const clusterSg = sim.snapshot().network.securityGroups.find((g) => g.name.startsWith('eks-cluster-sg-myeks'));
    expect(clusterSg?.ingress).toContainEqual(expect.objectContaining({ protocol: 'tcp', fromPort: 443, toPort: 443 }));
    expect(sim.apply(rule)).toMatchObject({ ok: false, code: 'InvalidPermission.Duplicate' });
    expect(sim.apply({ ...rule, type: 'sg.remove-rule' })).toMatchObject({ ok: true });
    expect(sim.apply({ ...rule, type: 'sg.remove-rule' })).toMatchObject({
      ok: false,
      code: 'InvalidPermission.NotFound',
    });
    expect(sim.events().map((e) => e.type)).toEqual(expect.arrayContaining(['sg.rule-added', 'sg.rule-removed']));
  });

  it('refuses bad input naming what is wrong, and a refused command changes nothing', () => {
    const sim = createSimulation();
    const before = JSON.stringify(sim.snapshot().network);
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...rule, group: 'sg-nope' }, 'InvalidGroup.NotFound', /does not exist/],
      [{ ...rule, source: '10.0.0/8' }, 'InvalidParameterValue', /CIDR block 10\.0\.0\/8 is malformed/],
      [{ ...rule, source: 'nobody' }, 'InvalidParameterValue', /neither a CIDR/],
      [{ ...rule, port: undefined }, 'InvalidParameterValue', /needs "port"/],
      [{ ...rule, port: 70000 }, 'InvalidField', /"port" must be an integer ≥ 0 and ≤ 65535/],
      [{ ...rule, group: 'eksctl-myeks' }, 'InvalidGroup.NotFound', /names 3 security groups/],
    ];
    for (const [command, code, message] of cases) {
      const result = sim.apply({ ...command, type: 'sg.add-rule' });
      expect(result).toMatchObject({ ok: false, code });
      expect(result.ok ? '' : result.error).toMatch(message);
    }
    expect(JSON.stringify(sim.snapshot().network)).toBe(before);
  });
});

describe('the cluster security group after an update', () => {
  it('gets its inbound rule back from EKS when an update completes (eksctl.io (VPC Networking))', () => {
    const sim = createSimulation();
    const selfRule = { type: 'sg.remove-rule', group: 'eks-cluster-sg-myeks', protocol: 'all' };
    const clusterSg = () => sim.snapshot().network.securityGroups.find((g) => g.name.startsWith('eks-cluster-sg-'));
    const id = clusterSg()?.id as string;
    expect(sim.apply({ ...selfRule, source: id })).toMatchObject({ ok: true });
    expect(clusterSg()?.ingress.some((r) => r.groupId === id)).toBe(false);
    sim.apply({ type: 'endpoint.update', private: true });
    sim.advance(10 * 60_000);
    expect(clusterSg()?.ingress).toContainEqual(expect.objectContaining({ protocol: '-1', groupId: id }));
    expect(sim.events().map((e) => e.type)).toContain('sg.rule-restored');
  });
});
