import { createSimulation, parseDuration, parseScenario, ScenarioError } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../packages/sim-core/src/engine/clock';
import { createPrng, splitPrng } from '../../packages/sim-core/src/engine/prng';

describe('virtual clock', () => {
  it('runs callbacks due at the same millisecond in the order they were scheduled', () => {
    const clock = new VirtualClock(0);
    const order: string[] = [];
    clock.at(10, () => order.push('b1'));
    clock.at(5, () => order.push('a'));
    clock.at(10, () => order.push('b2'));
    clock.at(11, () => order.push('late'));
    clock.runUntil(10);
    expect(order).toEqual(['a', 'b1', 'b2']);
    expect(clock.now()).toBe(10);
  });

  it('never runs a cancelled callback', () => {
    const clock = new VirtualClock(0);
    let ran = false;
    const handle = clock.after(5, () => {
      ran = true;
    });
    clock.cancel(handle);
    clock.runUntil(100);
    expect(ran).toBe(false);
  });
});

describe('seeded randomness', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const c = createPrng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });

  it('splits per component so one component’s draws do not shift another’s', () => {
    const etcd = splitPrng(7, 'etcd-1');
    const first = etcd.next();
    const api = splitPrng(7, 'apiserver-1');
    api.next();
    api.next();
    expect(splitPrng(7, 'etcd-1').next()).toBe(first);
  });
});

describe('durations', () => {
  it('reads the forms people write', () => {
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('500')).toBe(500);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration('5x')).toBeUndefined();
  });
});

describe('commands', () => {
  it('refuses an unknown command type by name and changes nothing', () => {
    const sim = createSimulation();
    const before = sim.events().length;
    const result = sim.apply({ type: 'warp.drive' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain('"warp.drive"');
    expect(sim.events().length).toBe(before);
  });

  it('names the wrong field of a known command', () => {
    const sim = createSimulation();
    const result = sim.apply({ type: 'cluster.delete', name: 42 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/field "name" must be a string/);
  });
});

describe('scenarios', () => {
  it('parses YAML that extends a built-in scenario', () => {
    const s = parseScenario('extends: seed-week1\nname: mine\nseed: 9\n');
    expect(s.name).toBe('mine');
    expect(s.cluster.name).toBe('myeks');
  });

  it('names the unknown key of a malformed scenario, with its line and column', () => {
    expect(() => parseScenario('name: x\nstrat: 2024-01-01\n')).toThrow(ScenarioError);
    expect(() => parseScenario('name: x\nstrat: 2024-01-01\n')).toThrow(/scenario:2:1: strat: unknown field "strat"/);
    expect(() => parseScenario('{ not yaml')).toThrow(/not valid YAML/);
  });
});
