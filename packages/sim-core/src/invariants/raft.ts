/**
 * Raft's safety properties (Ongaro & Ousterhout 2014, Figure 3) over the etcd model, kept
 * apart from it: the checks read snapshots and the event log, never the model's objects.
 *
 * - Election Safety: at most one leader is elected in a term.
 * - Log Matching: if two logs hold an entry with the same index and term, they are
 *   identical in every entry up to that index.
 * - Leader Completeness: an entry committed in a term is in the log of the leader of every
 *   later term.
 * - State Machine Safety: no two members apply different entries at one index; and what was
 *   committed stays committed, unless an `etcd.data-loss` event says it was lost.
 *
 * The snapshot checks see one moment; `RaftHistoryChecker` sees every step of a run, so
 * that two leaders of one term are caught however far apart, and a committed entry that
 * changes between two steps is caught too.
 */
import type { SimEvent } from '../engine/event-log';
import { commonPrefix, type LogRun, lastIndex, lastIndexBefore, samePrefix, termAt } from '../etcd/raft-log';
import type { Snapshot } from '../simulation';
import type { SnapshotCheck, Violation } from './types';

const violation = (atMs: number, invariant: string, message: string): Violation => ({ invariant, atMs, message });

const describeLog = (log: readonly LogRun[]): string =>
  log.length === 0 ? 'empty' : log.map((r) => `t${r.term}..${r.toIndex}`).join(' ');

/** Log Matching, for every pair of members (logs persist, so down members count too). */
export const logMatching: SnapshotCheck = (snapshot) => {
  const members = snapshot.controlPlane.etcd;
  const out: Violation[] = [];
  for (let i = 0; i < members.length; i++) {
    for (let j = i + 1; j < members.length; j++) {
      const a = members[i];
      const b = members[j];
      if (!a || !b) continue;
      const shared = commonPrefix(a.log, b.log);
      // After the shared prefix the logs differ; any later index with equal terms breaks the rule.
      const end = Math.min(lastIndex(a.log), lastIndex(b.log));
      const clash = firstEqualTermAfter(a.log, b.log, shared, end);
      if (clash !== undefined) {
        out.push(
          violation(
            snapshot.clock.nowMs,
            'raft-log-matching',
            `${a.id} and ${b.id} both hold index ${clash} in term ${termAt(a.log, clash)} but differ at index ${shared + 1} (${describeLog(a.log)} vs ${describeLog(b.log)})`,
          ),
        );
      }
    }
  }
  return out;
};

/** The first index in (from, to] where both logs hold an entry of the same term. */
function firstEqualTermAfter(a: readonly LogRun[], b: readonly LogRun[], from: number, to: number): number | undefined {
  // Terms only change at run boundaries, so checking each boundary-delimited stretch is enough.
  const cuts = new Set<number>([from + 1]);
  for (const r of [...a, ...b]) if (r.toIndex + 1 > from + 1 && r.toIndex + 1 <= to) cuts.add(r.toIndex + 1);
  for (const index of [...cuts].sort((x, y) => x - y)) {
    if (index > to) break;
    const t = termAt(a, index);
    if (t !== 0 && t === termAt(b, index)) return index;
  }
  return undefined;
}

/** Leader Completeness: every leader holds the entries committed in the terms before its own. */
export const leaderCompleteness: SnapshotCheck = (snapshot) => {
  const { etcd, etcdCluster } = snapshot.controlPlane;
  const out: Violation[] = [];
  for (const leader of etcd.filter((m) => m.role === 'leader')) {
    const needed = Math.min(etcdCluster.committedIndex, lastIndexBefore(etcdCluster.committedLog, leader.term));
    if (!samePrefix(leader.log, etcdCluster.committedLog, needed)) {
      out.push(
        violation(
          snapshot.clock.nowMs,
          'raft-leader-completeness',
          `leader ${leader.id} of term ${leader.term} lacks entries committed before its term (needs 1-${needed} as ${describeLog(etcdCluster.committedLog)}, holds ${describeLog(leader.log)})`,
        ),
      );
    }
  }
  return out;
};

/** State Machine Safety: what a member has applied is the committed log, entry for entry. */
export const stateMachineSafety: SnapshotCheck = (snapshot) => {
  const { etcd, etcdCluster } = snapshot.controlPlane;
  const out: Violation[] = [];
  for (const m of etcd) {
    const applied = Math.min(m.appliedIndex, etcdCluster.committedIndex);
    if (!samePrefix(m.log, etcdCluster.committedLog, applied)) {
      out.push(
        violation(
          snapshot.clock.nowMs,
          'raft-state-machine-safety',
          `${m.id} applied entries 1-${applied} that differ from the committed log (${describeLog(m.log)} vs ${describeLog(etcdCluster.committedLog)})`,
        ),
      );
    }
  }
  return out;
};

export const raftChecks: readonly SnapshotCheck[] = [logMatching, leaderCompleteness, stateMachineSafety];

/**
 * The checks that need the whole run: fed the snapshot and the new events after every step.
 * Election Safety reads every `etcd.leader-elected` event since the start; the committed log
 * of one step must extend the one of the step before, unless an `etcd.data-loss` event in
 * between cut it back to exactly where the new one starts over.
 */
export class RaftHistoryChecker {
  private readonly leaderOfTerm = new Map<number, string>();
  private committed: readonly LogRun[] = [];
  private committedIndex = 0;
  private lastSeq = -1;

  observe(snapshot: Snapshot, events: readonly SimEvent[]): Violation[] {
    const out: Violation[] = [];
    let lostFrom: number | undefined;
    for (const e of events) {
      if (e.seq <= this.lastSeq) continue;
      this.lastSeq = e.seq;
      if (e.type === 'etcd.data-loss') {
        const from = Number(e.data?.fromIndex);
        lostFrom = lostFrom === undefined ? from : Math.min(lostFrom, from);
      }
      if (e.type !== 'etcd.leader-elected') continue;
      const term = Number(e.data?.term);
      const known = this.leaderOfTerm.get(term);
      if (known !== undefined && known !== e.source) {
        out.push(violation(e.atMs, 'raft-election-safety', `term ${term} has two leaders: ${known} and ${e.source}`));
      }
      this.leaderOfTerm.set(term, e.source);
    }
    const cluster = snapshot.controlPlane.etcdCluster;
    const kept = lostFrom === undefined ? this.committedIndex : Math.min(this.committedIndex, lostFrom - 1);
    if (!samePrefix(cluster.committedLog, this.committed, kept)) {
      out.push(
        violation(
          snapshot.clock.nowMs,
          'raft-state-machine-safety',
          `committed entries changed without a data-loss event: ${describeLog(this.committed)} became ${describeLog(cluster.committedLog)}`,
        ),
      );
    }
    if (lostFrom !== undefined && cluster.committedIndex < kept) {
      out.push(
        violation(
          snapshot.clock.nowMs,
          'raft-state-machine-safety',
          `a data-loss event gave up indexes from ${lostFrom}, yet the committed log fell back to ${cluster.committedIndex}`,
        ),
      );
    }
    this.committed = cluster.committedLog;
    this.committedIndex = cluster.committedIndex;
    return out;
  }
}
