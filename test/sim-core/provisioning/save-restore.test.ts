/**
 * The provisioning domain saved mid-run and restored continues as the original would: the
 * stacks' pending resources, eksctl's next poll and the node-group stacks' deletion times come
 * back from the save. The other domains are small fakes here (their own save/restore is theirs).
 */
import { describe, expect, it } from 'vitest';
import type { CommandResult } from '../../../packages/sim-core/src/engine/command-spec';
import { Engine, type EngineSave } from '../../../packages/sim-core/src/engine/engine';
import type { ClusterPlan } from '../../../packages/sim-core/src/provisioning/plan';
import type { ProvisioningPorts } from '../../../packages/sim-core/src/provisioning/ports';
import {
  ProvisioningDomain,
  type SavedProvisioning,
} from '../../../packages/sim-core/src/provisioning/provisioning-domain';

const START = Date.parse('2024-03-10T09:00:00Z');
const SECOND = 1000;

const PLAN: ClusterPlan = {
  name: 'myeks',
  region: 'ap-northeast-2',
  version: '1.28',
  tags: {},
  endpointPublicAccess: true,
  endpointPrivateAccess: false,
  publicAccessCidrs: ['0.0.0.0/0'],
  supportType: 'EXTENDED',
  withOIDC: false,
  logTypes: [],
  vpc: {
    mode: 'new',
    cidr: '192.168.0.0/16',
    publicSubnets: [{ id: 'subnet-pub-a', az: 'ap-northeast-2a' }],
    privateSubnets: [{ id: 'subnet-priv-a', az: 'ap-northeast-2a' }],
    nat: 'Single',
    availabilityZones: ['ap-northeast-2a'],
  },
  nodeGroups: ['a', 'b'].map((name) => ({
    name,
    managed: true,
    instanceType: 't3.medium',
    desiredCapacity: 2,
    minSize: 2,
    maxSize: 2,
    volumeSize: 30,
    volumeType: 'gp3',
    privateNetworking: false,
    subnetIds: ['subnet-pub-a'],
    ssh: { allow: name === 'a' },
    externalDNS: name === 'b',
    amiFamily: 'AmazonLinux2',
    labels: {},
    tags: {},
    version: '1.28',
  })),
};

/** The other domains, as far as provisioning sees them; `state` is what their saves would keep. */
function world(state: { cluster: string | null; groups: string[] }) {
  const listeners = {
    active: [] as ((c: never) => void)[],
    deleted: [] as ((c: never) => void)[],
    ng: [] as ((g: never) => void)[],
  };
  const cluster = () => (state.cluster ? { name: state.cluster, status: 'ACTIVE', version: '1.28' } : null);
  const ports = {
    cluster: {
      get cluster() {
        return cluster();
      },
      region: 'ap-northeast-2',
      create: (input: { name: string }) => {
        state.cluster = input.name;
        return cluster();
      },
      delete: () => undefined,
      onActive: (l: (c: never) => void) => listeners.active.push(l),
      onDeleted: (l: (c: never) => void) => listeners.deleted.push(l),
    },
    network: {
      view: () => ({ vpcId: 'vpc-1', internetGatewayId: 'igw-1', natGateways: [{ id: 'nat-1' }] }),
      addEksctlSecurityGroups: (input: { nodegroupName?: string }) =>
        input.nodegroupName ? [`sg-${input.nodegroupName}`] : ['sg-cp', 'sg-shared'],
      removeEksctlSecurityGroups: () => undefined,
    },
    nodegroups: {
      create: (spec: { name: string }) => {
        state.groups.push(spec.name);
        return { nodeRoleArn: '' };
      },
      delete: () => undefined,
      find: () => undefined,
      onCreationEnded: (l: (g: never) => void) => listeners.ng.push(l),
    },
  } as unknown as ProvisioningPorts;
  const tell = {
    clusterActive: () => {
      for (const l of listeners.active) l(cluster() as never);
    },
    clusterDeleted: () => {
      const c = cluster();
      state.cluster = null;
      for (const l of listeners.deleted) l(c as never);
    },
    nodegroupActive: (name: string) => {
      for (const l of listeners.ng) l({ name, clusterName: 'myeks', status: 'ACTIVE' } as never);
    },
  };
  return { ports, tell };
}

const apply = (): CommandResult => ({ ok: true, message: '' }) as CommandResult;

function simulation(saved?: { engine: EngineSave; provisioning: SavedProvisioning; state: string }) {
  const state = saved ? JSON.parse(saved.state) : { cluster: null, groups: [] };
  const engine = new Engine(7, saved ? saved.engine.nowMs : START);
  const { ports, tell } = world(state);
  const domain = new ProvisioningDomain(engine.context(apply), ports);
  if (saved) {
    engine.beginRestore(saved.engine);
    domain.restore(saved.provisioning);
    engine.endRestore(saved.engine);
  } else {
    domain.start();
  }
  const save = () =>
    JSON.parse(JSON.stringify({ engine: engine.save(), provisioning: domain.save(), state: JSON.stringify(state) }));
  return { engine, domain, tell, save };
}

type Sim = ReturnType<typeof simulation>;

/** eksctl's run, from `at` (seconds after the start) on: what the cluster and node groups report, and when. */
function runFrom(sim: Sim, at: number): void {
  const steps: [number, (s: Sim) => void][] = [
    [600, (s) => s.tell.clusterActive()],
    [800, (s) => s.tell.nodegroupActive('a')],
    [820, (s) => s.tell.nodegroupActive('b')],
    [900, (s) => s.domain.deleteCluster('myeks')],
    [1500, (s) => s.tell.clusterDeleted()],
    [1600, () => undefined],
  ];
  for (const [t, step] of steps) {
    if (t <= at) continue;
    sim.engine.clock.runUntil(START + t * SECOND);
    step(sim);
  }
}

const outcome = (sim: Sim) => ({
  log: sim.engine.log.since(0).map((e) => `${e.atMs - START} ${e.type} ${e.source}`),
  snapshot: sim.domain.snapshot(),
  stackEvents: sim.domain.stacks().length,
});

describe('provisioning: save and restore', () => {
  for (const at of [0, 10, 30, 605, 610, 700, 810, 905, 1100, 1550]) {
    it(`saved ${at} s into eksctl create/delete, restored, it goes on as the original`, () => {
      const original = simulation();
      original.domain.createCluster(PLAN);
      runFrom(original, -1);
      const expected = outcome(original);

      const first = simulation();
      first.domain.createCluster(PLAN);
      const steps = [600, 800, 820, 900, 1500].filter((t) => t <= at);
      for (const t of steps) {
        first.engine.clock.runUntil(START + t * SECOND);
        if (t === 600) first.tell.clusterActive();
        if (t === 800) first.tell.nodegroupActive('a');
        if (t === 820) first.tell.nodegroupActive('b');
        if (t === 900) first.domain.deleteCluster('myeks');
        if (t === 1500) first.tell.clusterDeleted();
      }
      first.engine.clock.runUntil(START + at * SECOND);
      const restored = simulation(first.save());
      runFrom(restored, at);
      expect(outcome(restored)).toEqual(expected);
    });
  }

  it('the run it replays is the whole eksctl story: both node-group stacks, then deletion of everything', () => {
    const sim = simulation();
    sim.domain.createCluster(PLAN);
    runFrom(sim, -1);
    const log = outcome(sim).log.join('\n');
    expect(log).toMatch(/stack\.create-complete stack\/eksctl-myeks-nodegroup-b/);
    expect(log).toMatch(/stack\.delete-complete stack\/eksctl-myeks-cluster/);
    expect(sim.domain.stacks()).toEqual([]);
    expect(sim.domain.creation('myeks')).toBeUndefined();
    expect(sim.domain.deletion('myeks')?.phase).toBe('complete');
  });
});
