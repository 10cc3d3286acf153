/**
 * Model-based property tests of the managed control plane (DESIGN §6, issue 2 §6): random
 * load changes, faults and recoveries over simulated hours; after every step no invariant is
 * violated; the same (scenario, seed, commands) gives the same event log. fast-check prints
 * the seed and the shrunk command path of a failure.
 */
import {
  type Command,
  checkInvariants,
  createSimulation,
  type Scenario,
  type Simulation,
  scenarios,
} from '@eks-sim/sim-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const AZS = ['apne2-az1', 'apne2-az2', 'apne2-az3'];
const CHECK_EVERY_MS = 5 * 60_000;

interface Real {
  sim: Simulation;
  /** What was done, in order, to replay it. */
  trace: Array<{ command: Command } | { advanceMs: number }>;
}

function violationsNow(real: Real, step: string): void {
  const found = checkInvariants(real.sim);
  if (found.length > 0) {
    throw new Error(`after ${step}: ${found.map((v) => `${v.invariant}: ${v.message}`).join('; ')}`);
  }
}

function advance(real: Real, ms: number, step: string): void {
  for (let done = 0; done < ms; done += CHECK_EVERY_MS) {
    const chunk = Math.min(CHECK_EVERY_MS, ms - done);
    real.sim.advance(chunk);
    real.trace.push({ advanceMs: chunk });
    violationsNow(real, step);
  }
}

/** Picks an id that exists now (by index modulo), so that most commands act on something. */
function pick(real: Real, kind: 'apiServers' | 'etcd', index: number): string {
  const list = real.sim.snapshot().controlPlane[kind];
  return list.length === 0 ? `${kind}-none` : (list[index % list.length]?.id as string);
}

/** What the test expects of the AZs, kept beside the simulation. */
interface Model {
  readonly down: Set<string>;
  readonly partitioned: Set<string>;
  readonly failedNlb: Set<string>;
}

/** Model updates for the commands that change AZs and NLB nodes (when the simulation accepted them). */
function updateModel(model: Model, command: Command): void {
  const az = String(command.az);
  if (command.type === 'fault.az' && command.impaired !== true) model.down.add(az);
  if (command.type === 'recover.az') model.down.delete(az);
  if (command.type === 'partition.az') model.partitioned.add(az);
  if (command.type === 'heal.az') model.partitioned.delete(az);
  if (command.type === 'fault.nlb') model.failedNlb.add(az);
  if (command.type === 'recover.nlb') model.failedNlb.delete(az);
}

/** What must hold of the AZs the model knows to be down or cut off. */
function modelHolds(model: Model, real: Real, waitedMs: number): void {
  const cp = real.sim.snapshot().controlPlane;
  for (const az of model.down) {
    expect(cp.azs.find((a) => a.id === az)?.health, `${az} is down`).toBe('down');
    const serving = cp.apiServers.filter((a) => a.az === az && (a.state === 'healthy' || a.state === 'degraded'));
    expect(serving, `no API server serves in the down ${az}`).toEqual([]);
    for (const m of cp.etcd.filter((e) => e.az === az)) expect(['down', 'removed']).toContain(m.role);
    // Health checks need 3 × 10 s to take the node out of DNS.
    if (waitedMs >= 30_000) expect(cp.nlbs.find((n) => n.az === az)?.inDns, `${az}'s NLB node left DNS`).toBe(false);
  }
  for (const az of model.failedNlb) expect(cp.nlbs.find((n) => n.az === az)?.inDns).toBe(false);
  // Replacements go through learners: never more than three voters, and exactly three unless
  // a quorum lost with its AZs had to be rebuilt from the survivors.
  const voters = cp.etcd.filter((m) => m.voter).length;
  const rebuilt = real.sim.events().some((e) => e.type === 'etcd.disaster-recovery');
  if (rebuilt) expect(voters).toBeLessThanOrEqual(3);
  else expect(voters).toBe(3);
  const connected = AZS.filter((az) => !model.down.has(az) && !model.partitioned.has(az));
  expect(cp.recovery.azsUpAndConnected).toBe(connected.length);
}

class Act implements fc.Command<Model, Real> {
  constructor(
    private readonly make: (real: Real) => Command,
    private readonly waitMs: number,
    private readonly label: string,
  ) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    const command = this.make(real);
    const before = real.sim.lastSeq;
    const result = real.sim.apply(command);
    real.trace.push({ command });
    if (result.ok) updateModel(model, command);
    else expect(real.sim.lastSeq, 'a failed command changes nothing').toBe(before);
    violationsNow(real, JSON.stringify(command));
    modelHolds(model, real, 0);
    advance(real, this.waitMs, `${JSON.stringify(command)} + ${this.waitMs} ms`);
    modelHolds(model, real, this.waitMs);
  }
  toString(): string {
    return `${this.label} then ${Math.round(this.waitMs / 60_000)} min`;
  }
}

const wait = fc.integer({ min: 5_000, max: 60 * 60_000 });
const az = fc.constantFrom(...AZS);
const index = fc.nat(9);

const commandArbs = [
  fc
    .tuple(fc.double({ min: 0, max: 4000, noNaN: true }), fc.constantFrom('flat', 'diurnal', 'classroom'), wait)
    .map(
      ([rps, profile, w]) =>
        new Act(() => ({ type: 'load.set', rps, profile }), w, `load.set ${Math.round(rps)} ${profile}`),
    ),
  fc
    .tuple(fc.integer({ min: 2, max: 15 }), fc.integer({ min: 1, max: 40 }), wait)
    .map(
      ([factor, minutes, w]) =>
        new Act(() => ({ type: 'load.spike', factor, duration: `${minutes}m` }), w, `spike ×${factor}`),
    ),
  fc
    .tuple(index, wait)
    .map(
      ([i, w]) =>
        new Act((r) => ({ type: 'fault.apiserver', id: pick(r, 'apiServers', i) }), w, `fault.apiserver #${i}`),
    ),
  fc
    .tuple(index, wait)
    .map(
      ([i, w]) =>
        new Act((r) => ({ type: 'recover.apiserver', id: pick(r, 'apiServers', i) }), w, `recover.apiserver #${i}`),
    ),
  fc
    .tuple(index, wait)
    .map(([i, w]) => new Act((r) => ({ type: 'fault.etcd', id: pick(r, 'etcd', i) }), w, `fault.etcd #${i}`)),
  fc
    .tuple(index, wait)
    .map(([i, w]) => new Act((r) => ({ type: 'recover.etcd', id: pick(r, 'etcd', i) }), w, `recover.etcd #${i}`)),
  fc.tuple(az, wait).map(([a, w]) => new Act(() => ({ type: 'fault.nlb', az: a }), w, `fault.nlb ${a}`)),
  fc.tuple(az, wait).map(([a, w]) => new Act(() => ({ type: 'recover.nlb', az: a }), w, `recover.nlb ${a}`)),
  fc
    .tuple(az, fc.boolean(), wait)
    .map(
      ([a, impaired, w]) =>
        new Act(() => ({ type: 'fault.az', az: a, impaired }), w, `fault.az ${a}${impaired ? ' impaired' : ''}`),
    ),
  fc.tuple(az, wait).map(([a, w]) => new Act(() => ({ type: 'recover.az', az: a }), w, `recover.az ${a}`)),
  fc.tuple(az, wait).map(([a, w]) => new Act(() => ({ type: 'partition.az', az: a }), w, `partition.az ${a}`)),
  fc.tuple(az, wait).map(([a, w]) => new Act(() => ({ type: 'heal.az', az: a }), w, `heal.az ${a}`)),
];

/** The built-in scenarios' own timelines would interleave with the random commands: drop them. */
const PROPERTY_SCENARIOS: Record<string, Scenario> = {
  'az-outage (diurnal load, no timeline)': { ...(scenarios['az-outage'] as Scenario), timeline: [] },
  'seed-week1 (classroom load)': scenarios['seed-week1'] as Scenario,
};

function replay(scenario: Scenario, seed: number, trace: Real['trace']): Simulation {
  const sim = createSimulation(scenario, { seed });
  for (const step of trace) {
    if ('command' in step) sim.apply(step.command);
    else sim.advance(step.advanceMs);
  }
  return sim;
}

/** Reproduce a reported failure: CP_PROPERTY_SEED=… CP_PROPERTY_PATH=… npx vitest run test/property/control-plane.test.ts */
function replayOptions(): { seed?: number; path?: string } {
  const seed = process.env.CP_PROPERTY_SEED;
  const path = process.env.CP_PROPERTY_PATH;
  return { ...(seed ? { seed: Number(seed) } : {}), ...(path ? { path } : {}) };
}

describe('control plane under random load, faults and recoveries', () => {
  for (const [scenarioName, scenario] of Object.entries(PROPERTY_SCENARIOS)) {
    it(`${scenarioName}: no invariant breaks after any step, and a replay gives the same event log`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          fc.commands(commandArbs, { maxCommands: 10 }),
          (seed, cmds) => {
            const real: Real = { sim: createSimulation(scenario, { seed }), trace: [] };
            fc.modelRun(
              () => ({
                model: { down: new Set<string>(), partitioned: new Set<string>(), failedNlb: new Set<string>() },
                real,
              }),
              cmds,
            );
            // Let everything settle: the minimums hold again once every AZ is back.
            for (const a of AZS) {
              for (const type of ['recover.az', 'heal.az', 'recover.nlb']) {
                const command = { type, az: a };
                real.sim.apply(command);
                real.trace.push({ command });
              }
            }
            advance(real, 60 * 60_000, 'recovery of every AZ');
            const cp = real.sim.snapshot().controlPlane;
            expect(cp.etcd.filter((m) => m.role === 'leader')).toHaveLength(1);
            expect(cp.etcd.filter((m) => m.voter)).toHaveLength(3);
            expect(
              cp.apiServers.filter((a) => a.state === 'healthy' || a.state === 'degraded').length,
            ).toBeGreaterThanOrEqual(2);
            const again = replay(scenario, seed, real.trace);
            expect(JSON.stringify(again.events())).toBe(JSON.stringify(real.sim.events()));
          },
        ),
        { numRuns: Number(process.env.CP_PROPERTY_RUNS ?? 25), verbose: true, ...replayOptions() },
      );
    });
  }
});
