import { checkInvariants, createSimulation, RaftHistoryChecker, type SimEvent, type Snapshot } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Member = Mutable<Snapshot['controlPlane']['etcd'][number]>;
type Cluster = Mutable<Snapshot['controlPlane']['etcdCluster']>;

/** A real snapshot after an hour of the default scenario, then one rule broken by hand. */
function healthy(): Snapshot {
  const sim = createSimulation();
  sim.advance(60 * 60_000);
  const snapshot = JSON.parse(JSON.stringify(sim.snapshot())) as Snapshot;
  expect(checkInvariants(snapshot)).toEqual([]);
  return snapshot;
}

function broken(mutate: (members: Member[], cluster: Cluster) => void): string[] {
  const s = healthy();
  mutate(s.controlPlane.etcd as Member[], s.controlPlane.etcdCluster as Cluster);
  return checkInvariants(s).map((v) => v.invariant);
}

const event = (seq: number, type: string, source: string, data: Record<string, unknown>): SimEvent => ({
  seq,
  atMs: seq,
  type,
  source,
  message: type,
  data,
});

describe("Raft's safety properties catch what they name", () => {
  it('a healthy run has logs that agree, and the leader holds every committed entry', () => {
    const s = healthy();
    const [leader] = s.controlPlane.etcd.filter((m) => m.role === 'leader');
    expect(leader?.log).toEqual(s.controlPlane.etcdCluster.committedLog);
    expect(s.controlPlane.etcdCluster.committedIndex).toBeGreaterThan(0);
  });

  it('Log Matching: two logs with an entry of the same index and term but different entries before it', () => {
    expect(
      broken((members) => {
        const [a, b] = members;
        if (!a || !b) return;
        a.log = [
          { term: 1, toIndex: 5 },
          { term: 2, toIndex: 10 },
        ];
        b.log = [
          { term: 1, toIndex: 4 },
          { term: 3, toIndex: 5 },
          { term: 2, toIndex: 10 },
        ];
      }),
    ).toContain('raft-log-matching');
  });

  it('Log Matching accepts logs that diverge for good after a common prefix', () => {
    expect(
      broken((members) => {
        const [a, b] = members;
        if (!a || !b) return;
        a.appliedIndex = 0;
        b.appliedIndex = 0;
        a.log = [
          { term: 1, toIndex: 5 },
          { term: 2, toIndex: 10 },
        ];
        b.log = [
          { term: 1, toIndex: 5 },
          { term: 3, toIndex: 12 },
        ];
      }),
    ).not.toContain('raft-log-matching');
  });

  it('Leader Completeness: a leader without an entry committed before its term', () => {
    expect(
      broken((members, cluster) => {
        const leader = members.find((m) => m.role === 'leader');
        if (!leader) return;
        leader.term = cluster.committedLog[cluster.committedLog.length - 1]?.term ?? 1;
        leader.term += 1;
        leader.log = [{ term: 1, toIndex: Math.max(0, cluster.committedIndex - 1) }];
        leader.appliedIndex = 0;
      }),
    ).toContain('raft-leader-completeness');
  });

  it('State Machine Safety: a member that applied an entry the committed log does not hold', () => {
    expect(
      broken((members, cluster) => {
        const follower = members.find((m) => m.role === 'follower');
        if (!follower) return;
        follower.log = [{ term: 99, toIndex: cluster.committedIndex }];
        follower.appliedIndex = cluster.committedIndex;
      }),
    ).toContain('raft-state-machine-safety');
  });

  it('Election Safety over the whole history: two leaders of one term, however far apart', () => {
    const checker = new RaftHistoryChecker();
    const s = healthy();
    expect(checker.observe(s, [event(1, 'etcd.leader-elected', 'etcd-1', { term: 3 })])).toEqual([]);
    expect(checker.observe(s, [event(2, 'etcd.leader-elected', 'etcd-1', { term: 4 })])).toEqual([]);
    const found = checker.observe(s, [event(900, 'etcd.leader-elected', 'etcd-4', { term: 3 })]);
    expect(found.map((v) => v.message)).toEqual(['term 3 has two leaders: etcd-1 and etcd-4']);
    // Events it has seen already are not counted twice.
    expect(checker.observe(s, [event(900, 'etcd.leader-elected', 'etcd-4', { term: 3 })])).toEqual([]);
  });

  it('committed entries never change between steps, unless a data-loss event gives them up', () => {
    const checker = new RaftHistoryChecker();
    const before = healthy();
    expect(checker.observe(before, [])).toEqual([]);
    const rewritten = JSON.parse(JSON.stringify(before)) as Snapshot;
    const cluster = rewritten.controlPlane.etcdCluster as Cluster;
    cluster.committedLog = [{ term: 42, toIndex: cluster.committedIndex }];
    expect(checker.observe(rewritten, []).map((v) => v.invariant)).toEqual(['raft-state-machine-safety']);

    const again = new RaftHistoryChecker();
    again.observe(before, []);
    const cut = JSON.parse(JSON.stringify(before)) as Snapshot;
    const c = cut.controlPlane.etcdCluster as Cluster;
    c.committedIndex = 3;
    c.committedLog = [{ term: 1, toIndex: 3 }];
    expect(again.observe(cut, []).map((v) => v.invariant)).toEqual(['raft-state-machine-safety']);
    const declared = new RaftHistoryChecker();
    declared.observe(before, []);
    expect(declared.observe(cut, [event(5, 'etcd.data-loss', 'etcd', { fromIndex: 4, toIndex: 9 })])).toEqual([]);
    const understated = new RaftHistoryChecker();
    understated.observe(before, []);
    const found = understated.observe(cut, [event(5, 'etcd.data-loss', 'etcd', { fromIndex: 8, toIndex: 9 })]);
    expect(found.map((v) => v.message)).toContain(
      'a data-loss event gave up indexes from 8, yet the committed log fell back to 3',
    );
  });
});
