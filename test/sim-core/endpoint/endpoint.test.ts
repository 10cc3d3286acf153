import { checkInvariants, createSimulation, scenarios } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';
import { reachApiServer, reachKubelet } from '../../../packages/sim-core/src/endpoint/reachability';
import { configOfMode, type EndpointMode } from '../../../packages/sim-core/src/endpoint/types';
import { whatIfEndpoint } from '../../../packages/sim-core/src/endpoint/whatif';
import { labSim, labWorld } from './lab-world';

const CLUSTER_SG_FIX = /^add inbound TCP 443 from sg-0[0-9a-f]{16} \(myeks-host\) to eks-cluster-sg-myeks-\d+$/;

function row(mode: EndpointMode, client: string, cidrs: string[] = ['0.0.0.0/0']) {
  const sim = labSim();
  const world = labWorld(sim);
  const rows = whatIfEndpoint(world, configOfMode('public', cidrs), { modes: [mode], publicAccessCidrs: cidrs });
  const found = rows.find((r) => r.client === client);
  if (!found) throw new Error(`no row for ${client}`);
  return found;
}

const hops = (r: { path: readonly { hop: string }[] }) => r.path.map((h) => h.hop);

describe('public endpoint (the lab as built, docs/lessons/seed-week1.md)', () => {
  it('the laptop reaches the API server over the internet through an NLB node', () => {
    const r = row('public', 'laptop');
    expect(r).toMatchObject({ reachable: true, via: 'public', refusedAt: null, fix: null });
    expect(hops(r)).toEqual([
      'dns-answer',
      'route-table',
      'client-sg-egress',
      'public-access-cidrs',
      'nlb-node',
      'api-server',
    ]);
  });

  it('the bastion leaves the VPC through the internet gateway with its public IP', () => {
    const r = row('public', 'bastion');
    expect(r).toMatchObject({ reachable: true, via: 'public' });
    expect(r.path[1]?.detail).toMatch(/0\.0\.0\.0\/0 via igw-0[0-9a-f]{16}; leaves the VPC as /);
  });

  it('the name resolves to the public addresses of the NLB nodes in DNS', () => {
    const r = row('public', 'bastion');
    const ips = labWorld(labSim()).nlbNodes.flatMap((n) => n.ips);
    for (const ip of ips) expect(r.path[0]?.detail).toContain(ip);
  });

  it('a laptop outside publicAccessCidrs is refused at the CIDR check, with its /32 as the fix', () => {
    const r = row('public', 'laptop', ['198.51.100.0/24']);
    expect(r).toMatchObject({
      reachable: false,
      refusedAt: 'public-access-cidrs',
      fix: 'add 203.0.113.7/32 to publicAccessCidrs',
      fixCommand: { type: 'endpoint.update', publicAccessCidrs: ['198.51.100.0/24', '203.0.113.7/32'] },
    });
  });

  it('a node in a private subnet without NAT cannot join: its traffic cannot leave the VPC', () => {
    const r = row('public', 'node-private');
    expect(r).toMatchObject({ reachable: false, via: 'public', refusedAt: 'route-table' });
    expect(r.path[1]?.detail).toMatch(/no route to 0\.0\.0\.0\/0 \(no internet gateway, no NAT gateway\)/);
    expect(r.fix).toMatch(/^enable private endpoint access/);
    expect(r.fixCommand).toEqual({ type: 'endpoint.update', private: true });
  });
});

describe('--allow with restricted publicAccessCidrs', () => {
  it('assumes the laptop’s /32 and lets it in, leaving the other clients as they were', () => {
    const sim = labSim();
    const rows = whatIfEndpoint(labWorld(sim), configOfMode('public', ['0.0.0.0/0']), {
      modes: ['public'],
      publicAccessCidrs: ['198.51.100.0/24'],
      allow: ['laptop'],
    });
    expect(rows.find((r) => r.client === 'laptop')).toMatchObject({ reachable: true });
    expect(rows[0]?.assumed).toEqual(['laptop: add 203.0.113.7/32 to publicAccessCidrs']);
    expect(rows.find((r) => r.client === 'bastion')).toMatchObject({
      reachable: false,
      refusedAt: 'public-access-cidrs',
    });
  });
});

describe('public and private endpoint', () => {
  it('the bastion is sent to the EKS-owned ENIs and refused at the cluster security group', () => {
    const r = row('public-private', 'bastion');
    expect(r).toMatchObject({ reachable: false, via: 'private', refusedAt: 'cluster-sg-ingress' });
    expect(r.path[0]?.detail).toMatch(/private addresses; private hosted zone inside the VPC/);
    expect(r.fix).toMatch(CLUSTER_SG_FIX);
  });

  it('nodes carry the cluster security group and reach the API server through the ENIs', () => {
    for (const client of ['node-public', 'node-private']) {
      const r = row('public-private', client);
      expect(r).toMatchObject({ reachable: true, via: 'private' });
      expect(hops(r)).toEqual([
        'dns-answer',
        'route-table',
        'client-sg-egress',
        'cluster-sg-ingress',
        'eks-eni',
        'api-server',
      ]);
    }
  });

  it('the laptop still uses the public addresses', () => {
    expect(row('public-private', 'laptop')).toMatchObject({ reachable: true, via: 'public' });
  });
});

describe('private endpoint (docs/endpoint-modes.md)', () => {
  it('the bastion is refused at the cluster security group, and the fix is the 443 rule for its security group', () => {
    const r = row('private', 'bastion');
    expect(r).toMatchObject({ reachable: false, via: 'private', refusedAt: 'cluster-sg-ingress' });
    expect(r.path.at(-1)?.detail).toMatch(
      /no inbound rule allows TCP 443 from bastion myeks-host \(192\.168\.1\.100\)/,
    );
    expect(r.fix).toMatch(CLUSTER_SG_FIX);
    expect(r.fixCommand).toMatchObject({ type: 'sg.add-rule', protocol: 'tcp', port: 443 });
  });

  it('the laptop gets private addresses from public DNS and has no route to them', () => {
    const r = row('private', 'laptop');
    expect(r).toMatchObject({ reachable: false, via: 'private', refusedAt: 'route-table' });
    expect(r.path[0]?.detail).toMatch(/public DNS answers the private addresses too/);
    expect(r.path[1]?.detail).toMatch(/192\.168\.\d+\.\d+ is a private address .* no route to it/);
  });

  it('nodes keep working', () => {
    expect(row('private', 'node-public')).toMatchObject({ reachable: true, via: 'private' });
  });

  it('--allow bastion assumes the 443 rule and the bastion gets through, the simulation unchanged', () => {
    const sim = labSim();
    const before = JSON.stringify(sim.snapshot());
    const world = labWorld(sim);
    const rows = whatIfEndpoint(world, configOfMode('public', ['0.0.0.0/0']), {
      modes: ['private'],
      allow: ['bastion'],
    });
    expect(rows.find((r) => r.client === 'bastion')).toMatchObject({ reachable: true });
    expect(rows[0]?.assumed[0]).toMatch(/^bastion: add inbound TCP 443 from/);
    expect(rows.find((r) => r.client === 'laptop')).toMatchObject({ reachable: false });
    expect(JSON.stringify(sim.snapshot())).toBe(before);
  });
});

describe('control plane → kubelet', () => {
  it('goes through the EKS-owned ENIs to every node, whatever the endpoint mode', () => {
    const sim = labSim();
    const world = labWorld(sim);
    for (const mode of ['public', 'public-private', 'private'] as const) {
      for (const node of world.nodes) {
        const r = reachKubelet(world, configOfMode(mode, ['0.0.0.0/0']), node);
        expect(r).toMatchObject({ reachable: true, via: 'private' });
        expect(hops(r)).toEqual(['eks-eni', 'route-table', 'eni-sg-egress', 'node-sg-ingress', 'kubelet']);
      }
    }
  });
});

describe('each hop says where it happens (its kind), besides its sentence', () => {
  const kinds = (r: { path: readonly { kind: string }[] }) => r.path.map((h) => h.kind);
  const world = () => labWorld(labSim());

  it('a public path: the client side, the NLB (its CIDR check and node), then the API server', () => {
    const r = row('public', 'laptop');
    expect(kinds(r)).toEqual(['client', 'client', 'client', 'nlb', 'nlb', 'api-server']);
    const nlb = r.path.find((h) => h.hop === 'nlb-node');
    expect(world().nlbNodes.map((n) => n.id)).toContain(nlb?.resourceId);
  });

  it('a private path: the client side, the EKS-owned ENI (its security group and itself), then the API server', () => {
    const r = row('public-private', 'node-private');
    expect(kinds(r)).toEqual(['client', 'client', 'client', 'eni', 'eni', 'api-server']);
    const eni = r.path.find((h) => h.hop === 'eks-eni');
    expect(world().network.enis.map((e) => e.id)).toContain(eni?.resourceId);
    expect(eni?.detail).toContain(eni?.resourceId);
  });

  it('a refusal at the cluster security group is at the ENI; one at the CIDR check is at the NLB', () => {
    const atEni = row('private', 'bastion');
    expect(atEni.path.at(-1)).toMatchObject({ hop: 'cluster-sg-ingress', kind: 'eni', ok: false });
    const atNlb = row('public', 'laptop', ['198.51.100.0/24']);
    expect(atNlb.path.at(-1)).toMatchObject({ hop: 'public-access-cidrs', kind: 'nlb', ok: false });
  });

  it('the kubelet path starts at the ENI it names and ends at the node', () => {
    const w = world();
    const node = w.nodes[0];
    if (!node) throw new Error('the lab has no node');
    const r = reachKubelet(w, configOfMode('public', ['0.0.0.0/0']), node);
    expect(kinds(r)).toEqual(['eni', 'eni', 'eni', 'node', 'node']);
    expect(w.network.enis.map((e) => e.id)).toContain(r.path[0]?.resourceId);
  });
});

describe('endpoint.update (UpdateClusterConfig)', () => {
  it('refuses both accesses off with EKS’s InvalidParameterException', () => {
    const sim = labSim();
    expect(sim.apply({ type: 'endpoint.update', public: false, private: false })).toEqual({
      ok: false,
      code: 'InvalidParameterException',
      error: 'Both private and public endpoint access cannot be false',
    });
  });

  it('refuses malformed CIDRs, more than 40 of them, and a change that changes nothing', () => {
    const sim = labSim();
    expect(sim.apply({ type: 'endpoint.update', publicAccessCidrs: ['10.0.0.0/8', '1.2.3/8'] })).toMatchObject({
      code: 'InvalidParameterException',
      error: 'The following CIDRs are invalid in publicAccessCidrs: [1.2.3/8]',
    });
    const many = Array.from({ length: 41 }, (_, i) => `10.${i}.0.0/16`);
    expect(sim.apply({ type: 'endpoint.update', publicAccessCidrs: many })).toMatchObject({
      code: 'InvalidParameterException',
      error: expect.stringMatching(/at most 40 CIDR blocks \(got 41\)/),
    });
    expect(sim.apply({ type: 'endpoint.update', public: true })).toMatchObject({
      code: 'InvalidParameterException',
      error: expect.stringMatching(
        /^Cluster is already at the desired configuration with endpointPrivateAccess: false/,
      ),
    });
    expect(sim.apply({ type: 'endpoint.update', public: 'no' })).toMatchObject({ code: 'InvalidField' });
    expect(sim.snapshot().cluster?.updates).toEqual([]);
  });

  it('is an EndpointAccessUpdate: UPDATING for minutes with the old settings, then ACTIVE with the new', () => {
    const sim = labSim();
    const result = sim.apply({ type: 'endpoint.update', public: false, private: true });
    expect(result.ok).toBe(true);
    const update = sim.snapshot().cluster?.updates[0];
    expect(update).toMatchObject({ type: 'EndpointAccessUpdate', status: 'InProgress' });
    expect(update?.params).toEqual([
      { type: 'EndpointPublicAccess', value: 'false' },
      { type: 'EndpointPrivateAccess', value: 'true' },
    ]);
    expect(sim.snapshot().cluster?.status).toBe('UPDATING');
    expect(sim.domains.endpoint.mode()).toBe('public');
    expect(sim.snapshot().endpoint.pendingUpdate?.to.endpointPublicAccess).toBe(false);
    expect(sim.apply({ type: 'endpoint.update', public: true, private: true })).toMatchObject({
      ok: false,
      code: 'ResourceInUseException',
    });
    const minutes = ((update?.dueAtMs ?? 0) - sim.now()) / 60_000;
    expect(minutes).toBeGreaterThanOrEqual(4);
    expect(minutes).toBeLessThanOrEqual(9);
    sim.advance(10 * 60_000);
    expect(sim.snapshot().cluster?.status).toBe('ACTIVE');
    expect(sim.snapshot().cluster?.updates[0]?.status).toBe('Successful');
    expect(sim.domains.endpoint.mode()).toBe('private');
    expect(sim.events().map((e) => e.type)).toContain('endpoint.access-changed');
  });
});

describe('the live simulation follows its rules at once', () => {
  it('after the switch to private the bastion is locked out; the fix command lets it in', () => {
    const sim = labSim();
    sim.apply({ type: 'endpoint.update', public: false, private: true });
    sim.advance(10 * 60_000);
    const locked = sim.domains.endpoint.reach('bastion');
    expect(locked).toMatchObject({ reachable: false, refusedAt: 'cluster-sg-ingress' });
    expect(sim.domains.endpoint.reach('laptop')).toMatchObject({ reachable: false });
    expect(sim.apply(locked.fixCommand as never)).toMatchObject({ ok: true });
    expect(sim.domains.endpoint.reach('bastion')).toMatchObject({ reachable: true, via: 'private' });
    expect(sim.domains.endpoint.dnsAnswer('bastion').kind).toBe('private');
    expect(sim.domains.endpoint.dnsAnswer('laptop').addresses).toEqual(
      sim.snapshot().network.enis.map((e) => e.privateIp),
    );
    expect(checkInvariants(sim)).toEqual([]);
  });

  it('answers the same as the pure what-if for every host', () => {
    const sim = labSim();
    sim.apply({ type: 'endpoint.update', public: true, private: true });
    sim.advance(10 * 60_000);
    const world = sim.domains.endpoint.world();
    for (const host of sim.domains.network.hosts()) {
      const pure = reachApiServer(world, configOfMode('public-private', ['0.0.0.0/0']), host);
      expect(sim.domains.endpoint.reach(host.name)).toEqual(pure);
    }
    expect(sim.domains.endpoint.reach('nobody')).toMatchObject({ reachable: false, refusedAt: 'placement' });
  });
});

describe('other layouts', () => {
  function sim(network: Record<string, unknown>, nodeSubnets: 'public' | 'private' = 'public') {
    const base = scenarios['seed-week1'];
    if (!base) throw new Error('seed-week1 missing');
    const nodeGroups = (base.cluster.nodeGroups ?? []).map((g) => ({ ...g, subnets: nodeSubnets }));
    return createSimulation({ ...base, network, cluster: { ...base.cluster, nodeGroups } });
  }

  it('without the VPC’s DNS hostnames, public-and-private still sends nodes to the public addresses', () => {
    const s = sim({ enableDnsHostnames: false });
    const rows = whatIfEndpoint(labWorld(s), configOfMode('public', ['0.0.0.0/0']), { modes: ['public-private'] });
    const node = rows.find((r) => r.client === 'node-public');
    expect(node).toMatchObject({ via: 'public', reachable: true });
    expect(node?.path[0]?.detail).toMatch(/enableDnsHostnames is off, so the private hosted zone is not used/);
  });

  it('a node in a private subnet behind a NAT gateway leaves the VPC as the NAT’s address', () => {
    const s = sim({ natGateway: 'single' });
    const nat = s.snapshot().network.natGateways[0]?.publicIp as string;
    const rows = whatIfEndpoint(labWorld(s), configOfMode('public', ['0.0.0.0/0']), { modes: ['public'] });
    const node = rows.find((r) => r.client === 'node-private');
    expect(node).toMatchObject({ reachable: true, via: 'public' });
    expect(node?.path[1]?.detail).toContain(`leaves the VPC as ${nat}`);
  });

  it('a private-only VPC has no place for a public node: the row says so instead of failing', () => {
    const s = sim({ subnets: 'private-only' }, 'private');
    const rows = whatIfEndpoint(labWorld(s), configOfMode('private', ['0.0.0.0/0']));
    expect(rows).toHaveLength(12);
    expect(rows.find((r) => r.client === 'node-public')).toMatchObject({ refusedAt: 'placement', reachable: false });
    expect(rows.find((r) => r.mode === 'private' && r.client === 'node-private')).toMatchObject({ reachable: true });
  });
});

describe('a network connected to the VPC (AWS EKS User Guide, cluster-endpoint.html: VPN, peering, Direct Connect, Transit Gateway)', () => {
  function officeSim() {
    const base = scenarios['seed-week1'];
    if (!base) throw new Error('seed-week1 missing');
    const network = { connectedNetworks: [{ name: 'office', cidr: '10.20.0.0/16', via: 'vpn' as const }] };
    return createSimulation({ ...base, network });
  }

  it('reaches a private endpoint once the cluster security group allows its CIDR on 443', () => {
    const sim = officeSim();
    sim.apply({ type: 'endpoint.update', public: false, private: true });
    sim.advance(10 * 60_000);
    const refused = sim.domains.endpoint.reach('office');
    expect(refused).toMatchObject({ reachable: false, via: 'private', refusedAt: 'cluster-sg-ingress' });
    expect(refused.path[1]?.detail).toMatch(/office 10\.20\.0\.0\/16 → vpn vgw-0[0-9a-f]{16}/);
    expect(refused.fix).toMatch(/^add inbound TCP 443 from 10\.20\.0\.0\/16 \(office\) to eks-cluster-sg-myeks-\d+$/);
    expect(sim.apply(refused.fixCommand as never)).toMatchObject({ ok: true });
    expect(sim.domains.endpoint.reach('office')).toMatchObject({ reachable: true, via: 'private' });
    expect(sim.domains.endpoint.reach('laptop').reachable).toBe(false);
    expect(checkInvariants(sim)).toEqual([]);
  });

  it('joins the what-if matrix, and uses the public endpoint when there is one', () => {
    const sim = officeSim();
    const rows = whatIfEndpoint(labWorld(sim), configOfMode('public', ['0.0.0.0/0']), { modes: ['public-private'] });
    expect(rows.map((r) => r.client)).toContain('office');
    expect(rows.find((r) => r.client === 'office')).toMatchObject({ reachable: true, via: 'public' });
  });

  it('refuses a connected network that overlaps the VPC', () => {
    const base = scenarios['seed-week1'];
    if (!base) throw new Error('seed-week1 missing');
    const network = { connectedNetworks: [{ name: 'office', cidr: '192.168.8.0/24', via: 'peering' as const }] };
    expect(() => createSimulation({ ...base, network })).toThrow(/overlaps the VPC's 192\.168\.0\.0\/16/);
  });
});
