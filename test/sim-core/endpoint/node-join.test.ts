import { createSimulation, scenarios } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';

function labWith(network: Record<string, unknown>, endpoint: Record<string, unknown> = {}) {
  const base = scenarios['seed-week1'];
  if (!base) throw new Error('seed-week1 missing');
  const nodeGroups = (base.cluster.nodeGroups ?? []).map((g) => ({ ...g, subnets: 'private' as const }));
  return createSimulation({ ...base, network, cluster: { ...base.cluster, ...endpoint, nodeGroups } });
}

describe('nodes join the cluster only if they reach the API server (AWS EKS User Guide, cluster-endpoint.html)', () => {
  it('nodes in private subnets without NAT behind a public-only endpoint never join: CREATE_FAILED', () => {
    const sim = labWith({});
    const group = sim.snapshot().nodegroups[0];
    expect(group?.status).toBe('CREATE_FAILED');
    expect(group?.health?.issues[0]).toMatchObject({
      code: 'NodeCreationFailure',
      message: 'Instances failed to join the kubernetes cluster',
    });
    expect(group?.nodes.every((n) => n.state === 'NotReady')).toBe(true);
    const failed = sim.events().find((e) => e.type === 'nodegroup.create-failed');
    expect(failed?.message).toMatch(/refused at route-table; fix: enable private endpoint access/);
  });

  it('the same nodes join through a NAT gateway, or through the private endpoint', () => {
    expect(labWith({ natGateway: 'single' }).snapshot().nodegroups[0]?.status).toBe('ACTIVE');
    const withPrivate = labWith({}, { endpointPrivateAccess: true });
    expect(withPrivate.snapshot().nodegroups[0]?.status).toBe('ACTIVE');
    expect(withPrivate.snapshot().nodegroups[0]?.nodes.every((n) => n.state === 'Ready')).toBe(true);
  });

  it('a joined node goes NotReady when publicAccessCidrs shuts it out, and Ready again when it is let back in', () => {
    const sim = createSimulation();
    const states = () => sim.snapshot().nodegroups.flatMap((g) => g.nodes.map((n) => n.state));
    expect(states()).toEqual(['Ready', 'Ready']);
    expect(sim.apply({ type: 'endpoint.update', publicAccessCidrs: ['203.0.113.7/32'] })).toMatchObject({ ok: true });
    sim.advance(10 * 60_000);
    expect(states()).toEqual(['NotReady', 'NotReady']);
    expect(sim.events().filter((e) => e.type === 'node.not-ready')).toHaveLength(2);
    sim.apply({ type: 'endpoint.update', private: true });
    sim.advance(10 * 60_000);
    expect(states()).toEqual(['Ready', 'Ready']);
  });
});
