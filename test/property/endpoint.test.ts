import { checkInvariants, createSimulation, type Simulation, scenarios } from '@eks-sim/sim-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reachApiServer } from '../../packages/sim-core/src/endpoint/reachability';
import {
  configOfMode,
  ENDPOINT_MODES,
  type EndpointConfig,
  type EndpointWorld,
} from '../../packages/sim-core/src/endpoint/types';
import { MATRIX_CLIENTS, resolveClient, whatIfEndpoint } from '../../packages/sim-core/src/endpoint/whatif';
import { formatIpv4, isPrivateIpv4 } from '../../packages/sim-core/src/network/cidr';
import type { SgRule, VantageHost } from '../../packages/sim-core/src/network/types';
import { labWorld } from '../sim-core/endpoint/lab-world';

/** Lab variants: NAT or not, nodes in public or private subnets (built once; worlds are copied per run). */
function variant(nat: 'none' | 'single', nodeSubnets: 'public' | 'private'): Simulation {
  const base = scenarios['seed-week1'];
  if (!base) throw new Error('seed-week1 missing');
  const nodeGroups = (base.cluster.nodeGroups ?? []).map((g) => ({ ...g, subnets: nodeSubnets }));
  return createSimulation({ ...base, network: { natGateway: nat }, cluster: { ...base.cluster, nodeGroups } });
}
const WORLDS: EndpointWorld[] = [
  variant('none', 'public'),
  variant('single', 'public'),
  variant('none', 'private'),
  variant('single', 'private'),
].map(labWorld);

function copy(world: EndpointWorld): EndpointWorld {
  return {
    ...world,
    network: {
      ...world.network,
      securityGroups: world.network.securityGroups.map((g) => ({
        ...g,
        ingress: [...g.ingress],
        egress: [...g.egress],
      })),
    },
  };
}

const ipv4 = fc.integer({ min: 0, max: 0xffffffff }).map(formatIpv4);
const cidr = fc.tuple(ipv4, fc.integer({ min: 0, max: 32 })).map(([ip, prefix]) => `${ip}/${prefix}`);
const interesting = fc.constantFrom('0.0.0.0/0', '192.168.0.0/16', '192.168.1.0/24', '203.0.113.7/32', '10.0.0.0/8');
const anyCidr = fc.oneof(cidr, interesting);
const mode = fc.constantFrom(...ENDPOINT_MODES);
const cidrList = fc.array(anyCidr, { minLength: 1, maxLength: 5 });

/** A rule to add somewhere: which group (by index), which direction, what traffic, which peer. */
const ruleSpec = fc.record({
  group: fc.nat(),
  direction: fc.constantFrom('ingress', 'egress') as fc.Arbitrary<'ingress' | 'egress'>,
  protocol: fc.constantFrom('tcp', 'udp', '-1') as fc.Arbitrary<SgRule['protocol']>,
  fromPort: fc.constantFrom(0, 22, 443, 1025, 10250),
  span: fc.constantFrom(0, 100, 65535),
  peer: fc.oneof(
    anyCidr,
    fc.nat().map((n) => ({ groupIndex: n })),
  ),
});
type RuleSpec = typeof ruleSpec extends fc.Arbitrary<infer T> ? T : never;

function grant(world: EndpointWorld, spec: RuleSpec): void {
  const groups = world.network.securityGroups;
  const group = groups[spec.group % groups.length];
  if (!group) return;
  const peer =
    typeof spec.peer === 'string'
      ? { cidr: spec.peer }
      : { groupId: (groups[spec.peer.groupIndex % groups.length] as { id: string }).id };
  const toPort = Math.min(65535, spec.fromPort + spec.span);
  const rule: SgRule = { protocol: spec.protocol, fromPort: spec.fromPort, toPort, ...peer };
  (spec.direction === 'ingress' ? group.ingress : group.egress).push(rule);
}

function clients(world: EndpointWorld): VantageHost[] {
  return MATRIX_CLIENTS.map((name) => resolveClient(world, name))
    .filter((c): c is { host: VantageHost; detail: string } => typeof c !== 'string')
    .map((c) => c.host);
}

const reachableSet = (world: EndpointWorld, config: EndpointConfig) =>
  clients(world)
    .filter((c) => reachApiServer(world, config, c).reachable)
    .map((c) => c.name);

const settings = { numRuns: 300, verbose: 1 } as const;

describe('endpoint reachability properties', () => {
  it('granting a security-group rule never makes a reachable client unreachable', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        mode,
        cidrList,
        fc.array(ruleSpec, { maxLength: 4 }),
        ruleSpec,
        (w, m, cidrs, before, granted) => {
          const world = copy(WORLDS[w % WORLDS.length] as EndpointWorld);
          for (const spec of before) grant(world, spec);
          const config = configOfMode(m, cidrs);
          const was = reachableSet(world, config);
          grant(world, granted);
          const now = reachableSet(world, config);
          for (const name of was) expect(now).toContain(name);
        },
      ),
      settings,
    );
  });

  it('widening publicAccessCidrs never makes a reachable client unreachable', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        mode,
        cidrList,
        anyCidr,
        fc.array(ruleSpec, { maxLength: 4 }),
        (w, m, cidrs, extra, rules) => {
          const world = copy(WORLDS[w % WORLDS.length] as EndpointWorld);
          for (const spec of rules) grant(world, spec);
          const was = reachableSet(world, configOfMode(m, cidrs));
          const now = reachableSet(world, configOfMode(m, [...cidrs, extra]));
          for (const name of was) expect(now).toContain(name);
        },
      ),
      settings,
    );
  });

  it('in private-only mode no client outside the VPC is ever reachable', () => {
    const publicIp = ipv4.filter((ip) => !isPrivateIpv4(ip));
    fc.assert(
      fc.property(fc.nat(), cidrList, fc.array(ruleSpec, { maxLength: 6 }), publicIp, (w, cidrs, rules, ip) => {
        const world = copy(WORLDS[w % WORLDS.length] as EndpointWorld);
        for (const spec of rules) grant(world, spec);
        // Even with the cluster SG open to the world on 443.
        const clusterSg = world.network.securityGroups.find((g) => g.id === world.network.clusterSecurityGroupId);
        clusterSg?.ingress.push({ protocol: 'tcp', fromPort: 443, toPort: 443, cidr: '0.0.0.0/0' });
        const outsider: VantageHost = {
          name: 'outsider',
          kind: 'laptop',
          label: 'outsider',
          privateIp: null,
          publicIp: ip,
          subnetId: null,
          securityGroupIds: [],
        };
        const laptop = world.network.hosts.find((h) => h.kind === 'laptop') as VantageHost;
        for (const client of [laptop, outsider]) {
          expect(reachApiServer(world, configOfMode('private', cidrs), client).reachable).toBe(false);
        }
      }),
      settings,
    );
  });

  it('in public-only mode node traffic to the API server always leaves the VPC', () => {
    fc.assert(
      fc.property(fc.nat(), cidrList, fc.array(ruleSpec, { maxLength: 4 }), (w, cidrs, rules) => {
        const world = copy(WORLDS[w % WORLDS.length] as EndpointWorld);
        for (const spec of rules) grant(world, spec);
        const nodes = [...world.nodes, ...clients(world).filter((c) => c.kind === 'node')];
        for (const node of nodes) {
          const r = reachApiServer(world, configOfMode('public', cidrs), node);
          expect(r.via).toBe('public');
          const route = r.path.find((h) => h.hop === 'route-table');
          if (route?.ok) expect(route.detail).toMatch(/leaves the VPC as \d+\.\d+\.\d+\.\d+$/);
          else expect(r.reachable).toBe(false);
        }
      }),
      settings,
    );
  });

  it('the what-if predicts what the simulation does after the same endpoint change', () => {
    fc.assert(
      fc.property(mode, cidrList, fc.integer({ min: 1, max: 1000 }), (m, cidrs, seed) => {
        const sim = createSimulation(scenarios['seed-week1'], { seed });
        const world = sim.domains.endpoint.world();
        const current = sim.domains.endpoint.config() as EndpointConfig;
        const predicted = whatIfEndpoint(world, current, {
          modes: [m],
          publicAccessCidrs: cidrs,
          clients: ['laptop', 'bastion'],
        });
        const target = configOfMode(m, cidrs);
        const command = {
          type: 'endpoint.update',
          public: target.endpointPublicAccess,
          private: target.endpointPrivateAccess,
          publicAccessCidrs: cidrs,
        };
        const changed = sim.apply(command);
        if (changed.ok) sim.advance(10 * 60_000);
        for (const row of predicted) {
          const { clientDetail: _d, assumed: _a, ...prediction } = row;
          expect(sim.domains.endpoint.reach(row.client)).toEqual(prediction);
        }
      }),
      { numRuns: 40, verbose: 1 },
    );
  });
});

describe('endpoint and security-group commands under random schedules', () => {
  const groupRef = fc.constantFrom(
    'eks-cluster-sg-myeks',
    'myeks-EKSEC2SG',
    'eksctl-myeks-cluster-ControlPlaneSecurityGroup',
    'eksctl-myeks-cluster-ClusterSharedNodeSecurityGroup',
    'eksctl-myeks-nodegroup-myeks-nodegroup-remoteAccess',
  );
  const command = fc.oneof(
    fc.record(
      {
        type: fc.constant('endpoint.update'),
        public: fc.boolean(),
        private: fc.boolean(),
        publicAccessCidrs: cidrList,
      },
      { requiredKeys: ['type'] },
    ),
    fc.record({
      type: fc.constantFrom('sg.add-rule', 'sg.remove-rule'),
      group: groupRef,
      direction: fc.constantFrom('ingress', 'egress'),
      protocol: fc.constantFrom('tcp', 'all'),
      source: fc.oneof(anyCidr, groupRef),
    }),
  );
  const step = fc.record({ command, waitMin: fc.integer({ min: 0, max: 12 }) });

  it('every invariant holds after every step, and the same schedule gives the same event log', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 50 }), (steps, seed) => {
        const run = () => {
          const sim = createSimulation(scenarios['seed-week1'], { seed });
          for (const { command: c, waitMin } of steps) {
            const withPort = c.type !== 'endpoint.update' && c.protocol === 'tcp' ? { ...c, port: 443 } : c;
            sim.apply(withPort);
            sim.advance(waitMin * 60_000);
            expect(checkInvariants(sim)).toEqual([]);
          }
          return JSON.stringify(sim.events());
        };
        expect(run()).toBe(run());
      }),
      { numRuns: 25, verbose: 1 },
    );
  });
});
