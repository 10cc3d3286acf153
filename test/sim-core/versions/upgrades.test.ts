import { checkInvariants, createSimulation, type Scenario, type Simulation, scenarios } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';

const MIN = 60_000;
const seed = scenarios['seed-week1'] as Scenario;

function labOn(start: string, cluster: Partial<Scenario['cluster']> = {}): Simulation {
  const sim = createSimulation({ ...seed, start, load: { profile: 'flat' }, cluster: { ...seed.cluster, ...cluster } });
  sim.advance(0);
  return sim;
}

function finishUpdates(sim: Simulation): void {
  sim.advance(30 * MIN);
}

describe('manual control-plane upgrades (UpdateClusterVersion)', () => {
  it('refuses a skip with EKS’s InvalidParameterException text and changes nothing', () => {
    const sim = labOn('2024-03-10T09:00:00Z');
    const before = sim.events().length;
    const result = sim.apply({ type: 'cluster.update-version', version: '1.30' });
    expect(result).toEqual({
      ok: false,
      code: 'InvalidParameterException',
      error: 'Unsupported Kubernetes minor version update from 1.28 to 1.30',
    });
    expect(sim.snapshot().cluster?.status).toBe('ACTIVE');
    expect(sim.events().length).toBe(before);
  });

  it('refuses a downgrade the same way', () => {
    const sim = labOn('2024-03-10T09:00:00Z');
    const result = sim.apply({ type: 'cluster.update-version', version: '1.27' });
    expect(result.ok ? '' : result.error).toBe('Unsupported Kubernetes minor version update from 1.28 to 1.27');
  });

  it('upgrades one minor as a VersionUpdate that takes simulated minutes, leaving the nodes on 1.28', () => {
    const sim = labOn('2024-03-10T09:00:00Z');
    const result = sim.apply({ type: 'cluster.update-version', name: 'myeks', version: '1.29' });
    expect(result.ok).toBe(true);
    expect(sim.snapshot().cluster?.status).toBe('UPDATING');
    expect(sim.snapshot().cluster?.updates.at(-1)).toMatchObject({ type: 'VersionUpdate', status: 'InProgress' });
    sim.advance(11 * MIN);
    expect(sim.snapshot().cluster?.version).toBe('1.28');
    finishUpdates(sim);
    const snap = sim.snapshot();
    expect(snap.cluster).toMatchObject({ version: '1.29', status: 'ACTIVE' });
    expect(snap.versions.history).toMatchObject([{ fromVersion: '1.28', toVersion: '1.29', trigger: 'manual' }]);
    expect(snap.versions.nodes.every((n) => n.kubeletVersion === '1.28')).toBe(true);
    expect(checkInvariants(snap)).toEqual([]);
  });

  it('needs the managed nodes on the control plane’s version before the next upgrade', () => {
    const sim = labOn('2024-06-10T09:00:00Z');
    sim.apply({ type: 'cluster.update-version', version: '1.29' });
    finishUpdates(sim);
    const refused = sim.apply({ type: 'cluster.update-version', version: '1.30' });
    expect(refused).toEqual({
      ok: false,
      code: 'InvalidRequestException',
      error: 'Nodegroups myeks-nodegroup must be updated to match cluster version 1.29 before updating cluster version',
    });
  });

  it('refuses a second update while one runs', () => {
    const sim = labOn('2024-03-10T09:00:00Z');
    sim.apply({ type: 'cluster.update-version', version: '1.29' });
    const again = sim.apply({ type: 'cluster.update-version', version: '1.29' });
    expect(again.ok).toBe(false);
  });
});

describe('managed node group upgrade (rolling)', () => {
  it('replaces nodes one batch of maxUnavailable at a time and ends ACTIVE on the new version', () => {
    const sim = labOn('2024-06-10T09:00:00Z');
    sim.apply({ type: 'cluster.update-version', version: '1.29' });
    finishUpdates(sim);
    const group = sim.snapshot().nodegroups.find((g) => g.name === 'myeks-nodegroup');
    expect(group?.nodes.length).toBeGreaterThanOrEqual(2);
    const maxUnavailable = group?.maxUnavailable ?? 1;
    expect(sim.apply({ type: 'nodegroup.upgrade', nodegroup: 'myeks-nodegroup' }).ok).toBe(true);
    expect(sim.snapshot().nodegroups[0]?.status).toBe('UPDATING');
    let worstUnavailable = 0;
    for (let minute = 0; minute < 60; minute++) {
      sim.advance(MIN);
      const nodes = sim.snapshot().nodegroups[0]?.nodes ?? [];
      worstUnavailable = Math.max(worstUnavailable, nodes.filter((n) => n.state !== 'Ready').length);
    }
    expect(worstUnavailable).toBeGreaterThan(0);
    expect(worstUnavailable).toBeLessThanOrEqual(maxUnavailable);
    const after = sim.snapshot();
    expect(after.nodegroups[0]).toMatchObject({ status: 'ACTIVE', version: '1.29' });
    expect(after.nodegroups[0]?.nodes.every((n) => n.kubeletVersion === '1.29' && n.state === 'Ready')).toBe(true);
    const types = sim.events().map((e) => e.type);
    expect(types).toContain('nodegroup.update-started');
    expect(types).toContain('nodegroup.update-successful');
    expect(sim.apply({ type: 'cluster.update-version', version: '1.30' }).ok).toBe(true);
  });

  it('cannot run a node group ahead of its control plane', () => {
    const sim = labOn('2024-03-10T09:00:00Z');
    const result = sim.apply({ type: 'nodegroup.upgrade', nodegroup: 'myeks-nodegroup', version: '1.29' });
    expect(result.ok ? '' : result.code).toBe('InvalidParameterException');
  });
});

describe('creating a cluster on a version EKS does not offer', () => {
  it('is refused with InvalidParameterException', () => {
    const sim = labOn('2026-01-10T09:00:00Z', { existsAtStart: false });
    const refused = sim.apply({ type: 'cluster.create', name: 'old', version: '1.28' });
    expect(refused.ok ? '' : refused.code).toBe('InvalidParameterException');
    expect(refused.ok ? '' : refused.error).toMatch(/unsupported Kubernetes version 1\.28/);
    expect(sim.snapshot().cluster).toBeNull();
    expect(sim.apply({ type: 'cluster.create', name: 'new', version: '1.34' }).ok).toBe(true);
  });
});

describe('upgrade policy STANDARD', () => {
  it('is upgraded automatically exactly at the end of standard support, at the standard price', () => {
    const sim = labOn('2024-11-20T09:00:00Z', { supportType: 'STANDARD' });
    sim.advanceTo(Date.parse('2024-11-26T06:00:00Z'));
    const snap = sim.snapshot();
    expect(snap.versions.history[0]).toMatchObject({
      fromVersion: '1.28',
      toVersion: '1.29',
      trigger: 'automatic',
      startedAt: '2024-11-26T00:00:00.000Z',
    });
    expect(snap.cluster?.version).toBe('1.29');
    expect(snap.cost.byPhase.extended).toBe(0);
    expect(checkInvariants(snap)).toEqual([]);
  });

  it('cannot be chosen while the cluster is already in extended support', () => {
    const sim = labOn('2025-01-10T09:00:00Z');
    const result = sim.apply({ type: 'cluster.update-upgrade-policy', supportType: 'STANDARD' });
    expect(result.ok ? '' : result.code).toBe('InvalidRequestException');
  });
});

describe('an automatic upgrade that finds the cluster busy', () => {
  it('starts as soon as the running update finishes, and records why it was late', () => {
    const sim = labOn('2025-11-25T23:59:30Z');
    // The cluster is on 1.28 in extended support; a policy update is running at the boundary.
    expect(sim.apply({ type: 'cluster.update-upgrade-policy', supportType: 'EXTENDED' }).ok).toBe(true);
    sim.advanceTo(Date.parse('2025-11-26T01:00:00Z'));
    const change = sim.snapshot().versions.history[0];
    expect(change).toMatchObject({ fromVersion: '1.28', toVersion: '1.29', trigger: 'automatic' });
    expect(change?.deferredReason).toMatch(/UPDATING/);
    expect(checkInvariants(sim)).toEqual([]);
  });
});
