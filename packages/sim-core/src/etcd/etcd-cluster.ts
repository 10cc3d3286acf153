/**
 * The etcd cluster of the control plane (seed §3.1, eks-facts §3): Raft reduced to what a
 * class can watch. Members have terms and a log index; elections run on seeded randomized
 * timeouts on simulated time; a write commits only when the leader reaches a majority of
 * the voters; a returning member catches up before it counts again. Membership changes go
 * through learners (join without a vote, catch up, then swap with the member they replace),
 * so the voter count never drops below three during a replacement.
 */
import { type Actor, createActor } from 'xstate';
import { ELECTION_BOUND_MS, ETCD_TIMING } from '../control-plane/facts';
import type { TimerHandle, VirtualClock } from '../engine/clock';
import type { SimContext } from '../engine/domain';
import type { Prng } from '../engine/prng';
import { type EtcdMemberEvent, type EtcdRole, etcdMemberMachine } from './etcd-member-machine';

export interface EtcdMember {
  readonly id: string;
  readonly az: string;
  size: string;
  role: EtcdRole;
  /** Highest term this member has seen. */
  term: number;
  /** Index of the last committed write this member holds. */
  matchIndex: number;
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
  readonly size: string;
  readonly voter: boolean;
  readonly matchIndex: number;
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

const HISTORY_LIMIT = 200;

function pushBounded<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > HISTORY_LIMIT) list.shift();
}

export class EtcdCluster {
  private readonly members: EtcdMember[] = [];
  private committedIndex = 0;
  private highestCommitted = 0;
  private readonly leaders: LeaderRecord[] = [];
  private readonly commits: CommitRecord[] = [];
  private electionTimer: TimerHandle | undefined;
  private stepDownTimer: TimerHandle | undefined;
  private leaderlessSinceMs: number | null = null;
  leaderChanges = 0;
  private readonly rng: Prng;
  private readonly clock: VirtualClock;

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
    return this.members.filter((m) => m.voter && m.role !== 'removed');
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

  private send(member: EtcdMember, event: EtcdMemberEvent): void {
    member.actor.send(event);
    const role = member.actor.getSnapshot().value as EtcdRole;
    if (role !== member.role) {
      member.roleSinceMs = this.clock.now();
      this.epoch++;
    }
    member.role = role;
  }

  private isUp(m: EtcdMember): boolean {
    return m.role !== 'down' && m.role !== 'removed';
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
      term: this.currentTerm(),
      matchIndex: 0,
      voter: opts.bootstrap === true,
      roleSinceMs: this.clock.now(),
      cpu: 0,
      memory: 0,
      actor,
    };
    this.members.push(member);
    if (opts.bootstrap) {
      member.matchIndex = this.committedIndex;
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
    if (first) this.elect(first, this.currentTerm() + 1);
  }

  currentTerm(): number {
    return this.members.reduce((t, m) => Math.max(t, m.term), 0);
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
      behindBy: this.committedIndex - m.matchIndex,
    });
    this.scheduleCatchUp(m);
    return true;
  }

  /** Removes a member from the cluster (its instance is terminated). */
  remove(id: string): void {
    const m = this.find(id);
    if (!m || m.role === 'removed') return;
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
      if (m.voter && m.role !== 'removed') voters++;
      if (m.voter && this.holdsLog(leader, m)) acks++;
    }
    if (acks < Math.floor(voters / 2) + 1) return 0;
    const from = this.committedIndex + 1;
    this.committedIndex += count;
    this.highestCommitted = Math.max(this.highestCommitted, this.committedIndex);
    for (const m of this.members) if (this.holdsLog(leader, m)) m.matchIndex = this.committedIndex;
    const last = this.commits[this.commits.length - 1];
    if (last && last.epoch === this.epoch && last.leader === leader.id && last.term === leader.term) {
      // Same leader, same members, same connectivity: one record covers the whole run of batches.
      last.toIndex = this.committedIndex;
      return count;
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
    return count;
  }

  /** Whether `m` receives the leader's log now (connected and caught up). */
  private holdsLog(leader: EtcdMember, m: EtcdMember): boolean {
    return (m.role === 'follower' || m.role === 'leader') && (m === leader || this.canTalk(leader, m));
  }

  /** Whether an API server in `az` can have a write committed now. */
  canCommitFrom(az: string): boolean {
    const leader = this.leader();
    if (!leader) return false;
    if (leader.az !== az && !this.reachable(az, leader.az)) return false;
    let acks = 0;
    let voters = 0;
    for (const m of this.members) {
      if (m.voter && m.role !== 'removed') voters++;
      if (m.voter && this.holdsLog(leader, m)) acks++;
    }
    return acks >= Math.floor(voters / 2) + 1;
  }

  /**
   * Disaster recovery after a permanent loss of quorum (etcd's `--force-new-cluster`): the
   * lost members leave the membership, so the survivors are a majority again and elect a
   * leader; new members then join as learners. Writes only the lost members held are gone
   * (a majority did not survive: Raft promises nothing then), and the event says how many.
   */
  forceNewCluster(lostIds: readonly string[]): void {
    const survivors = this.members.filter((m) => m.voter && !lostIds.includes(m.id));
    if (survivors.length === 0) return;
    const best = Math.max(...survivors.map((m) => m.matchIndex));
    const lost = this.committedIndex - best;
    for (const id of lostIds) {
      const m = this.find(id);
      if (!m) continue;
      this.clock.cancel(m.catchUpTimer);
      this.send(m, { type: 'REMOVED' });
      m.actor.stop();
      m.voter = false;
      this.members.splice(this.members.indexOf(m), 1);
    }
    this.committedIndex = best;
    this.highestCommitted = best;
    this.ctx.emit(
      'etcd.disaster-recovery',
      survivors[0]?.id ?? 'etcd',
      `etcd lost its quorum for good: rebuilt from ${survivors.map((m) => m.id).join(', ')} without ${lostIds.join(', ')}${lost > 0 ? ` (${lost} committed writes lost)` : ''}`,
      { survivors: survivors.map((m) => m.id), removed: [...lostIds], writesLost: lost },
    );
    this.reconcile();
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
    if (!leader || !this.canTalk(m, leader)) {
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
    m.matchIndex = this.committedIndex;
    m.term = leader.term;
    this.send(m, { type: 'CAUGHT_UP' });
    this.ctx.emit('etcd.member-caught-up', m.id, `etcd member ${m.id} caught up at index ${m.matchIndex}`, {
      index: m.matchIndex,
      term: m.term,
    });
    this.reconcile();
  }

  private elect(m: EtcdMember, term: number): void {
    for (const other of this.peersOf(m)) {
      if (other.role === 'rejoining') continue;
      other.term = term;
      if (other !== m && (other.role === 'leader' || other.role === 'candidate')) {
        this.send(other, { type: 'HEARD_FROM_LEADER' });
      }
    }
    m.term = term;
    if (m.role === 'follower') this.send(m, { type: 'ELECTION_TIMEOUT' });
    this.send(m, { type: 'WON_ELECTION' });
    this.leaderChanges++;
    pushBounded(this.leaders, { term, leader: m.id, atMs: this.clock.now() });
    this.ctx.emit('etcd.leader-elected', m.id, `etcd member ${m.id} is the leader for term ${term}`, {
      term,
      az: m.az,
      votes: this.votersReaching(m),
    });
  }

  /**
   * Re-evaluates who leads after any change of members or connectivity: an isolated leader
   * steps down after an election timeout (check-quorum); a connected majority without a
   * leader elects one after a randomized timeout. Pre-vote keeps a minority from bumping terms.
   */
  /** Called after every change of leadership or membership (the domain moves its operations on). */
  onChange: (() => void) | undefined;

  /** Bumped on every change of members, roles or connectivity. */
  private epoch = 0;

  reconcile(): void {
    this.epoch++;
    this.reconcileLeadership();
    this.onChange?.();
  }

  private reconcileLeadership(): void {
    const now = this.clock.now();
    const leader = this.leader();
    const quorum = this.quorum();
    if (leader && this.votersReaching(leader) < quorum) {
      if (!this.stepDownTimer) {
        this.stepDownTimer = this.clock.after(ETCD_TIMING.electionTimeoutMs.min, () => {
          this.stepDownTimer = undefined;
          const l = this.leader();
          if (l && this.votersReaching(l) < this.quorum()) {
            this.send(l, { type: 'LOST_QUORUM' });
            this.ctx.emit('etcd.leader-stepped-down', l.id, `etcd leader ${l.id} lost contact with a majority`, {
              term: l.term,
            });
          }
          this.reconcile();
        });
      }
    } else if (this.stepDownTimer) {
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
      if (this.electionTimer) {
        this.clock.cancel(this.electionTimer);
        this.electionTimer = undefined;
      }
    }
  }

  /**
   * The follower whose randomized timer fires first stands; voters grant their vote only to a
   * candidate whose log is at least as complete as their own (Raft §5.4.1).
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
    const best = Math.max(...eligible.map((m) => m.matchIndex));
    const upToDate = eligible.filter((m) => m.matchIndex === best);
    if (upToDate.length === 0) {
      this.reconcile();
      return;
    }
    const candidate = this.rng.pick(upToDate);
    const term = this.currentTerm() + 1;
    const votes = group.filter((m) => m.matchIndex <= candidate.matchIndex).length;
    if (votes >= this.quorum()) this.elect(candidate, term);
    else this.ctx.emit('etcd.election-failed', candidate.id, `etcd member ${candidate.id} did not win term ${term}`);
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
        size: m.size,
        voter: m.voter,
        matchIndex: m.matchIndex,
        cpu: round3(m.cpu),
        memory: round3(m.memory),
      })),
      leader: leader?.id ?? null,
      term: this.currentTerm(),
      committedIndex: this.committedIndex,
      highestCommittedIndex: this.highestCommitted,
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
