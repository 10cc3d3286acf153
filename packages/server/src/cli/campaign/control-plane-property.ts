/**
 * The model-based property of the managed control plane, in one place for the vitest property
 * test (`test/property/control-plane.test.ts`) and `eks-sim campaign`: random schedules of
 * load changes, compound faults and recoveries over up to a simulated week; after every
 * step no invariant breaks (the snapshot checks, Raft's safety properties over the whole
 * run, what the test expects of the AZs); once every AZ is back the control plane heals;
 * the recorded client history is linearizable; and the same (scenario, seed, commands)
 * replays to the same event log. fast-check generates the schedules and shrinks a failure.
 */
import {
  type Command,
  checkInvariants,
  checkLinearizable,
  createSimulation,
  RaftHistoryChecker,
  type Scenario,
  type Simulation,
  type Snapshot,
  scenarios,
  type Violation,
} from '@eks-sim/sim-core';
import fc from 'fast-check';

const AZS = ['apne2-az1', 'apne2-az2', 'apne2-az3'];
const CHECK_EVERY_MS = 5 * 60_000;
/** How long the property waits, once every AZ is back, for the control plane to heal. */
const SETTLE_MS = 60 * 60_000;
/** Up to 30 steps, spanning at most a simulated week. */
export const MAX_COMMANDS = 30;
const MAX_WAIT_MS = 8 * 3_600_000;
const MAX_SCHEDULE_MS = 7 * 24 * 3_600_000;

/** The built-in scenarios' own timelines would interleave with the random commands: drop them. */
export const PROPERTY_SCENARIOS: Readonly<Record<string, { readonly title: string; readonly scenario: Scenario }>> = {
  'az-outage': {
    title: 'az-outage (diurnal load, no timeline)',
    scenario: { ...(scenarios['az-outage'] as Scenario), timeline: [] },
  },
  'seed-week1': { title: 'seed-week1 (classroom load)', scenario: scenarios['seed-week1'] as Scenario },
};

export interface PropertyOptions {
  /** fast-check's replay path of the schedule's commands (the `replayPath` of a shrunk schedule). */
  readonly replayPath?: string | undefined;
  /**
   * Adds a deliberately false invariant, "no etcd member is ever down", so that a test can make
   * the property fail and check that the printed replay command replays that very failure.
   * Default: on when `CP_PROPERTY_CANARY=1` (so a vitest replay and a campaign's workers see it too).
   */
  readonly canary?: boolean | undefined;
}

function canaryViolations(snapshot: Snapshot): Violation[] {
  return snapshot.controlPlane.etcd
    .filter((m) => m.role === 'down')
    .map((m) => ({ invariant: 'canary-no-etcd-member-down', atMs: snapshot.clock.nowMs, message: `${m.id} is down` }));
}

export type TraceStep = { command: Command } | { advanceMs: number };

class PropertyFailure extends Error {}

function must(condition: boolean, message: string): void {
  if (!condition) throw new PropertyFailure(message);
}

interface Real {
  readonly sim: Simulation;
  /** Whether the canary invariant is on (see `PropertyOptions.canary`). */
  readonly canary: boolean;
  /** What was done, in order, to replay it. */
  readonly trace: TraceStep[];
  readonly raft: RaftHistoryChecker;
  /** Events up to this seq have been checked. */
  seenSeq: number;
  /** Whether etcd was rebuilt from survivors (then fewer than three voters are allowed). */
  rebuilt: boolean;
  /** The snapshot of the last check: nothing has moved since (snapshots are the costly part). */
  last: Snapshot | undefined;
}

const current = (real: Real): Snapshot => {
  real.last ??= real.sim.snapshot();
  return real.last;
};

/** What the test expects of the AZs, kept beside the simulation. */
interface Model {
  readonly down: Set<string>;
  readonly partitioned: Set<string>;
  readonly failedNlb: Set<string>;
}

function violationsNow(real: Real, step: string): void {
  const snapshot = real.sim.snapshot();
  real.last = snapshot;
  const events = real.sim.events(real.seenSeq);
  real.seenSeq = real.sim.lastSeq;
  if (events.some((e) => e.type === 'etcd.disaster-recovery')) real.rebuilt = true;
  const found = [...checkInvariants(snapshot), ...real.raft.observe(snapshot, events)];
  if (real.canary) found.push(...canaryViolations(snapshot));
  if (found.length > 0) {
    throw new PropertyFailure(`after ${step}: ${found.map((v) => `${v.invariant}: ${v.message}`).join('; ')}`);
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

function apply(real: Real, model: Model, command: Command): void {
  const before = real.sim.lastSeq;
  const result = real.sim.apply(command);
  real.trace.push({ command });
  if (result.ok) updateModel(model, command);
  else must(real.sim.lastSeq === before, `a failed command changed something: ${JSON.stringify(command)}`);
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
  const snapshot = current(real);
  const cp = snapshot.controlPlane;
  for (const az of model.down) {
    must(cp.azs.find((a) => a.id === az)?.health === 'down', `${az} should be down`);
    const serving = cp.apiServers.filter((a) => a.az === az && (a.state === 'healthy' || a.state === 'degraded'));
    must(serving.length === 0, `an API server serves in the down ${az}: ${serving.map((a) => a.id).join(', ')}`);
    for (const m of cp.etcd.filter((e) => e.az === az)) {
      must(m.role === 'down' || m.role === 'removed', `etcd member ${m.id} in the down ${az} is ${m.role}`);
    }
    // Health checks need 3 × 10 s to take the node out of DNS.
    if (waitedMs >= 30_000) must(cp.nlbs.find((n) => n.az === az)?.inDns === false, `${az}'s NLB node is still in DNS`);
  }
  for (const az of model.failedNlb)
    must(cp.nlbs.find((n) => n.az === az)?.inDns === false, `failed NLB node of ${az} in DNS`);
  // Replacements go through learners: never more than three voters, and exactly three unless
  // a quorum lost with its AZs had to be rebuilt from the survivors.
  const voters = cp.etcd.filter((m) => m.voter).length;
  const rebuilt = real.rebuilt;
  must(rebuilt ? voters <= 3 : voters === 3, `${voters} etcd voters${rebuilt ? ' after a rebuild' : ''}`);
  const connected = AZS.filter((az) => !model.down.has(az) && !model.partitioned.has(az));
  must(
    cp.recovery.azsUpAndConnected === connected.length,
    `${cp.recovery.azsUpAndConnected} AZs up and connected, expected ${connected.length}`,
  );
}

/** Picks an id that exists now (by index modulo), so that most commands act on something. */
function pick(real: Real, kind: 'apiServers' | 'etcd', index: number): string {
  const list = current(real).controlPlane[kind];
  return list.length === 0 ? `${kind}-none` : (list[index % list.length]?.id as string);
}

function pickLeader(real: Real): string {
  const cp = current(real).controlPlane;
  return cp.etcdCluster.leader ?? cp.etcd[0]?.id ?? 'etcd-none';
}

/** One step of a schedule: one or more commands a few seconds apart, then a wait. */
interface Burst {
  readonly make: (real: Real) => Command;
  /** Wait after this command before the next one of the burst. */
  readonly gapMs: number;
}

class Act implements fc.Command<Model, Real> {
  constructor(
    private readonly burst: readonly Burst[],
    private readonly waitMs: number,
    private readonly label: string,
  ) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    for (const step of this.burst) {
      const command = step.make(real);
      apply(real, model, command);
      violationsNow(real, JSON.stringify(command));
      modelHolds(model, real, 0);
      if (step.gapMs > 0) advance(real, step.gapMs, `${JSON.stringify(command)} + ${step.gapMs} ms`);
    }
    // A schedule spans a simulated week at most.
    const left = Math.max(0, real.sim.startMs + MAX_SCHEDULE_MS - real.sim.clock.now());
    const waitMs = Math.min(this.waitMs, left);
    advance(real, waitMs, `${this.label} + ${waitMs} ms`);
    modelHolds(model, real, waitMs);
  }
  toString(): string {
    return `${this.label} then ${formatWait(this.waitMs)}`;
  }
}

function formatWait(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

const single = (make: (real: Real) => Command, label: string) =>
  wait.map((w) => new Act([{ make, gapMs: 0 }], w, label));

/** Mostly seconds to an hour, sometimes hours: 30 steps reach about a week at most. */
const wait = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 5_000, max: 60_000 }) },
  { weight: 4, arbitrary: fc.integer({ min: 60_000, max: 60 * 60_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 60 * 60_000, max: MAX_WAIT_MS }) },
);
/** A gap inside a burst: the next fault lands during the election or recovery the last one started. */
const gap = fc.integer({ min: 0, max: 30_000 });
const az = fc.constantFrom(...AZS);
const index = fc.nat(9);
/** Two different AZs. */
const twoAzs = fc.tuple(az, fc.nat(1)).map(([a, k]) => {
  const others = AZS.filter((x) => x !== a);
  return [a, others[k] as string] as const;
});

const spike = fc
  .tuple(fc.integer({ min: 2, max: 15 }), fc.integer({ min: 1, max: 40 }), wait)
  .map(
    ([factor, minutes, w]) =>
      new Act(
        [{ make: () => ({ type: 'load.spike', factor, duration: `${minutes}m` }), gapMs: 0 }],
        w,
        `spike ×${factor} ${minutes}m`,
      ),
  );

const commandArbs: fc.Arbitrary<fc.Command<Model, Real>>[] = [
  fc
    .tuple(fc.double({ min: 0, max: 4000, noNaN: true }), fc.constantFrom('flat', 'diurnal', 'classroom'))
    .chain(([rps, profile]) =>
      single(() => ({ type: 'load.set', rps, profile }), `load.set ${Math.round(rps)} ${profile}`),
    ),
  // Load spikes throughout: weighted up so most schedules carry one.
  spike,
  spike,
  index.chain((i) =>
    single((r) => ({ type: 'fault.apiserver', id: pick(r, 'apiServers', i) }), `fault.apiserver #${i}`),
  ),
  index.chain((i) =>
    single((r) => ({ type: 'recover.apiserver', id: pick(r, 'apiServers', i) }), `recover.apiserver #${i}`),
  ),
  index.chain((i) => single((r) => ({ type: 'fault.etcd', id: pick(r, 'etcd', i) }), `fault.etcd #${i}`)),
  index.chain((i) => single((r) => ({ type: 'recover.etcd', id: pick(r, 'etcd', i) }), `recover.etcd #${i}`)),
  az.chain((a) => single(() => ({ type: 'fault.nlb', az: a }), `fault.nlb ${a}`)),
  az.chain((a) => single(() => ({ type: 'recover.nlb', az: a }), `recover.nlb ${a}`)),
  fc
    .tuple(az, fc.boolean())
    .chain(([a, impaired]) =>
      single(() => ({ type: 'fault.az', az: a, impaired }), `fault.az ${a}${impaired ? ' impaired' : ''}`),
    ),
  az.chain((a) => single(() => ({ type: 'recover.az', az: a }), `recover.az ${a}`)),
  az.chain((a) => single(() => ({ type: 'partition.az', az: a }), `partition.az ${a}`)),
  az.chain((a) => single(() => ({ type: 'heal.az', az: a }), `heal.az ${a}`)),
  // Compound: an AZ lost, another cut off, and an instance fault, seconds apart.
  fc.tuple(twoAzs, index, fc.boolean(), gap, gap, wait).map(
    ([[lost, cut], i, apiServer, g1, g2, w]) =>
      new Act(
        [
          { make: () => ({ type: 'fault.az', az: lost }), gapMs: g1 },
          { make: () => ({ type: 'partition.az', az: cut }), gapMs: g2 },
          {
            make: (r) =>
              apiServer
                ? { type: 'fault.apiserver', id: pick(r, 'apiServers', i) }
                : { type: 'fault.etcd', id: pick(r, 'etcd', i) },
            gapMs: 0,
          },
        ],
        w,
        `fault.az ${lost} +${g1} ms partition.az ${cut} +${g2} ms fault.${apiServer ? 'apiserver' : 'etcd'} #${i}`,
      ),
  ),
  // A fault during recovery: an AZ comes back and something else breaks while it rejoins.
  fc.tuple(twoAzs, index, gap, wait).map(
    ([[back, other], i, g, w]) =>
      new Act(
        [
          { make: () => ({ type: 'recover.az', az: back }), gapMs: g },
          {
            make: (r) =>
              i % 2 === 0 ? { type: 'fault.etcd', id: pick(r, 'etcd', i) } : { type: 'partition.az', az: other },
            gapMs: 0,
          },
        ],
        w,
        `recover.az ${back} +${g} ms ${i % 2 === 0 ? `fault.etcd #${i}` : `partition.az ${other}`}`,
      ),
  ),
  // A fault during disaster recovery: two AZs lost, then a third fault as the rebuild is due
  // (the rebuild waits 10 min with quorum lost).
  fc
    .tuple(
      twoAzs,
      fc.integer({ min: 9 * 60_000, max: 11 * 60_000 }),
      fc.constantFrom('fault.etcd', 'partition.az', 'recover.az', 'fault.nlb'),
      index,
      wait,
    )
    .map(
      ([[a, b], due, kind, i, w]) =>
        new Act(
          [
            { make: () => ({ type: 'fault.az', az: a }), gapMs: 0 },
            { make: () => ({ type: 'fault.az', az: b }), gapMs: due },
            {
              make: (r) => {
                const third = AZS.find((x) => x !== a && x !== b) as string;
                if (kind === 'fault.etcd') return { type: 'fault.etcd', id: pick(r, 'etcd', i) };
                if (kind === 'recover.az') return { type: 'recover.az', az: i % 2 === 0 ? a : b };
                return { type: kind, az: third };
              },
              gapMs: 0,
            },
          ],
          w,
          `fault.az ${a} fault.az ${b} +${due} ms ${kind}`,
        ),
    ),
  // An NLB fault during an election: the leader crashes and an NLB node fails within seconds.
  fc.tuple(az, fc.integer({ min: 0, max: 3_000 }), wait).map(
    ([a, g, w]) =>
      new Act(
        [
          { make: (r) => ({ type: 'fault.etcd', id: pickLeader(r) }), gapMs: g },
          { make: () => ({ type: 'fault.nlb', az: a }), gapMs: 0 },
        ],
        w,
        `fault.etcd leader +${g} ms fault.nlb ${a}`,
      ),
  ),
];

/** Runs one schedule; throws a PropertyFailure naming the first broken rule. */
function runSchedule(scenario: Scenario, seed: number, cmds: Iterable<fc.Command<Model, Real>>, canary: boolean): void {
  const sim = createSimulation(scenario, { seed });
  const history = sim.domains.controlPlane.recordClientHistory();
  const real: Real = {
    sim,
    canary,
    trace: [],
    raft: new RaftHistoryChecker(),
    seenSeq: 0,
    rebuilt: false,
    last: undefined,
  };
  try {
    checkSchedule(scenario, seed, cmds, real, history);
  } catch (error) {
    // CP_PROPERTY_TRACE=1 with a replay: the exact commands and waits, to study the failure.
    if (error instanceof Error && process.env.CP_PROPERTY_TRACE)
      error.message += `\ntrace: ${JSON.stringify(real.trace)}`;
    throw error;
  }
}

function checkSchedule(
  scenario: Scenario,
  seed: number,
  cmds: Iterable<fc.Command<Model, Real>>,
  real: Real,
  history: ReturnType<Simulation['domains']['controlPlane']['recordClientHistory']>,
): void {
  fc.modelRun(
    () => ({ model: { down: new Set<string>(), partitioned: new Set<string>(), failedNlb: new Set<string>() }, real }),
    cmds,
  );
  // Let everything settle: the minimums hold again once every AZ is back.
  const model: Model = { down: new Set(), partitioned: new Set(), failedNlb: new Set() };
  for (const a of AZS) {
    for (const type of ['recover.az', 'heal.az', 'recover.nlb']) {
      real.sim.apply({ type, az: a });
      real.trace.push({ command: { type, az: a } });
    }
  }
  advance(real, SETTLE_MS, 'recovery of every AZ');
  modelHolds(model, real, SETTLE_MS);
  let cp = real.sim.snapshot().controlPlane;
  if (!cp.etcd.some((m) => m.role === 'leader')) {
    // A planned replacement may have just removed the leader (the ASG's scale-in after a spike):
    // the next one must be elected within the election bound, as the invariants promise.
    advance(real, cp.etcdCluster.electionBoundMs, 'the election after recovery');
    cp = real.sim.snapshot().controlPlane;
  }
  const leaders = cp.etcd.filter((m) => m.role === 'leader');
  must(leaders.length === 1, `after recovery ${leaders.length} etcd leaders (${leaders.map((m) => m.id).join(', ')})`);
  const inSync = cp.etcd.filter((m) => m.voter && (m.role === 'leader' || m.role === 'follower'));
  must(inSync.length === 3, `after recovery ${inSync.length} etcd voters in sync`);
  const serving = cp.apiServers.filter((a) => a.state === 'healthy' || a.state === 'degraded');
  must(serving.length >= 2, `after recovery ${serving.length} API servers serve`);
  const linearizability = checkLinearizable(history.view(), real.sim.clock.now());
  must(linearizability.length === 0, linearizability.map((v) => `${v.invariant}: ${v.message}`).join('; '));
  const again = replay(scenario, seed, real.trace);
  must(
    JSON.stringify(again.events()) === JSON.stringify(real.sim.events()),
    'a replay of the same commands gave a different event log',
  );
}

function replay(scenario: Scenario, seed: number, trace: readonly TraceStep[]): Simulation {
  const sim = createSimulation(scenario, { seed });
  sim.domains.controlPlane.recordClientHistory();
  for (const step of trace) {
    if ('command' in step) sim.apply(step.command);
    else sim.advance(step.advanceMs);
  }
  return sim;
}

/** The property over one scenario: a simulation seed and a schedule of up to 30 steps. */
export function controlPlaneProperty(scenarioName: string, opts: PropertyOptions = {}) {
  const entry = PROPERTY_SCENARIOS[scenarioName];
  if (!entry)
    throw new RangeError(
      `no property scenario "${scenarioName}" (known: ${Object.keys(PROPERTY_SCENARIOS).join(', ')})`,
    );
  const canary = opts.canary ?? process.env.CP_PROPERTY_CANARY === '1';
  return fc.property(
    fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    // fast-check replays a shrunk schedule from its seed and path plus this commands path.
    fc.commands(commandArbs, {
      maxCommands: MAX_COMMANDS,
      ...(opts.replayPath ? { replayPath: opts.replayPath } : {}),
    }),
    (seed, cmds) => runSchedule(entry.scenario, seed, cmds, canary),
  );
}

/** The command that replays a failure found with fast-check's `seed` and `path`. */
export function replayCommand(scenarioName: string, seed: number, path: string, replayPath: string): string {
  const commands = replayPath ? ` CP_PROPERTY_REPLAY='${replayPath}'` : '';
  return `CP_PROPERTY_SEED=${seed} CP_PROPERTY_PATH=${path}${commands} npx vitest run test/property/control-plane.test.ts -t ${scenarioName}`;
}

export interface PropertyViolation {
  readonly scenario: string;
  /** fast-check's seed of the batch the failure was found in. */
  readonly seed: number;
  readonly path: string;
  /** The shrunk schedule: simulation seed and steps. */
  readonly counterexample: string;
  readonly error: string;
  readonly replay: string;
}

export interface BatchResult {
  readonly scenario: string;
  /** Schedules run (the failing one included; shrinking not counted). */
  readonly runs: number;
  readonly violation: PropertyViolation | null;
}

/** The violation fast-check found (`details` of `fc.check` over `controlPlaneProperty`), if any. */
export function violationOf<Ts>(scenarioName: string, details: fc.RunDetails<Ts>): PropertyViolation | null {
  if (!details.failed) return null;
  const path = details.counterexamplePath ?? '';
  const counterexample = fc.stringify(details.counterexample);
  const replayPath = /replayPath="([^"]*)"/.exec(counterexample)?.[1] ?? '';
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  return {
    scenario: scenarioName,
    seed: details.seed,
    path,
    counterexample,
    error,
    replay: replayCommand(scenarioName, details.seed, path, replayPath),
  };
}

/** A violation as the campaign and the vitest property test print it. */
export function formatViolation(v: PropertyViolation): string {
  return [
    `${v.scenario}, seed ${v.seed}, path ${v.path}`,
    `  ${v.error}`,
    `  shrunk schedule: ${v.counterexample}`,
    `  replay: ${v.replay}`,
  ].join('\n');
}

/** Runs `runs` schedules of one scenario from fast-check seed `seed`; stops at the first failure, shrunk. */
export function runBatch(scenarioName: string, seed: number, runs: number): BatchResult {
  const details = fc.check(controlPlaneProperty(scenarioName), { seed, numRuns: runs });
  return { scenario: scenarioName, runs: details.numRuns, violation: violationOf(scenarioName, details) };
}
