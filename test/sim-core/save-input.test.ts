import { createSimulation, restoreSimulation, SaveError, scenarios } from '@eks-sim/sim-core';
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
