/**
 * Elections and leadership (Raft §5.2, §5.4.1, with etcd's pre-vote and check-quorum): who
 * stands, who votes for whom, and which leaders step down. When a leaderless majority elects
 * (after a seeded randomized timeout) and when a cut-off leader steps down is the cluster
 * machine's (`etcd-cluster-machine.ts`).
 */

import { pushBounded } from './cluster-state';
import type { EtcdMember } from './etcd-types';
import { atLeastAsUpToDate } from './raft-log';
import { Replication } from './replication';

export abstract class Elections extends Replication {
  /**
   * Bootstraps the first leader at once (a cluster that already runs at t0). It is elected as
   * any leader is, so its empty entry is committed at index 1: a bootstrapped etcd cluster has
   * committed entries before any client write too (its initial members' configuration).
   */
  bootstrapLeader(): void {
    const first = this.voters().find((m) => this.isUp(m));
    if (first) this.campaign(first);
  }

  /**
   * `candidate` starts a new term, votes for itself and asks every voter it reaches (Raft
   * §5.2). A voter grants its vote once per term, to a candidate whose log is at least as up
   * to date as its own; a voter with a higher term refuses and the candidate adopts that term.
   * Returns whether it won a majority of the voters.
   */
  protected campaign(candidate: EtcdMember): boolean {
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
    // etcd's new leader appends an empty entry of its term at once (Raft §8). Committing it
    // commits what earlier terms left (§5.4.2), and it is what keeps a later membership change
    // safe: without it a leader that changed the voters before committing in its term let two
    // leaders win one term (Ongaro, "Bug in single-server membership changes", raft-dev, 2015).
    if (this.replicate(candidate, 1)) this.advanceCommit(candidate);
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

  protected reconcileLeadership(): void {
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
    // When to step down and when to elect is the cluster machine's (`etcd-cluster-machine.ts`).
    const leader = this.leader();
    const group = this.majorityGroup();
    this.tell({
      type: 'CHANGED',
      nowMs: now,
      majority: group !== undefined,
      majorityLed: group?.some((m) => m.role === 'leader') ?? false,
      leaderCutOff: leader !== undefined && this.votersReaching(leader) < this.quorum(),
    });
  }

  /** Check-quorum: every leader that still cannot reach a majority of the voters steps down. */
  protected stepDownCutOffLeaders(): void {
    for (const l of this.members) {
      if (l.role !== 'leader' || this.votersReaching(l) >= this.quorum()) continue;
      this.send(l, { type: 'LOST_QUORUM' });
      this.ctx.emit('etcd.leader-stepped-down', l.id, `etcd leader ${l.id} lost contact with a majority`, {
        term: l.term,
      });
    }
    this.reconcile();
  }

  /**
   * The member whose randomized timer fires first stands. Timers are modelled as firing
   * first on a member that can win (one whose log is the most up to date of the group), as
   * an election with a stale candidate only delays the next one; the votes decide.
   */
  protected runElection(): void {
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
}
