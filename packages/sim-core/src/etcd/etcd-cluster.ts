/**
 * The etcd cluster of the control plane: Raft (Ongaro & Ousterhout, "In Search of an
 * Understandable Consensus Algorithm", 2014) reduced to what a class can watch, with etcd's
 * additions (pre-vote, check-quorum, learners: etcd docs "Learner" and "Failure modes").
 *
 * - Each member persists its term, the member it voted for in that term, and its log (runs
 *   of entries per term, `raft-log.ts`). A member votes at most once per term, only for a
 *   candidate whose log is at least as up to date as its own (§5.2, §5.4.1).
 * - Elections run on seeded randomized timeouts on simulated time, and only inside a
 *   connected majority (pre-vote: a minority never bumps terms); a candidate needs the votes
 *   of a majority of the voters.
 * - A leader or candidate that meets a higher term steps down (§5.1); a leader cut off from
 *   a majority steps down after an election timeout (check-quorum).
 * - A write commits only when the leader holds it with a majority of the voters; in-sync
 *   followers take the leader's log (AppendEntries), a returning member catches up first.
 * - Membership changes go through learners (join without a vote, catch up, then swap with
 *   the member they replace), so the voter count never drops below three in a replacement.
 */
import type { Actor } from 'xstate';
import type { SimContext } from '../engine/domain';
import { Elections } from './elections';
import { catchUpId, drawElectionTimeoutsWith, etcdClusterMachine, type LostVoters } from './etcd-cluster-machine';
import { etcdMemberMachine } from './etcd-member-machine';
import type { EtcdClusterView, EtcdMember, SavedEtcdRecords } from './etcd-types';
import { ELECTION_BOUND_MS, ETCD_TIMING } from './facts';
import type { KeyedWrite } from './kv-writes';
import { atLeastAsUpToDate, commonPrefix, copyLog, truncateAfter } from './raft-log';

export type {
  CommitRecord,
  EtcdClusterView,
  EtcdMember,
  EtcdMemberView,
  LeaderRecord,
  ProposeOutcome,
} from './etcd-types';

/**
 * The cluster as the control plane uses it: its parts are `cluster-state.ts` (members,
 * terms, reachability), `replication.ts` (commits, keyed writes and reads) and
 * `elections.ts` (votes, leaders, check-quorum); this file adds membership (members join
 * as learners, crash, rejoin and catch up, are swapped in and removed), disaster recovery
 * and the view.
 */
/** The registry keys of the cluster's actors (one cluster per simulation). */
const CLUSTER_KEY = 'etcd/cluster';
const memberKey = (id: string): string => `etcd/member/${id}`;

/** What a save holds of the cluster: its records; its actors are saved by the registry. */
export interface SavedEtcdCluster {
  readonly records: SavedEtcdRecords;
}

export class EtcdCluster extends Elections {
  readonly phases: Actor<typeof etcdClusterMachine>;
  /** A new cluster's members are due to start (its instances have launched). */
  onMembersDue: (() => void) | undefined;
  /** The quorum lost with these members' AZs is due to be rebuilt: the owner of their instances lets them go, then calls `forceNewCluster`. */
  onRebuildDue: ((lostIds: readonly string[]) => void) | undefined;

  /** A new cluster, or (`saved`) the one a save holds, its actors revived from the registry. */
  constructor(ctx: SimContext, reachable: (azA: string, azB: string) => boolean, saved?: SavedEtcdCluster) {
    super(ctx, reachable);
    const { min, max } = ETCD_TIMING.electionTimeoutMs;
    const wire = (phases: Actor<typeof etcdClusterMachine>) => {
      drawElectionTimeoutsWith(phases, () => this.rng.int(min, max));
      phases.on('election-due', () => this.runElection());
      phases.on('step-down-due', () => this.stepDownCutOffLeaders());
      phases.on('catch-up-due', ({ memberId }) => {
        const m = this.find(memberId);
        if (m) this.finishCatchUp(m);
      });
      phases.on('members-start-due', () => this.onMembersDue?.());
      phases.on('rebuild-due', ({ lostIds }) => {
        if (this.onRebuildDue) this.onRebuildDue(lostIds);
        else this.forceNewCluster(lostIds);
        this.tell({ type: 'REBUILT' });
      });
    };
    if (saved) {
      this.phases = ctx.actors.revive(CLUSTER_KEY, etcdClusterMachine, wire);
      this.restoreRecords(saved.records, (m) => ctx.actors.revive(memberKey(m.id), etcdMemberMachine));
    } else {
      this.phases = ctx.actors.start(CLUSTER_KEY, etcdClusterMachine, {}, wire);
    }
  }

  save(): SavedEtcdCluster {
    return { records: this.saveRecords() };
  }

  /** Stops the cluster's actors (the control plane is deleted, or a save is being restored in its place). */
  dispose(): void {
    for (const m of this.members) this.ctx.actors.stop(memberKey(m.id));
    this.ctx.actors.stop(CLUSTER_KEY);
  }

  /** A new cluster: its members start together once their instances have launched (`onMembersDue`). */
  bootstrapAfter(startMs: number): void {
    this.tell({ type: 'BOOTSTRAP', startMs });
  }

  /** A cluster that already runs at t0: its members are started now, not after a launch. */
  startNow(): void {
    this.tell({ type: 'READY_NOW' });
  }

  /** The control plane is deleted before the members started: they never will. */
  cancelBootstrap(): void {
    this.tell({ type: 'BOOTSTRAP_CANCELLED' });
  }

  /**
   * What the owner of the instances counts on a tick: voters lost with their AZs. If they leave
   * too few for a majority for 10 minutes, the cluster machine asks for a rebuild (`onRebuildDue`).
   */
  checkLostVoters(lost: Omit<LostVoters, 'voters'>): void {
    // Nothing lost and nothing being recovered: the machine has nothing to decide (and this runs every tick).
    if (lost.lostIds.length === 0 && this.phases.getSnapshot().matches({ recovery: 'intact' })) return;
    this.tell({ type: 'QUORUM_CHECK', ...lost, voters: this.voters().length });
  }
  /**
   * Adds a member. `bootstrap` members start as caught-up voters (a cluster that exists at
   * t0); others join as learners and catch up first.
   */
  addMember(id: string, az: string, size: string, opts: { bootstrap?: boolean } = {}): EtcdMember {
    const actor = this.ctx.actors.start(memberKey(id), etcdMemberMachine, {});
    const member: EtcdMember = {
      id,
      az,
      size,
      role: 'rejoining',
      term: 0,
      votedFor: null,
      log: [],
      matchIndex: 0,
      appliedIndex: 0,
      voter: opts.bootstrap === true,
      roleSinceMs: this.clock.now(),
      cpu: 0,
      memory: 0,
      actor,
    };
    this.members.push(member);
    if (opts.bootstrap) {
      this.setLog(member, copyLog(this.committedLog));
      member.appliedIndex = this.committedIndex;
      this.observeTerm(member, this.highestTerm);
      this.send(member, { type: 'CAUGHT_UP' });
    } else {
      this.ctx.emit('etcd.member-added', id, `etcd member ${id} joins in ${az} as a learner and catches up`, {
        az,
        size,
      });
      this.scheduleCatchUp(member);
    }
    return member;
  }

  crash(id: string, reason: string): boolean {
    const m = this.find(id);
    if (!m || !this.isUp(m)) return false;
    const wasLeader = m.role === 'leader';
    this.tell({ type: 'CATCH_UP_CANCELLED', memberId: id });
    this.send(m, { type: 'CRASHED' });
    this.ctx.emit('etcd.member-down', id, `etcd member ${id} is down (${reason})`, { az: m.az, wasLeader });
    this.reconcile();
    return true;
  }

  restart(id: string): boolean {
    const m = this.find(id);
    if (m?.role !== 'down') return false;
    this.send(m, { type: 'RESTARTED' });
    this.ctx.emit('etcd.member-rejoining', id, `etcd member ${id} is back and catching up`, {
      behindBy: Math.max(0, this.committedIndex - m.matchIndex),
    });
    this.scheduleCatchUp(m);
    // Not a change of leadership (the cluster does not reconcile), but a voter back up may be
    // what a voter waiting alone needs to rejoin inside a majority.
    this.lookAgainForLeader();
    return true;
  }

  /** Removes a member from the cluster (its instance is terminated). */
  remove(id: string): void {
    const m = this.find(id);
    if (!m) return;
    this.tell({ type: 'CATCH_UP_CANCELLED', memberId: id });
    this.send(m, { type: 'REMOVED' });
    this.ctx.actors.stop(memberKey(id));
    m.voter = false;
    this.members.splice(this.members.indexOf(m), 1);
    this.ctx.emit('etcd.member-removed', id, `etcd member ${id} was removed from the cluster`);
    this.reconcile();
  }

  /**
   * Promotes a caught-up learner to voter and removes `replaces` in the same membership
   * change, so the voter count stays the same. Refused (false) unless the learner is caught up.
   */
  swapIn(learnerId: string, replaces: string | undefined): boolean {
    const learner = this.find(learnerId);
    if (learner?.role !== 'follower' || learner.voter) return false;
    learner.voter = true;
    this.ctx.emit('etcd.member-promoted', learner.id, `etcd member ${learner.id} is promoted to voter`);
    if (replaces) this.remove(replaces);
    else this.reconcile();
    return true;
  }

  protected scheduleCatchUp(m: EtcdMember): void {
    const behind = Math.max(0, this.committedIndex - m.matchIndex);
    // Further behind than the leader's retained log: a snapshot, then the entries since it.
    const replayed = Math.min(behind, ETCD_TIMING.snapshotCountEntries);
    const ms = ETCD_TIMING.catchUpBaseMs + Math.ceil((replayed / ETCD_TIMING.catchUpEntriesPerSec) * 1000);
    this.tell({ type: 'CATCH_UP', memberId: m.id, ms });
  }

  override reconcile(): void {
    super.reconcile();
    this.lookAgainForLeader();
  }

  /** After any change of members, roles or connectivity, members waiting for somebody to catch up from look again. */
  protected lookAgainForLeader(): void {
    const children = this.phases.getSnapshot().children;
    for (const m of this.members) {
      if (m.role !== 'rejoining') continue;
      const child = children[catchUpId(m.id)];
      if (child?.getSnapshot().value === 'waitingForLeader' && !this.nobodyToCatchUpFrom(m.id)) {
        this.tell({ type: 'CATCH_UP_DUE', memberId: m.id });
      }
    }
  }

  /**
   * A member that has waited its catch-up time finds nobody to replicate from: no leader it
   * reaches in a term at least its own, and it is not a voter that a leaderless majority needs
   * to rejoin as it is (`finishCatchUp`). It looks again when the cluster changes.
   */
  protected nobodyToCatchUpFrom(memberId: string): boolean {
    const m = this.find(memberId);
    if (m?.role !== 'rejoining') return false;
    const leader = this.leader();
    if (leader && this.canTalk(m, leader) && leader.term >= m.term) return false;
    return !(m.voter && !leader && this.majorityGroup()?.includes(m));
  }

  protected finishCatchUp(m: EtcdMember): void {
    if (m.role !== 'rejoining') return;
    // Its catch-up child waits, and the cluster looks again on its next change (`lookAgainForLeader`).
    if (this.nobodyToCatchUpFrom(m.id)) return;
    // Stopped first, so that a catch-up the rest of this starts for it is not the one stopped.
    this.tell({ type: 'CATCH_UP_CANCELLED', memberId: m.id });
    const leader = this.leader();
    if (!leader || !this.canTalk(m, leader) || leader.term < m.term) {
      // No leader to replicate from: a voter that restarted with its log on disk rejoins as a
      // follower as it is, so that the majority can elect the member with the fullest log.
      this.send(m, { type: 'CAUGHT_UP' });
      this.ctx.emit('etcd.member-caught-up', m.id, `etcd member ${m.id} rejoined at index ${m.matchIndex}`, {
        index: m.matchIndex,
        term: m.term,
      });
      this.reconcile();
      return;
    }
    this.observeTerm(m, leader.term);
    this.setLog(m, copyLog(leader.log));
    m.appliedIndex = this.committedIndex;
    this.send(m, { type: 'CAUGHT_UP' });
    this.ctx.emit('etcd.member-caught-up', m.id, `etcd member ${m.id} caught up at index ${m.matchIndex}`, {
      index: m.matchIndex,
      term: m.term,
    });
    this.reconcile();
  }

  /**
   * Disaster recovery after a permanent loss of quorum (etcd's `--force-new-cluster` on the
   * most up-to-date survivor, etcd docs "Disaster recovery"): the lost members leave the
   * membership, the survivors keep what they committed and drop what they had not, and
   * elect a leader; new members then join as learners. Committed writes that only the lost
   * members held are gone — a majority did not survive, so Raft promises nothing — and an
   * `etcd.data-loss` event names them. The rebuilt cluster numbers its terms on from the
   * highest the old one reached, so a term names one leader across the rebuild too.
   */
  forceNewCluster(lostIds: readonly string[]): void {
    const survivors = this.members.filter((m) => m.voter && !lostIds.includes(m.id));
    if (survivors.length === 0) return;
    let best = survivors[0] as EtcdMember;
    for (const m of survivors) if (!atLeastAsUpToDate(best.log, m.log)) best = m;
    const kept = Math.min(this.committedIndex, commonPrefix(best.log, this.committedLog));
    const lostCount = this.committedIndex - kept;
    for (const id of lostIds) {
      const m = this.find(id);
      if (!m) continue;
      this.tell({ type: 'CATCH_UP_CANCELLED', memberId: id });
      this.send(m, { type: 'REMOVED' });
      this.ctx.actors.stop(memberKey(id));
      m.voter = false;
      this.members.splice(this.members.indexOf(m), 1);
    }
    truncateAfter(this.committedLog, kept);
    this.committedIndex = kept;
    this.highestCommitted = kept;
    const lostWrites = this.kv.loseAfter(kept);
    for (const m of this.members) {
      // Uncommitted entries are dropped, as etcd drops them when it forces a new cluster.
      this.setLog(m, copyLog(m.log, kept));
      m.appliedIndex = Math.min(m.appliedIndex, kept);
      this.observeTerm(m, this.highestTerm);
      // A survivor still catching up was fetching entries the lost members held: it now catches
      // up to the rebuilt cluster, or the survivors stay leaderless past the election bound.
      if (m.role === 'rejoining') this.scheduleCatchUp(m);
    }
    this.kv.dropPendingAfter(kept);
    this.ctx.emit(
      'etcd.disaster-recovery',
      best.id,
      `etcd lost its quorum for good: rebuilt from ${survivors.map((m) => m.id).join(', ')} without ${lostIds.join(', ')}${lostCount > 0 ? ` (${lostCount} committed writes lost)` : ''}`,
      { survivors: survivors.map((m) => m.id), removed: [...lostIds], writesLost: lostCount },
    );
    if (lostCount > 0) this.emitDataLoss(kept, lostCount, lostWrites);
    if (lostWrites.length > 0 && this.history) {
      const restored: Record<string, string | null> = {};
      for (const w of lostWrites) restored[w.key] = this.kv.get(w.key);
      this.history.recordLoss(
        this.clock.now(),
        lostWrites.map((w) => w.opId),
        restored,
      );
    }
    this.reconcile();
  }

  protected emitDataLoss(kept: number, lostCount: number, lostWrites: readonly KeyedWrite[]): void {
    this.ctx.emit(
      'etcd.data-loss',
      'etcd',
      `etcd lost ${lostCount} committed writes (indexes ${kept + 1}-${kept + lostCount}) that only lost members held${lostWrites.length > 0 ? `, among them the client writes ${lostWrites.map((w) => `#${w.opId} (${w.key}=${w.value})`).join(', ')}` : ''}`,
      {
        fromIndex: kept + 1,
        toIndex: kept + lostCount,
        lostOpIds: lostWrites.map((w) => w.opId),
      },
    );
  }

  view(): EtcdClusterView {
    const leader = this.leader();
    return {
      members: this.members.map((m) => ({
        id: m.id,
        az: m.az,
        state: m.role,
        role: m.role,
        term: m.term,
        votedFor: m.votedFor,
        size: m.size,
        voter: m.voter,
        matchIndex: m.matchIndex,
        appliedIndex: m.appliedIndex,
        log: copyLog(m.log),
        cpu: round3(m.cpu),
        memory: round3(m.memory),
      })),
      leader: leader?.id ?? null,
      term: this.currentTerm(),
      committedIndex: this.committedIndex,
      highestCommittedIndex: this.highestCommitted,
      committedLog: copyLog(this.committedLog),
      voters: this.voters().length,
      quorum: this.quorum(),
      connectedMajority: this.majorityGroup() !== undefined,
      leaderlessSinceMs: this.phases.getSnapshot().context.leaderlessSinceMs,
      electionBoundMs: ELECTION_BOUND_MS,
      leaderChanges: this.leaderChanges,
      leaders: [...this.leaders],
      commits: this.commits.map((c) => ({ ...c, ackedBy: [...c.ackedBy] })),
    };
  }
}

export const round3 = (x: number): number => Math.round(x * 1000) / 1000;
