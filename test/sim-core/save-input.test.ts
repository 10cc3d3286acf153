import { createSimulation, restoreSimulation, type SavedSimulation, SaveError, scenarios } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';

const base = { format: 'eks-sim/save', version: 1 };

describe('restoreSimulation refuses bad input, naming what is wrong', () => {
  it.each([
    ['text that is not JSON', '{"format": "eks-sim/save",', /a saved simulation must be JSON/],
    ['a number', 42, /a saved simulation must be a JSON object \(got 42\)/],
    [
      'another format',
      { format: 'kubeconfig' },
      /not an eks-sim save: format must be "eks-sim\/save" \(got "kubeconfig"\)/,
    ],
    [
      'a newer version',
      { ...base, version: 2 },
      /save format version 2 is not supported \(this simulator reads version 1\)/,
    ],
    ['no scenario', { ...base, seed: 1 }, /scenario must be a JSON object \(got nothing\)/],
    [
      'a queue entry of unknown kind',
      {
        ...base,
        scenario: scenarios['seed-week1'],
        seed: 1,
        engine: { nowMs: 0, nextOrder: 0, queue: [{ kind: 'cron', atMs: 0, order: 0 }], rng: {}, actors: [], log: [] },
        domains: {},
      },
      /engine.queue\[0\].kind must be "timer" or "xstate" \(got "cron"\)/,
    ],
  ])('%s', (_, input, message) => {
    expect(() => restoreSimulation(input)).toThrow(SaveError);
    expect(() => restoreSimulation(input)).toThrow(message);
  });

  it('a simulation with a domain that cannot be saved refuses to save, naming the domain', () => {
    const sim = createSimulation(scenarios['seed-week1']);
    (sim.domains.cost as { save?: unknown }).save = undefined;
    expect(() => sim.save()).toThrow(/domains? .*\bcost\b.* cannot be saved yet/);
  });
});

/** A real save to tamper with: seed-week1 an hour in (skipped while one of its domains cannot be saved). */
function savedWeek(): SavedSimulation | undefined {
  const sim = createSimulation(scenarios['seed-week1']);
  sim.advance(3_600_000);
  try {
    return JSON.parse(JSON.stringify(sim.save())) as SavedSimulation;
  } catch (error) {
    if (error instanceof SaveError) return undefined;
    throw error;
  }
}

const week = savedWeek();

describe.skipIf(week === undefined)('restoreSimulation refuses a save that does not fit the simulator', () => {
  const tampered = (change: (saved: { engine: Record<string, unknown[]> }) => void) => {
    const copy = JSON.parse(JSON.stringify(week)) as { engine: Record<string, unknown[]> };
    change(copy);
    return copy;
  };

  it('a timer no domain handles', () => {
    const saved = tampered((s) => {
      const timer = s.engine.queue?.find((e) => (e as { kind: string }).kind === 'timer') as { name: string };
      timer.name = 'cron.nightly';
    });
    expect(() => restoreSimulation(saved)).toThrow(/the save has a timer named "cron.nightly" that no domain handles/);
  });

  it('an actor missing from the save', () => {
    const saved = tampered((s) => {
      s.engine.actors = s.engine.actors?.filter((a) => (a as { key: string }).key !== 'az/apne2-az1') ?? [];
      s.engine.queue = s.engine.queue?.filter((e) => (e as { actor?: string }).actor !== 'az/apne2-az1') ?? [];
    });
    expect(() => restoreSimulation(saved)).toThrow(
      /cannot revive actor "az\/apne2-az1": the save has no actor under that key/,
    );
  });

  it('an actor no domain revives', () => {
    const saved = tampered((s) => {
      s.engine.actors?.push({ key: 'addon/vpc-cni', snapshot: { status: 'active', value: 'ACTIVE', context: {} } });
    });
    expect(() => restoreSimulation(saved)).toThrow(/no domain revived the saved actor\(s\) addon\/vpc-cni/);
  });
});
