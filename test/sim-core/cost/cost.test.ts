import {
  CLUSTER_PRICES,
  createSimulation,
  INSTANCE_PRICES,
  type Scenario,
  scenarios,
  VOLUME_PRICES,
} from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';

const HOUR = 3_600_000;
const seed = scenarios['seed-week1'] as Scenario;

describe('the price table (aws.amazon.com/eks/pricing)', () => {
  it('has $0.10 standard, $0.60 extended from 2024-04-01, t3.medium and gp3 for Seoul, each with a source', () => {
    expect(CLUSTER_PRICES.find((p) => p.phase === 'standard')?.usdPerHour).toBe(0.1);
    expect(CLUSTER_PRICES.find((p) => p.phase === 'extended' && p.since === '2024-04-01')?.usdPerHour).toBe(0.6);
    expect(INSTANCE_PRICES.find((p) => p.instanceType === 't3.medium' && p.region === 'ap-northeast-2')).toBeDefined();
    expect(VOLUME_PRICES.find((p) => p.volumeType === 'gp3' && p.region === 'ap-northeast-2')).toBeDefined();
    for (const row of [...CLUSTER_PRICES, ...INSTANCE_PRICES, ...VOLUME_PRICES])
      expect(row.source.length).toBeGreaterThan(20);
  });
});

describe('cost accrues every simulated hour', () => {
  it('bills the seed lab: cluster, two t3.medium nodes and their 30 GiB gp3 volumes', () => {
    const sim = createSimulation(seed);
    sim.advance(24 * HOUR);
    const cost = sim.snapshot().cost;
    expect(cost.ledger.billedHours).toBe(24);
    const gp3PerGibHour = Math.round((0.0912 / 730) * 1e9) / 1e9;
    expect(cost.byItem.cluster).toBeCloseTo(24 * 0.1, 9);
    expect(cost.byItem['ec2:t3.medium']).toBeCloseTo(24 * 2 * 0.052, 9);
    expect(cost.byItem['ebs:gp3']).toBeCloseTo(24 * 60 * gp3PerGibHour, 9);
    expect(cost.totalUsd).toBeCloseTo(
      Object.values(cost.byItem).reduce((a, b) => a + b, 0),
      9,
    );
    expect(cost.byPhase).toEqual({ standard: cost.byItem.cluster, extended: 0, unsupported: 0 });
  });

  it('control-plane load never changes the bill (docs/control-plane.md): only the phase does', () => {
    const sim = createSimulation({ ...seed, start: '2024-11-25T20:00:00Z' });
    sim.advance(8 * HOUR - 1);
    const segments = sim.snapshot().cost.segments;
    expect(segments.map((s) => [s.from, s.clusterPhase, s.itemsUsdPerHour.cluster])).toEqual([
      ['2024-11-25T20:00:00.000Z', 'standard', 0.1],
      ['2024-11-26T00:00:00.000Z', 'extended', 0.6],
    ]);
  });

  it('bills extended support at the standard price before 2024-04-01 (free preview)', () => {
    const sim = createSimulation({
      ...seed,
      start: '2024-03-01T00:00:00Z',
      cluster: { ...seed.cluster, version: '1.24' },
    });
    sim.advance(2 * HOUR - 1);
    expect(sim.snapshot().cost.byPhase).toEqual({ standard: 0, extended: 0.2, unsupported: 0 });
  });
});
