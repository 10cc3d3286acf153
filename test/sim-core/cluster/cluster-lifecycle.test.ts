import { createSimulation, type Scenario, type Simulation, scenarios } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { clusterMachine } from '../../../packages/sim-core/src/cluster/cluster-machine';
import { CLUSTER_DELETE_MS, CONTROL_PLANE_CREATE_MS } from '../../../packages/sim-core/src/cluster/facts';
import { VirtualClock } from '../../../packages/sim-core/src/engine/clock';

const MIN = 60_000;
const week1 = scenarios['seed-week1'] as Scenario;

/** The seed's lab with no cluster yet and no timeline. */
function lab(seed = 1): Simulation {
  return createSimulation({ ...week1, cluster: { ...week1.cluster, existsAtStart: false }, timeline: [] }, { seed });
}

const clusterLines = (sim: Simulation) =>
  sim
    .events()
    .filter((e) => e.type.startsWith('cluster.'))
    .map((e) => e.type);

describe('the cluster machine alone, on simulated time', () => {
  it('is CREATING for its creation time, ACTIVE, UPDATING for the update’s duration, then DELETING and gone', () => {
    const clock = new VirtualClock(0);
    const actor = createActor(clusterMachine, {
      clock: clock.xstate,
      input: { name: 'c', version: '1.29', createMs: 9 * MIN, builtBeforeScenario: false },
    });
    const heard: string[] = [];
    actor.on('*', (line) => heard.push(`${clock.now() / MIN} ${line.type}`));
    actor.start();
    clock.runUntil(9 * MIN - 1);
    expect(actor.getSnapshot().value).toBe('CREATING');
    clock.runUntil(9 * MIN);
    expect(actor.getSnapshot().value).toBe('ACTIVE');
    const change = { version: '1.30' };
    actor.send({
      type: 'UPDATE_STARTED',
      update: { id: 'u1', type: 'VersionUpdate', params: [], durationMs: 15 * MIN, change },
    });
    clock.runUntil(24 * MIN - 1);
    expect(actor.getSnapshot().value).toBe('UPDATING');
    clock.runUntil(24 * MIN);
    expect(actor.getSnapshot().value).toBe('ACTIVE');
    actor.send({ type: 'DELETE_REQUESTED', deleteMs: 4 * MIN });
    clock.runUntil(28 * MIN);
    expect(actor.getSnapshot().status).toBe('done');
    expect(heard).toEqual([
      '0 cluster.creating',
      '9 cluster.active',
      '9 cluster.update-started',
      '24 cluster.update-successful',
      '24 cluster.deleting',
      '28 cluster.deleted',
    ]);
  });

  it('a cluster that stood before the scenario is ACTIVE at once, and says both lines', () => {
    const actor = createActor(clusterMachine, {
      input: { name: 'c', version: '1.29', createMs: 0, builtBeforeScenario: true },
    });
    const heard: string[] = [];
    actor.on('*', (line) => heard.push(line.type));
    actor.start();
    expect(actor.getSnapshot().value).toBe('ACTIVE');
    expect(heard).toEqual(['cluster.creating', 'cluster.active']);
  });
});

describe('creating, updating and deleting the cluster (CreateCluster, UpdateClusterConfig, DeleteCluster)', () => {
  it('is CREATING for 8 to 11 simulated minutes, then ACTIVE', () => {
    const sim = lab();
    expect(sim.apply({ type: 'cluster.create', name: 'myeks', version: '1.28' }).ok).toBe(true);
    const created = sim.now();
    sim.advance(CONTROL_PLANE_CREATE_MS.min - 1);
    expect(sim.snapshot().cluster?.status).toBe('CREATING');
    sim.advance(CONTROL_PLANE_CREATE_MS.max - CONTROL_PLANE_CREATE_MS.min + 1);
    expect(sim.snapshot().cluster?.status).toBe('ACTIVE');
    const active = sim.events().find((e) => e.type === 'cluster.active');
    expect((active?.atMs ?? 0) - created).toBeGreaterThanOrEqual(CONTROL_PLANE_CREATE_MS.min);
  });

  it('stays UPDATING while an endpoint update runs, refuses a second one and a deletion, then is ACTIVE with the change', () => {
    const sim = createSimulation(week1, { seed: 3 });
    const started = sim.apply({ type: 'endpoint.update', public: true, private: true });
    expect(started.ok).toBe(true);
    expect(sim.snapshot().cluster?.status).toBe('UPDATING');
    const second = sim.apply({ type: 'endpoint.update', public: false, private: true });
    expect(second.ok ? '' : second.code).toBe('ResourceInUseException');
    const deletion = sim.apply({ type: 'cluster.delete', name: 'myeks' });
    expect(deletion).toEqual({
      ok: false,
      code: 'ResourceInUseException',
      error: 'Cluster has an update in progress: myeks',
    });
    sim.advance(30 * MIN);
    const cluster = sim.snapshot().cluster;
    expect(cluster?.status).toBe('ACTIVE');
    expect(cluster?.resourcesVpcConfig.endpointPrivateAccess).toBe(true);
    expect(cluster?.updates.at(-1)?.status).toBe('Successful');
    expect(clusterLines(sim)).toEqual([
      'cluster.creating',
      'cluster.active',
      'cluster.update-started',
      'cluster.update-successful',
    ]);
  });

  it('is DELETING for 3 to 5 minutes, then gone', () => {
    const sim = createSimulation(week1, { seed: 2 });
    sim.exec('eksctl delete nodegroup --cluster myeks --name myeks-nodegroup');
    sim.advance(10 * MIN);
    expect(sim.apply({ type: 'cluster.delete', name: 'myeks' }).ok).toBe(true);
    expect(sim.snapshot().cluster?.status).toBe('DELETING');
    sim.advance(CLUSTER_DELETE_MS.min - 1);
    expect(sim.snapshot().cluster?.status).toBe('DELETING');
    sim.advance(CLUSTER_DELETE_MS.max - CLUSTER_DELETE_MS.min + 1);
    expect(sim.snapshot().cluster).toBeNull();
    expect(clusterLines(sim).slice(-2)).toEqual(['cluster.deleting', 'cluster.deleted']);
  });

  it('a cluster deleted while CREATING never turns ACTIVE, and a new one is timed afresh', () => {
    const sim = lab(5);
    sim.apply({ type: 'cluster.create', name: 'first', version: '1.28' });
    sim.advance(2 * MIN);
    expect(sim.apply({ type: 'cluster.delete', name: 'first' }).ok).toBe(true);
    sim.advance(CLUSTER_DELETE_MS.max);
    expect(sim.snapshot().cluster).toBeNull();
    sim.apply({ type: 'cluster.create', name: 'second', version: '1.28' });
    const created = sim.now();
    sim.advance(CONTROL_PLANE_CREATE_MS.max);
    const active = sim.events().filter((e) => e.type === 'cluster.active');
    expect(active.map((e) => e.source)).toEqual(['cluster/second']);
    expect((active[0]?.atMs ?? 0) - created).toBeGreaterThanOrEqual(CONTROL_PLANE_CREATE_MS.min);
  });

  it('with node groups left, DeleteCluster is refused with EKS’s text (aws eks delete-cluster)', () => {
    const sim = createSimulation(week1, { seed: 1 });
    const run = sim.exec('aws eks delete-cluster --name myeks');
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain('ResourceInUseException');
    expect(run.stderr).toContain('Cluster has nodegroups attached');
    expect(sim.snapshot().cluster?.status).toBe('ACTIVE');
  });
});
