import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { VirtualClock } from '../../../packages/sim-core/src/engine/clock';
import {
  catchUpId,
  drawElectionTimeoutsWith,
  type EtcdClusterDue,
  type EtcdClusterEvent,
  etcdClusterMachine,
} from '../../../packages/sim-core/src/etcd/etcd-cluster-machine';
import { QUORUM_LOSS_RECOVERY_MS } from '../../../packages/sim-core/src/etcd/facts';
import { threeMembers } from './three-members';

/** The cluster machine alone on a virtual clock; election timeouts come from `timeouts`, in order. */
function phases(timeouts: number[] = [1_500]) {
  const clock = new VirtualClock(0);
  const draws = [...timeouts];
  const actor = createActor(etcdClusterMachine, { clock: clock.xstate });
  drawElectionTimeoutsWith(actor, () => draws.shift() ?? 2_000);
  const due: string[] = [];
  actor.on('*', (e: EtcdClusterDue) =>
    due.push(
      `${clock.now()} ${e.type}${'memberId' in e ? ` ${e.memberId}` : ''}${'lostIds' in e ? ` ${e.lostIds.join(',')}` : ''}`,
    ),
  );
  actor.start();
  const send = (event: EtcdClusterEvent) => actor.send(event);
  const changed = (facts: { majority: boolean; majorityLed?: boolean; leaderCutOff?: boolean }) =>
    send({ type: 'CHANGED', nowMs: clock.now(), majorityLed: false, leaderCutOff: false, ...facts });
  const value = () => actor.getSnapshot().value as Record<string, unknown>;
  return { clock, actor, due, send, changed, value };
}

describe('etcd cluster machine: elections', () => {
  it('a connected majority without a leader waits its randomized election timeout, then the election is due', () => {
    const { clock, due, changed, value, actor } = phases([1_234]);
    clock.runUntil(100);
    changed({ majority: true });
    expect(value().election).toEqual({ leaderless: 'electing' });
    expect(actor.getSnapshot().context).toMatchObject({ electionTimeoutMs: 1_234, leaderlessSinceMs: 100 });
    clock.runUntil(1_333);
    expect(due).toEqual([]);
    clock.runUntil(1_334);
    expect(due).toEqual(['1334 election-due']);
    expect(value().election).toEqual({ leaderless: 'voting' });
  });

  it('a split vote waits a newly drawn timeout, and the leaderless time counts from the first', () => {
    const { clock, due, changed, actor } = phases([1_000, 1_700]);
    changed({ majority: true });
    clock.runUntil(1_000);
    changed({ majority: true });
    clock.runUntil(2_699);
    expect(due).toEqual(['1000 election-due']);
    clock.runUntil(2_700);
    expect(due).toEqual(['1000 election-due', '2700 election-due']);
    expect(actor.getSnapshot().context.leaderlessSinceMs).toBe(0);
  });

  it('a minority never elects (pre-vote): no election is ever due without a connected majority', () => {
    const { clock, due, changed, value } = phases();
    changed({ majority: false });
    clock.runUntil(60_000);
    expect(due).toEqual([]);
    expect(value().election).toBe('noQuorum');
  });

  it('a leader found before the timeout calls the election off, and the majority is led again', () => {
    const { clock, due, changed, value, actor } = phases([1_900]);
    changed({ majority: true });
    clock.runUntil(1_000);
    changed({ majority: true, majorityLed: true });
    clock.runUntil(10_000);
    expect(due).toEqual([]);
    expect(value().election).toBe('hasLeader');
    expect(actor.getSnapshot().context.leaderlessSinceMs).toBeNull();
  });

  it('losing the majority while electing stops the election; regaining it draws a new timeout', () => {
    const { clock, due, changed } = phases([1_500, 1_100]);
    changed({ majority: true });
    clock.runUntil(1_000);
    changed({ majority: false });
    changed({ majority: true });
    clock.runUntil(2_099);
    expect(due).toEqual([]);
    clock.runUntil(2_100);
    expect(due).toEqual(['2100 election-due']);
  });
});

describe('etcd cluster machine: check-quorum', () => {
  it('a leader cut off from the majority steps down after an election timeout (1 s)', () => {
    const { clock, due, changed, value } = phases();
    changed({ majority: false, leaderCutOff: true });
    expect(value().checkQuorum).toBe('leaderCutOff');
    clock.runUntil(999);
    expect(due).toEqual([]);
    clock.runUntil(1_000);
    expect(due).toEqual(['1000 step-down-due']);
    expect(value().checkQuorum).toBe('quiet');
  });

  it('a leader that reaches the majority again before then keeps leading', () => {
    const { clock, due, changed } = phases();
    changed({ majority: true, majorityLed: true, leaderCutOff: true });
    clock.runUntil(500);
    changed({ majority: true, majorityLed: true, leaderCutOff: false });
    clock.runUntil(5_000);
    expect(due).toEqual([]);
  });
});

describe('etcd cluster machine: members catching up', () => {
  it('each catching-up member is a child that says when its catch-up time is over; a new catch-up replaces the old', () => {
    const { clock, due, send, actor } = phases();
    send({ type: 'CATCH_UP', memberId: 'etcd-4', ms: 5_000 });
    send({ type: 'CATCH_UP', memberId: 'etcd-5', ms: 7_000 });
    expect(Object.keys(actor.getSnapshot().children).sort()).toEqual(['catch-up:etcd-4', 'catch-up:etcd-5']);
    clock.runUntil(2_000);
    send({ type: 'CATCH_UP', memberId: 'etcd-5', ms: 2_000 });
    clock.runUntil(10_000);
    expect(due).toEqual(['4000 catch-up-due etcd-5', '5000 catch-up-due etcd-4']);
  });

  it('a member reported due waits in its child until the cluster has caught it up and stops it', () => {
    const { clock, due, send, actor } = phases();
    send({ type: 'CATCH_UP', memberId: 'etcd-4', ms: 5_000 });
    clock.runUntil(60_000);
    expect(due).toEqual(['5000 catch-up-due etcd-4']);
    expect(actor.getSnapshot().children[catchUpId('etcd-4')]?.getSnapshot().value).toBe('waitingForLeader');
    // The cluster looks again after a change and finds a leader: due again, at once.
    clock.runUntil(61_234);
    send({ type: 'CATCH_UP_DUE', memberId: 'etcd-4' });
    expect(due).toEqual(['5000 catch-up-due etcd-4', '61234 catch-up-due etcd-4']);
    send({ type: 'CATCH_UP_CANCELLED', memberId: 'etcd-4' });
    expect(actor.getSnapshot().children).toEqual({});
  });

  it('a member that crashes or leaves while catching up is never reported', () => {
    const { clock, due, send, actor } = phases();
    send({ type: 'CATCH_UP', memberId: 'etcd-4', ms: 5_000 });
    send({ type: 'CATCH_UP_CANCELLED', memberId: 'etcd-4' });
    clock.runUntil(60_000);
    expect(due).toEqual([]);
    expect(actor.getSnapshot().children).toEqual({});
  });
});

describe('etcd cluster machine: disaster recovery', () => {
  const lost = (nowMs: number, lostIds: string[], lostSinceMs = 0, voters = 3) =>
    ({ type: 'QUORUM_CHECK', nowMs, voters, lostIds, lostSinceMs }) as const;

  it('voters lost with their AZs that leave no majority for 10 minutes are rebuilt around the survivor', () => {
    const { due, send, value } = phases();
    send(lost(15_000, ['etcd-1', 'etcd-2']));
    expect(value().recovery).toBe('quorumLost');
    send(lost(QUORUM_LOSS_RECOVERY_MS - 1, ['etcd-1', 'etcd-2']));
    expect(due).toEqual([]);
    send(lost(QUORUM_LOSS_RECOVERY_MS, ['etcd-1', 'etcd-2']));
    expect(value().recovery).toBe('recovering');
    expect(due).toEqual(['0 rebuild-due etcd-1,etcd-2']);
    send({ type: 'REBUILT' });
    expect(value().recovery).toBe('intact');
  });

  it('the 10 minutes count from the last voter lost', () => {
    const { due, send } = phases();
    send(lost(0, ['etcd-1', 'etcd-2'], 0));
    send(lost(QUORUM_LOSS_RECOVERY_MS, ['etcd-1', 'etcd-2'], 60_000));
    expect(due).toEqual([]);
    send(lost(QUORUM_LOSS_RECOVERY_MS + 60_000, ['etcd-1', 'etcd-2'], 60_000));
    expect(due).toHaveLength(1);
  });

  it('one voter lost of three keeps the quorum; with every voter lost there is nothing to rebuild from', () => {
    const { due, send, value } = phases();
    send(lost(QUORUM_LOSS_RECOVERY_MS * 3, ['etcd-1']));
    expect(value().recovery).toBe('intact');
    send(lost(QUORUM_LOSS_RECOVERY_MS * 3, ['etcd-1', 'etcd-2', 'etcd-3']));
    expect(value().recovery).toBe('quorumLost');
    expect(due).toEqual([]);
  });

  it('an AZ that comes back in time ends the loss: no rebuild', () => {
    const { due, send, value } = phases();
    send(lost(0, ['etcd-1', 'etcd-2']));
    send(lost(60_000, []));
    expect(value().recovery).toBe('intact');
    send(lost(QUORUM_LOSS_RECOVERY_MS * 2, ['etcd-1'], 0));
    expect(due).toEqual([]);
  });
});

describe('etcd cluster machine: bootstrap', () => {
  it("a new cluster's members are due to start once their instances have launched", () => {
    const { clock, due, send, value } = phases();
    send({ type: 'BOOTSTRAP', startMs: 120_000 });
    clock.runUntil(119_999);
    expect(due).toEqual([]);
    clock.runUntil(120_000);
    expect(due).toEqual(['120000 members-start-due']);
    expect(value().bootstrap).toBe('running');
  });

  it('a cluster that already runs at t0, or one deleted while launching, never waits for the launch', () => {
    for (const stop of [{ type: 'READY_NOW' }, { type: 'BOOTSTRAP_CANCELLED' }] as const) {
      const { clock, due, send } = phases();
      send({ type: 'BOOTSTRAP', startMs: 120_000 });
      send(stop);
      clock.runUntil(1_000_000);
      expect(due).toEqual([]);
    }
  });
});

describe('etcd cluster: its machine says when, Raft says what', () => {
  it('the leader crashes: the majority elects at the timeout the machine drew, and the machine is led again', () => {
    const { clock, etcd, log } = threeMembers();
    clock.runUntil(1_000);
    etcd.crash('etcd-1', 'test');
    const { electionTimeoutMs } = etcd.phases.getSnapshot().context;
    expect(electionTimeoutMs).toBeGreaterThanOrEqual(1_000);
    expect(electionTimeoutMs).toBeLessThanOrEqual(2_000);
    clock.runUntil(1_000 + electionTimeoutMs);
    const elected = log.since(0).filter((e) => e.type === 'etcd.leader-elected');
    expect(elected.map((e) => e.atMs)).toEqual([0, 1_000 + electionTimeoutMs]);
    expect(etcd.phases.getSnapshot().value).toMatchObject({ election: 'hasLeader', checkQuorum: 'quiet' });
  });

  it('a restarted member catches up on its child timer and is a follower again', () => {
    const { clock, etcd, log } = threeMembers();
    etcd.crash('etcd-3', 'test');
    clock.runUntil(1_000);
    etcd.restart('etcd-3');
    expect(Object.keys(etcd.phases.getSnapshot().children)).toEqual(['catch-up:etcd-3']);
    clock.runUntil(6_000);
    expect(
      log
        .since(0)
        .filter((e) => e.type === 'etcd.member-caught-up')
        .map((e) => e.atMs),
    ).toEqual([6_000]);
    expect(etcd.find('etcd-3')?.role).toBe('follower');
    expect(etcd.phases.getSnapshot().children).toEqual({});
  });
});
