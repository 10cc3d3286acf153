/**
 * Replication and commit (Raft §5.3, §5.4.2): the leader appends entries and sends them to
 * every member that takes its log; an entry commits once a majority of the voters holds it.
 * Keyed client writes and linearizable reads go through the same path.
 */
import { ClusterState, pushBounded } from './cluster-state';
import type { EtcdMember, ProposeOutcome } from './etcd-types';
import { append, copyLog, type LogRun, lastIndex, lastTerm } from './raft-log';

export abstract class Replication extends ClusterState {
  /** Whether `m` takes the leader's entries now (up, caught up, connected, not ahead in term). */
  protected holdsLog(leader: EtcdMember, m: EtcdMember): boolean {
    return (m.role === 'follower' || m.role === 'leader') && m.term <= leader.term && this.canTalk(leader, m);
  }

  /**
   * The leader appends `count` entries and sends them to every member that takes its log
   * (AppendEntries: a follower whose last entry matches the leader's appends; any other is
   * brought to the leader's log, dropping entries that conflict, Raft §5.3). Returns whether
   * a majority of the voters holds them, and so whether they committed.
   */
  protected replicate(leader: EtcdMember, count: number): boolean {
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
  protected advanceCommit(leader: EtcdMember): void {
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

  protected recordCommit(leader: EtcdMember, from: number, voters: number): void {
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
  protected leaderFrom(az: string): EtcdMember | undefined {
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
}
