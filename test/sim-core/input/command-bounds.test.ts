import { createSimulation, parseDuration, type Simulation } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';

const nested = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = [value];
  return value;
};

/** The simulation's log and snapshot before and after a refused command must be identical. */
function refusedWithoutChange(sim: Simulation, command: { type: string; [k: string]: unknown }) {
  const eventsBefore = sim.events().length;
  const snapshotBefore = JSON.stringify(sim.snapshot());
  const result = sim.apply(command);
  expect(result.ok).toBe(false);
  expect(sim.events().length).toBe(eventsBefore);
  expect(JSON.stringify(sim.snapshot())).toBe(snapshotBefore);
  return result.ok ? '' : `${result.code}: ${result.error}`;
}

describe('command field limits', () => {
  const withoutCluster = () => {
    const seed = createSimulation().scenario;
    return createSimulation({ ...seed, cluster: { ...seed.cluster, existsAtStart: false } });
  };

  it('cluster.create with tags nested 6000 deep is refused naming the field, and nothing is applied', () => {
    const sim = withoutCluster();
    const error = refusedWithoutChange(sim, {
      type: 'cluster.create',
      name: 'demo',
      version: '1.28',
      tags: { k: nested(6000) },
    });
    expect(error).toMatch(/^InvalidField: cluster\.create: field "tags" must be a map of at most 50 tags/);
    expect(error).toContain('tag "k" has a value that is a list of 1, not a string');
    // The snapshot (what the stream sends) still serialises: nothing deep got in.
    expect(() => JSON.stringify(sim.snapshot())).not.toThrow();
  });

  it('holds tags to EKS limits: 50 tags, keys of 128 characters, values of 256', () => {
    const sim = withoutCluster();
    const base = { type: 'cluster.create', name: 'demo', version: '1.28' };
    const fifty = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect(refusedWithoutChange(sim, { ...base, tags: fifty })).toContain('(has 51 tags)');
    expect(refusedWithoutChange(sim, { ...base, tags: { ['k'.repeat(129)]: 'v' } })).toContain(
      'has a key of 129 characters',
    );
    expect(refusedWithoutChange(sim, { ...base, tags: { team: 'v'.repeat(257) } })).toContain(
      'tag "team" has a value of 257 characters',
    );
  });

  it('bounds every string and list field, naming it', () => {
    const sim = withoutCluster();
    expect(refusedWithoutChange(sim, { type: 'cluster.delete', name: 'x'.repeat(5000) })).toMatch(
      /field "name" must be a string of at most 1024 characters \(is 5000 characters long\)/,
    );
    expect(
      refusedWithoutChange(sim, {
        type: 'cluster.create',
        name: 'demo',
        version: '1.28',
        subnetIds: Array.from({ length: 101 }, (_, i) => `subnet-${i}`),
      }),
    ).toMatch(/field "subnetIds" must be a list of at most 100 strings .*\(has 101 items\)/);
  });

  it('bounds a free-form object field (an eksctl ClusterConfig) in depth', () => {
    const sim = createSimulation();
    expect(
      refusedWithoutChange(sim, {
        type: 'provisioning.create-cluster',
        config: { metadata: { name: 'x', tags: nested(100) } },
      }),
    ).toMatch(/field "config" must be an object \(is too large: "metadata\.tags\[0\]/);
  });

  it('accepts tags at the limits', () => {
    const sim = withoutCluster();
    const tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`${i}`.padEnd(128, 'k'), 'v'.repeat(256)]));
    const result = sim.apply({ type: 'cluster.create', name: 'demo', version: '1.28', tags });
    expect(result).toMatchObject({ ok: true });
  });
});

describe('duration limits', () => {
  it('reads durations up to 10 years and refuses longer ones', () => {
    expect(parseDuration('3650d')).toBe(3650 * 86_400_000);
    expect(parseDuration('3651d')).toBeUndefined();
    expect(parseDuration('99999999999999999999h')).toBeUndefined();
    expect(parseDuration('99999999999999999999')).toBeUndefined();
  });

  it('load.spike with a duration of 99999999999999999999h is refused naming the limit, and nothing is applied', () => {
    const sim = createSimulation();
    expect(refusedWithoutChange(sim, { type: 'load.spike', factor: 2, duration: '99999999999999999999h' })).toMatch(
      /field "duration" must be a duration such as "20m", at most 10 years/,
    );
  });
});
