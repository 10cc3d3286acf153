import { ClusterDomain } from './cluster/cluster-domain';
import type { ClusterSnapshotPart } from './cluster/types';
import { ControlPlaneDomain, type ControlPlaneSnapshotPart } from './control-plane/control-plane-domain';
import { CostDomain, type CostSnapshotPart } from './cost/cost-domain';
import { EndpointDomain, type EndpointSnapshotPart } from './endpoint/endpoint-domain';
import { VirtualClock } from './engine/clock';
import type { Command, CommandResult, CommandSpec } from './engine/command-spec';
import { CommandDispatcher } from './engine/dispatcher';
import type { Domain, SimContext } from './engine/domain';
import { isoTime, parseDate, parseDuration } from './engine/duration';
import { EventLog, type SimEvent } from './engine/event-log';
import { splitPrng } from './engine/prng';
import type { Scenario } from './input/scenario';
import { NetworkDomain, type NetworkSnapshotPart } from './network/network-domain';
import { NodegroupsDomain } from './nodegroups/nodegroups-domain';
import type { NodegroupsSnapshotPart } from './nodegroups/types';
import { ProvisioningDomain, type ProvisioningSnapshotPart } from './provisioning/provisioning-domain';
import { ShellDomain, type ShellSnapshotPart } from './shell/shell-domain';
import type { ExecOptions, ExecResult } from './shell/types';
import { VersionsDomain, type VersionsSnapshotPart } from './versions/versions-domain';

/** Every domain of the model, by name; constructed in this order, started in this order. */
export interface Domains {
  readonly network: NetworkDomain;
  readonly cluster: ClusterDomain;
  readonly nodegroups: NodegroupsDomain;
  readonly controlPlane: ControlPlaneDomain;
  readonly endpoint: EndpointDomain;
  readonly versions: VersionsDomain;
  readonly cost: CostDomain;
  readonly provisioning: ProvisioningDomain;
  readonly shell: ShellDomain;
}

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
  CostSnapshotPart &
  ProvisioningSnapshotPart &
  ShellSnapshotPart;

export interface SimulationOptions {
  /** Root seed of every random stream; defaults to the scenario's seed, then 1. */
  readonly seed?: number;
}

export class Simulation {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly clock: VirtualClock;
  readonly domains: Domains;
  readonly startMs: number;
  private readonly log = new EventLog();
  private readonly dispatcher: CommandDispatcher;

  constructor(scenario: Scenario, opts: SimulationOptions = {}) {
    this.scenario = scenario;
    this.seed = (opts.seed ?? scenario.seed ?? 1) >>> 0;
    const startMs = parseDate(scenario.start);
    if (startMs === undefined) throw new RangeError(`scenario ${scenario.name}: bad start date "${scenario.start}"`);
    this.startMs = startMs;
    this.clock = new VirtualClock(startMs);
    const domains = {} as { -readonly [K in keyof Domains]: Domains[K] };
    const emit = (type: string, source: string, message: string, data?: Record<string, unknown>) =>
      this.log.append(
        data
          ? { atMs: this.clock.now(), type, source, message, data }
          : { atMs: this.clock.now(), type, source, message },
      );
    this.dispatcher = new CommandDispatcher(emit);
    const ctx: SimContext = {
      clock: this.clock,
      seed: this.seed,
      rng: (component) => splitPrng(this.seed, component),
      emit,
      apply: (command, source) => this.dispatcher.apply(command, source),
    };
    // Each domain gets its ports: the members of the others its constructor's type names, and
    // no more. They are read at call time, so a domain may name one built after it.
    domains.network = new NetworkDomain(ctx, domains, scenario);
    domains.cluster = new ClusterDomain(ctx, domains, scenario.region);
    domains.nodegroups = new NodegroupsDomain(ctx, domains, scenario);
    domains.controlPlane = new ControlPlaneDomain(ctx, domains, scenario);
    domains.endpoint = new EndpointDomain(ctx, domains);
    domains.versions = new VersionsDomain(ctx, domains);
    domains.cost = new CostDomain(ctx, domains);
    domains.provisioning = new ProvisioningDomain(ctx, domains);
    domains.shell = new ShellDomain(ctx, domains, scenario);
    this.domains = domains;

    for (const domain of this.allDomains()) this.dispatcher.register(domain.commands);
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
    this.clock.at(atMs, () => {
      const result = this.apply(command);
      if (!result.ok) {
        this.log.append({
          atMs: this.clock.now(),
          type: 'command.rejected',
          source: 'user',
          message: `Rejected ${String(command.type)}: ${result.error}`,
          data: { command: { ...command }, code: result.code, error: result.error },
        });
      }
    });
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
    return this.log.since(sinceSeq);
  }

  get lastSeq(): number {
    return this.log.lastSeq;
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
      lastSeq: this.log.lastSeq,
      recentEvents: this.log.tail(SNAPSHOT_EVENT_TAIL),
    };
    return Object.assign(base, ...parts) as Snapshot;
  }
}
