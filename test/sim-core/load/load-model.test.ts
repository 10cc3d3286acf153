import { createSimulation, type Scenario, scenarios } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';
import { SIZE_LADDER } from '../../../packages/sim-core/src/control-plane/facts';
import {
  API_RPS_PER_VCPU,
  apiServerLoad,
  baseClassRps,
  checkLoadScenario,
  profileFactor,
  SERVICE_MS,
} from '../../../packages/sim-core/src/load/model';

const small = SIZE_LADDER[0] as (typeof SIZE_LADDER)[number];

describe('size ladder', () => {
  it('starts at 400 + 200 = 600 APF seats and reaches 2000 at the top (AWS EKS Best Practices (Control plane))', () => {
    expect(small.seats).toBe(600);
    expect(SIZE_LADDER[SIZE_LADDER.length - 1]?.seats).toBe(2000);
    for (let i = 1; i < SIZE_LADDER.length; i++) {
      expect(SIZE_LADDER[i]?.vcpu).toBeGreaterThan(SIZE_LADDER[i - 1]?.vcpu as number);
      expect(SIZE_LADDER[i]?.seats).toBeGreaterThan(SIZE_LADDER[i - 1]?.seats as number);
    }
  });
});

describe('queueing model of one API server', () => {
  it('admits at most seats / (S + seats/μ) requests per second and answers the rest with 429', () => {
    const mu = small.vcpu * API_RPS_PER_VCPU;
    const max = small.seats / (SERVICE_MS / 1000 + small.seats / mu);
    const under = apiServerLoad(small, max * 0.5, 2, 1, 0.3, 0.1);
    expect(under.throttledRps).toBe(0);
    const over = apiServerLoad(small, max * 2, 2, 1, 0.3, 0.1);
    expect(over.servedRps).toBeCloseTo(max, 6);
    expect(over.throttledRps).toBeCloseTo(max, 6);
    expect(over.inflight).toBeLessThanOrEqual(small.seats + 1e-6);
  });

  it('p99 latency is ln(100) × S / (1 − ρ) plus the etcd wait of writes, so it climbs with utilisation', () => {
    const idle = apiServerLoad(small, 1, 2, 1, 0, 0);
    expect(idle.p99Ms).toBeCloseTo((Math.log(100) * SERVICE_MS) / (1 - 1 / (small.vcpu * API_RPS_PER_VCPU)), 6);
    const p99s = [0.2, 0.5, 0.8, 0.95].map(
      (rho) => apiServerLoad(small, rho * small.vcpu * API_RPS_PER_VCPU, 2, 1, 0.3, 0.2).p99Ms,
    );
    for (let i = 1; i < p99s.length; i++) expect(p99s[i]).toBeGreaterThan(p99s[i - 1] as number);
  });

  it('an impaired AZ halves an instance’s capacity', () => {
    expect(apiServerLoad(small, 100, 2, 0.5, 0.3, 0).capacityRps).toBeLessThan(
      apiServerLoad(small, 100, 2, 1, 0.3, 0).capacityRps,
    );
  });
});

describe('offered load', () => {
  it('kubelet load grows with the number of nodes', () => {
    expect(baseClassRps({ kubeletRpsPerNode: 2 }, 10).kubelets).toBe(20);
    expect(baseClassRps({ kubeletRpsPerNode: 2 }, 100).kubelets).toBe(200);
  });

  it('the classroom profile is idle, ramps up, stays busy for the class, then is idle again', () => {
    const load = { classroom: { startsAt: '1h', rampUp: '10m', duration: '2h', factor: 20 } };
    const at = (m: number) => profileFactor('classroom', load, m * 60_000, 0);
    expect(at(30)).toBe(1);
    expect(at(65)).toBeGreaterThan(1);
    expect(at(65)).toBeLessThan(20);
    expect(at(120)).toBe(20);
    expect(at(200)).toBe(1);
  });

  it('the diurnal profile peaks at its peak hour and bottoms out twelve hours later', () => {
    const load = { diurnal: { peakHourUtc: 6, troughFactor: 0.3 } };
    expect(profileFactor('diurnal', load, 6 * 3_600_000, 0)).toBeCloseTo(1, 9);
    expect(profileFactor('diurnal', load, 18 * 3_600_000, 0)).toBeCloseTo(0.3, 9);
  });

  it('load.set changes the offered rps; the snapshot splits it by client class and keeps a per-minute series', () => {
    const sim = createSimulation(scenarios['load-spike'] as Scenario);
    expect(sim.apply({ type: 'load.set', rps: 1000 }).ok).toBe(true);
    sim.advance(10 * 60_000);
    const load = sim.snapshot().load;
    expect(load.offeredRps).toBeCloseTo(1000, 0);
    expect(load.byClass.kubectl + load.byClass.controllers + load.byClass.kubelets).toBeCloseTo(1000, 0);
    expect(load.nodes).toBe(2);
    expect(load.series.length).toBeGreaterThanOrEqual(9);
    expect(load.series.at(-1)?.offeredRps).toBeCloseTo(1000, 0);
  });
});

describe('the load section of a scenario', () => {
  it('accepts the built-in scenarios and names what is wrong in a bad one', () => {
    for (const s of Object.values(scenarios)) expect(checkLoadScenario(s.load)).toBeUndefined();
    expect(checkLoadScenario({ kubectlRps: -1 })).toContain('load.kubectlRps');
    expect(checkLoadScenario({ classroom: { startsAt: 'soon' } })).toContain('load.classroom.startsAt');
    expect(checkLoadScenario({ rps: 3 })).toContain('unknown key "rps"');
    expect(() =>
      createSimulation({ ...(scenarios['seed-week1'] as Scenario), load: { profile: 'x' as never } }),
    ).toThrow(/load.profile must be one of/);
  });
});
