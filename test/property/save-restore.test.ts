/**
 * Save and restore (docs/architecture.md, "Save and restore"): for random built-in scenarios,
 * seeds and schedules of commands, shell lines and waits, a simulation saved at a random step,
 * sent through JSON.stringify/parse and restored continues exactly as the original: after every
 * later step both have the same event log (logHash) and the same snapshot.
 *
 * Every built-in scenario takes part: every domain can be saved (a domain that could not would
 * make `sim.save()` throw a SaveError naming it, and this property fail).
 *
 * A failure prints its seed, its shrunk schedule and the command that replays it
 * (SAVE_PROPERTY_SEED and SAVE_PROPERTY_PATH). More runs: SAVE_PROPERTY_RUNS=500.
 */
import { type Command, createSimulation, restoreSimulation, type Simulation, scenarios } from '@eks-sim/sim-core';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { logHash } from '../../packages/server/src/log-hash';

const scenarioNames = Object.keys(scenarios);

/** One step of a schedule: a command, a shell line, or time passing. Ids are picked from the live snapshot. */
type Step =
  | { readonly kind: 'command'; readonly make: (sim: Simulation) => Command; readonly label: string }
  | { readonly kind: 'exec'; readonly line: string; readonly from: string }
  | { readonly kind: 'wait'; readonly ms: number };

const pickId = (ids: readonly string[], i: number): string => ids[i % Math.max(1, ids.length)] ?? 'none';
const apiServerIds = (sim: Simulation) => sim.snapshot().controlPlane.apiServers.map((a) => a.id);
const etcdIds = (sim: Simulation) => sim.snapshot().controlPlane.etcd.map((m) => m.id);
const azIds = (sim: Simulation) => sim.snapshot().controlPlane.azs.map((a) => a.id);

const command = (label: string, make: (sim: Simulation) => Command): Step => ({ kind: 'command', make, label });

const describeStep = (step: Step): string =>
  step.kind === 'command' ? step.label : step.kind === 'exec' ? `$ ${step.line}` : `wait ${step.ms} ms`;

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .oneof(fc.integer({ min: 1_000, max: 60_000 }), fc.integer({ min: 60_000, max: 6 * 3_600_000 }))
      .map((ms): Step => ({ kind: 'wait', ms })),
  },
  fc
    .tuple(fc.integer({ min: 0, max: 4000 }), fc.constantFrom('flat', 'diurnal', 'classroom'))
    .map(([rps, profile]) => command(`load.set ${rps} ${profile}`, () => ({ type: 'load.set', rps, profile }))),
  fc
    .tuple(fc.integer({ min: 2, max: 10 }), fc.integer({ min: 1, max: 30 }))
    .map(([factor, minutes]) =>
      command(`load.spike ×${factor}`, () => ({ type: 'load.spike', factor, duration: `${minutes}m` })),
    ),
  fc
    .tuple(fc.constantFrom('fault.apiserver', 'recover.apiserver'), fc.nat(5))
    .map(([type, i]) => command(`${type} #${i}`, (sim) => ({ type, id: pickId(apiServerIds(sim), i) }))),
  fc
    .tuple(fc.constantFrom('fault.etcd', 'recover.etcd'), fc.nat(5))
    .map(([type, i]) => command(`${type} #${i}`, (sim) => ({ type, id: pickId(etcdIds(sim), i) }))),
  fc
    .tuple(fc.constantFrom('fault.az', 'recover.az', 'partition.az', 'heal.az', 'fault.nlb', 'recover.nlb'), fc.nat(2))
    .map(([type, i]) => command(`${type} #${i}`, (sim) => ({ type, az: pickId(azIds(sim), i) }))),
  fc.tuple(fc.boolean(), fc.boolean()).map(([pub, priv]) =>
    command(`endpoint.update public=${pub} private=${priv}`, () => ({
      type: 'endpoint.update',
      public: pub,
      private: priv,
    })),
  ),
  fc
    .constantFrom(
      'kubectl get nodes',
      'aws eks describe-cluster --name myeks',
      'export GREETING=hello; echo $GREETING > note.txt',
      'cat note.txt',
      'curl -sk https://localhost/version',
    )
    .map((line): Step => ({ kind: 'exec', line, from: 'bastion' })),
);

const runArb = fc.record({
  scenario: fc.constantFrom(...scenarioNames),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 12 }),
  saveAt: fc.nat(12),
});

function run(sim: Simulation, step: Step): void {
  if (step.kind === 'wait') sim.advance(step.ms);
  else if (step.kind === 'exec') sim.exec(step.line, { from: step.from });
  else sim.apply(step.make(sim));
}

/** The path of the first place two JSON values differ, with both values there; undefined when equal. */
function firstDifference(a: unknown, b: unknown, path = 'snapshot'): string | undefined {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return a === b ? undefined : `${path}: ${JSON.stringify(a)} (original) vs ${JSON.stringify(b)} (restored)`;
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const key of keys) {
    const found = firstDifference(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      `${path}.${key}`,
    );
    if (found) return found;
  }
  return undefined;
}

/** Both simulations agree: the same log (by hash, as the server compares runs) and the same snapshot. */
function sameRun(original: Simulation, restored: Simulation, after: string): void {
  const a = logHash(original.events());
  const b = logHash(restored.events());
  if (a !== b) {
    const first = original.events().findIndex((e, i) => JSON.stringify(e) !== JSON.stringify(restored.events()[i]));
    throw new Error(
      `after ${after}: the logs differ from event ${first + 1}: ${JSON.stringify(original.events()[first])} vs ${JSON.stringify(restored.events()[first])}`,
    );
  }
  // As JSON, the form the server streams (a -0 and a 0 are one number there).
  const json = (sim: Simulation) => JSON.parse(JSON.stringify(sim.snapshot())) as unknown;
  const where = firstDifference(json(original), json(restored));
  if (where) throw new Error(`after ${after}: the snapshots differ at ${where}`);
}

const property = fc.property(runArb, ({ scenario, seed, steps, saveAt }) => {
  const original = createSimulation(scenarios[scenario], { seed });
  const at = Math.min(saveAt, steps.length);
  for (const step of steps.slice(0, at)) run(original, step);
  const restored = restoreSimulation(JSON.parse(JSON.stringify(original.save())));
  sameRun(original, restored, `the restore (step ${at})`);
  for (const [i, step] of steps.slice(at).entries()) {
    run(original, step);
    run(restored, step);
    sameRun(original, restored, `step ${at + i} (${describeStep(step)})`);
  }
});

function describeRun(run: { scenario: string; seed: number; steps: Step[]; saveAt: number } | undefined): string {
  if (!run) return 'none';
  const at = Math.min(run.saveAt, run.steps.length);
  const steps = run.steps.map(describeStep);
  steps.splice(at, 0, 'SAVE + RESTORE');
  return `${run.scenario} seed ${run.seed}: ${steps.join(' → ')}`;
}

function replayOptions(): { seed?: number; path?: string } {
  const seed = process.env.SAVE_PROPERTY_SEED;
  const path = process.env.SAVE_PROPERTY_PATH;
  return { ...(seed ? { seed: Number(seed) } : {}), ...(path ? { path } : {}) };
}

const RUNS = Number(process.env.SAVE_PROPERTY_RUNS ?? 20);

describe('save and restore', () => {
  it(
    `a restored simulation continues exactly as the original (${scenarioNames.join(', ')})`,
    () => {
      const details = fc.check(property, { numRuns: RUNS, ...replayOptions() });
      if (details.failed) {
        const replay = `SAVE_PROPERTY_SEED=${details.seed} SAVE_PROPERTY_PATH=${details.counterexamplePath} npx vitest run test/property/save-restore.test.ts`;
        throw new Error(
          `save/restore property failed (seed ${details.seed}, path ${details.counterexamplePath}): ${String(details.errorInstance)}\nschedule: ${describeRun(details.counterexample?.[0])}\nreplay: ${replay}`,
        );
      }
    },
    // A run takes up to about a second of wall time on a busy machine.
    Math.max(60_000, RUNS * 1_500),
  );
});
