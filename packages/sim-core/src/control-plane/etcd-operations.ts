/**
 * What the control plane does around etcd (the Raft cluster itself is `../etcd`): the members'
 * instances in their Auto Scaling group, replacements that join as learners and are swapped
 * in once caught up, process restarts, rolling resizes and rebalances, and the rebuild from
 * the survivors when a quorum is lost with its AZs (etcd's disaster recovery,
 * https://etcd.io/docs/v3.5/op-guide/recovery/).
 */
import type { SimContext } from '../engine/domain';
import type { Prng } from '../engine/prng';
import { ClientHistory, type SavedClientHistory } from '../etcd/client-history';
import { EtcdCluster, type EtcdMember, type SavedEtcdCluster } from '../etcd/etcd-cluster';
import { ETCD_REJOIN_GRACE_MS, type Operation, SERVING_API } from './control-plane-records';
import type { ControlPlaneState } from './control-plane-state';
import { type EtcdInstanceStarted, etcdInstanceMachine } from './etcd-instance-machine';
import { MIN_ETCD_MEMBERS, TIMING } from './facts';

/** Whether the operation's new instance is still booting (no member yet). */
const isLaunching = (op: Operation): boolean => op.instance?.getSnapshot().value === 'launching';

/** The registry key of a new member's instance while it launches. */
const instanceKey = (memberId: string): string => `etcd/instance/${memberId}`;

/** What a save holds of etcd's side of the control plane (the operations themselves are the control plane's). */
export interface SavedEtcdOperations {
  readonly nextId: number;
  readonly cluster: SavedEtcdCluster;
  /** The new members whose instances are still launching (their actors are in the registry). */
  readonly launching: readonly string[];
  readonly clientHistory: SavedClientHistory | null;
}

export class EtcdOperations {
  private nextId = 1;

  constructor(
    private readonly ctx: SimContext,
    private readonly cp: ControlPlaneState,
    private readonly rng: Prng,
  ) {
    cp.etcd = this.newCluster();
  }

  save(): SavedEtcdOperations {
    return {
      nextId: this.nextId,
      cluster: this.cp.etcd.save(),
      launching: this.cp.operations.filter((o) => o.group === 'etcd' && isLaunching(o)).map((o) => o.newId),
      clientHistory: this.cp.clientHistory?.save() ?? null,
    };
  }

  /** After the control plane has its operations back: the cluster and the launching instances revived. */
  restore(saved: SavedEtcdOperations): void {
    this.nextId = saved.nextId;
    this.cp.clientHistory = saved.clientHistory ? ClientHistory.restore(saved.clientHistory) : undefined;
    this.cp.etcd.dispose();
    this.cp.etcd = this.newCluster(saved.cluster);
    for (const op of this.cp.operations) {
      if (op.group !== 'etcd' || !saved.launching.includes(op.newId)) continue;
      op.instance = this.ctx.actors.revive(instanceKey(op.newId), etcdInstanceMachine, (a) =>
        a.on('started', (e) => this.instanceStarted(e)),
      );
    }
  }

  private newCluster(saved?: SavedEtcdCluster): EtcdCluster {
    const cluster = new EtcdCluster(this.ctx, (a, b) => this.cp.azsConnected(a, b), saved);
    cluster.history = this.cp.clientHistory;
    cluster.onChange = () => {
      this.cp.groupsDirty = true;
      this.progress();
    };
    cluster.onMembersDue = () => {
      if (this.cp.etcd.all.length === 0) this.startMembers(false);
    };
    cluster.onRebuildDue = (lostIds) => this.rebuild(lostIds);
    return cluster;
  }

  /** A new control plane: one member per AZ, started together once their instances run. */
  bootstrap(): void {
    this.cp.etcd.dispose();
    this.cp.etcd = this.newCluster();
    this.cp.etcd.bootstrapAfter(this.rng.int(TIMING.launchMs.min, TIMING.launchMs.max));
  }

  /** A control plane that already runs at t0: its members are up and have a leader. */
  readyNow(): void {
    this.cp.etcd.startNow();
    if (this.cp.etcd.all.length === 0) this.startMembers(true);
  }

  private startMembers(electNow: boolean): void {
    for (const az of this.cp.azIds)
      this.cp.etcd.addMember(`etcd-${this.nextId++}`, az, this.cp.etcdSize, { bootstrap: true });
    if (electNow) this.cp.etcd.bootstrapLeader();
    this.cp.etcd.reconcile();
  }

  teardown(): void {
    for (const op of this.cp.operations) if (op.group === 'etcd') this.ctx.actors.stop(instanceKey(op.newId));
    this.cp.etcd.cancelBootstrap();
    for (const m of [...this.cp.etcd.all]) this.cp.etcd.remove(m.id);
  }

  /** See ControlPlaneDomain.recordClientHistory. */
  recordClientHistory(): ClientHistory {
    this.cp.clientHistory ??= new ClientHistory();
    this.cp.etcd.history = this.cp.clientHistory;
    return this.cp.clientHistory;
  }

  /** One keyed operation of the recorded client history, from an API server that serves. */
  sendClientOperation(now: number): void {
    const history = this.cp.clientHistory;
    if (!history || !this.cp.exists) return;
    const n = history.ops.length;
    const az = this.cp.azIds[n % this.cp.azIds.length] as string;
    const serving = this.cp.apiServers.some(
      (a) => a.az === az && SERVING_API.has(a.state) && this.cp.azs.get(a.az)?.health !== 'down',
    );
    if (!serving) return;
    const key = `probe-${Math.floor(n / 2) % 2}`;
    if (n % 2 === 0) {
      const op = history.invoke(az, 'write', key, `v${n + 1}`, now);
      history.complete(op, this.cp.etcd.propose(az, { opId: op.id, key, value: op.value as string }), now);
    } else {
      const op = history.invoke(az, 'read', key, null, now);
      const answer = this.cp.etcd.read(az, key);
      history.complete(op, answer ? 'ok' : 'fail', now, answer?.value ?? null);
    }
  }

  private launchMember(az: string, size: string, op: Omit<Operation, 'newId' | 'startedAtMs' | 'az'>): void {
    const newId = `etcd-${this.nextId++}`;
    const operation: Operation = { ...op, az, newId, startedAtMs: this.ctx.clock.now() };
    const delay =
      this.rng.int(TIMING.launchMs.min, TIMING.launchMs.max) +
      this.rng.int(TIMING.etcdStartMs.min, TIMING.etcdStartMs.max);
    this.cp.operations.push(operation);
    operation.instance = this.ctx.actors.start(
      instanceKey(newId),
      etcdInstanceMachine,
      { input: { memberId: newId, az, size, startMs: delay } },
      (a) => a.on('started', (e) => this.instanceStarted(e)),
    );
    this.cp.etcdAsg?.send({ type: 'CAPACITY_CHANGING' });
    this.ctx.emit('etcd.member-launching', newId, `etcd member ${newId} (${size}) is launching in ${az}`, {
      az,
      size,
      replaces: op.replaces,
      reason: op.kind,
    });
  }

  /** A new member's instance runs: the member joins as a learner. Its instance actor's work is done. */
  private instanceStarted({ memberId, az, size }: EtcdInstanceStarted): void {
    this.ctx.actors.stop(instanceKey(memberId));
    // Its AZ went down while it booted: the launch is lost with it.
    if (this.cp.azs.get(az)?.health === 'down') {
      this.cp.operations = this.cp.operations.filter((o) => o.newId !== memberId);
      return;
    }
    this.cp.etcd.addMember(memberId, az, size);
  }

  /** Swaps caught-up learners in for the members they replace, one at a time. */
  private progress(): void {
    const cp = this.cp;
    for (const op of [...cp.operations]) {
      if (op.group !== 'etcd' || !op.replaces || cp.etcd.find(op.replaces)) continue;
      // The member it was to replace is gone already (replaced by another operation): not needed.
      this.ctx.actors.stop(instanceKey(op.newId));
      cp.operations = cp.operations.filter((o) => o !== op);
      if (cp.etcd.find(op.newId)) cp.etcd.remove(op.newId);
      return;
    }
    for (const op of cp.operations) {
      if (op.group !== 'etcd' || isLaunching(op)) continue;
      const learner = cp.etcd.find(op.newId);
      if (!learner) {
        cp.operations = cp.operations.filter((o) => o !== op);
        continue;
      }
      if (learner.role !== 'follower' || learner.voter || learner.matchIndex < cp.etcd.index) continue;
      cp.operations = cp.operations.filter((o) => o !== op);
      if (!op.replaces && cp.etcd.voters().length >= MIN_ETCD_MEMBERS) {
        // An addition no longer needed (a rebuild turned several replacements of one lost member
        // into additions): promoting it would make a fourth voter.
        cp.etcd.remove(op.newId);
        cp.finishGroupChange('etcd');
        return;
      }
      if (op.replaces) cp.etcdFaults.delete(op.replaces);
      cp.etcd.swapIn(op.newId, op.replaces ?? undefined);
      cp.finishGroupChange('etcd');
      return;
    }
  }

  /** The etcd ASG at work: restarts, replacements, additions, rolling resizes and rebalances. */
  reconcile(now: number): void {
    const cp = this.cp;
    const members = cp.etcd.all;
    if (members.length === 0) return;
    for (const m of members) {
      const fault = cp.etcdFaults.get(m.id);
      if (!fault || now - fault.sinceMs < TIMING.asgHealthCheckMs) continue;
      if (fault.kind === 'crashed' && cp.azs.get(m.az)?.health !== 'down') {
        // The instance is fine and its data is on disk: EKS restarts the process; it rejoins.
        // A replacement started before it crashed (it was cut off) is called off: without this
        // voter there may be no quorum, and a learner cannot join without a leader.
        this.cancelReplacementsOf(m.id);
        cp.etcdFaults.delete(m.id);
        cp.etcd.restart(m.id);
        continue;
      }
      if (cp.operations.some((o) => o.group === 'etcd' && o.kind === 'replace' && o.replaces === m.id)) continue;
      // The instance is gone with its AZ: a new member joins as a learner elsewhere and takes its place.
      const az = cp.pickAz((z) => this.membersIn(z));
      if (!az) continue;
      cp.etcdAsg?.send({ type: 'INSTANCE_UNHEALTHY' });
      this.launchMember(az, cp.etcdSize, { kind: 'replace', group: 'etcd', replaces: m.id });
    }
    this.recoverLostQuorum(now);
    // Fewer than three voters (after a rebuild): the ASG adds members until there are three.
    const additions = cp.operations.filter((o) => o.group === 'etcd' && o.replaces === null).length;
    for (let missing = MIN_ETCD_MEMBERS - cp.etcd.voters().length - additions; missing > 0; missing--) {
      const az = cp.pickAz((z) => this.membersIn(z));
      if (!az) break;
      this.launchMember(az, cp.etcdSize, { kind: 'replace', group: 'etcd', replaces: null });
    }
    // A voter that cannot rejoin for long (cut off from the majority) is unhealthy: replace it.
    for (const m of members) {
      if (!m.voter || m.role !== 'rejoining' || cp.etcdFaults.has(m.id)) continue;
      if (now - m.roleSinceMs < ETCD_REJOIN_GRACE_MS || !this.cutOff(m)) continue;
      cp.etcdFaults.set(m.id, { kind: 'cut-off', sinceMs: now });
      const az = cp.pickAz((z) => this.membersIn(z), m.az);
      if (az) this.launchMember(az, cp.etcdSize, { kind: 'replace', group: 'etcd', replaces: m.id });
    }
    // A learner that cannot catch up for long (cut off, or its AZ failing) is given up.
    for (const m of [...members]) {
      if (m.voter || m.role !== 'rejoining' || now - m.roleSinceMs < ETCD_REJOIN_GRACE_MS) continue;
      if (!this.cutOff(m)) continue;
      cp.operations = cp.operations.filter((o) => o.newId !== m.id);
      cp.etcd.remove(m.id);
    }
    // A cut-off member that can reach the majority again catches up; its replacement is called off.
    for (const m of members) {
      if (cp.etcdFaults.get(m.id)?.kind !== 'cut-off' || this.cutOff(m)) continue;
      cp.etcdFaults.delete(m.id);
      this.cancelReplacementsOf(m.id);
    }
    if (cp.operations.some((o) => o.group === 'etcd') || !cp.etcd.allVotersHealthy()) return;
    // Rolling resize, one member at a time, only while every voter is healthy (quorum holds).
    const stale = cp.etcd.voters().find((m) => m.size !== cp.etcdSize);
    if (stale) {
      this.launchMember(stale.az, cp.etcdSize, { kind: 'resize', group: 'etcd', replaces: stale.id });
      return;
    }
    // Rebalance: one member per AZ once every AZ is up again.
    const empty = cp.azIds.find((az) => cp.azReady(az) && this.membersIn(az) === 0);
    const crowded = cp.azIds.find((az) => this.membersIn(az) >= 2);
    if (empty && crowded) {
      const leader = cp.etcd.leader();
      const inCrowded = cp.etcd.voters().filter((m) => m.az === crowded);
      const victim = inCrowded.find((m) => m !== leader) ?? inCrowded[0];
      if (victim) this.launchMember(empty, cp.etcdSize, { kind: 'rebalance', group: 'etcd', replaces: victim.id });
    }
  }

  /**
   * The voters whose instances went down with their AZ (a partitioned member is alive: it never
   * counts), for the cluster machine to decide whether the quorum is lost for good.
   */
  private recoverLostQuorum(now: number): void {
    const cp = this.cp;
    const lost = cp.etcd.voters().filter((m) => cp.etcdFaults.get(m.id)?.kind === 'lost');
    const lostSinceMs = Math.max(...lost.map((m) => cp.etcdFaults.get(m.id)?.sinceMs ?? now));
    cp.etcd.checkLostVoters({ nowMs: now, lostIds: lost.map((m) => m.id), lostSinceMs });
  }

  /**
   * EKS rebuilds etcd from the survivors (`forceNewCluster`); pending replacements of the lost
   * members become additions that bring the voters back to three.
   */
  private rebuild(lostIds: readonly string[]): void {
    const cp = this.cp;
    for (const o of cp.operations)
      if (o.group === 'etcd' && o.replaces !== null && lostIds.includes(o.replaces)) o.replaces = null;
    for (const id of lostIds) cp.etcdFaults.delete(id);
    cp.etcd.forceNewCluster(lostIds);
  }

  /** Partitioned away from the majority (not merely without a leader: that is etcd's own business). */
  private cutOff(m: EtcdMember): boolean {
    return this.cp.azs.get(m.az)?.network === 'partitioned' && !this.cp.etcd.reachesMajority(m);
  }

  cancelReplacementsOf(memberId: string): void {
    const cp = this.cp;
    for (const op of cp.operations.filter((o) => o.group === 'etcd' && o.replaces === memberId)) {
      this.ctx.actors.stop(instanceKey(op.newId));
      cp.operations = cp.operations.filter((o) => o !== op);
      if (cp.etcd.find(op.newId)) cp.etcd.remove(op.newId);
    }
  }

  /** Members in `az` that serve or are on their way (launching or catching up there). */
  private membersIn(az: string): number {
    const present = this.cp.etcd.all.filter((m) => m.az === az && !this.cp.etcdFaults.has(m.id)).length;
    const launching = this.cp.operations.filter((o) => o.group === 'etcd' && isLaunching(o) && o.az === az).length;
    return present + launching;
  }
}
