/**
 * The managed control plane (docs/control-plane.md; AWS EKS Best Practices (Control plane)): three AZs in an AWS-managed VPC, API
 * servers and etcd members in Auto Scaling groups, one NLB node per AZ, the control-plane
 * autoscaler, and the load that drives them. It exists only while a cluster exists.
 *
 * Speed: the load is computed arithmetically on a tick (15 s while anything changes, up to an
 * six hours while all is calm); xstate machines change state only on real state changes, and only
 * those reach the event log.
 */
import type { Actor } from 'xstate';
import { createActor } from 'xstate';
import type { TimerHandle } from '../engine/clock';
import { type Command, type CommandResult, type CommandSpec, fail, ok } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import { formatDuration, MAX_DURATION_TEXT, parseDate, parseDuration } from '../engine/duration';
import type { Prng } from '../engine/prng';
import { ClientHistory } from '../etcd/client-history';
import { EtcdCluster, type EtcdMember } from '../etcd/etcd-cluster';
import {
  API_RPS_PER_VCPU,
  apiServerLoad,
  baseClassRps,
  checkLoadScenario,
  DEFAULT_LOAD,
  etcdLoad,
  profileFactor,
  profileVaries,
  writeShare,
} from '../load/model';
import type { ClassRps, LoadPoint, LoadProfile, LoadScenario } from '../load/types';
import type { Scenario } from '../scenarios/types';
import type { Domains } from '../simulation';
import { type ApiServerState, apiServerMachine } from './apiserver-machine';
import { asgMachine } from './asg-machine';
import { autoscalerMachine, type ScalingDecision } from './autoscaler-machine';
import { type AzHealth, type AzNetwork, azMachine } from './az-machine';
import { controlPlaneCommandSpecs } from './control-plane-commands';
import {
  type ApiServerRecord,
  type AzRecord,
  DECISION_LIMIT,
  ETCD_REJOIN_GRACE_MS,
  type EtcdInstanceFault,
  type Group,
  LIVE_API,
  type NlbRecord,
  type Operation,
  QUORUM_LOSS_RECOVERY_MS,
  r1,
  SERIES_LIMIT,
  SERVING_API,
  STEADY_TICK_MS,
  type Windows,
} from './control-plane-records';
import { buildControlPlaneSnapshot } from './control-plane-snapshot';
import {
  AUTOSCALER_RULES,
  controlPlaneAzIds,
  DEFAULT_NLB_ADDRESS_BLOCKS,
  MAX_API_SERVERS,
  MIN_API_SERVERS,
  MIN_ETCD_MEMBERS,
  NLB_ADDRESS_BLOCKS,
  SIZE_LADDER,
  sizeByIndex,
  sizeIndex,
  TIMING,
} from './facts';
import { type NlbNodeState, nlbInDns, nlbNodeMachine } from './nlb-node-machine';
import type { ControlPlaneSnapshotPart, DecisionRecord } from './types';

export type { ControlPlaneSnapshotPart } from './types';

export class ControlPlaneDomain implements Domain<ControlPlaneSnapshotPart> {
  readonly commands: readonly CommandSpec[];
  private readonly region: string;
  private readonly azIds: readonly string[];
  private readonly azs = new Map<string, AzRecord>();
  private apiServers: ApiServerRecord[] = [];
  private nlbs: NlbRecord[] = [];
  private etcd: EtcdCluster;
  private clientHistory: ClientHistory | undefined;
  private readonly etcdFaults = new Map<string, EtcdInstanceFault>();
  private readonly etcdTimers = new Map<string, TimerHandle>();
  private apiAsg: Actor<typeof asgMachine> | null = null;
  private etcdAsg: Actor<typeof asgMachine> | null = null;
  private readonly autoscalers: Record<Group, Actor<typeof autoscalerMachine>>;
  private readonly windows: Record<Group, Windows> = {
    apiServers: { scaleOutSince: null, scaleInSince: null, resizeUpSince: null, resizeDownSince: null },
    etcd: { scaleOutSince: null, scaleInSince: null, resizeUpSince: null, resizeDownSince: null },
  };
  private readonly decisions: DecisionRecord[] = [];
  private operations: Operation[] = [];
  private apiServerSize: string = SIZE_LADDER[0]?.name as string;
  private etcdSize: string = SIZE_LADDER[0]?.name as string;
  private exists = false;
  private nextApiServer = 1;
  private nextEtcd = 1;
  private lastDisruptionMs: number | null = null;
  /** Set by any state change the ASGs may have to act on; cleared by their reconciliation. */
  private groupsDirty = true;
  private readonly rng: Prng;

  // Load state.
  private load: LoadScenario;
  private spike: { factor: number; untilMs: number } | null = null;
  private tickTimer: TimerHandle | undefined;
  private lastTickMs: number;
  private fractionalWrites = 0;
  private readonly totals = {
    offeredRps: 0,
    servedRps: 0,
    readRps: 0,
    writeRps: 0,
    capacityRps: 0,
    throttled: 0,
    unavailable: 0,
    p99: 0,
    byClass: { kubectl: 0, controllers: 0, kubelets: 0 } as ClassRps,
    nodes: 0,
  };
  private counters = { total429: 0, total503: 0, totalServed: 0, committedWrites: 0 };
  private readonly series: LoadPoint[] = [];
  private nextPointMs = 0;
  private leaderChangesAtLastPoint = 0;

  constructor(
    private readonly ctx: SimContext<Domains>,
    private readonly scenario: Scenario,
  ) {
    this.region = scenario.region;
    this.azIds = controlPlaneAzIds(scenario.region);
    this.rng = ctx.rng('control-plane');
    const loadProblem = checkLoadScenario(scenario.load);
    if (loadProblem) throw new RangeError(`scenario ${scenario.name}: ${loadProblem}`);
    this.load = { ...(scenario.load ?? {}) };
    this.lastTickMs = ctx.clock.now();
    for (const id of this.azIds) {
      const actor = createActor(azMachine, { clock: ctx.clock.xstate });
      actor.start();
      this.azs.set(id, { id, health: 'up', network: 'connected', actor });
    }
    this.etcd = this.newEtcdCluster();
    this.autoscalers = {
      apiServers: createActor(autoscalerMachine, { clock: ctx.clock.xstate }),
      etcd: createActor(autoscalerMachine, { clock: ctx.clock.xstate }),
    };
    this.autoscalers.apiServers.start();
    this.autoscalers.etcd.start();
    this.commands = this.commandSpecs();
  }

  private newEtcdCluster(): EtcdCluster {
    const cluster = new EtcdCluster(this.ctx as SimContext, (a, b) => this.azsConnected(a, b));
    cluster.history = this.clientHistory;
    cluster.onChange = () => {
      this.groupsDirty = true;
      this.progressEtcdOperations();
    };
    return cluster;
  }

  start(): void {
    const cluster = this.ctx.domains.cluster;
    cluster.onCreated(() => this.bootstrap());
    cluster.onActive((record) => {
      if (record.createdAtMs === this.ctx.clock.now()) this.makeReadyNow();
    });
    cluster.onDeleted(() => this.teardown());
    this.scheduleTick(this.tickMs());
  }

  // ── Contracts other domains call ─────────────────────────────────────────────────────────

  /** NLB nodes currently in the endpoint's public DNS answer (one per AZ with a healthy target). */
  nlbNodesInDns(): { id: string; az: string; ips: string[] }[] {
    return this.nlbs.filter((n) => nlbInDns(n.state)).map((n) => ({ id: n.id, az: n.az, ips: [...n.ips] }));
  }

  /**
   * Whether the control plane can answer a request of this kind now (healthy API server; etcd
   * quorum for writes). The path to it (NLB nodes in DNS, or the EKS-owned ENIs) is the
   * endpoint domain's business: see `nlbNodesInDns`.
   */
  canServe(kind: 'read' | 'write'): boolean {
    for (const a of this.apiServers) {
      if (!SERVING_API.has(a.state) || this.azs.get(a.az)?.health === 'down') continue;
      if (kind === 'read' || this.etcd.canCommitFrom(a.az)) return true;
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
    this.clientHistory ??= new ClientHistory();
    this.etcd.history = this.clientHistory;
    return this.clientHistory;
  }

  /** One keyed operation of the recorded client history, from an API server that serves. */
  private sendClientOperation(now: number): void {
    const history = this.clientHistory;
    if (!history || !this.exists) return;
    const n = history.ops.length;
    const az = this.azIds[n % this.azIds.length] as string;
    const serving = this.apiServers.some(
      (a) => a.az === az && SERVING_API.has(a.state) && this.azs.get(a.az)?.health !== 'down',
    );
    if (!serving) return;
    const key = `probe-${Math.floor(n / 2) % 2}`;
    if (n % 2 === 0) {
      const op = history.invoke(az, 'write', key, `v${n + 1}`, now);
      history.complete(op, this.etcd.propose(az, { opId: op.id, key, value: op.value as string }), now);
    } else {
      const op = history.invoke(az, 'read', key, null, now);
      const answer = this.etcd.read(az, key);
      history.complete(op, answer ? 'ok' : 'fail', now, answer?.value ?? null);
    }
  }

  // ── Lifecycle ────────────────────────────────────────────────────────────────────────────

  private bootstrap(): void {
    if (this.exists) return;
    this.exists = true;
    this.apiAsg = createActor(asgMachine, {
      input: { min: MIN_API_SERVERS, desired: MIN_API_SERVERS, max: MAX_API_SERVERS },
    });
    this.apiAsg.start();
    this.etcdAsg = createActor(asgMachine, {
      input: { min: MIN_ETCD_MEMBERS, desired: MIN_ETCD_MEMBERS, max: MIN_ETCD_MEMBERS + 1 },
    });
    this.etcdAsg.start();
    this.createNlbNodes(false);
    // Two API servers in two distinct AZs (AWS EKS Best Practices): the first two, so that a
    // lesson can say which NLB node is out of DNS (the third AZ's, docs/lessons/seed-week1.md).
    this.launchApiServer(this.azIds[0] as string);
    this.launchApiServer(this.azIds[1] as string);
    // One etcd member per AZ; a new cluster's members start together and elect a leader.
    this.etcd = this.newEtcdCluster();
    const startAfter = this.rng.int(TIMING.launchMs.min, TIMING.launchMs.max);
    this.etcdTimers.set(
      'bootstrap',
      this.ctx.clock.after(startAfter, () => {
        this.etcdTimers.delete('bootstrap');
        if (this.etcd.all.length === 0) this.bootstrapEtcd(false);
      }),
    );
    this.ctx.emit(
      'controlplane.provisioning',
      `controlplane/${this.region}`,
      `Control plane provisioning over ${this.azIds.join(', ')}: 2 API servers, 3 etcd members, one NLB node per AZ`,
      { azs: [...this.azIds] },
    );
  }

  private createNlbNodes(startInDns: boolean): void {
    for (const n of this.nlbs) n.actor.stop();
    const blocks = NLB_ADDRESS_BLOCKS[this.region] ?? DEFAULT_NLB_ADDRESS_BLOCKS;
    const nlbRng = this.ctx.rng('nlb');
    this.nlbs = this.azIds.map((az, i) => {
      const inDns = startInDns && this.liveApiServers().some((a) => a.az === az);
      const actor = createActor(nlbNodeMachine, { clock: this.ctx.clock.xstate, input: { startInDns: inDns } });
      const node: NlbRecord = {
        id: `nlb-${az}`,
        az,
        ips: [`${blocks[i % blocks.length]}.${nlbRng.int(0, 255)}.${nlbRng.int(1, 254)}`],
        state: 'provisioned',
        actor,
      };
      actor.subscribe((snap) => this.onNlbState(node, snap.value as NlbNodeState));
      actor.start();
      return node;
    });
  }

  private bootstrapEtcd(electNow: boolean): void {
    for (const az of this.azIds) this.etcd.addMember(`etcd-${this.nextEtcd++}`, az, this.etcdSize, { bootstrap: true });
    if (electNow) this.etcd.bootstrapLeader();
    this.etcd.reconcile();
  }

  /** A scenario that starts with the cluster built: everything is up at t0. */
  private makeReadyNow(): void {
    const bootstrapTimer = this.etcdTimers.get('bootstrap');
    if (bootstrapTimer) {
      this.ctx.clock.cancel(bootstrapTimer);
      this.etcdTimers.delete('bootstrap');
    }
    if (this.etcd.all.length === 0) this.bootstrapEtcd(true);
    // Health checks passed long ago for a control plane that already runs.
    this.createNlbNodes(true);
    for (const a of this.apiServers) {
      if (a.state === 'launching' || a.state === 'initializing') a.actor.send({ type: 'READY_NOW' });
    }
  }

  private teardown(): void {
    for (const a of this.apiServers) a.actor.stop();
    for (const n of this.nlbs) n.actor.stop();
    for (const op of this.operations) this.ctx.clock.cancel(op.launchTimer);
    for (const t of this.etcdTimers.values()) this.ctx.clock.cancel(t);
    for (const m of [...this.etcd.all]) this.etcd.remove(m.id);
    this.apiServers = [];
    this.nlbs = [];
    this.operations = [];
    this.etcdTimers.clear();
    this.etcdFaults.clear();
    this.apiAsg?.stop();
    this.etcdAsg?.stop();
    this.apiAsg = null;
    this.etcdAsg = null;
    this.exists = false;
    this.ctx.emit('controlplane.deleted', `controlplane/${this.region}`, 'Control plane instances terminated');
  }

  // ── AZs ──────────────────────────────────────────────────────────────────────────────────

  /** Whether two AZs can talk: both up (or impaired) and neither partitioned away. */
  private azsConnected(a: string, b: string): boolean {
    const x = this.azs.get(a);
    const y = this.azs.get(b);
    if (!x || !y || x.health === 'down' || y.health === 'down') return false;
    if (a === b) return true;
    return x.network === 'connected' && y.network === 'connected';
  }

  private sendAz(az: AzRecord, event: Parameters<AzRecord['actor']['send']>[0]): void {
    az.actor.send(event);
    const value = az.actor.getSnapshot().value as { health: AzHealth; network: AzNetwork };
    az.health = value.health;
    az.network = value.network;
  }

  /** Up and connected: an AZ a rebalance may move an instance into. */
  private azReady(id: string): boolean {
    const az = this.azs.get(id);
    return az?.health === 'up' && az.network === 'connected';
  }

  /** AZs where the ASG may launch: up first, impaired only if nothing else. */
  private launchableAzs(): string[] {
    const up = this.azIds.filter((id) => this.azs.get(id)?.health === 'up');
    return up.length > 0 ? up : this.azIds.filter((id) => this.azs.get(id)?.health === 'impaired');
  }

  private pickAz(counts: (az: string) => number, avoid?: string): string | undefined {
    let best: string | undefined;
    let bestCount = Number.POSITIVE_INFINITY;
    for (const az of this.launchableAzs()) {
      if (az === avoid || this.azs.get(az)?.network === 'partitioned') continue;
      const c = counts(az);
      if (c < bestCount) {
        best = az;
        bestCount = c;
      }
    }
    return best;
  }

  // ── API servers ──────────────────────────────────────────────────────────────────────────

  private servingIn(az: string): ApiServerRecord[] {
    return this.apiServers.filter((a) => a.az === az && SERVING_API.has(a.state));
  }

  private liveApiServers(): ApiServerRecord[] {
    return this.apiServers.filter((a) => LIVE_API.has(a.state));
  }

  private launchApiServer(az: string, size = this.apiServerSize): ApiServerRecord {
    const id = `apiserver-${this.nextApiServer++}`;
    const actor = createActor(apiServerMachine, {
      clock: this.ctx.clock.xstate,
      input: {
        launchMs: this.rng.int(TIMING.launchMs.min, TIMING.launchMs.max),
        initMs: this.rng.int(TIMING.apiServerInitMs.min, TIMING.apiServerInitMs.max),
        drainMs: TIMING.drainMs,
      },
    });
    const record: ApiServerRecord = {
      id,
      az,
      size,
      state: 'launching',
      actor,
      launchedAtMs: this.ctx.clock.now(),
      failedAtMs: null,
      load: null,
      unavailableRps: 0,
    };
    this.apiServers.push(record);
    actor.subscribe((snap) => this.onApiServerState(record, snap.value as ApiServerState));
    actor.start();
    this.ctx.emit('apiserver.launching', id, `API server ${id} (${size}) is launching in ${az}`, { az, size });
    this.apiAsg?.send({ type: 'CAPACITY_CHANGING' });
    return record;
  }

  private onApiServerState(a: ApiServerRecord, state: ApiServerState): void {
    if (state === a.state) return;
    const previous = a.state;
    a.state = state;
    const words: Record<ApiServerState, string> = {
      launching: 'is launching',
      initializing: 'is initializing (kube-apiserver starting)',
      healthy: previous === 'degraded' ? 'is healthy again' : 'is healthy and registered with its NLB node',
      degraded: 'is overloaded: APF queues are full, answering 429',
      terminating: 'is draining before termination',
      failed: 'failed',
      terminated: 'was terminated',
    };
    this.ctx.emit(`apiserver.${state}`, a.id, `API server ${a.id} in ${a.az} ${words[state]}`, {
      az: a.az,
      size: a.size,
    });
    if (state === 'failed') a.failedAtMs = this.ctx.clock.now();
    if (state === 'terminated') {
      a.actor.stop();
      this.apiServers = this.apiServers.filter((x) => x !== a);
    }
    this.groupsDirty = true;
    this.updateNlbTargets();
    this.progressApiOperations();
    if (state === 'failed' || state === 'terminated' || state === 'healthy') this.kickSoon();
  }

  // ── NLB nodes ────────────────────────────────────────────────────────────────────────────

  private updateNlbTargets(): void {
    for (const n of this.nlbs) {
      if (n.state === 'failed') continue;
      const healthy = this.servingIn(n.az).length > 0 && this.azs.get(n.az)?.health !== 'down';
      n.actor.send({ type: healthy ? 'TARGET_HEALTHY' : 'NO_HEALTHY_TARGET' });
    }
  }

  private onNlbState(n: NlbRecord, state: NlbNodeState): void {
    if (state === n.state) return;
    const wasIn = nlbInDns(n.state);
    n.state = state;
    const isIn = nlbInDns(state);
    if (state === 'failed') {
      this.ctx.emit('nlb.failed', n.id, `NLB node ${n.id} failed and left DNS`, { az: n.az });
    } else if (wasIn !== isIn) {
      this.ctx.emit(
        isIn ? 'nlb.in-dns' : 'nlb.out-of-dns',
        n.id,
        isIn
          ? `NLB node ${n.id} (${n.ips.join(', ')}) passes health checks and is in DNS`
          : `NLB node ${n.id} has no healthy API server in ${n.az} and is out of DNS`,
        { az: n.az, ips: [...n.ips] },
      );
    }
    this.kickSoon();
  }

  // ── etcd instances ───────────────────────────────────────────────────────────────────────

  private launchEtcdMember(az: string, size: string, op: Omit<Operation, 'newId' | 'startedAtMs' | 'az'>): void {
    const newId = `etcd-${this.nextEtcd++}`;
    const operation: Operation = { ...op, az, newId, startedAtMs: this.ctx.clock.now() };
    const delay =
      this.rng.int(TIMING.launchMs.min, TIMING.launchMs.max) +
      this.rng.int(TIMING.etcdStartMs.min, TIMING.etcdStartMs.max);
    operation.launchTimer = this.ctx.clock.after(delay, () => {
      operation.launchTimer = undefined;
      if (this.azs.get(az)?.health === 'down') {
        this.operations = this.operations.filter((o) => o !== operation);
        return;
      }
      this.etcd.addMember(newId, az, size);
    });
    this.operations.push(operation);
    this.etcdAsg?.send({ type: 'CAPACITY_CHANGING' });
    this.ctx.emit('etcd.member-launching', newId, `etcd member ${newId} (${size}) is launching in ${az}`, {
      az,
      size,
      replaces: op.replaces,
      reason: op.kind,
    });
  }

  /** Swaps caught-up learners in for the members they replace, one at a time. */
  private progressEtcdOperations(): void {
    for (const op of [...this.operations]) {
      if (op.group !== 'etcd' || !op.replaces || this.etcd.find(op.replaces)) continue;
      // The member it was to replace is gone already (replaced by another operation): not needed.
      this.ctx.clock.cancel(op.launchTimer);
      this.operations = this.operations.filter((o) => o !== op);
      if (this.etcd.find(op.newId)) this.etcd.remove(op.newId);
      return;
    }
    for (const op of this.operations) {
      if (op.group !== 'etcd' || op.launchTimer) continue;
      const learner = this.etcd.find(op.newId);
      if (!learner) {
        this.operations = this.operations.filter((o) => o !== op);
        continue;
      }
      if (learner.role !== 'follower' || learner.voter || learner.matchIndex < this.etcd.index) continue;
      this.operations = this.operations.filter((o) => o !== op);
      if (!op.replaces && this.etcd.voters().length >= MIN_ETCD_MEMBERS) {
        // An addition no longer needed (a rebuild turned several replacements of one lost member
        // into additions): promoting it would make a fourth voter.
        this.etcd.remove(op.newId);
        this.finishGroupChange('etcd');
        return;
      }
      if (op.replaces) this.etcdFaults.delete(op.replaces);
      this.etcd.swapIn(op.newId, op.replaces ?? undefined);
      this.finishGroupChange('etcd');
      return;
    }
  }

  private finishGroupChange(group: Group): void {
    const asg = group === 'etcd' ? this.etcdAsg : this.apiAsg;
    if (!asg) return;
    const pending = this.operations.some((o) => o.group === group);
    const live = group === 'etcd' ? this.etcd.voters().length : this.liveApiServers().length;
    const snap = asg.getSnapshot();
    if (snap.value === 'Pending' && !pending && live === snap.context.desired) asg.send({ type: 'AT_DESIRED' });
  }

  // ── The Auto Scaling groups' reconciliation ──────────────────────────────────────────────

  /**
   * The ASGs' work, run on every tick: terminate instances failed for longer than the health
   * check grace and launch replacements in a healthy AZ; converge on the desired count; move
   * rolling replacements on; rebalance AZs once they are back.
   */
  private reconcileGroups(): void {
    this.groupsDirty = false;
    if (!this.exists || !this.apiAsg) return;
    const now = this.ctx.clock.now();
    for (const a of [...this.apiServers]) {
      if (a.state === 'failed' && a.failedAtMs !== null && now - a.failedAtMs >= TIMING.asgHealthCheckMs) {
        this.apiAsg.send({ type: 'INSTANCE_UNHEALTHY' });
        a.actor.send({ type: 'TERMINATE' });
      }
    }
    const desired = this.apiAsg.getSnapshot().context.desired;
    const surge = this.operations.some((o) => o.group === 'apiServers') ? 1 : 0;
    let live = this.liveApiServers();
    const perAz = (az: string) => live.filter((a) => a.az === az).length;
    while (live.length < desired) {
      const az = this.pickAz(perAz);
      if (!az) break;
      this.launchApiServer(az);
      live = this.liveApiServers();
    }
    while (live.length > desired + surge) {
      const victim = this.pickScaleInVictim(live);
      if (!victim) break;
      victim.actor.send({ type: 'TERMINATE' });
      live = this.liveApiServers();
    }
    this.planApiRebalance();
    this.reconcileEtcd(now);
    this.finishGroupChange('apiServers');
    this.finishGroupChange('etcd');
  }

  /** The newest API server in the most crowded AZ (what an ASG's default termination policy picks). */
  private pickScaleInVictim(live: ApiServerRecord[]): ApiServerRecord | undefined {
    const counts = new Map<string, number>();
    for (const a of live) counts.set(a.az, (counts.get(a.az) ?? 0) + 1);
    let victim: ApiServerRecord | undefined;
    for (const a of live) {
      if (
        !victim ||
        (counts.get(a.az) ?? 0) > (counts.get(victim.az) ?? 0) ||
        ((counts.get(a.az) ?? 0) === (counts.get(victim.az) ?? 0) && a.launchedAtMs >= victim.launchedAtMs)
      ) {
        victim = a;
      }
    }
    return victim;
  }

  /** After an AZ comes back, move one API server from a crowded AZ into an empty one. */
  private planApiRebalance(): void {
    if (this.operations.some((o) => o.group === 'apiServers')) return;
    const serving = this.apiServers.filter((a) => SERVING_API.has(a.state));
    if (serving.length !== this.liveApiServers().length) return;
    const empty = this.azIds.find((az) => this.azReady(az) && !serving.some((a) => a.az === az));
    if (!empty) return;
    const crowded = this.azIds.find((az) => serving.filter((a) => a.az === az).length >= 2);
    if (!crowded) return;
    const old = serving.filter((a) => a.az === crowded).sort((x, y) => y.launchedAtMs - x.launchedAtMs)[0];
    if (!old) return;
    const fresh = this.launchApiServer(empty, old.size);
    this.operations.push({
      kind: 'rebalance',
      group: 'apiServers',
      az: empty,
      newId: fresh.id,
      replaces: old.id,
      startedAtMs: this.ctx.clock.now(),
    });
  }

  /** Rolling replacements of API servers: when the new one serves, the old one drains. */
  private progressApiOperations(): void {
    for (const op of [...this.operations]) {
      if (op.group !== 'apiServers') continue;
      const fresh = this.apiServers.find((a) => a.id === op.newId);
      if (!fresh || !LIVE_API.has(fresh.state)) {
        this.operations = this.operations.filter((o) => o !== op);
        continue;
      }
      if (!SERVING_API.has(fresh.state)) continue;
      this.operations = this.operations.filter((o) => o !== op);
      const old = this.apiServers.find((a) => a.id === op.replaces);
      if (old && LIVE_API.has(old.state)) old.actor.send({ type: 'TERMINATE' });
      if (op.kind === 'resize') this.continueApiResize();
    }
  }

  private continueApiResize(): void {
    const old = this.apiServers.find((a) => SERVING_API.has(a.state) && a.size !== this.apiServerSize);
    if (!old) return;
    const fresh = this.launchApiServer(old.az, this.apiServerSize);
    this.operations.push({
      kind: 'resize',
      group: 'apiServers',
      az: old.az,
      newId: fresh.id,
      replaces: old.id,
      startedAtMs: this.ctx.clock.now(),
    });
  }

  private reconcileEtcd(now: number): void {
    const members = this.etcd.all;
    if (members.length === 0) return;
    for (const m of members) {
      const fault = this.etcdFaults.get(m.id);
      if (!fault || now - fault.sinceMs < TIMING.asgHealthCheckMs) continue;
      if (fault.kind === 'crashed' && this.azs.get(m.az)?.health !== 'down') {
        // The instance is fine and its data is on disk: EKS restarts the process; it rejoins.
        // A replacement started before it crashed (it was cut off) is called off: without this
        // voter there may be no quorum, and a learner cannot join without a leader.
        this.cancelReplacementsOf(m.id);
        this.etcdFaults.delete(m.id);
        this.etcd.restart(m.id);
        continue;
      }
      if (this.operations.some((o) => o.group === 'etcd' && o.kind === 'replace' && o.replaces === m.id)) continue;
      // The instance is gone with its AZ: a new member joins as a learner elsewhere and takes its place.
      const az = this.pickAz((z) => this.etcdMembersIn(z));
      if (!az) continue;
      this.etcdAsg?.send({ type: 'INSTANCE_UNHEALTHY' });
      this.launchEtcdMember(az, this.etcdSize, { kind: 'replace', group: 'etcd', replaces: m.id });
    }
    this.recoverLostQuorum(now);
    // Fewer than three voters (after a rebuild): the ASG adds members until there are three.
    const additions = this.operations.filter((o) => o.group === 'etcd' && o.replaces === null).length;
    for (let missing = MIN_ETCD_MEMBERS - this.etcd.voters().length - additions; missing > 0; missing--) {
      const az = this.pickAz((z) => this.etcdMembersIn(z));
      if (!az) break;
      this.launchEtcdMember(az, this.etcdSize, { kind: 'replace', group: 'etcd', replaces: null });
    }
    // A voter that cannot rejoin for long (cut off from the majority) is unhealthy: replace it.
    for (const m of members) {
      if (!m.voter || m.role !== 'rejoining' || this.etcdFaults.has(m.id)) continue;
      if (now - m.roleSinceMs < ETCD_REJOIN_GRACE_MS || !this.cutOff(m)) continue;
      this.etcdFaults.set(m.id, { kind: 'cut-off', sinceMs: now });
      const az = this.pickAz((z) => this.etcdMembersIn(z), m.az);
      if (az) this.launchEtcdMember(az, this.etcdSize, { kind: 'replace', group: 'etcd', replaces: m.id });
    }
    // A learner that cannot catch up for long (cut off, or its AZ failing) is given up.
    for (const m of [...members]) {
      if (m.voter || m.role !== 'rejoining' || now - m.roleSinceMs < ETCD_REJOIN_GRACE_MS) continue;
      if (!this.cutOff(m)) continue;
      this.operations = this.operations.filter((o) => o.newId !== m.id);
      this.etcd.remove(m.id);
    }
    // A cut-off member that can reach the majority again catches up; its replacement is called off.
    for (const m of members) {
      if (this.etcdFaults.get(m.id)?.kind !== 'cut-off' || this.cutOff(m)) continue;
      this.etcdFaults.delete(m.id);
      this.cancelReplacementsOf(m.id);
    }
    if (this.operations.some((o) => o.group === 'etcd') || !this.etcd.allVotersHealthy()) return;
    // Rolling resize, one member at a time, only while every voter is healthy (quorum holds).
    const stale = this.etcd.voters().find((m) => m.size !== this.etcdSize);
    if (stale) {
      this.launchEtcdMember(stale.az, this.etcdSize, { kind: 'resize', group: 'etcd', replaces: stale.id });
      return;
    }
    // Rebalance: one member per AZ once every AZ is up again.
    const empty = this.azIds.find((az) => this.azReady(az) && this.etcdMembersIn(az) === 0);
    const crowded = this.azIds.find((az) => this.etcdMembersIn(az) >= 2);
    if (empty && crowded) {
      const leader = this.etcd.leader();
      const inCrowded = this.etcd.voters().filter((m) => m.az === crowded);
      const victim = inCrowded.find((m) => m !== leader) ?? inCrowded[0];
      if (victim)
        this.launchEtcdMember(empty, this.etcdSize, { kind: 'rebalance', group: 'etcd', replaces: victim.id });
    }
  }

  /**
   * If the voters whose instances went down with their AZ leave too few for a majority, and
   * the AZ stays down for QUORUM_LOSS_RECOVERY_MS, EKS rebuilds etcd from the survivors (only
   * for lost instances: a partitioned member is alive, and rebuilding around it would split
   * the brain). Pending replacements become additions that bring the voters back to three.
   */
  private recoverLostQuorum(now: number): void {
    const voters = this.etcd.voters();
    const lost = voters.filter((m) => this.etcdFaults.get(m.id)?.kind === 'lost');
    if (lost.length === 0 || voters.length - lost.length >= Math.floor(voters.length / 2) + 1) return;
    // With no survivor there is nothing to rebuild from: wait for an AZ to bring its members back.
    if (lost.length === voters.length) return;
    const since = Math.max(...lost.map((m) => this.etcdFaults.get(m.id)?.sinceMs ?? now));
    if (now - since < QUORUM_LOSS_RECOVERY_MS) return;
    const lostIds = lost.map((m) => m.id);
    for (const o of this.operations)
      if (o.group === 'etcd' && o.replaces !== null && lostIds.includes(o.replaces)) o.replaces = null;
    for (const id of lostIds) this.etcdFaults.delete(id);
    this.etcd.forceNewCluster(lostIds);
  }

  /** Partitioned away from the majority (not merely without a leader: that is etcd's own business). */
  private cutOff(m: EtcdMember): boolean {
    return this.azs.get(m.az)?.network === 'partitioned' && !this.etcd.reachesMajority(m);
  }

  private cancelReplacementsOf(memberId: string): void {
    for (const op of this.operations.filter((o) => o.group === 'etcd' && o.replaces === memberId)) {
      this.ctx.clock.cancel(op.launchTimer);
      this.operations = this.operations.filter((o) => o !== op);
      if (this.etcd.find(op.newId)) this.etcd.remove(op.newId);
    }
  }

  /** Members in `az` that serve or are on their way (launching or catching up there). */
  private etcdMembersIn(az: string): number {
    const present = this.etcd.all.filter((m) => m.az === az && !this.etcdFaults.has(m.id)).length;
    const launching = this.operations.filter((o) => o.group === 'etcd' && o.launchTimer && o.az === az).length;
    return present + launching;
  }

  // ── The load tick ────────────────────────────────────────────────────────────────────────

  private tickMs(): number {
    return this.load.tickMs ?? DEFAULT_LOAD.tickMs;
  }

  private scheduleTick(delayMs: number): void {
    this.ctx.clock.cancel(this.tickTimer);
    this.tickTimer = this.ctx.clock.after(delayMs, () => this.tick());
  }

  /** After a change, bring the next tick forward if the calm tick would leave it waiting. */
  private kickSoon(): void {
    const due = this.tickTimer?.atMs;
    const soon = this.ctx.clock.now() + this.tickMs();
    if (due === undefined || due > soon) this.scheduleTick(this.tickMs());
  }

  private profile(): LoadProfile {
    return this.load.profile ?? 'flat';
  }

  private nodeCount(): number {
    let n = 0;
    for (const g of this.ctx.domains.nodegroups.all) for (const node of g.nodes) if (node.state !== 'terminated') n++;
    return n;
  }

  private tick(): void {
    this.tickTimer = undefined;
    const now = this.ctx.clock.now();
    const dtSec = Math.max(0, (now - this.lastTickMs) / 1000);
    this.lastTickMs = now;
    if (this.spike && now >= this.spike.untilMs) {
      this.ctx.emit('load.spike-ended', 'load', `Load spike ×${this.spike.factor} is over`);
      this.spike = null;
    }
    this.computeLoad(dtSec);
    this.sendClientOperation(now);
    if (this.exists) {
      this.evaluateAutoscaler(now);
      if (this.groupsNeedWork()) this.reconcileGroups();
    }
    if (now >= this.nextPointMs) {
      this.recordPoint(now);
      this.nextPointMs = now - (now % 60_000) + 60_000;
    }
    this.scheduleTick(this.nextTickDelay());
  }

  /**
   * Three paces: every `tickMs` (15 s) while anything moves (instances changing state, a rule's
   * window counting, a spike); once a minute while only a varying profile moves the load;
   * every `calmTickMs` (6 h) while the load is flat and nothing moves. Commands and state
   * changes bring the next tick forward (`kickSoon`).
   */
  private nextTickDelay(): number {
    if (this.spike || (this.exists && !this.settled())) return this.tickMs();
    if (profileVaries(this.profile())) return Math.max(this.tickMs(), STEADY_TICK_MS);
    return this.load.calmTickMs ?? DEFAULT_LOAD.calmTickMs;
  }

  /** Nothing is changing state and no autoscaler rule is counting. */
  private settled(): boolean {
    if (this.operations.length > 0 || this.etcdFaults.size > 0) return false;
    for (const a of this.apiServers) if (a.state !== 'healthy') return false;
    let leaders = 0;
    for (const m of this.etcd.all) {
      if (m.role === 'leader') leaders++;
      else if (m.role !== 'follower') return false;
    }
    if (leaders !== 1) return false;
    for (const n of this.nlbs) if (n.state === 'failing-checks' || n.state === 'passing-checks') return false;
    for (const w of [this.windows.apiServers, this.windows.etcd]) {
      if (w.scaleOutSince !== null || w.scaleInSince !== null) return false;
      if (w.resizeUpSince !== null || w.resizeDownSince !== null) return false;
    }
    return (
      this.autoscalers.apiServers.getSnapshot().value === 'watching' &&
      this.autoscalers.etcd.getSnapshot().value === 'watching'
    );
  }

  /** Whether the ASGs have anything to do: skip their reconciliation on a quiet tick. */
  private groupsNeedWork(): boolean {
    if (this.groupsDirty || this.operations.length > 0 || this.etcdFaults.size > 0) return true;
    for (const a of this.apiServers) if (a.state !== 'healthy' && a.state !== 'degraded') return true;
    for (const m of this.etcd.all) if (m.role !== 'follower' && m.role !== 'leader') return true;
    return false;
  }

  /**
   * The load of one tick, computed arithmetically (the hot path: loops, no closures). DNS
   * round-robin spreads the offered load evenly over the NLB nodes in DNS; each node sends
   * its share to the serving API servers of its own AZ (cross-zone load balancing off).
   */
  private computeLoad(dtSec: number): void {
    const now = this.ctx.clock.now();
    const nodes = this.nodeCount();
    const base = baseClassRps(this.load, nodes);
    const factor = profileFactor(this.profile(), this.load, now, this.startMs()) * (this.spike?.factor ?? 1);
    const byClass: ClassRps = {
      kubectl: base.kubectl * factor,
      controllers: base.controllers * factor,
      kubelets: base.kubelets * factor,
    };
    const offered = this.exists ? byClass.kubectl + byClass.controllers + byClass.kubelets : 0;
    const wf = writeShare(byClass);
    const azCount = this.azIds.length;
    const targets = this.azTargets;
    const writable = this.azWritable;
    let nodesInDns = 0;
    for (let i = 0; i < azCount; i++) {
      const az = this.azIds[i] as string;
      targets[i] = 0;
      writable[i] = this.etcd.canCommitFrom(az) ? 1 : 0;
    }
    for (const a of this.apiServers) {
      a.load = null;
      a.unavailableRps = 0;
      if (SERVING_API.has(a.state) && this.azs.get(a.az)?.health !== 'down') {
        const i = this.azIds.indexOf(a.az);
        if (i >= 0) targets[i] = (targets[i] as number) + 1;
      }
    }
    for (const n of this.nlbs) if (nlbInDns(n.state)) nodesInDns++;
    const etcdLeader = this.etcd.leader();
    const etcdUtil = etcdLeader
      ? etcdLoad(sizeByIndex(sizeIndex(etcdLeader.size)), this.totals.writeRps, nodes).cpu
      : 0;
    let served = 0;
    let throttled = 0;
    let unavailable = nodesInDns === 0 ? offered : 0;
    let capacity = 0;
    let writes = 0;
    let p99 = 0;
    const share = nodesInDns > 0 ? offered / nodesInDns : 0;
    for (const n of this.nlbs) {
      if (!nlbInDns(n.state)) continue;
      const i = this.azIds.indexOf(n.az);
      const count = targets[i] ?? 0;
      if (count === 0) unavailable += share;
    }
    for (const a of this.apiServers) {
      const az = this.azs.get(a.az);
      const size = sizeByIndex(sizeIndex(a.size));
      const capacityFactor = az?.health === 'impaired' ? 0.5 : 1;
      if (!SERVING_API.has(a.state) || az?.health === 'down') continue;
      const i = this.azIds.indexOf(a.az);
      const node = this.nlbs[i];
      const reached = node !== undefined && nlbInDns(node.state);
      const l = apiServerLoad(size, reached ? share / (targets[i] as number) : 0, nodes, capacityFactor, wf, etcdUtil);
      a.load = l;
      capacity += l.capacityRps;
      if (!reached) continue;
      let servedHere = l.servedRps;
      if (writable[i] === 0) {
        // Without etcd quorum the write share fails with 503; reads come from the watch cache.
        a.unavailableRps = servedHere * wf;
        unavailable += a.unavailableRps;
        servedHere -= a.unavailableRps;
      } else {
        writes += servedHere * wf;
      }
      served += servedHere;
      throttled += l.throttledRps;
      if (l.servedRps >= 0.01 * offered) p99 = Math.max(p99, l.p99Ms);
      const overloaded = l.throttledRps > 0 || l.cpu >= 0.95;
      if (a.state === 'healthy' && overloaded) a.actor.send({ type: 'OVERLOADED' });
      else if (a.state === 'degraded' && l.throttledRps === 0 && l.cpu < 0.85) a.actor.send({ type: 'LOAD_NORMAL' });
    }
    this.fractionalWrites += writes * dtSec;
    const batch = Math.floor(this.fractionalWrites);
    if (batch > 0) {
      const committed = this.etcd.commit(batch);
      this.fractionalWrites -= batch;
      this.counters.committedWrites += committed;
    }
    for (const m of this.etcd.all) {
      if (m.role === 'leader' || m.role === 'follower' || m.role === 'rejoining') {
        const l = etcdLoad(sizeByIndex(sizeIndex(m.size)), writes * (m.role === 'leader' ? 1.3 : 1), nodes);
        m.cpu = l.cpu;
        m.memory = l.memory;
      } else {
        m.cpu = 0;
        m.memory = 0;
      }
    }
    this.counters.total429 += throttled * dtSec;
    this.counters.total503 += unavailable * dtSec;
    this.counters.totalServed += served * dtSec;
    const t = this.totals;
    t.offeredRps = offered;
    t.servedRps = served;
    t.readRps = served - writes;
    t.writeRps = writes;
    t.capacityRps = capacity;
    t.throttled = throttled;
    t.unavailable = unavailable;
    t.p99 = p99;
    t.byClass = byClass;
    t.nodes = nodes;
  }

  private readonly azTargets: number[] = [];
  private readonly azWritable: number[] = [];

  private startMs(): number {
    this.scenarioStartMs ??= parseDate(this.scenario.start) ?? this.lastTickMs;
    return this.scenarioStartMs;
  }

  private scenarioStartMs: number | undefined;

  private recordPoint(now: number): void {
    const serving = this.apiServers.filter((a) => SERVING_API.has(a.state));
    this.series.push({
      atMs: now,
      offeredRps: r1(this.totals.offeredRps),
      servedRps: r1(this.totals.servedRps),
      capacityRps: r1(this.totals.capacityRps),
      p99Ms: r1(this.totals.p99),
      throttled429PerSec: r1(this.totals.throttled),
      unavailable503PerSec: r1(this.totals.unavailable),
      apiServers: serving.length,
      apiServerSizes: serving.map((a) => a.size),
      etcdMembers: this.etcd.voters().filter((m) => m.role === 'follower' || m.role === 'leader').length,
      etcdLeaderChanges: this.etcd.leaderChanges - this.leaderChangesAtLastPoint,
    });
    this.leaderChangesAtLastPoint = this.etcd.leaderChanges;
    if (this.series.length > SERIES_LIMIT) this.series.splice(0, this.series.length - SERIES_LIMIT);
  }

  // ── The autoscaler ───────────────────────────────────────────────────────────────────────

  private evaluateAutoscaler(now: number): void {
    let count = 0;
    let demand = 0;
    let mem = 0;
    let cpu = 0;
    for (const a of this.apiServers) {
      if (!SERVING_API.has(a.state) || !a.load) continue;
      const size = sizeByIndex(sizeIndex(a.size));
      count++;
      // Demand as a share of CPU capacity (offered, not served: a throttled server still shows the need).
      demand += a.load.offeredRps / (size.vcpu * API_RPS_PER_VCPU);
      mem = Math.max(mem, a.load.memory);
      cpu = Math.max(cpu, a.load.cpu);
    }
    if (count > 0) this.evaluateApiServers(now, count, cpu, demand / count, mem);
    let etcdCpu = -1;
    let etcdMem = 0;
    for (const m of this.etcd.all) {
      if (!m.voter || (m.role !== 'leader' && m.role !== 'follower')) continue;
      etcdCpu = Math.max(etcdCpu, m.cpu);
      etcdMem = Math.max(etcdMem, m.memory);
    }
    if (etcdCpu >= 0) this.evaluateEtcd(now, etcdCpu, etcdMem);
  }

  private since(value: number | null, holds: boolean, now: number): number | null {
    return holds ? (value ?? now) : null;
  }

  private evaluateApiServers(now: number, count: number, maxCpu: number, avgDemand: number, mem: number): void {
    const w = this.windows.apiServers;
    const rules = AUTOSCALER_RULES;
    const desired = this.apiAsg?.getSnapshot().context.desired ?? count;
    const atMax = desired >= MAX_API_SERVERS;
    const sizeIdx = sizeIndex(this.apiServerSize);
    w.scaleOutSince = this.since(w.scaleOutSince, avgDemand > rules.scaleOut.cpuAbove && !atMax, now);
    w.scaleInSince = this.since(
      w.scaleInSince,
      maxCpu < rules.scaleIn.cpuBelow && desired > MIN_API_SERVERS && (avgDemand * count) / (count - 1) < 0.5,
      now,
    );
    w.resizeUpSince = this.since(
      w.resizeUpSince,
      sizeIdx < SIZE_LADDER.length - 1 &&
        ((atMax && avgDemand > rules.resizeUp.cpuAbove) || mem > rules.resizeUp.memoryAbove),
      now,
    );
    w.resizeDownSince = this.since(
      w.resizeDownSince,
      sizeIdx > 0 && maxCpu < rules.resizeDown.cpuBelow && mem < rules.resizeDown.memoryBelow,
      now,
    );
    if (this.autoscalers.apiServers.getSnapshot().value !== 'watching') return;
    if (this.operations.some((o) => o.group === 'apiServers')) return;
    if (w.scaleOutSince !== null && now - w.scaleOutSince >= rules.scaleOut.forMs) {
      const target = Math.min(
        MAX_API_SERVERS,
        desired + 3,
        Math.max(desired + 1, Math.ceil((desired * avgDemand) / 0.5)),
      );
      this.decide('apiServers', 'scale-out', `${desired}`, `${target}`, rules.scaleOut.cooldownMs, avgDemand);
      this.apiAsg?.send({ type: 'SET_DESIRED', desired: target });
      w.scaleOutSince = null;
    } else if (w.resizeUpSince !== null && now - w.resizeUpSince >= rules.resizeUp.forMs) {
      const to = sizeByIndex(sizeIdx + 1).name;
      this.decide('apiServers', 'resize-up', this.apiServerSize, to, rules.resizeUp.cooldownMs, avgDemand);
      this.apiServerSize = to;
      this.continueApiResize();
      w.resizeUpSince = null;
    } else if (w.scaleInSince !== null && now - w.scaleInSince >= rules.scaleIn.forMs) {
      this.decide('apiServers', 'scale-in', `${desired}`, `${desired - 1}`, rules.scaleIn.cooldownMs, avgDemand);
      this.apiAsg?.send({ type: 'SET_DESIRED', desired: desired - 1 });
      w.scaleInSince = null;
    } else if (w.resizeDownSince !== null && now - w.resizeDownSince >= rules.resizeDown.forMs) {
      const to = sizeByIndex(sizeIdx - 1).name;
      this.decide('apiServers', 'resize-down', this.apiServerSize, to, rules.resizeDown.cooldownMs, avgDemand);
      this.apiServerSize = to;
      this.continueApiResize();
      w.resizeDownSince = null;
    }
  }

  private evaluateEtcd(now: number, cpu: number, mem: number): void {
    const w = this.windows.etcd;
    const rules = AUTOSCALER_RULES;
    const idx = sizeIndex(this.etcdSize);
    w.resizeUpSince = this.since(
      w.resizeUpSince,
      idx < SIZE_LADDER.length - 1 && (cpu > rules.resizeUp.cpuAbove || mem > rules.resizeUp.memoryAbove),
      now,
    );
    w.resizeDownSince = this.since(
      w.resizeDownSince,
      idx > 0 && cpu < rules.resizeDown.cpuBelow && mem < rules.resizeDown.memoryBelow,
      now,
    );
    if (this.autoscalers.etcd.getSnapshot().value !== 'watching') return;
    if (this.operations.some((o) => o.group === 'etcd')) return;
    if (w.resizeUpSince !== null && now - w.resizeUpSince >= rules.resizeUp.forMs) {
      const to = sizeByIndex(idx + 1).name;
      this.decide('etcd', 'resize-up', this.etcdSize, to, rules.resizeUp.cooldownMs, cpu);
      this.etcdSize = to;
      w.resizeUpSince = null;
    } else if (w.resizeDownSince !== null && now - w.resizeDownSince >= rules.resizeDown.forMs) {
      const to = sizeByIndex(idx - 1).name;
      this.decide('etcd', 'resize-down', this.etcdSize, to, rules.resizeDown.cooldownMs, cpu);
      this.etcdSize = to;
      w.resizeDownSince = null;
    }
  }

  private decide(
    group: Group,
    decision: ScalingDecision,
    from: string,
    to: string,
    cooldownMs: number,
    signal: number,
  ) {
    const reason = `${group === 'etcd' ? 'etcd' : 'API server'} load at ${Math.round(signal * 100)} % of CPU capacity`;
    this.autoscalers[group].send({ type: 'DECIDE', decision, cooldownMs });
    this.groupsDirty = true;
    const record: DecisionRecord = { atMs: this.ctx.clock.now(), group, decision, from, to, reason, cooldownMs };
    this.decisions.push(record);
    if (this.decisions.length > DECISION_LIMIT) this.decisions.splice(0, this.decisions.length - DECISION_LIMIT);
    this.ctx.emit(
      `autoscaler.${decision}`,
      `autoscaler/${group}`,
      `Control-plane autoscaler: ${decision} of ${group === 'etcd' ? 'etcd' : 'API servers'} ${from} → ${to} (${reason}); cooldown ${formatDuration(cooldownMs)}`,
      { group, from, to, cooldownMs },
    );
  }

  // ── Commands ─────────────────────────────────────────────────────────────────────────────

  private disrupted(): void {
    this.groupsDirty = true;
    this.lastDisruptionMs = this.ctx.clock.now();
    this.kickSoon();
  }

  private needCluster(): CommandResult | undefined {
    if (!this.exists)
      return fail('ResourceNotFoundException', 'No cluster exists yet: there is no control plane to act on.');
    return undefined;
  }

  private findAz(value: unknown): AzRecord | CommandResult {
    const az = this.azs.get(String(value));
    if (!az)
      return fail('InvalidField', `unknown control-plane AZ "${String(value)}" (known: ${this.azIds.join(', ')})`);
    return az;
  }

  private commandSpecs(): CommandSpec[] {
    return controlPlaneCommandSpecs(this.azIds, {
      handleLoadSet: (c) => this.handleLoadSet(c),
      handleSpike: (c) => this.handleSpike(c),
      faultApiServer: (id) => this.faultApiServer(id),
      recoverApiServer: (id) => this.recoverApiServer(id),
      faultEtcd: (id) => this.faultEtcd(id),
      recoverEtcd: (id) => this.recoverEtcd(id),
      faultNlb: (az) => this.faultNlb(az),
      recoverNlb: (az) => this.recoverNlb(az),
      faultAz: (az, impaired) => this.faultAz(az, impaired),
      recoverAz: (az) => this.recoverAz(az),
      partitionAz: (az, cut) => this.partitionAz(az, cut),
    });
  }

  private handleLoadSet(c: Command): CommandResult {
    const keys = ['rps', 'kubectlRps', 'controllersRps', 'kubeletRpsPerNode', 'profile'];
    if (!keys.some((k) => c[k] !== undefined)) {
      return fail('InvalidField', `load.set: give at least one of ${keys.join(', ')}`);
    }
    let next: LoadScenario = { ...this.load };
    for (const k of ['kubectlRps', 'controllersRps', 'kubeletRpsPerNode', 'profile'] as const) {
      if (c[k] !== undefined) next = { ...next, [k]: c[k] };
    }
    if (typeof c.rps === 'number') {
      const base = baseClassRps(next, this.nodeCount());
      const total = base.kubectl + base.controllers + base.kubelets;
      const scale = total > 0 ? c.rps / total : 0;
      next =
        total > 0
          ? {
              ...next,
              kubectlRps: base.kubectl * scale,
              controllersRps: base.controllers * scale,
              kubeletRpsPerNode: (next.kubeletRpsPerNode ?? DEFAULT_LOAD.kubeletRpsPerNode) * scale,
            }
          : { ...next, controllersRps: c.rps };
    }
    this.load = next;
    const base = baseClassRps(next, this.nodeCount());
    const total = base.kubectl + base.controllers + base.kubelets;
    this.ctx.emit('load.changed', 'load', `Load set to ${r1(total)} rps (${next.profile ?? 'flat'})`, {
      rps: r1(total),
      profile: next.profile ?? 'flat',
    });
    this.kickSoon();
    return ok(`load: ${r1(total)} rps base, profile ${next.profile ?? 'flat'}`, { rps: total });
  }

  private handleSpike(c: Command): CommandResult {
    const duration = c.duration === undefined ? 20 * 60_000 : parseDuration(String(c.duration));
    if (duration === undefined || duration <= 0) {
      return fail(
        'InvalidField',
        `load.spike: field "duration" must be a duration such as "20m", at most ${MAX_DURATION_TEXT} (got ${JSON.stringify(c.duration)})`,
      );
    }
    const factor = Number(c.factor);
    this.spike = { factor, untilMs: this.ctx.clock.now() + duration };
    this.ctx.emit('load.spike-started', 'load', `Load spike ×${factor} for ${formatDuration(duration)}`, {
      factor,
      durationMs: duration,
    });
    this.kickSoon();
    return ok(`load spike ×${factor} for ${formatDuration(duration)}`);
  }

  private faultApiServer(id: string): CommandResult {
    const missing = this.needCluster();
    if (missing) return missing;
    const a = this.apiServers.find((x) => x.id === id);
    if (!a)
      return fail(
        'ResourceNotFoundException',
        `no API server "${id}" (known: ${this.apiServers.map((x) => x.id).join(', ') || 'none'})`,
      );
    if (!LIVE_API.has(a.state))
      return fail('InvalidStateException', `API server ${id} is ${a.state}; only a running instance can fail`);
    a.actor.send({ type: 'INSTANCE_FAILED' });
    this.disrupted();
    return ok(`API server ${id} failed`);
  }

  private recoverApiServer(id: string): CommandResult {
    const missing = this.needCluster();
    if (missing) return missing;
    const a = this.apiServers.find((x) => x.id === id);
    if (!a) return fail('ResourceNotFoundException', `no API server "${id}" (it may have been replaced already)`);
    if (a.state !== 'failed') return fail('InvalidStateException', `API server ${id} is ${a.state}, not failed`);
    if (this.azs.get(a.az)?.health === 'down')
      return fail('InvalidStateException', `${a.az} is down; recover the AZ first`);
    // A restarted instance boots again; the ASG no longer counts it as failed.
    a.actor.send({ type: 'TERMINATE' });
    this.launchApiServer(a.az, a.size);
    this.disrupted();
    return ok(`API server ${id} is replaced by a fresh instance in ${a.az}`);
  }

  private faultEtcd(id: string): CommandResult {
    const missing = this.needCluster();
    if (missing) return missing;
    const m = this.etcd.find(id);
    if (!m)
      return fail(
        'ResourceNotFoundException',
        `no etcd member "${id}" (known: ${this.etcd.all.map((x) => x.id).join(', ') || 'none'})`,
      );
    if (m.role === 'down') return fail('InvalidStateException', `etcd member ${id} is already down`);
    this.etcd.crash(id, 'fault injected');
    this.etcdFaults.set(id, { kind: 'crashed', sinceMs: this.ctx.clock.now() });
    this.disrupted();
    return ok(`etcd member ${id} crashed`);
  }

  private recoverEtcd(id: string): CommandResult {
    const missing = this.needCluster();
    if (missing) return missing;
    const m = this.etcd.find(id);
    if (!m) return fail('ResourceNotFoundException', `no etcd member "${id}" (it may have been replaced already)`);
    const fault = this.etcdFaults.get(id);
    if (m.role !== 'down' || !fault) return fail('InvalidStateException', `etcd member ${id} is ${m.role}, not down`);
    if (fault.kind === 'lost')
      return fail('InvalidStateException', `etcd member ${id} lost its instance with ${m.az}; the ASG replaces it`);
    this.etcdFaults.delete(id);
    this.etcd.restart(id);
    this.disrupted();
    return ok(`etcd member ${id} restarted and is catching up`);
  }

  private nlbOf(value: unknown): NlbRecord | CommandResult {
    const az = this.findAz(value);
    if ('ok' in az) return az;
    const node = this.nlbs.find((n) => n.az === az.id);
    return node ?? fail('ResourceNotFoundException', `no NLB node in ${az.id}`);
  }

  private faultNlb(value: unknown): CommandResult {
    const missing = this.needCluster();
    if (missing) return missing;
    const node = this.nlbOf(value);
    if ('ok' in node) return node;
    if (node.state === 'failed') return fail('InvalidStateException', `NLB node ${node.id} has already failed`);
    node.actor.send({ type: 'NODE_FAILED' });
    this.disrupted();
    return ok(`NLB node ${node.id} failed`);
  }

  private recoverNlb(value: unknown): CommandResult {
    const missing = this.needCluster();
    if (missing) return missing;
    const node = this.nlbOf(value);
    if ('ok' in node) return node;
    if (node.state !== 'failed')
      return fail('InvalidStateException', `NLB node ${node.id} is ${node.state}, not failed`);
    node.actor.send({ type: 'NODE_RECOVERED' });
    this.updateNlbTargets();
    this.disrupted();
    return ok(`NLB node ${node.id} recovered; back in DNS once health checks pass`);
  }

  private faultAz(value: unknown, impaired: boolean): CommandResult {
    const az = this.findAz(value);
    if ('ok' in az) return az;
    if (az.health === 'down') return fail('InvalidStateException', `${az.id} is already down`);
    if (impaired && az.health === 'impaired') return fail('InvalidStateException', `${az.id} is already impaired`);
    this.sendAz(az, { type: impaired ? 'AZ_IMPAIRED' : 'AZ_FAILED' });
    this.ctx.emit(
      impaired ? 'az.impaired' : 'az.down',
      az.id,
      impaired ? `${az.id} is impaired: instances run at half capacity` : `${az.id} is down: its instances are lost`,
    );
    if (!impaired) {
      const now = this.ctx.clock.now();
      for (const a of this.apiServers)
        if (a.az === az.id && LIVE_API.has(a.state)) a.actor.send({ type: 'INSTANCE_FAILED' });
      for (const m of [...this.etcd.all]) {
        if (m.az !== az.id) continue;
        this.etcd.crash(m.id, `${az.id} is down`);
        this.etcdFaults.set(m.id, { kind: 'lost', sinceMs: now });
      }
      for (const op of [...this.operations]) {
        const learner = this.etcd.find(op.newId);
        if (op.group === 'etcd' && learner?.az === az.id) {
          this.etcd.remove(op.newId);
          this.operations = this.operations.filter((o) => o !== op);
        }
      }
      this.updateNlbTargets();
      this.etcd.reconcile();
    }
    this.disrupted();
    return ok(impaired ? `${az.id} impaired` : `${az.id} down`);
  }

  private recoverAz(value: unknown): CommandResult {
    const az = this.findAz(value);
    if ('ok' in az) return az;
    if (az.health === 'up') return fail('InvalidStateException', `${az.id} is already up`);
    this.sendAz(az, { type: 'AZ_RECOVERED' });
    this.ctx.emit('az.up', az.id, `${az.id} is up again`);
    // etcd members still in the cluster come back with their data on disk and rejoin; a
    // replacement started for them is no longer needed (it would only churn the membership).
    for (const m of [...this.etcd.all]) {
      if (m.az !== az.id || this.etcdFaults.get(m.id)?.kind !== 'lost') continue;
      this.cancelReplacementsOf(m.id);
      this.etcdFaults.delete(m.id);
      this.etcd.restart(m.id);
    }
    this.updateNlbTargets();
    this.etcd.reconcile();
    this.disrupted();
    return ok(`${az.id} up`);
  }

  private partitionAz(value: unknown, cut: boolean): CommandResult {
    const az = this.findAz(value);
    if ('ok' in az) return az;
    if (cut === (az.network === 'partitioned')) {
      return fail('InvalidStateException', `${az.id} is already ${az.network}`);
    }
    this.sendAz(az, { type: cut ? 'PARTITIONED' : 'HEALED' });
    this.ctx.emit(
      cut ? 'az.partitioned' : 'az.healed',
      az.id,
      cut ? `${az.id} is cut off from the other AZs` : `${az.id} can reach the other AZs again`,
    );
    this.etcd.reconcile();
    this.disrupted();
    return ok(cut ? `${az.id} partitioned` : `${az.id} healed`);
  }

  // ── Snapshot ─────────────────────────────────────────────────────────────────────────────

  snapshot(): ControlPlaneSnapshotPart {
    return buildControlPlaneSnapshot({
      etcd: this.etcd,
      exists: this.exists,
      region: this.region,
      azIds: this.azIds,
      azs: this.azs,
      apiServers: this.apiServers,
      nlbs: this.nlbs,
      servingIn: (az) => this.servingIn(az),
      apiAsg: this.apiAsg,
      etcdAsg: this.etcdAsg,
      apiServerSize: this.apiServerSize,
      etcdSize: this.etcdSize,
      autoscalers: this.autoscalers,
      decisions: this.decisions,
      operations: this.operations,
      lastDisruptionMs: this.lastDisruptionMs,
      profile: this.profile(),
      totals: this.totals,
      spike: this.spike,
      counters: this.counters,
      series: this.series,
    });
  }
}

export type { EtcdMember };
