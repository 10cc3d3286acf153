/**
 * What every part of the etcd cluster (`etcd-cluster.ts`) reads: its members with their
 * persisted terms, votes and logs, who leads, who can reach whom, and the majorities that
 * follows from it. Raft's term rule (§5.1) lives here, as every message obeys it.
 */
import type { Actor } from 'xstate';
import type { VirtualClock } from '../engine/clock';
import type { SimContext } from '../engine/domain';
import type { Prng } from '../engine/prng';
import type { ClientHistory } from './client-history';
import type { EtcdClusterEvent, etcdClusterMachine } from './etcd-cluster-machine';
import type { EtcdMemberEvent, EtcdRole } from './etcd-member-machine';
import type { CommitRecord, EtcdMember, LeaderRecord, SavedEtcdMember, SavedEtcdRecords } from './etcd-types';
import { KvWrites } from './kv-writes';
import { copyLog, lastIndex, type RaftLog } from './raft-log';

const HISTORY_LIMIT = 200;

/** Appends to a record kept for the invariants, dropping the oldest past 200. */
export function pushBounded<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > HISTORY_LIMIT) list.shift();
}

export abstract class ClusterState {
  protected readonly members: EtcdMember[] = [];
  protected committedIndex = 0;
  protected highestCommitted = 0;
  protected readonly committedLog: RaftLog = [];
  /** Highest term any member ever held, kept across rebuilds (see `forceNewCluster`). */
  protected highestTerm = 0;
  protected readonly leaders: LeaderRecord[] = [];
  protected readonly commits: CommitRecord[] = [];
  protected readonly kv = new KvWrites();
  leaderChanges = 0;
  protected readonly rng: Prng;
  protected readonly clock: VirtualClock;
  /** Where keyed client operations are recorded, when the client history is on. */
  history: ClientHistory | undefined;
  /** Called after every change of leadership or membership (the domain moves its operations on). */
  onChange: (() => void) | undefined;
  /** Bumped on every change of members, roles or connectivity. */
  protected epoch = 0;
  /** The cluster's phases and timing (`etcd-cluster-machine.ts`): when to elect, step down, catch up, rebuild. */
  abstract readonly phases: Actor<typeof etcdClusterMachine>;

  constructor(
    protected readonly ctx: SimContext,
    /** Whether two AZs can talk (both up, not partitioned apart). */
    protected readonly reachable: (azA: string, azB: string) => boolean,
  ) {
    this.rng = ctx.rng('etcd');
    this.clock = ctx.clock;
  }

  /**
   * Tells the cluster's machine. Sent while the machine itself is acting (from what it said was
   * due), an event waits until that is done, so each carries the facts of when it was sent.
   */
  protected tell(event: EtcdClusterEvent): void {
    this.phases.send(event);
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

  protected send(member: EtcdMember, event: EtcdMemberEvent): void {
    member.actor.send(event);
    const role = member.actor.getSnapshot().value as EtcdRole;
    if (role !== member.role) {
      member.roleSinceMs = this.clock.now();
      this.epoch++;
    }
    member.role = role;
  }

  /** Raft's rule for every message (§5.1): a higher term is adopted, and the vote of the old term forgotten. */
  protected observeTerm(m: EtcdMember, term: number): void {
    if (term <= m.term) return;
    m.term = term;
    m.votedFor = null;
    if (term > this.highestTerm) this.highestTerm = term;
    // A leader or candidate steps down; the member machine ignores it in any other role.
    this.send(m, { type: 'HEARD_FROM_LEADER' });
  }

  /** Removed members leave `members` at once, so a member in it is up unless it is down. */
  protected isUp(m: EtcdMember): boolean {
    return m.role !== 'down';
  }

  protected canTalk(a: EtcdMember, b: EtcdMember): boolean {
    return this.isUp(a) && this.isUp(b) && (a.az === b.az || this.reachable(a.az, b.az));
  }

  /** Up members that `m` can reach (itself included). */
  protected peersOf(m: EtcdMember): EtcdMember[] {
    return this.members.filter((o) => o === m || this.canTalk(m, o));
  }

  /** Voters that can reach `m`, itself included if it votes. */
  protected votersReaching(m: EtcdMember): number {
    return this.peersOf(m).filter((o) => o.voter).length;
  }

  /** The voters of the largest group that can talk to each other, if it is a majority. */
  protected majorityGroup(): EtcdMember[] | undefined {
    const quorum = this.quorum();
    for (const m of this.voters()) {
      if (!this.isUp(m)) continue;
      const group = this.peersOf(m).filter((o) => o.voter);
      if (group.length >= quorum) return group;
    }
    return undefined;
  }

  protected setLog(m: EtcdMember, log: RaftLog): void {
    m.log = log;
    m.matchIndex = lastIndex(log);
  }

  /** Whether `m` can reach a majority of the voters (itself included). */
  reachesMajority(m: EtcdMember): boolean {
    return this.votersReaching(m) >= this.quorum();
  }

  /** The records as plain JSON: members with their persisted terms, votes and logs, commits, keyed writes. */
  saveRecords(): SavedEtcdRecords {
    return {
      members: this.members.map(({ actor: _actor, ...m }) => ({ ...m, log: copyLog(m.log) })),
      committedIndex: this.committedIndex,
      highestCommitted: this.highestCommitted,
      committedLog: copyLog(this.committedLog),
      highestTerm: this.highestTerm,
      leaders: this.leaders.map((l) => ({ ...l })),
      commits: this.commits.map((c) => ({ ...c, ackedBy: [...c.ackedBy] })),
      kv: this.kv.save(),
      leaderChanges: this.leaderChanges,
      epoch: this.epoch,
    };
  }

  /** Puts saved records back; `actorOf` gives each member its machine, in the role it was saved in. */
  protected restoreRecords(saved: SavedEtcdRecords, actorOf: (m: SavedEtcdMember) => EtcdMember['actor']): void {
    this.members.length = 0;
    for (const m of saved.members) this.members.push({ ...m, log: copyLog(m.log), actor: actorOf(m) });
    this.committedIndex = saved.committedIndex;
    this.highestCommitted = saved.highestCommitted;
    this.committedLog.length = 0;
    this.committedLog.push(...copyLog(saved.committedLog));
    this.highestTerm = saved.highestTerm;
    this.leaders.length = 0;
    this.leaders.push(...saved.leaders.map((l) => ({ ...l })));
    this.commits.length = 0;
    this.commits.push(...saved.commits.map((c) => ({ ...c, ackedBy: [...c.ackedBy] })));
    this.kv.restore(saved.kv);
    this.leaderChanges = saved.leaderChanges;
    this.epoch = saved.epoch;
  }

  /** Whether every voter is up and caught up: the precondition of a planned replacement. */
  allVotersHealthy(): boolean {
    return this.voters().every((m) => m.role === 'follower' || m.role === 'leader') && this.leader() !== undefined;
  }
}
