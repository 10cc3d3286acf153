import { checkInvariants, createSimulation, type Scenario, scenarios } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';

const MIN = 60_000;
const HOUR = 60 * MIN;
const serving = (sim: ReturnType<typeof createSimulation>) =>
  sim.snapshot().controlPlane.apiServers.filter((a) => a.state === 'healthy' || a.state === 'degraded');

describe('the managed control plane at the start of the lab', () => {
  it('runs 2 API servers in 2 AZs and 3 etcd members, one per AZ, with exactly one leader', () => {
    const sim = createSimulation();
    const cp = sim.snapshot().controlPlane;
    expect(cp.azs.map((a) => a.id)).toEqual(['apne2-az1', 'apne2-az2', 'apne2-az3']);
    expect(serving(sim).map((a) => a.az)).toEqual(['apne2-az1', 'apne2-az2']);
    expect(cp.etcd.map((m) => m.az)).toEqual(['apne2-az1', 'apne2-az2', 'apne2-az3']);
    expect(cp.etcd.filter((m) => m.role === 'leader')).toHaveLength(1);
  });

  it('dig gets two addresses: the third AZ has no API server, so its NLB node is out of DNS (docs/lessons/seed-week1.md)', () => {
    const sim = createSimulation();
    const inDns = sim.domains.controlPlane.nlbNodesInDns();
    expect(inDns.map((n) => n.az)).toEqual(['apne2-az1', 'apne2-az2']);
    expect(inDns.flatMap((n) => n.ips)).toHaveLength(2);
    const third = sim.snapshot().controlPlane.nlbs.find((n) => n.az === 'apne2-az3');
    expect(third?.inDns).toBe(false);
    expect(third?.healthyTargets).toEqual([]);
  });

  it('serves reads and writes at once', () => {
    const sim = createSimulation();
    expect(sim.domains.controlPlane.canServe('read')).toBe(true);
    expect(sim.domains.controlPlane.canServe('write')).toBe(true);
  });

  it('derives AZ ids from the region', () => {
    const sim = createSimulation({ ...(scenarios['seed-week1'] as Scenario), region: 'us-east-1' });
    expect(sim.snapshot().controlPlane.azs.map((a) => a.id)).toEqual(['use1-az1', 'use1-az2', 'use1-az3']);
  });
});

describe('a cluster created from the shell', () => {
  it('has no control plane before, and healthy instances launched while it is CREATING', () => {
    const base = scenarios['seed-week1'] as Scenario;
    const sim = createSimulation({ ...base, cluster: { ...base.cluster, existsAtStart: false } });
    expect(sim.snapshot().controlPlane.exists).toBe(false);
    expect(sim.domains.controlPlane.canServe('read')).toBe(false);
    expect(sim.apply({ type: 'fault.apiserver', id: 'apiserver-1' })).toMatchObject({ ok: false });
    const created = sim.apply({ type: 'cluster.create', name: 'myeks', version: '1.28' });
    expect(created.ok).toBe(true);
    expect(sim.snapshot().controlPlane.apiServers.map((a) => a.state)).toEqual(['launching', 'launching']);
    sim.advance(12 * MIN);
    expect(sim.snapshot().cluster?.status).toBe('ACTIVE');
    expect(serving(sim)).toHaveLength(2);
    expect(sim.snapshot().controlPlane.etcd.filter((m) => m.role === 'leader')).toHaveLength(1);
    expect(sim.domains.controlPlane.nlbNodesInDns()).toHaveLength(2);
    expect(checkInvariants(sim)).toEqual([]);
  });
});

describe('the az-outage scenario', () => {
  it('during the outage the AZ’s NLB node is out of DNS and writes still commit', () => {
    const sim = createSimulation(scenarios['az-outage']);
    sim.advance(4 * HOUR + 10 * MIN);
    const cp = sim.snapshot().controlPlane;
    expect(cp.azs.find((a) => a.id === 'apne2-az1')?.health).toBe('down');
    expect(cp.nlbs.find((n) => n.az === 'apne2-az1')?.inDns).toBe(false);
    expect(sim.domains.controlPlane.nlbNodesInDns().map((n) => n.az)).not.toContain('apne2-az1');
    expect(sim.domains.controlPlane.canServe('write')).toBe(true);
    const before = sim.snapshot().load.committedWrites;
    sim.advance(30 * MIN);
    expect(sim.snapshot().load.committedWrites).toBeGreaterThan(before);
    expect(serving(sim).length).toBeGreaterThanOrEqual(2);
    expect(checkInvariants(sim)).toEqual([]);
  });

  it('ends the day with ≥ 2 healthy API servers and 3 etcd members over 3 AZs and exactly one leader', () => {
    const sim = createSimulation(scenarios['az-outage'], { seed: 7 });
    sim.advance(24 * HOUR);
    const cp = sim.snapshot().controlPlane;
    expect(serving(sim).length).toBeGreaterThanOrEqual(2);
    expect(cp.etcd).toHaveLength(3);
    expect(new Set(cp.etcd.map((m) => m.az)).size).toBe(3);
    expect(cp.etcd.filter((m) => m.role === 'leader')).toHaveLength(1);
    expect(checkInvariants(sim)).toEqual([]);
  });
});

describe('the load-spike scenario', () => {
  it('the autoscaler scales the API servers out during the spike and back in to 2 after it', () => {
    const sim = createSimulation(scenarios['load-spike']);
    sim.advance(HOUR + 19 * MIN);
    expect(sim.snapshot().load.total429).toBeGreaterThan(0);
    expect(serving(sim).length).toBeGreaterThan(2);
    sim.advance(5 * HOUR);
    const decisions = sim.snapshot().controlPlane.autoscaler.decisions.map((d) => d.decision);
    expect(decisions).toContain('scale-out');
    expect(decisions).toContain('scale-in');
    expect(serving(sim)).toHaveLength(2);
    expect(checkInvariants(sim)).toEqual([]);
  });
});

describe('faults and their recovery', () => {
  it('the Auto Scaling group replaces a failed API server within minutes, in a healthy AZ', () => {
    const sim = createSimulation();
    expect(sim.apply({ type: 'fault.apiserver', id: 'apiserver-1' }).ok).toBe(true);
    expect(serving(sim)).toHaveLength(1);
    sim.advance(10 * MIN);
    expect(serving(sim)).toHaveLength(2);
    expect(sim.snapshot().controlPlane.apiServers.map((a) => a.id)).not.toContain('apiserver-1');
  });

  it('a partitioned AZ keeps answering reads but its writes get 503: no quorum there', () => {
    const sim = createSimulation(scenarios['load-spike']);
    sim.apply({ type: 'partition.az', az: 'apne2-az1' });
    sim.advance(5 * MIN);
    const cp = sim.snapshot();
    const isolated = cp.controlPlane.apiServers.find((a) => a.az === 'apne2-az1');
    expect(isolated?.unavailable503PerSec).toBeGreaterThan(0);
    expect(isolated?.servedRps).toBeGreaterThan(0);
    expect(cp.controlPlane.etcd.find((m) => m.role === 'leader')?.az).not.toBe('apne2-az1');
    expect(checkInvariants(sim)).toEqual([]);
  });

  it('without etcd quorum no write commits and every write gets 503', () => {
    const sim = createSimulation(scenarios['load-spike']);
    sim.apply({ type: 'fault.etcd', id: 'etcd-2' });
    sim.apply({ type: 'fault.etcd', id: 'etcd-3' });
    sim.advance(30_000);
    const before = sim.snapshot().load.committedWrites;
    sim.advance(15_000);
    const after = sim.snapshot();
    expect(after.load.committedWrites).toBe(before);
    expect(after.load.unavailable503PerSec).toBeGreaterThan(0);
    expect(sim.domains.controlPlane.canServe('write')).toBe(false);
    expect(sim.domains.controlPlane.canServe('read')).toBe(true);
  });

  it('a failed NLB node leaves DNS and returns after its health checks pass', () => {
    const sim = createSimulation();
    sim.apply({ type: 'fault.nlb', az: 'apne2-az2' });
    expect(sim.domains.controlPlane.nlbNodesInDns().map((n) => n.az)).toEqual(['apne2-az1']);
    sim.apply({ type: 'recover.nlb', az: 'apne2-az2' });
    sim.advance(MIN);
    expect(sim.domains.controlPlane.nlbNodesInDns().map((n) => n.az)).toEqual(['apne2-az1', 'apne2-az2']);
  });

  it('when the etcd majority is lost with two AZs, etcd is rebuilt from the survivor and grows back to three voters', () => {
    const sim = createSimulation();
    sim.apply({ type: 'fault.az', az: 'apne2-az1' });
    sim.advance(15 * MIN);
    const azsOfVoters = sim
      .snapshot()
      .controlPlane.etcd.filter((m) => m.voter)
      .map((m) => m.az);
    expect(azsOfVoters.filter((az) => az === 'apne2-az2')).toHaveLength(2);
    sim.apply({ type: 'fault.az', az: 'apne2-az2' });
    sim.advance(5 * MIN);
    expect(sim.domains.controlPlane.canServe('write')).toBe(false);
    sim.advance(20 * MIN);
    expect(sim.events().some((e) => e.type === 'etcd.disaster-recovery')).toBe(true);
    expect(sim.domains.controlPlane.canServe('write')).toBe(true);
    sim.apply({ type: 'recover.az', az: 'apne2-az1' });
    sim.apply({ type: 'recover.az', az: 'apne2-az2' });
    sim.advance(60 * MIN);
    const cp = sim.snapshot().controlPlane;
    expect(cp.etcd.filter((m) => m.voter && (m.role === 'leader' || m.role === 'follower'))).toHaveLength(3);
    expect(new Set(cp.etcd.map((m) => m.az)).size).toBe(3);
    expect(checkInvariants(sim)).toEqual([]);
  });

  it('bad fault commands get an error naming the problem and change nothing', () => {
    const sim = createSimulation();
    const seq = sim.lastSeq;
    const unknownAz = sim.apply({ type: 'fault.az', az: 'us-east-1a' });
    expect(unknownAz).toMatchObject({ ok: false, code: 'InvalidField' });
    expect(!unknownAz.ok && unknownAz.error).toContain('apne2-az1');
    expect(sim.apply({ type: 'fault.etcd', id: 'etcd-9' })).toMatchObject({
      ok: false,
      code: 'ResourceNotFoundException',
    });
    expect(sim.apply({ type: 'recover.az', az: 'apne2-az1' })).toMatchObject({ ok: false });
    expect(sim.apply({ type: 'load.spike', factor: 0.5 })).toMatchObject({ ok: false, code: 'InvalidField' });
    expect(sim.apply({ type: 'load.spike', factor: 3, duration: 'soon' })).toMatchObject({ ok: false });
    expect(sim.apply({ type: 'load.set' })).toMatchObject({ ok: false });
    expect(sim.lastSeq).toBe(seq);
  });
});
