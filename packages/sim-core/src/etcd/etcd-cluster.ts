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
import { type Actor, createActor } from 'xstate';
import { ELECTION_BOUND_MS, ETCD_TIMING } from '../control-plane/facts';
import type { TimerHandle, VirtualClock } from '../engine/clock';
import type { SimContext } from '../engine/domain';
import type { Prng } from '../engine/prng';
import type { ClientHistory } from './client-history';
import { type EtcdMemberEvent, type EtcdRole, etcdMemberMachine } from './etcd-member-machine';
import { type KeyedWrite, KvWrites } from './kv-writes';
import {
  append,
  atLeastAsUpToDate,
  commonPrefix,
  copyLog,
  type LogRun,
  lastIndex,
  lastTerm,
  type RaftLog,
  truncateAfter,
} from './raft-log';

export interface EtcdMember {
  readonly id: string;
  readonly az: string;
  size: string;
  role: EtcdRole;
  /** Highest term this member has seen (persisted). */
  term: number;
  /** Whom it voted for in `term` (persisted; null: no vote yet in this term). */
  votedFor: string | null;
  /** Its log (persisted). */
  log: RaftLog;
  /** Index of the last entry of its log. */
  matchIndex: number;
  /** Highest index it knows to be committed (what it has applied). */
  appliedIndex: number;
  /** Voters elect and count towards commits; a learner only replicates. */
  voter: boolean;
  /** When the member entered its current role. */
  roleSinceMs: number;
  cpu: number;
  memory: number;
  readonly actor: Actor<typeof etcdMemberMachine>;
  catchUpTimer?: TimerHandle;
}

export interface EtcdMemberView {
  readonly id: string;
  readonly az: string;
  readonly state: EtcdRole;
  readonly role: EtcdRole;
  readonly term: number;
  readonly votedFor: string | null;
  readonly size: string;
  readonly voter: boolean;
  readonly matchIndex: number;
  readonly appliedIndex: number;
  readonly log: readonly LogRun[];
  readonly cpu: number;
  readonly memory: number;
}

/** One leader of one term: the record the "one leader per term" invariant reads. */
export interface LeaderRecord {
  readonly term: number;
  readonly leader: string;
  readonly atMs: number;
}

/** A run of committed writes under one leader and one membership: what the quorum invariants read. */
export interface CommitRecord {
  readonly atMs: number;
  readonly term: number;
  readonly leader: string;
  readonly fromIndex: number;
  toIndex: number;
  /** Voters that held the batch when it committed (leader included). */
  readonly ackedBy: readonly string[];
  readonly voters: number;
  /** Membership/connectivity epoch the record was made in (a change starts a new record). */
  readonly epoch: number;
}

export interface EtcdClusterView {
  readonly members: readonly EtcdMemberView[];
  readonly leader: string | null;
  readonly term: number;
  readonly committedIndex: number;
  /** Highest index ever committed (never above what a surviving majority holds). */
  readonly highestCommittedIndex: number;
  /** The committed entries (index and term), as the leaders committed them. */
  readonly committedLog: readonly LogRun[];
  readonly voters: number;
  readonly quorum: number;
  /** Whether a majority of the voters is up and can talk to each other. */
  readonly connectedMajority: boolean;
  /** Since when a connected majority has had no leader (null: it has one, or there is no majority). */
  readonly leaderlessSinceMs: number | null;
  readonly electionBoundMs: number;
  readonly leaderChanges: number;
  readonly leaders: readonly LeaderRecord[];
  readonly commits: readonly CommitRecord[];
}

/** What became of a keyed write sent to the leader (`propose`). */
export type ProposeOutcome =
  /** Committed: the client is told it succeeded. */
  | 'ok'
  /** Never entered a log (no leader reachable): the client is told it failed. */
  | 'fail'
  /** In the leader's log but not committed (the leader lost its majority): the client times out. */
  | 'unknown';

const HISTORY_LIMIT = 200;

function pushBounded<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > HISTORY_LIMIT) list.shift();
}

export class EtcdCluster {
  private readonly members: EtcdMember[] = [];
  private committedIndex = 0;
  private highestCommitted = 0;
  private readonly committedLog: RaftLog = [];
  /** Highest term any member ever held, kept across rebuilds (see `forceNewCluster`). */
  private highestTerm = 0;
  private readonly leaders: LeaderRecord[] = [];
  private readonly commits: CommitRecord[] = [];
  private readonly kv = new KvWrites();
  private electionTimer: TimerHandle | undefined;
  private stepDownTimer: TimerHandle | undefined;
  private leaderlessSinceMs: number | null = null;
  leaderChanges = 0;
  private readonly rng: Prng;
  private readonly clock: VirtualClock;
  /** Where keyed client operations are recorded, when the client history is on. */
  history: ClientHistory | undefined;
  /** Called after every change of leadership or membership (the domain moves its operations on). */
  onChange: (() => void) | undefined;
  /** Bumped on every change of members, roles or connectivity. */
  private epoch = 0;

  constructor(
    private readonly ctx: SimContext,
    /** Whether two AZs can talk (both up, not partitioned apart). */
    private readonly reachable: (azA: string, azB: string) => boolean,
  ) {
    this.rng = ctx.rng('etcd');
    this.clock = ctx.clock;
  }

  get all(): readonly EtcdMember[] {
    return this.members;
  }

  find(id: string): EtcdMember | undefined {
    return this.members.find((m) => m.id === id);
  }

  voters(): EtcdMember[] {
    return this.members.filter((m) => m.voter);
  }

  quorum(): number {
    return Math.floor(this.voters().length / 2) + 1;
  }

  /** The leader of the highest term (a deposed leader cut off in a minority may not know yet). */
  leader(): EtcdMember | undefined {
    let best: EtcdMember | undefined;
    for (const m of this.members) if (m.role === 'leader' && (!best || m.term > best.term)) best = m;
    return best;
  }

  get index(): number {
    return this.committedIndex;
  }

  currentTerm(): number {
    return this.members.reduce((t, m) => Math.max(t, m.term), 0);
  }

  private send(member: EtcdMember, event: EtcdMemberEvent): void {
    member.actor.send(event);
    const role = member.actor.getSnapshot().value as EtcdRole;
    if (role !== member.role) {
      member.roleSinceMs = this.clock.now();
      this.epoch++;
    }
    member.role = role;
  }

  /** Raft's rule for every message (§5.1): a higher term is adopted, and the vote of the old term forgotten. */
  private observeTerm(m: EtcdMember, term: number): void {
    if (term <= m.term) return;
    m.term = term;
    m.votedFor = null;
    if (term > this.highestTerm) this.highestTerm = term;
    // A leader or candidate steps down; the member machine ignores it in any other role.
    this.send(m, { type: 'HEARD_FROM_LEADER' });
  }

  /** Removed members leave `members` at once, so a member in it is up unless it is down. */
  private isUp(m: EtcdMember): boolean {
    return m.role !== 'down';
  }

  private canTalk(a: EtcdMember, b: EtcdMember): boolean {
    return this.isUp(a) && this.isUp(b) && (a.az === b.az || this.reachable(a.az, b.az));
  }

  /** Up members that `m` can reach (itself included). */
  private peersOf(m: EtcdMember): EtcdMember[] {
    return this.members.filter((o) => o === m || this.canTalk(m, o));
  }

  /** Voters that can reach `m`, itself included if it votes. */
  private votersReaching(m: EtcdMember): number {
    return this.peersOf(m).filter((o) => o.voter).length;
  }

  /** The voters of the largest group that can talk to each other, if it is a majority. */
  private majorityGroup(): EtcdMember[] | undefined {
    const quorum = this.quorum();
    for (const m of this.voters()) {
      if (!this.isUp(m)) continue;
      const group = this.peersOf(m).filter((o) => o.voter);
      if (group.length >= quorum) return group;
    }
    return undefined;
  }

  private setLog(m: EtcdMember, log: RaftLog): void {
    m.log = log;
    m.matchIndex = lastIndex(log);
  }

  /**
   * Adds a member. `bootstrap` members start as caught-up voters (a cluster that exists at
   * t0); others join as learners and catch up first.
   */
  addMember(id: string, az: string, size: string, opts: { bootstrap?: boolean } = {}): EtcdMember {
    const actor = createActor(etcdMemberMachine, { clock: this.clock.xstate });
    actor.start();
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

  /** Bootstraps the first leader at once (a cluster that already runs at t0). */
  bootstrapLeader(): void {
    const first = this.voters().find((m) => this.isUp(m));
    if (first) this.campaign(first);
  }

  crash(id: string, reason: string): boolean {
    const m = this.find(id);
    if (!m || !this.isUp(m)) return false;
    const wasLeader = m.role === 'leader';
    this.clock.cancel(m.catchUpTimer);
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
    return true;
  }

  /** Removes a member from the cluster (its instance is terminated). */
  remove(id: string): void {
    const m = this.find(id);
    if (!m) return;
    this.clock.cancel(m.catchUpTimer);
    this.send(m, { type: 'REMOVED' });
    m.actor.stop();
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

  /** Whether `m` takes the leader's entries now (up, caught up, connected, not ahead in term). */
  private holdsLog(leader: EtcdMember, m: EtcdMember): boolean {
    return (m.role === 'follower' || m.role === 'leader') && m.term <= leader.term && this.canTalk(leader, m);
  }

  /**
   * The leader appends `count` entries and sends them to every member that takes its log
   * (AppendEntries: a follower whose last entry matches the leader's appends; any other is
   * brought to the leader's log, dropping entries that conflict, Raft §5.3). Returns whether
   * a majority of the voters holds them, and so whether they committed.
   */
  private replicate(leader: EtcdMember, count: number): boolean {
    const prevIndex = leader.matchIndex;
    const prevTerm = lastTerm(leader.log);
    append(leader.log, leader.term, count);
    leader.matchIndex = lastIndex(leader.log);
    let acks = 0;
    let voters = 0;
    for (const m of this.members) {
      if (m.voter) voters++;
      if (!this.holdsLog(leader, m)) continue;
      if (m.voter) acks++;
      if (m === leader) continue;
      this.observeTerm(m, leader.term);
      if (m.matchIndex === prevIndex && lastTerm(m.log) === prevTerm) {
        append(m.log, leader.term, count);
        m.matchIndex = leader.matchIndex;
      } else this.setLog(m, copyLog(leader.log));
    }
    return acks >= Math.floor(voters / 2) + 1;
  }

  /** Marks the leader's log as committed up to its end, as every member that took it knows. */
  private advanceCommit(leader: EtcdMember): void {
    const to = leader.matchIndex;
    if (to <= this.committedIndex) return;
    // Only extended, never rewritten: a leader that disagreed with it would break Leader
    // Completeness, and the invariants must see that rather than have it papered over.
    const have = lastIndex(this.committedLog);
    // Hot path: start from the leader's last runs (usually only the last one is new).
    let first = leader.log.length;
    while (first > 0 && (leader.log[first - 1] as LogRun).toIndex > have) first--;
    for (let i = first; i < leader.log.length; i++) {
      const run = leader.log[i] as LogRun;
      append(this.committedLog, run.term, run.toIndex - lastIndex(this.committedLog));
    }
    this.committedIndex = to;
    this.highestCommitted = Math.max(this.highestCommitted, to);
    for (const m of this.members) if (this.holdsLog(leader, m)) m.appliedIndex = to;
    this.kv.commitUpTo(this.committedLog, to);
  }

  /**
   * Commits `count` writes through the leader if it reaches a majority of the voters; returns
   * how many committed (0 without quorum: the API server answers 503).
   */
  commit(count: number): number {
    const leader = this.leader();
    if (!leader || count <= 0) return 0;
    // Hot path (every load tick): loops, no allocation unless the set of ackers changed.
    let acks = 0;
    let voters = 0;
    for (const m of this.members) {
      if (m.voter) voters++;
      if (m.voter && this.holdsLog(leader, m)) acks++;
    }
    if (acks < Math.floor(voters / 2) + 1) return 0;
    const from = this.committedIndex + 1;
    this.replicate(leader, count);
    this.advanceCommit(leader);
    this.recordCommit(leader, from, voters);
    return count;
  }

  private recordCommit(leader: EtcdMember, from: number, voters: number): void {
    const last = this.commits[this.commits.length - 1];
    if (last && last.epoch === this.epoch) {
      // Same roles (so the same leader), members and connectivity: one record covers the whole run of batches.
      last.toIndex = this.committedIndex;
      return;
    }
    const ackedBy: string[] = [];
    for (const m of this.members) if (m.voter && this.holdsLog(leader, m)) ackedBy.push(m.id);
    pushBounded(this.commits, {
      atMs: this.clock.now(),
      term: leader.term,
      leader: leader.id,
      fromIndex: from,
      toIndex: this.committedIndex,
      ackedBy,
      voters,
      epoch: this.epoch,
    });
  }

  /** The leader an API server in `az` reaches (the highest-term one it can talk to). */
  private leaderFrom(az: string): EtcdMember | undefined {
    let best: EtcdMember | undefined;
    for (const m of this.members) {
      if (m.role !== 'leader' || (m.az !== az && !this.reachable(az, m.az))) continue;
      if (!best || m.term > best.term) best = m;
    }
    return best;
  }

  /**
   * A keyed write from an API server in `az`. The leader it reaches appends it; it commits
   * if that leader holds it with a majority, else it waits in the leader's log (the client
   * times out: unknown) until the leader commits it or a new leader overwrites it.
   */
  propose(az: string, write: { opId: number; key: string; value: string }): ProposeOutcome {
    const leader = this.leaderFrom(az);
    if (!leader) return 'fail';
    let voters = 0;
    for (const m of this.members) if (m.voter) voters++;
    const from = this.committedIndex + 1;
    const committed = this.replicate(leader, 1);
    this.kv.add({ ...write, index: leader.matchIndex, term: leader.term });
    if (!committed) return 'unknown';
    this.advanceCommit(leader);
    this.recordCommit(leader, from, voters);
    return 'ok';
  }

  /**
   * A linearizable read from an API server in `az` (etcd's ReadIndex: the leader confirms it
   * still leads a majority, then answers from its committed state). Undefined: no answer.
   */
  read(az: string, key: string): { value: string | null } | undefined {
    // The leader it reaches is the leader of the highest term, and it still holds a majority.
    if (!this.canCommitFrom(az)) return undefined;
    return { value: this.kv.get(key) };
  }

  /** Whether an API server in `az` can have a write committed now. */
  canCommitFrom(az: string): boolean {
    const leader = this.leader();
    if (!leader) return false;
    if (leader.az !== az && !this.reachable(az, leader.az)) return false;
    let acks = 0;
    let voters = 0;
    for (const m of this.members) {
      if (m.voter) voters++;
      if (m.voter && this.holdsLog(leader, m)) acks++;
    }
    return acks >= Math.floor(voters / 2) + 1;
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
      this.clock.cancel(m.catchUpTimer);
      this.send(m, { type: 'REMOVED' });
      m.actor.stop();
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

  private emitDataLoss(kept: number, lostCount: number, lostWrites: readonly KeyedWrite[]): void {
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

  /** Whether `m` can reach a majority of the voters (itself included). */
  reachesMajority(m: EtcdMember): boolean {
    return this.votersReaching(m) >= this.quorum();
  }

  /** Whether every voter is up and caught up: the precondition of a planned replacement. */
  allVotersHealthy(): boolean {
    return this.voters().every((m) => m.role === 'follower' || m.role === 'leader') && this.leader() !== undefined;
  }

  private scheduleCatchUp(m: EtcdMember): void {
    this.clock.cancel(m.catchUpTimer);
    const behind = Math.max(0, this.committedIndex - m.matchIndex);
    const ms = ETCD_TIMING.catchUpBaseMs + Math.ceil((behind / ETCD_TIMING.catchUpEntriesPerSec) * 1000);
    m.catchUpTimer = this.clock.after(ms, () => this.finishCatchUp(m));
  }

  private finishCatchUp(m: EtcdMember): void {
    m.catchUpTimer = undefined;
    if (m.role !== 'rejoining') return;
    const leader = this.leader();
    if (!leader || !this.canTalk(m, leader) || leader.term < m.term) {
      if (m.voter && !leader && this.majorityGroup()?.includes(m)) {
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
      // Nobody to replicate from: try again after an election timeout.
      m.catchUpTimer = this.clock.after(ETCD_TIMING.electionTimeoutMs.max, () => this.finishCatchUp(m));
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
   * `candidate` starts a new term, votes for itself and asks every voter it reaches (Raft
   * §5.2). A voter grants its vote once per term, to a candidate whose log is at least as up
   * to date as its own; a voter with a higher term refuses and the candidate adopts that term.
   * Returns whether it won a majority of the voters.
   */
  private campaign(candidate: EtcdMember): boolean {
    const term = candidate.term + 1;
    this.observeTerm(candidate, term);
    candidate.votedFor = candidate.id;
    this.send(candidate, { type: 'ELECTION_TIMEOUT' });
    let votes = candidate.voter ? 1 : 0;
    for (const voter of this.peersOf(candidate)) {
      if (voter === candidate || !voter.voter) continue;
      if (voter.term > term) {
        this.observeTerm(candidate, voter.term);
        return false;
      }
      this.observeTerm(voter, term);
      if (voter.votedFor !== null && voter.votedFor !== candidate.id) continue;
      if (!atLeastAsUpToDate(candidate.log, voter.log)) continue;
      voter.votedFor = candidate.id;
      votes++;
    }
    if (votes < this.quorum()) {
      if (candidate.role === 'candidate') this.send(candidate, { type: 'LOST_QUORUM' });
      return false;
    }
    this.send(candidate, { type: 'WON_ELECTION' });
    this.leaderChanges++;
    pushBounded(this.leaders, { term, leader: candidate.id, atMs: this.clock.now() });
    this.ctx.emit('etcd.leader-elected', candidate.id, `etcd member ${candidate.id} is the leader for term ${term}`, {
      term,
      az: candidate.az,
      votes,
    });
    // Entries it holds from earlier terms commit with its first write of this term (§5.4.2).
    return true;
  }

  /**
   * Re-evaluates who leads after any change of members or connectivity: a leader that meets
   * a higher term steps down; an isolated leader steps down after an election timeout
   * (check-quorum); a connected majority without a leader elects one after a randomized
   * timeout. Pre-vote keeps a minority from bumping terms.
   */
  reconcile(): void {
    this.epoch++;
    this.reconcileLeadership();
    this.onChange?.();
  }

  private reconcileLeadership(): void {
    const now = this.clock.now();
    for (const m of this.members) {
      if (m.role !== 'leader') continue;
      let higher = m.term;
      for (const o of this.members) if (o.term > higher && this.canTalk(m, o)) higher = o.term;
      if (higher > m.term) {
        this.observeTerm(m, higher);
        this.ctx.emit('etcd.leader-stepped-down', m.id, `etcd leader ${m.id} saw term ${higher} and stepped down`, {
          term: higher,
        });
      }
    }
    const leader = this.leader();
    const quorum = this.quorum();
    if (leader && this.votersReaching(leader) < quorum) {
      if (!this.stepDownTimer) {
        this.stepDownTimer = this.clock.after(ETCD_TIMING.electionTimeoutMs.min, () => {
          this.stepDownTimer = undefined;
          for (const l of this.members) {
            if (l.role !== 'leader' || this.votersReaching(l) >= this.quorum()) continue;
            this.send(l, { type: 'LOST_QUORUM' });
            this.ctx.emit('etcd.leader-stepped-down', l.id, `etcd leader ${l.id} lost contact with a majority`, {
              term: l.term,
            });
          }
          this.reconcile();
        });
      }
    } else {
      this.clock.cancel(this.stepDownTimer);
      this.stepDownTimer = undefined;
    }

    const group = this.majorityGroup();
    const groupLeader = group?.find((m) => m.role === 'leader');
    if (group && !groupLeader) {
      this.leaderlessSinceMs ??= now;
      if (!this.electionTimer) {
        const timeout = this.rng.int(ETCD_TIMING.electionTimeoutMs.min, ETCD_TIMING.electionTimeoutMs.max);
        this.electionTimer = this.clock.after(timeout, () => this.runElection());
      }
    } else {
      this.leaderlessSinceMs = null;
      this.clock.cancel(this.electionTimer);
      this.electionTimer = undefined;
    }
  }

  /**
   * The member whose randomized timer fires first stands. Timers are modelled as firing
   * first on a member that can win (one whose log is the most up to date of the group), as
   * an election with a stale candidate only delays the next one; the votes decide.
   */
  private runElection(): void {
    this.electionTimer = undefined;
    const group = this.majorityGroup();
    if (!group || group.some((m) => m.role === 'leader')) {
      this.reconcile();
      return;
    }
    // A stale leader in the minority is still stepping down; the majority moves on.
    const eligible = group.filter((m) => m.role === 'follower' || m.role === 'candidate');
    const upToDate = eligible.filter((m) => eligible.every((o) => atLeastAsUpToDate(m.log, o.log)));
    const candidate = upToDate.length > 0 ? this.rng.pick(upToDate) : undefined;
    if (candidate && !this.campaign(candidate)) {
      this.ctx.emit(
        'etcd.election-failed',
        candidate.id,
        `etcd member ${candidate.id} did not win term ${candidate.term}`,
      );
    }
    this.reconcile();
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
      leaderlessSinceMs: this.leaderlessSinceMs,
      electionBoundMs: ELECTION_BOUND_MS,
      leaderChanges: this.leaderChanges,
      leaders: [...this.leaders],
      commits: this.commits.map((c) => ({ ...c, ackedBy: [...c.ackedBy] })),
    };
  }
}

export const round3 = (x: number): number => Math.round(x * 1000) / 1000;
