import { createSimulation, type Scenario, type Simulation, scenarios } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { VirtualClock } from '../../../packages/sim-core/src/engine/clock';
import { nodeMachine, nodeStateOf } from '../../../packages/sim-core/src/nodegroups/node-machine';
import { nodegroupMachine, nodegroupStatusOf } from '../../../packages/sim-core/src/nodegroups/nodegroup-machine';

const MIN = 60_000;
const week1 = scenarios['seed-week1'] as Scenario;

/** The seed's lab in June 2024, its control plane already on 1.29 and its node group still on 1.28. */
function labReadyForNodeUpgrade(seed = 1): Simulation {
  const sim = createSimulation({ ...week1, start: '2024-06-10T09:00:00Z', load: { profile: 'flat' } }, { seed });
  sim.apply({ type: 'cluster.update-version', version: '1.29' });
  sim.advance(30 * MIN);
  return sim;
}

describe('the node machine alone', () => {
  it('drains, boots its replacement on the new kubelet when told how long, and is Ready again', () => {
    const clock = new VirtualClock(0);
    const node = createActor(nodeMachine, {
      clock: clock.xstate,
      input: { name: 'ip-10-0-0-1', kubeletVersion: '1.28', running: true },
    });
    const heard: string[] = [];
    node.on('*', (e) => {
      heard.push(`${clock.now() / MIN} ${e.type}`);
      if (e.type === 'replacement-launched') node.send({ type: 'REPLACEMENT_BOOT_TIME', bootMs: 2 * MIN });
    });
    node.start();
    expect(nodeStateOf(node.getSnapshot().value)).toBe('Ready');
    node.send({ type: 'UPGRADE', toVersion: '1.29', drainMs: 3 * MIN });
    expect(nodeStateOf(node.getSnapshot().value)).toBe('draining');
    clock.runUntil(3 * MIN);
    expect(nodeStateOf(node.getSnapshot().value)).toBe('launching');
    expect(node.getSnapshot().context.kubeletVersion).toBe('1.29');
    clock.runUntil(5 * MIN);
    expect(nodeStateOf(node.getSnapshot().value)).toBe('Ready');
    expect(heard).toEqual(['0 nodegroup.node-draining', '3 replacement-launched', '5 nodegroup.node-upgraded']);
  });

  it('a node drained for its group’s deletion stops its upgrade', () => {
    const clock = new VirtualClock(0);
    const node = createActor(nodeMachine, {
      clock: clock.xstate,
      input: { name: 'n', kubeletVersion: '1.28', running: true },
    });
    node.start();
    node.send({ type: 'UPGRADE', toVersion: '1.29', drainMs: 3 * MIN });
    node.send({ type: 'DRAIN' });
    clock.runUntil(60 * MIN);
    expect(nodeStateOf(node.getSnapshot().value)).toBe('draining');
    expect(node.getSnapshot().context.kubeletVersion).toBe('1.28');
  });
});

describe('the node group machine alone', () => {
  it('is CREATING while its instances launch, then waits for its owner to say whether they registered', () => {
    const clock = new VirtualClock(0);
    const group = createActor(nodegroupMachine, {
      clock: clock.xstate,
      input: {
        name: 'ng',
        version: '1.29',
        instanceType: 't3.medium',
        subnetKind: 'private',
        nodeCount: 2,
        createMs: 4 * MIN,
        running: false,
      },
    });
    const heard: string[] = [];
    group.on('*', (e) => heard.push(e.type));
    group.start();
    clock.runUntil(4 * MIN);
    expect(nodegroupStatusOf(group.getSnapshot().value)).toBe('CREATING');
    group.send({
      type: 'JOIN_FAILED',
      stranded: ['a'],
      instanceIds: ['i-1'],
      why: 'refused at route-table',
      refusedAt: 'route-table',
    });
    expect(nodegroupStatusOf(group.getSnapshot().value)).toBe('CREATE_FAILED');
    expect(group.getSnapshot().context.health?.issues[0]?.code).toBe('NodeCreationFailure');
    expect(heard).toEqual(['nodegroup.creating', 'instances-launched', 'nodegroup.create-failed']);
  });
});

describe('a managed node group’s rolling upgrade (UpdateNodegroupVersion)', () => {
  it('replaces the nodes one at a time; the group is UPDATING until the last is Ready, the cluster stays ACTIVE', () => {
    const sim = labReadyForNodeUpgrade();
    expect(sim.apply({ type: 'nodegroup.upgrade', nodegroup: 'myeks-nodegroup' }).ok).toBe(true);
    const timeline: string[] = [];
    while (sim.snapshot().nodegroups[0]?.status === 'UPDATING') {
      const snap = sim.snapshot();
      expect(snap.cluster?.status).toBe('ACTIVE');
      const out = snap.nodegroups[0]?.nodes.filter((n) => n.state !== 'Ready') ?? [];
      expect(out.length).toBeLessThanOrEqual(1);
      timeline.push(out.map((n) => `${n.name}:${n.state}`).join(','));
      sim.advance(30_000);
    }
    const group = sim.snapshot().nodegroups[0];
    expect(group).toMatchObject({ status: 'ACTIVE', version: '1.29' });
    expect(group?.nodes.every((n) => n.state === 'Ready' && n.kubeletVersion === '1.29')).toBe(true);
    // Each node went out and came back before the next went out.
    const outInTurn = timeline.filter((t, i) => t !== '' && t.split(':')[0] !== timeline[i - 1]?.split(':')[0]);
    expect(new Set(outInTurn.map((t) => t.split(':')[0])).size).toBe(group?.nodes.length);
    const lines = sim
      .events()
      .filter((e) => e.type.startsWith('nodegroup.'))
      .map((e) => e.type);
    expect(lines.slice(-6)).toEqual([
      'nodegroup.update-started',
      'nodegroup.node-draining',
      'nodegroup.node-upgraded',
      'nodegroup.node-draining',
      'nodegroup.node-upgraded',
      'nodegroup.update-successful',
    ]);
    expect(sim.snapshot().versions.nodegroupUpgrades[0]).toMatchObject({ nodesUpgraded: 2, nodesTotal: 2 });
  });

  it('deleting the group in the middle of its upgrade stops the upgrade: it never reports ACTIVE again', () => {
    const sim = labReadyForNodeUpgrade(2);
    sim.apply({ type: 'nodegroup.upgrade', nodegroup: 'myeks-nodegroup' });
    sim.advance(MIN);
    sim.exec('eksctl delete nodegroup --cluster myeks --name myeks-nodegroup');
    sim.advance(60 * MIN);
    expect(sim.snapshot().nodegroups).toEqual([]);
    const after = sim.events().slice(sim.events().findIndex((e) => e.type === 'nodegroup.deleting'));
    expect(after.map((e) => e.type)).not.toContain('nodegroup.update-successful');
    expect(after.map((e) => e.type)).not.toContain('nodegroup.node-upgraded');
  });
});
