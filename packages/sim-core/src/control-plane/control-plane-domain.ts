/**
 * The managed control plane (docs/control-plane.md; Amazon EKS User Guide, "Amazon EKS
 * architecture"; AWS EKS Best Practices, "EKS Control Plane"): three AZs in an AWS-managed
 * VPC, API servers and etcd members in Auto Scaling groups, one NLB node per AZ, the
 * control-plane autoscaler, and the load that drives them. It exists only while a cluster
 * exists.
 *
 * The parts, one concern per file: `api-servers.ts` (instances, their ASG and rolling
 * replacements), `nlb-nodes.ts`, `etcd-operations.ts` (members' instances around `../etcd`),
 * `autoscaler.ts`, `load-tick.ts` and `load-flow.ts` (the load and its series), `faults.ts`
 * (fault and recovery commands); they share `control-plane-state.ts`.
 *
 * Speed: the load is computed arithmetically on a tick (15 s while anything changes, up to
 * six hours while all is calm); xstate machines change state only on real state changes, and
 * only those reach the event log.
 */
import type { Actor } from 'xstate';
import type { CommandResult, CommandSpec } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import type { ClientHistory } from '../etcd/client-history';
import type { EtcdMember } from '../etcd/etcd-cluster';
import type { Scenario } from '../input/scenario';
import { checkLoadScenario } from '../load/model';
import { ApiServerFleet, type SavedApiServer } from './api-servers';
import { asgMachine } from './asg-machine';
import { ControlPlaneAutoscaler } from './autoscaler';
import { azMachine } from './az-machine';
import { controlPlaneCommandSpecs } from './control-plane-commands';
import { AzRecord, type EtcdInstanceFault, type Operation, SERVING_API } from './control-plane-records';
import { buildControlPlaneSnapshot } from './control-plane-snapshot';
import { ControlPlaneState } from './control-plane-state';
import { EtcdOperations, type SavedEtcdOperations } from './etcd-operations';
import { controlPlaneAzIds, customerAzName, MAX_API_SERVERS, MIN_API_SERVERS, MIN_ETCD_MEMBERS } from './facts';
import { ControlPlaneFaults } from './faults';
import { LoadFlow, type SavedLoadFlow } from './load-flow';
import { LoadTick, type SavedLoadTick } from './load-tick';
import { nlbInDns } from './nlb-node-machine';
import { NlbNodes, type SavedNlbNode } from './nlb-nodes';
import type { ControlPlanePorts } from './ports';
import type { ControlPlaneSnapshotPart, DecisionRecord } from './types';

export type { ControlPlaneSnapshotPart } from './types';

/** The control plane's part of a save (its actors are in the registry under `az/`, `apiserver/`, `nlb/`, `asg/`, `autoscaler/`). */
export interface SavedControlPlane {
  readonly exists: boolean;
  readonly apiServerSize: string;
  readonly etcdSize: string;
  readonly lastDisruptionMs: number | null;
  readonly groupsDirty: boolean;
  readonly hasAsgs: boolean;
  /** Operations in flight, without an etcd operation's instance actor (etcd-operations.ts restores it). */
  readonly operations: readonly Omit<Operation, 'instance'>[];
  readonly etcdFaults: readonly [string, EtcdInstanceFault][];
  readonly apiServers: { nextId: number; apiServers: readonly SavedApiServer[] };
  readonly nlbs: readonly SavedNlbNode[];
  readonly decisions: DecisionRecord[];
  readonly tick: SavedLoadTick;
  readonly flow: SavedLoadFlow;
  readonly etcd: SavedEtcdOperations;
}

const azKey = (id: string) => `az/${id}`;
const ASG_KEYS = { apiServers: 'asg/api-servers', etcd: 'asg/etcd' } as const;

export class ControlPlaneDomain implements Domain<ControlPlaneSnapshotPart, SavedControlPlane> {
  readonly commands: readonly CommandSpec[];
  private readonly cp: ControlPlaneState;
  private readonly nlbNodes: NlbNodes;
  private readonly apiServers: ApiServerFleet;
  private readonly etcdOps: EtcdOperations;
  private readonly autoscaler: ControlPlaneAutoscaler;
  private readonly flow: LoadFlow;
  private readonly tick: LoadTick;

  constructor(
    private readonly ctx: SimContext,
    private readonly ports: ControlPlanePorts,
    scenario: Scenario,
  ) {
    const azIds = controlPlaneAzIds(scenario.region);
    const cp = new ControlPlaneState(scenario.region, azIds);
    this.cp = cp;
    const rng = ctx.rng('control-plane');
    const loadProblem = checkLoadScenario(scenario.load);
    if (loadProblem) throw new RangeError(`scenario ${scenario.name}: ${loadProblem}`);
    this.etcdOps = new EtcdOperations(ctx as SimContext, cp, rng);
    this.nlbNodes = new NlbNodes(ctx as SimContext, cp);
    this.apiServers = new ApiServerFleet(ctx as SimContext, cp, rng, this.nlbNodes);
    this.autoscaler = new ControlPlaneAutoscaler(ctx as SimContext, cp, this.apiServers);
    this.flow = new LoadFlow(cp);
    this.tick = new LoadTick(ctx, ports.nodegroups, scenario, cp, this.flow, {
      afterLoad: (now) => this.afterLoad(now),
      settled: () => this.settled(),
    });
    const faults = new ControlPlaneFaults(ctx as SimContext, cp, this.apiServers, this.nlbNodes, this.etcdOps);
    this.commands = controlPlaneCommandSpecs(azIds, {
      handleLoadSet: (c) => this.tick.handleLoadSet(c),
      handleSpike: (c) => this.tick.handleSpike(c),
      faultApiServer: (id) => faults.faultApiServer(id),
      recoverApiServer: (id) => faults.recoverApiServer(id),
      faultEtcd: (id) => faults.faultEtcd(id),
      recoverEtcd: (id) => faults.recoverEtcd(id),
      faultNlb: (az) => faults.faultNlb(az),
      recoverNlb: (az) => faults.recoverNlb(az),
      faultAz: (az, impaired) => this.reachNodesOf(az, faults.faultAz(az, impaired)),
      recoverAz: (az) => this.reachNodesOf(az, faults.recoverAz(az)),
      partitionAz: (az, cut) => this.reachNodesOf(az, faults.partitionAz(az, cut)),
    });
  }

  /**
   * After an AZ command: the worker nodes in that AZ lose the API server while it is down or cut
   * off from the other two (their status updates cannot reach etcd's majority), and regain it
   * when it is up and whole again. An impaired AZ still serves its nodes.
   */
  private reachNodesOf(az: unknown, result: CommandResult): CommandResult {
    const record = this.cp.azs.get(String(az));
    if (!result.ok || !record) return result;
    const outage = record.health === 'down' ? 'down' : record.network === 'partitioned' ? 'partitioned' : null;
    this.ports.nodegroups.zoneReach(customerAzName(record.id, this.cp.region), outage);
    return result;
  }

  start(): void {
    this.listen();
    for (const id of this.cp.azIds) {
      const actor = this.ctx.actors.start(azKey(id), azMachine, { input: { id } }, (a) => this.wireAz(a));
      this.cp.azs.set(id, new AzRecord(id, actor));
    }
    this.autoscaler.start();
    this.tick.start();
  }

  private bootstrappedAtMs: number | undefined;

  private listen(): void {
    const cluster = this.ports.cluster;
    cluster.onCreated(() => {
      this.bootstrappedAtMs = this.ctx.clock.now();
      this.bootstrap();
    });
    // ACTIVE at the instant it was created: a cluster built before the scenario starts (whose
    // createdAt lies before the start) is ready at once. Not saved: that instant is the start.
    cluster.onActive(() => {
      if (this.bootstrappedAtMs === this.ctx.clock.now()) this.makeReadyNow();
    });
    cluster.onDeleted(() => this.teardown());
  }

  private wireAz(actor: Actor<typeof azMachine>): void {
    actor.on('*', (line) => this.ctx.emit(line.type, line.source, line.message, line.data));
  }

  /** The API servers' ASG decides each health-check round's steps; the fleet takes them. */
  private wireApiAsg(asg: Actor<typeof asgMachine>): void {
    asg.on('*', (step) => this.apiServers.takeStep(step));
  }

  save(): SavedControlPlane {
    const cp = this.cp;
    return {
      exists: cp.exists,
      apiServerSize: cp.apiServerSize,
      etcdSize: cp.etcdSize,
      lastDisruptionMs: cp.lastDisruptionMs,
      groupsDirty: cp.groupsDirty,
      hasAsgs: cp.apiAsg !== null,
      operations: cp.operations.map(({ instance: _, ...op }) => op),
      etcdFaults: [...cp.etcdFaults],
      apiServers: this.apiServers.save(),
      nlbs: this.nlbNodes.save(),
      decisions: this.autoscaler.save(),
      tick: this.tick.save(),
      flow: this.flow.save(),
      etcd: this.etcdOps.save(),
    };
  }

  restore(saved: SavedControlPlane): void {
    this.listen();
    const cp = this.cp;
    for (const id of cp.azIds) {
      cp.azs.set(
        id,
        new AzRecord(
          id,
          this.ctx.actors.revive(azKey(id), azMachine, (a) => this.wireAz(a)),
        ),
      );
    }
    cp.exists = saved.exists;
    cp.apiServerSize = saved.apiServerSize;
    cp.etcdSize = saved.etcdSize;
    cp.lastDisruptionMs = saved.lastDisruptionMs;
    cp.groupsDirty = saved.groupsDirty;
    if (saved.hasAsgs) {
      cp.apiAsg = this.ctx.actors.revive(ASG_KEYS.apiServers, asgMachine, (asg) => this.wireApiAsg(asg));
      cp.etcdAsg = this.ctx.actors.revive(ASG_KEYS.etcd, asgMachine);
    }
    cp.operations = saved.operations.map((op) => ({ ...op }));
    cp.etcdFaults.clear();
    for (const [id, fault] of saved.etcdFaults) cp.etcdFaults.set(id, fault);
    this.apiServers.restore(saved.apiServers);
    this.nlbNodes.restore(saved.nlbs);
    this.autoscaler.restore(saved.decisions);
    this.tick.restore(saved.tick);
    this.flow.restore(saved.flow);
    this.etcdOps.restore(saved.etcd);
  }

  // ── Contracts other domains call ─────────────────────────────────────────────────────────

  /** NLB nodes currently in the endpoint's public DNS answer (one per AZ with a healthy target). */
  nlbNodesInDns(): { id: string; az: string; ips: string[] }[] {
    return this.cp.nlbs.filter((n) => nlbInDns(n.state)).map((n) => ({ id: n.id, az: n.az, ips: [...n.ips] }));
  }

  /**
   * Whether the control plane can answer a request of this kind now (healthy API server; etcd
   * quorum for writes). The path to it (NLB nodes in DNS, or the EKS-owned ENIs) is the
   * endpoint domain's business: see `nlbNodesInDns`.
   */
  canServe(kind: 'read' | 'write'): boolean {
    for (const a of this.cp.apiServers) {
      if (!SERVING_API.has(a.state) || this.cp.azs.get(a.az)?.health === 'down') continue;
      if (kind === 'read' || this.cp.etcd.canCommitFrom(a.az)) return true;
    }
    return false;
  }

  /**
   * Starts recording the client history: from now on every load tick one API server sends a
   * keyed write or a linearizable read to etcd, and each is recorded with its outcome (the
   * property tests and `eks-sim campaign` check it for linearizability). Off by default: it
   * adds writes to etcd's log, so runs with and without it differ in their indexes.
   */
  recordClientHistory(): ClientHistory {
    return this.etcdOps.recordClientHistory();
  }

  // ── Lifecycle ────────────────────────────────────────────────────────────────────────────

  private bootstrap(): void {
    const cp = this.cp;
    if (cp.exists) return;
    cp.exists = true;
    cp.apiAsg = this.ctx.actors.start(
      ASG_KEYS.apiServers,
      asgMachine,
      { input: { min: MIN_API_SERVERS, desired: MIN_API_SERVERS, max: MAX_API_SERVERS } },
      (asg) => this.wireApiAsg(asg),
    );
    cp.etcdAsg = this.ctx.actors.start(ASG_KEYS.etcd, asgMachine, {
      input: { min: MIN_ETCD_MEMBERS, desired: MIN_ETCD_MEMBERS, max: MIN_ETCD_MEMBERS + 1 },
    });
    this.nlbNodes.create();
    // Two API servers in two distinct AZs (AWS EKS Best Practices): the first two, so that a
    // lesson can say which NLB node is out of DNS (the third AZ's, docs/lessons/seed-week1.md).
    this.apiServers.launch(cp.azIds[0] as string);
    this.apiServers.launch(cp.azIds[1] as string);
    // One etcd member per AZ; a new cluster's members start together and elect a leader.
    this.etcdOps.bootstrap();
    this.ctx.emit(
      'controlplane.provisioning',
      `controlplane/${cp.region}`,
      `Control plane provisioning over ${cp.azIds.join(', ')}: 2 API servers, 3 etcd members, one NLB node per AZ`,
      { azs: [...cp.azIds] },
    );
  }

  /** A scenario that starts with the cluster built: everything is up at t0. */
  private makeReadyNow(): void {
    this.etcdOps.readyNow();
    // Health checks passed long ago for a control plane that already runs.
    this.nlbNodes.readyNow();
    for (const a of this.cp.apiServers) {
      if (a.state === 'launching' || a.state === 'initializing') a.actor.send({ type: 'READY_NOW' });
    }
  }

  private teardown(): void {
    const cp = this.cp;
    this.apiServers.stopAll();
    this.nlbNodes.stopAll();
    this.etcdOps.teardown();
    cp.apiServers = [];
    cp.operations = [];
    cp.etcdFaults.clear();
    this.ctx.actors.stop(ASG_KEYS.apiServers);
    this.ctx.actors.stop(ASG_KEYS.etcd);
    cp.apiAsg = null;
    cp.etcdAsg = null;
    cp.exists = false;
    this.ctx.emit('controlplane.deleted', `controlplane/${cp.region}`, 'Control plane instances terminated');
  }

  // ── What each tick does after the load ───────────────────────────────────────────────────

  private afterLoad(now: number): void {
    this.etcdOps.sendClientOperation(now);
    if (!this.cp.exists) return;
    this.autoscaler.evaluate(now);
    if (this.groupsNeedWork()) this.reconcileGroups(now);
  }

  /** The ASGs' work: replace what failed, converge on the desired counts, move operations on. */
  private reconcileGroups(now: number): void {
    const cp = this.cp;
    cp.groupsDirty = false;
    if (!cp.exists || !cp.apiAsg) return;
    this.apiServers.reconcile();
    this.etcdOps.reconcile(now);
    cp.finishGroupChange('apiServers');
    cp.finishGroupChange('etcd');
  }

  /** Whether the ASGs have anything to do: skip their reconciliation on a quiet tick. */
  private groupsNeedWork(): boolean {
    const cp = this.cp;
    if (cp.groupsDirty || cp.operations.length > 0 || cp.etcdFaults.size > 0) return true;
    for (const a of cp.apiServers) if (a.state !== 'healthy' && a.state !== 'degraded') return true;
    for (const m of cp.etcd.all) if (m.role !== 'follower' && m.role !== 'leader') return true;
    return false;
  }

  /** Nothing is changing state and no autoscaler rule is counting. */
  private settled(): boolean {
    const cp = this.cp;
    if (cp.operations.length > 0 || cp.etcdFaults.size > 0) return false;
    for (const a of cp.apiServers) if (a.state !== 'healthy') return false;
    let leaders = 0;
    for (const m of cp.etcd.all) {
      if (m.role === 'leader') leaders++;
      else if (m.role !== 'follower') return false;
    }
    if (leaders !== 1) return false;
    for (const n of cp.nlbs) if (n.state === 'failing-checks' || n.state === 'passing-checks') return false;
    return this.autoscaler.settled();
  }

  // ── Snapshot ─────────────────────────────────────────────────────────────────────────────

  snapshot(): ControlPlaneSnapshotPart {
    const cp = this.cp;
    return buildControlPlaneSnapshot({
      etcd: cp.etcd,
      exists: cp.exists,
      region: cp.region,
      azIds: cp.azIds,
      azs: cp.azs,
      apiServers: cp.apiServers,
      nlbs: cp.nlbs,
      servingIn: (az) => cp.servingIn(az),
      apiAsg: cp.apiAsg,
      etcdAsg: cp.etcdAsg,
      apiServerSize: cp.apiServerSize,
      etcdSize: cp.etcdSize,
      autoscalers: this.autoscaler.actors,
      decisions: this.autoscaler.decisions,
      operations: cp.operations,
      lastDisruptionMs: cp.lastDisruptionMs,
      profile: this.tick.profile(),
      totals: this.flow.totals,
      spike: this.tick.spike,
      counters: this.flow.counters,
      series: this.flow.series,
    });
  }
}

export type { EtcdMember };
