import { checkInvariants, createSimulation, type Snapshot } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';

/** A real snapshot, then one rule broken by hand: each check must notice. */
function broken(mutate: (s: Snapshot) => void): string[] {
  const sim = createSimulation();
  sim.advance(60 * 60_000);
  const snapshot = JSON.parse(JSON.stringify(sim.snapshot())) as Snapshot;
  expect(checkInvariants(snapshot)).toEqual([]);
  mutate(snapshot);
  return checkInvariants(snapshot).map((v) => v.invariant);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

describe('control-plane invariants catch what they name', () => {
  it('two leaders in one term', () => {
    expect(
      broken((s) => {
        const [a, b] = s.controlPlane.etcd as Mutable<(typeof s.controlPlane.etcd)[number]>[];
        if (a && b) {
          b.role = 'leader';
          b.term = a.term;
          a.role = 'leader';
        }
      }),
    ).toContain('etcd-one-leader-per-term');
  });

  it('a write committed by a minority', () => {
    expect(
      broken((s) => {
        (s.controlPlane.etcdCluster.commits as unknown[]).push({
          atMs: 0,
          term: 1,
          leader: 'etcd-1',
          fromIndex: 1,
          toIndex: 2,
          ackedBy: ['etcd-1'],
          voters: 3,
        });
      }),
    ).toContain('etcd-no-write-without-majority');
  });

  it('a committed write lost while a majority is up', () => {
    expect(
      broken((s) => {
        for (const m of s.controlPlane.etcd as Mutable<(typeof s.controlPlane.etcd)[number]>[]) m.matchIndex = 0;
      }),
    ).toContain('etcd-committed-writes-never-lost');
  });

  it('a connected majority without a leader for longer than the election bound', () => {
    expect(
      broken((s) => {
        const c = s.controlPlane.etcdCluster as Mutable<typeof s.controlPlane.etcdCluster>;
        c.leaderlessSinceMs = s.clock.nowMs - c.electionBoundMs - 1;
      }),
    ).toContain('etcd-leader-within-election-bound');
  });

  it('one API server left long after the last disruption', () => {
    expect(
      broken((s) => {
        (s.controlPlane as unknown as { apiServers: unknown[] }).apiServers = s.controlPlane.apiServers.slice(0, 1);
      }),
    ).toContain('control-plane-minimums');
  });

  it('two autoscaler decisions inside one cooldown', () => {
    expect(
      broken((s) => {
        const d = { group: 'apiServers', from: '2', to: '3', reason: 'test', cooldownMs: 300_000 };
        (s.controlPlane.autoscaler.decisions as unknown[]).push(
          { ...d, atMs: 1_000, decision: 'scale-out' },
          { ...d, atMs: 2_000, decision: 'scale-in' },
        );
      }),
    ).toContain('autoscaler-no-flapping');
  });
});
