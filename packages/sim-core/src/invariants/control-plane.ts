/**
 * Invariants of the control-plane model (docs/control-plane.md), over one snapshot. History they need
 * (leaders per term, commit batches, autoscaler decisions, the last disruption) is kept in
 * the snapshot by the control-plane domain, bounded to the most recent records.
 */
import type { Snapshot } from '../simulation';
import type { SnapshotCheck, Violation } from './types';

const violation = (snapshot: Snapshot, invariant: string, message: string): Violation => ({
  invariant,
  atMs: snapshot.clock.nowMs,
  message,
});

/** At most one etcd leader per term (Raft's election safety). */
const oneLeaderPerTerm: SnapshotCheck = (snapshot) => {
  const out: Violation[] = [];
  const byTerm = new Map<number, string>();
  const { etcd, etcdCluster } = snapshot.controlPlane;
  const records = [
    ...etcdCluster.leaders.map((r) => ({ term: r.term, leader: r.leader })),
    ...etcd.filter((m) => m.role === 'leader').map((m) => ({ term: m.term, leader: m.id })),
  ];
  for (const r of records) {
    const known = byTerm.get(r.term);
    if (known !== undefined && known !== r.leader) {
      out.push(
        violation(snapshot, 'etcd-one-leader-per-term', `term ${r.term} has two leaders: ${known} and ${r.leader}`),
      );
    }
    byTerm.set(r.term, r.leader);
  }
  const leaders = etcd.filter((m) => m.role === 'leader');
  const terms = new Set(leaders.map((m) => m.term));
  if (terms.size !== leaders.length) {
    out.push(
      violation(
        snapshot,
        'etcd-one-leader-per-term',
        `several leaders share a term: ${leaders.map((m) => `${m.id}@${m.term}`).join(', ')}`,
      ),
    );
  }
  return out;
};

/** Every commit batch was held by a majority of the voters when it committed. */
const noCommitWithoutMajority: SnapshotCheck = (snapshot) =>
  snapshot.controlPlane.etcdCluster.commits
    .filter((c) => c.ackedBy.length < Math.floor(c.voters / 2) + 1)
    .map((c) =>
      violation(
        snapshot,
        'etcd-no-write-without-majority',
        `writes ${c.fromIndex}-${c.toIndex} committed in term ${c.term} with ${c.ackedBy.length} of ${c.voters} voters (${c.ackedBy.join(', ')})`,
      ),
    );

/**
 * A committed write is never lost while a majority survives: while a majority of the voters
 * is up, one of the up voters holds the highest committed index, and so does the leader.
 */
const committedWritesSurvive: SnapshotCheck = (snapshot) => {
  const cluster = snapshot.controlPlane.etcdCluster;
  const voters = snapshot.controlPlane.etcd.filter((m) => m.voter);
  const up = voters.filter((m) => m.role !== 'down' && m.role !== 'removed');
  const out: Violation[] = [];
  if (cluster.committedIndex < cluster.highestCommittedIndex) {
    out.push(
      violation(
        snapshot,
        'etcd-committed-writes-never-lost',
        `the commit index went back from ${cluster.highestCommittedIndex} to ${cluster.committedIndex}`,
      ),
    );
  }
  if (voters.length === 0 || up.length < Math.floor(voters.length / 2) + 1) return out;
  const best = Math.max(...up.map((m) => m.matchIndex));
  if (best < cluster.highestCommittedIndex) {
    out.push(
      violation(
        snapshot,
        'etcd-committed-writes-never-lost',
        `a majority is up but none of it holds index ${cluster.highestCommittedIndex} (best ${best})`,
      ),
    );
  }
  const leader = snapshot.controlPlane.etcd.find((m) => m.id === cluster.leader);
  if (leader && leader.matchIndex < cluster.highestCommittedIndex) {
    out.push(
      violation(
        snapshot,
        'etcd-committed-writes-never-lost',
        `leader ${leader.id} holds index ${leader.matchIndex}, behind the committed ${cluster.highestCommittedIndex}`,
      ),
    );
  }
  return out;
};

/** A connected majority elects a leader within the election bound. */
const leaderWithinElectionBound: SnapshotCheck = (snapshot) => {
  const cluster = snapshot.controlPlane.etcdCluster;
  if (!cluster.connectedMajority || cluster.leaderlessSinceMs === null) return [];
  const waited = snapshot.clock.nowMs - cluster.leaderlessSinceMs;
  if (waited <= cluster.electionBoundMs) return [];
  return [
    violation(
      snapshot,
      'etcd-leader-within-election-bound',
      `a connected majority has had no leader for ${waited} ms (bound ${cluster.electionBoundMs} ms)`,
    ),
  ];
};

/**
 * Once recovery time has passed, at least 2 AZs are up and connected, and those AZs hold a
 * majority of the etcd voters: ≥ 2 API servers serve, ≥ 3 etcd voters are in sync, and an
 * NLB node in DNS leads to a serving API server. While the majority sits in an AZ cut off
 * from the others, nothing can bring a member on the other side in sync (Raft needs the
 * leader's log, and a new member needs the leader to join), so nothing is promised until
 * the partition heals.
 */
const minimumsAfterRecovery: SnapshotCheck = (snapshot) => {
  const cp = snapshot.controlPlane;
  if (!cp.exists || snapshot.cluster?.status === 'CREATING' || snapshot.cluster?.status === 'DELETING') return [];
  if (cp.recovery.azsUpAndConnected < 2) return [];
  const connectedAzs = new Set(
    cp.azs.filter((a) => a.health !== 'down' && a.network !== 'partitioned').map((a) => a.id),
  );
  const voters = cp.etcd.filter((m) => m.voter);
  if (voters.filter((m) => connectedAzs.has(m.az)).length < Math.floor(voters.length / 2) + 1) return [];
  const quietSince = Math.max(cp.recovery.lastDisruptionMs ?? snapshot.clock.startMs, snapshot.clock.startMs);
  if (snapshot.clock.nowMs - quietSince < cp.recovery.recoveryBoundMs) return [];
  const out: Violation[] = [];
  const serving = cp.apiServers.filter((a) => a.state === 'healthy' || a.state === 'degraded').length;
  if (serving < 2) {
    out.push(violation(snapshot, 'control-plane-minimums', `only ${serving} API server(s) serve after recovery time`));
  }
  const inSync = cp.etcd.filter((m) => m.voter && (m.role === 'leader' || m.role === 'follower')).length;
  if (inSync < 3) {
    out.push(violation(snapshot, 'control-plane-minimums', `only ${inSync} etcd voter(s) in sync after recovery time`));
  }
  // Clients reach the API servers through the NLB nodes in DNS (promised once no node is failed).
  const servingInDns = cp.nlbs.some((n) => n.inDns && n.healthyTargets.length > 0);
  if (!servingInDns && cp.nlbs.every((n) => n.state !== 'failed')) {
    out.push(
      violation(
        snapshot,
        'control-plane-minimums',
        'no NLB node in DNS leads to a serving API server after recovery time',
      ),
    );
  }
  return out;
};

/** No autoscaler flapping: two decisions of one group are at least the first one's cooldown apart. */
const noFlappingInsideCooldown: SnapshotCheck = (snapshot) => {
  const out: Violation[] = [];
  const last = new Map<string, { atMs: number; cooldownMs: number; decision: string }>();
  for (const d of snapshot.controlPlane.autoscaler.decisions) {
    const previous = last.get(d.group);
    if (previous && d.atMs - previous.atMs < previous.cooldownMs) {
      out.push(
        violation(
          snapshot,
          'autoscaler-no-flapping',
          `${d.group}: ${d.decision} ${d.atMs - previous.atMs} ms after ${previous.decision}, inside its ${previous.cooldownMs} ms cooldown`,
        ),
      );
    }
    last.set(d.group, d);
  }
  return out;
};

/** Invariants of the control-plane model (docs/control-plane.md). */
export const controlPlaneChecks: readonly SnapshotCheck[] = [
  oneLeaderPerTerm,
  noCommitWithoutMajority,
  committedWritesSurvive,
  leaderWithinElectionBound,
  minimumsAfterRecovery,
  noFlappingInsideCooldown,
];
