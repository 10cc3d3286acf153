import { AddonsDomain, type AddonsSnapshotPart } from './addons/addons-domain';
import type { KubeModel } from './answers/index';
import { ClusterDomain } from './cluster/cluster-domain';
import type { ClusterSnapshotPart } from './cluster/types';
import { ControlPlaneDomain, type ControlPlaneSnapshotPart } from './control-plane/control-plane-domain';
import { CostDomain, type CostSnapshotPart } from './cost/cost-domain';
import { EndpointDomain, type EndpointSnapshotPart } from './endpoint/endpoint-domain';
import type { VirtualClock } from './engine/clock';
import type { Command, CommandResult, CommandSpec } from './engine/command-spec';
import { CommandDispatcher } from './engine/dispatcher';
import type { Domain } from './engine/domain';
import { isoTime, parseDate, parseDuration } from './engine/duration';
import { Engine, type EngineSave } from './engine/engine';
import type { SimEvent } from './engine/event-log';
import { SaveError } from './engine/save-error';
import { expectNumber, expectObject, readEngineSave, SAVE_FORMAT, SAVE_VERSION } from './engine/save-format';
import type { Json } from './engine/timers';
import type { Scenario } from './input/scenario';
import { NetworkDomain, type NetworkSnapshotPart } from './network/network-domain';
import { NodegroupsDomain } from './nodegroups/nodegroups-domain';
import type { NodegroupsSnapshotPart } from './nodegroups/types';
import { ProvisioningDomain, type ProvisioningSnapshotPart } from './provisioning/provisioning-domain';
import { ShellDomain, type ShellSnapshotPart } from './shell/shell-domain';
import type { ExecOptions, ExecResult } from './shell/types';
import { VersionsDomain, type VersionsSnapshotPart } from './versions/versions-domain';
import { WorkloadsDomain, type WorkloadsSnapshotPart } from './workloads/workloads-domain';

/** Every domain of the model, by name; constructed in this order, started in this order. */
export interface Domains {
  readonly network: NetworkDomain;
  readonly cluster: ClusterDomain;
  readonly nodegroups: NodegroupsDomain;
  readonly controlPlane: ControlPlaneDomain;
  readonly endpoint: EndpointDomain;
  readonly versions: VersionsDomain;
  readonly addons: AddonsDomain;
  readonly cost: CostDomain;
  readonly provisioning: ProvisioningDomain;
  readonly workloads: WorkloadsDomain;
  readonly shell: ShellDomain;
}

/** How long before the start a scenario's pre-built cluster was created (eksctl's run, cluster stack first). */
const PREBUILT_CLUSTER_AGE_MS = 15 * 60_000;

/** How many of the newest events a snapshot carries. */
export const SNAPSHOT_EVENT_TAIL = 50;

export interface SnapshotBase {
  readonly scenario: { readonly name: string; readonly title: string };
  readonly seed: number;
  readonly clock: { readonly nowMs: number; readonly iso: string; readonly startMs: number };
  /** Sequence number of the newest event. */
  readonly lastSeq: number;
  readonly recentEvents: readonly SimEvent[];
}

/** The whole world as plain JSON (docs/architecture.md): what the server streams and the viz draws. */
export type Snapshot = SnapshotBase &
  ClusterSnapshotPart &
  NetworkSnapshotPart &
  NodegroupsSnapshotPart &
  ControlPlaneSnapshotPart &
  EndpointSnapshotPart &
  VersionsSnapshotPart &
  AddonsSnapshotPart &
  CostSnapshotPart &
  ProvisioningSnapshotPart &
  WorkloadsSnapshotPart &
  ShellSnapshotPart;

export interface SimulationOptions {
  /** Root seed of every random stream; defaults to the scenario's seed, then 1. */
  readonly seed?: number;
}

/** What `sim.save()` returns: plain JSON that `restoreSimulation` turns back into a running simulation. */
export interface SavedSimulation {
  readonly format: typeof SAVE_FORMAT;
  readonly version: typeof SAVE_VERSION;
  readonly scenario: Scenario;
  readonly seed: number;
  readonly engine: EngineSave;
  /** Each domain's `save()`, by its name in `Domains`. */
  readonly domains: Readonly<Record<string, unknown>>;
}

const jsonCopy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The named timer of a scenario's timeline and of `schedule`: the command is its payload. */
const SCHEDULED_COMMAND = 'simulation.command';

export class Simulation {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly clock: VirtualClock;
  readonly domains: Domains;
  readonly startMs: number;
  private readonly engine: Engine;
  private readonly dispatcher: CommandDispatcher;

  /** `restoring` is for `restoreSimulation` only: the domains take back the saved state instead of starting. */
  constructor(scenario: Scenario, opts: SimulationOptions = {}, restoring?: SavedSimulation) {
    this.scenario = scenario;
    this.seed = (opts.seed ?? scenario.seed ?? 1) >>> 0;
    const startMs = parseDate(scenario.start);
    if (startMs === undefined) throw new RangeError(`scenario ${scenario.name}: bad start date "${scenario.start}"`);
    this.startMs = startMs;
    this.engine = new Engine(this.seed, restoring ? restoring.engine.nowMs : startMs);
    this.clock = this.engine.clock;
    const domains = {} as { -readonly [K in keyof Domains]: Domains[K] };
    this.dispatcher = new CommandDispatcher((type, source, message, data) =>
      this.engine.emit(type, source, message, data),
    );
    const ctx = this.engine.context((command, source) => this.dispatcher.apply(command, source));
    ctx.timers.on<{ command: Command }>(SCHEDULED_COMMAND, ({ command }) => this.applyScheduled(command));
    // Each domain gets its ports: the members of the others its constructor's type names, and
    // no more. They are read at call time, so a domain may name one built after it.
    domains.network = new NetworkDomain(ctx, domains, scenario);
    domains.cluster = new ClusterDomain(ctx, domains, scenario.region);
    domains.nodegroups = new NodegroupsDomain(ctx, domains, scenario);
    domains.controlPlane = new ControlPlaneDomain(ctx, domains, scenario);
    domains.endpoint = new EndpointDomain(ctx, domains);
    domains.versions = new VersionsDomain(ctx, domains);
    domains.addons = new AddonsDomain(ctx, domains);
    domains.cost = new CostDomain(ctx, domains);
    domains.provisioning = new ProvisioningDomain(ctx, domains);
    domains.workloads = new WorkloadsDomain(ctx, domains);
    domains.shell = new ShellDomain(ctx, domains, scenario);
    this.domains = domains;

    for (const domain of this.allDomains()) this.dispatcher.register(domain.commands);
    if (restoring) {
      this.restore(restoring);
      return;
    }
    for (const domain of this.allDomains()) domain.start?.();

    const c = scenario.cluster;
    if (c.existsAtStart !== false) {
      domains.cluster.create({
        name: c.name,
        version: c.version,
        endpointPublicAccess: c.endpointPublicAccess,
        endpointPrivateAccess: c.endpointPrivateAccess,
        publicAccessCidrs: c.publicAccessCidrs,
        supportType: c.supportType,
        alreadyActive: true,
        // eksctl built it before the scenario starts: its 10-15 minutes (docs/lessons/seed-week1.md).
        createdAtMs: startMs - PREBUILT_CLUSTER_AGE_MS,
      });
      domains.provisioning.adoptExistingCluster(scenario);
    }
    for (const entry of scenario.timeline ?? []) {
      const at = parseDuration(entry.at);
      const atMs = at !== undefined ? startMs + at : parseDate(entry.at);
      if (atMs === undefined) throw new RangeError(`scenario ${scenario.name}: bad timeline time "${entry.at}"`);
      this.schedule(atMs, entry.command);
    }
  }

  private allDomains(): Domain[] {
    return Object.values(this.domains) as Domain[];
  }

  private domainEntries(): [string, Domain][] {
    return Object.entries(this.domains) as [string, Domain][];
  }

  /**
   * The whole simulation as plain JSON (docs/architecture.md, "Save and restore"). Throws a
   * `SaveError` naming what cannot be saved yet (a domain without `save`, a closure timer).
   */
  save(): SavedSimulation {
    const unsaveable = this.domainEntries().filter(([, d]) => !d.save || !d.restore);
    if (unsaveable.length > 0) {
      const names = unsaveable.map(([name]) => name);
      throw new SaveError(`${names.length > 1 ? 'domains' : 'domain'} ${names.join(', ')} cannot be saved yet`);
    }
    const domains: Record<string, unknown> = {};
    for (const [name, domain] of this.domainEntries()) domains[name] = domain.save?.();
    // A copy through JSON: plain data the caller may keep or change without touching this simulation.
    return jsonCopy({
      format: SAVE_FORMAT,
      version: SAVE_VERSION,
      scenario: this.scenario,
      seed: this.seed,
      engine: this.engine.save(),
      domains,
    });
  }

  private restore(saved: SavedSimulation): void {
    this.engine.beginRestore(saved.engine);
    for (const [name, domain] of this.domainEntries()) {
      if (!domain.restore) throw new SaveError(`domain ${name} cannot be restored yet`);
      if (!(name in saved.domains)) throw new SaveError(`the save has no state for domain ${name}`);
      domain.restore(saved.domains[name]);
    }
    this.engine.endRestore(saved.engine);
  }

  /** Every command this simulation understands, for help texts and JSON schemas. */
  get commands(): readonly CommandSpec[] {
    return this.dispatcher.specs;
  }

  now(): number {
    return this.clock.now();
  }

  /** Applies a command now (sent by `source`: a user, or the shell). Bad input gets an error result and changes nothing. */
  apply(command: Command, source = 'user'): CommandResult {
    return this.dispatcher.apply(command, source);
  }

  /** Applies `command` at simulated time `atMs` (now if in the past). Rejections are logged. */
  schedule(atMs: number, command: Command): void {
    this.engine.timers.at(atMs, SCHEDULED_COMMAND, { command: command as Json });
  }

  private applyScheduled(command: Command): void {
    const result = this.apply(command);
    if (!result.ok) {
      this.engine.emit('command.rejected', 'user', `Rejected ${String(command.type)}: ${result.error}`, {
        command: { ...command },
        code: result.code,
        error: result.error,
      });
    }
  }

  /** Lets `ms` of simulated time pass, running every event due. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance needs a finite ms ≥ 0 (got ${ms})`);
    this.clock.runUntil(this.clock.now() + ms);
  }

  /** Lets time pass up to the absolute epoch ms `atMs`. */
  advanceTo(atMs: number): void {
    this.advance(Math.max(0, atMs - this.clock.now()));
  }

  events(sinceSeq = 0): SimEvent[] {
    return this.engine.log.since(sinceSeq);
  }

  get lastSeq(): number {
    return this.engine.log.lastSeq;
  }

  /** What the Kubernetes answers read (`kubernetesRequest`): the domains, the clock and the log. */
  kubeModel(): KubeModel {
    return { ...this.domains, clock: this.clock, log: this.engine.log };
  }

  /** Runs one line of the simulated shell from a vantage host (docs/shell.md). */
  exec(line: string, opts: ExecOptions = {}): ExecResult {
    return this.domains.shell.exec(line, opts);
  }

  snapshot(): Snapshot {
    const parts = this.allDomains().map((d) => d.snapshot());
    const base: SnapshotBase = {
      scenario: { name: this.scenario.name, title: this.scenario.title },
      seed: this.seed,
      clock: { nowMs: this.clock.now(), iso: isoTime(this.clock.now()), startMs: this.startMs },
      lastSeq: this.engine.log.lastSeq,
      recentEvents: this.engine.log.tail(SNAPSHOT_EVENT_TAIL),
    };
    return Object.assign(base, ...parts) as Snapshot;
  }
}

/**
 * A simulation from `sim.save()`'s output (or its JSON text) that continues exactly as the saved
 * one would. Bad input throws a `SaveError` naming what is wrong; no simulation is returned.
 */
export function restoreSimulation(saved: unknown): Simulation {
  let value = saved;
  if (typeof saved === 'string') {
    try {
      value = JSON.parse(saved);
    } catch (error) {
      throw new SaveError(`a saved simulation must be JSON: ${(error as Error).message}`);
    }
  }
  const top = expectObject(value, 'a saved simulation');
  if (top.format !== SAVE_FORMAT) {
    throw new SaveError(`not an eks-sim save: format must be "${SAVE_FORMAT}" (got ${JSON.stringify(top.format)})`);
  }
  if (top.version !== SAVE_VERSION) {
    throw new SaveError(
      `save format version ${JSON.stringify(top.version)} is not supported (this simulator reads version ${SAVE_VERSION})`,
    );
  }
  const scenario = expectObject(top.scenario, 'scenario') as unknown as Scenario;
  const seed = expectNumber(top.seed, 'seed');
  const engine = readEngineSave(top.engine);
  const domains = expectObject(top.domains, 'domains');
  // The save is copied so the restored simulation shares no object with the caller's.
  const copy = jsonCopy({ ...top, scenario, seed, engine, domains }) as unknown as SavedSimulation;
  try {
    return new Simulation(copy.scenario, { seed: copy.seed }, copy);
  } catch (error) {
    if (error instanceof SaveError) throw error;
    throw new SaveError(`the save could not be restored: ${(error as Error).message}`);
  }
}
