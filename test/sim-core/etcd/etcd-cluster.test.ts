import { describe, expect, it } from 'vitest';
import { ClientHistory } from '../../../packages/sim-core/src/etcd/client-history';
import { events, leaders, threeMembers } from './three-members';

describe('etcd cluster', () => {
  it('a new leader is elected on a seeded randomized timeout of 1-2 s when the leader goes down', () => {
    const { clock, etcd } = threeMembers();
    const first = etcd.leader();
    expect(first?.id).toBe('etcd-1');
    etcd.crash('etcd-1', 'test');
    expect(etcd.leader()).toBeUndefined();
    clock.runUntil(999);
    expect(etcd.leader()).toBeUndefined();
    clock.runUntil(2_000);
    const next = etcd.leader();
    expect(next).toBeDefined();
    expect(next?.term).toBe(2);
    expect(leaders(etcd)).toHaveLength(1);
  });

  it('the same seed elects the same member at the same millisecond', () => {
    const run = (seed: number) => {
      const { clock, etcd, log } = threeMembers(seed);
      etcd.crash('etcd-1', 'test');
      clock.runUntil(5_000);
      return JSON.stringify(log.since(0));
    };
    expect(run(42)).toBe(run(42));
  });

  it('writes commit with 2 of 3 members and never with 1 of 3', () => {
    const { clock, etcd } = threeMembers();
    expect(etcd.commit(10)).toBe(10);
    etcd.crash('etcd-2', 'test');
    expect(etcd.commit(5)).toBe(5);
    // The bootstrap leader's empty entry (index 1) and the 15 writes.
    expect(etcd.index).toBe(16);
    etcd.crash('etcd-3', 'test');
    clock.runUntil(60_000);
    expect(etcd.commit(5)).toBe(0);
    expect(etcd.index).toBe(16);
  });

  it('a leader cut off in a minority steps down and the majority elects a new one; the minority commits nothing', () => {
    const { clock, etcd, cut } = threeMembers();
    cut.add('az1');
    etcd.reconcile();
    expect(etcd.canCommitFrom('az1')).toBe(false);
    clock.runUntil(5_000);
    const leader = etcd.leader();
    expect(leader?.az).not.toBe('az1');
    expect(etcd.find('etcd-1')?.role).toBe('follower');
    expect(leaders(etcd)).toHaveLength(1);
    expect(etcd.canCommitFrom('az2')).toBe(true);
    expect(etcd.canCommitFrom('az1')).toBe(false);
  });

  it('a member that comes back rejoins and catches up to the committed index before it counts again', () => {
    const { clock, etcd } = threeMembers();
    etcd.commit(100);
    etcd.crash('etcd-3', 'test');
    etcd.commit(50_000);
    etcd.restart('etcd-3');
    expect(etcd.find('etcd-3')?.role).toBe('rejoining');
    // The bootstrap entry and the first 100 writes.
    expect(etcd.find('etcd-3')?.matchIndex).toBe(101);
    clock.runUntil(60_000);
    expect(etcd.find('etcd-3')?.role).toBe('follower');
    expect(etcd.find('etcd-3')?.matchIndex).toBe(50_101);
  });

  it('a learner swapped in for a member keeps three voters: quorum never drops during a replacement', () => {
    const { clock, etcd } = threeMembers();
    etcd.commit(10);
    etcd.addMember('etcd-4', 'az1', 'm5.xlarge');
    expect(etcd.voters()).toHaveLength(3);
    expect(etcd.swapIn('etcd-4', 'etcd-2')).toBe(false);
    clock.runUntil(60_000);
    expect(etcd.swapIn('etcd-4', 'etcd-2')).toBe(true);
    expect(etcd.voters().map((m) => m.id)).toEqual(['etcd-1', 'etcd-3', 'etcd-4']);
    expect(etcd.commit(1)).toBe(1);
  });

  it('records one leader per term', () => {
    const { clock, etcd } = threeMembers();
    for (const id of ['etcd-1', 'etcd-2']) {
      const leader = etcd.leader();
      if (leader) etcd.crash(leader.id, 'test');
      clock.runUntil(clock.now() + 5_000);
      etcd.restart(id);
      clock.runUntil(clock.now() + 60_000);
    }
    const terms = etcd.view().leaders.map((r) => r.term);
    expect(new Set(terms).size).toBe(terms.length);
  });

  it('a member votes at most once per term: the second candidate of a term gets no vote from it', () => {
    const { clock, etcd } = threeMembers();
    etcd.crash('etcd-1', 'test');
    clock.runUntil(5_000);
    const leader = etcd.leader();
    const voter = etcd.all.find((m) => m.role === 'follower');
    expect(leader?.term).toBe(2);
    expect(voter?.term).toBe(2);
    expect(voter?.votedFor).toBe(leader?.id);
  });

  it('a minority cannot elect: a member alone in a partitioned AZ stays a follower in its old term', () => {
    const { clock, etcd, cut, log } = threeMembers();
    cut.add('az3');
    etcd.reconcile();
    clock.runUntil(60_000);
    const alone = etcd.find('etcd-3');
    expect(alone?.role).toBe('follower');
    expect(alone?.term).toBe(1);
    expect(events(log, 'etcd.leader-elected').map((e) => e.source)).toEqual(['etcd-1']);
  });

  it("a deposed leader steps down and, once healed, takes the new leader's term and log", () => {
    const { clock, etcd, cut, log } = threeMembers();
    etcd.commit(10);
    cut.add('az1');
    etcd.reconcile();
    clock.runUntil(500);
    // Still leading in its old term until check-quorum fires; the majority has not elected yet.
    expect(etcd.find('etcd-1')?.role).toBe('leader');
    clock.runUntil(5_000);
    const next = etcd.leader();
    expect(next?.term).toBe(2);
    etcd.commit(5);
    cut.delete('az1');
    etcd.reconcile();
    const old = etcd.find('etcd-1');
    expect(old?.role).toBe('follower');
    expect(events(log, 'etcd.leader-stepped-down').map((e) => e.source)).toEqual(['etcd-1']);
    etcd.commit(1);
    expect(old?.term).toBe(2);
    // Bootstrap entry, 10 writes, the new leader's empty entry of term 2, then 5 + 1 writes.
    expect(old?.matchIndex).toBe(18);
    expect(old?.log).toEqual(next?.log);
  });

  it('a leader that meets a higher term while still leading steps down with a message naming the term', () => {
    const { etcd, log } = threeMembers();
    const follower = etcd.find('etcd-2');
    if (follower) follower.term = 7;
    etcd.reconcile();
    expect(etcd.find('etcd-1')?.role).toBe('follower');
    expect(etcd.find('etcd-1')?.term).toBe(7);
    expect(events(log, 'etcd.leader-stepped-down').map((e) => e.message)).toEqual([
      'etcd leader etcd-1 saw term 7 and stepped down',
    ]);
  });

  it('a candidate whose log is behind gets no vote (Raft §5.4.1): the member with the fuller log wins', () => {
    const { clock, etcd } = threeMembers();
    etcd.commit(10);
    etcd.crash('etcd-3', 'test');
    etcd.commit(10);
    etcd.crash('etcd-1', 'test');
    etcd.restart('etcd-3');
    clock.runUntil(60_000);
    expect(etcd.leader()?.id).toBe('etcd-2');
    // Bootstrap entry, 20 writes, and its own empty entry of term 2.
    expect(etcd.leader()?.matchIndex).toBe(22);
  });

  it("a keyed write commits through a leader with a majority, waits in a cut-off leader's log, and fails without a leader", () => {
    const { clock, etcd, cut } = threeMembers();
    expect(etcd.propose('az2', { opId: 1, key: 'k', value: 'a' })).toBe('ok');
    expect(etcd.read('az3', 'k')).toEqual({ value: 'a' });
    cut.add('az1');
    etcd.reconcile();
    expect(etcd.propose('az1', { opId: 2, key: 'k', value: 'b' })).toBe('unknown');
    expect(etcd.read('az1', 'k')).toBeUndefined();
    clock.runUntil(5_000);
    expect(etcd.propose('az1', { opId: 3, key: 'k', value: 'c' })).toBe('fail');
    expect(etcd.propose('az2', { opId: 4, key: 'k', value: 'd' })).toBe('ok');
    cut.delete('az1');
    etcd.reconcile();
    etcd.commit(1);
    // The write that waited in the deposed leader's log was overwritten, never applied.
    expect(etcd.read('az1', 'k')).toEqual({ value: 'd' });
    expect(etcd.find('etcd-1')?.log).toEqual(etcd.leader()?.log);
  });

  it("a write that waited in a leader's log commits when that leader reaches its majority again", () => {
    const { etcd, cut } = threeMembers();
    cut.add('az1');
    etcd.reconcile();
    expect(etcd.propose('az1', { opId: 1, key: 'k', value: 'late' })).toBe('unknown');
    cut.delete('az1');
    etcd.reconcile();
    expect(etcd.commit(1)).toBe(1);
    expect(etcd.read('az2', 'k')).toEqual({ value: 'late' });
  });

  it('a rebuild from a survivor that lacks committed writes names the lost client writes in an etcd.data-loss event', () => {
    const { etcd, log } = threeMembers();
    const history = new ClientHistory();
    etcd.history = history;
    expect(etcd.propose('az1', { opId: 1, key: 'k', value: 'kept' })).toBe('ok');
    etcd.crash('etcd-3', 'test');
    expect(etcd.propose('az1', { opId: 2, key: 'k', value: 'lost' })).toBe('ok');
    etcd.crash('etcd-1', 'az lost');
    etcd.crash('etcd-2', 'az lost');
    etcd.restart('etcd-3');
    etcd.forceNewCluster(['etcd-1', 'etcd-2']);
    const loss = events(log, 'etcd.data-loss');
    expect(loss).toHaveLength(1);
    // Index 1 is the bootstrap leader's empty entry; the kept write is 2, the lost one 3.
    expect(loss[0]?.data).toEqual({ fromIndex: 3, toIndex: 3, lostOpIds: [2] });
    expect(loss[0]?.message).toBe(
      'etcd lost 1 committed writes (indexes 3-3) that only lost members held, among them the client writes #2 (k=lost)',
    );
    expect(history.losses).toEqual([{ atMs: 0, order: 1, lostOpIds: [2], restored: { k: 'kept' } }]);
    expect(etcd.index).toBe(2);
    expect(etcd.voters().map((m) => m.id)).toEqual(['etcd-3']);
    expect(etcd.find('etcd-3')?.log).toEqual([{ term: 1, toIndex: 2 }]);
  });

  it('a rebuild from a survivor that holds everything loses nothing and says nothing about loss', () => {
    const { etcd, log } = threeMembers();
    etcd.commit(10);
    etcd.crash('etcd-1', 'az lost');
    etcd.crash('etcd-2', 'az lost');
    etcd.forceNewCluster(['etcd-1', 'etcd-2']);
    expect(events(log, 'etcd.data-loss')).toEqual([]);
    expect(events(log, 'etcd.disaster-recovery')[0]?.data).toEqual({
      survivors: ['etcd-3'],
      removed: ['etcd-1', 'etcd-2'],
      writesLost: 0,
    });
    // The bootstrap entry and the 10 writes.
    expect(etcd.index).toBe(11);
  });
});

describe("an etcd cluster's life, as its event log tells it", () => {
  it('elects, loses its leader, re-elects on a randomized timeout, catches a member up at 20,000 entries/s, swaps a learner in, and moves leadership away from a cut-off AZ', () => {
    const { clock, etcd, cut, log } = threeMembers();
    etcd.commit(100);
    etcd.crash('etcd-1', 'test');
    clock.runUntil(3_000);
    etcd.commit(40_000);
    etcd.restart('etcd-1');
    clock.runUntil(20_000);
    etcd.addMember('etcd-4', 'az1', 'm5.xlarge');
    clock.runUntil(40_000);
    expect(etcd.swapIn('etcd-4', 'etcd-1')).toBe(true);
    cut.add('az3');
    etcd.reconcile();
    clock.runUntil(45_000);
    cut.delete('az3');
    etcd.reconcile();
    expect(etcd.commit(1)).toBe(1);
    expect(
      log
        .since(0)
        .map((e) => (e.data ? [e.atMs, e.type, e.source, e.message, e.data] : [e.atMs, e.type, e.source, e.message])),
    ).toEqual([
      [
        0,
        'etcd.leader-elected',
        'etcd-1',
        'etcd member etcd-1 is the leader for term 1',
        { term: 1, az: 'az1', votes: 3 },
      ],
      [0, 'etcd.member-down', 'etcd-1', 'etcd member etcd-1 is down (test)', { az: 'az1', wasLeader: true }],
      [
        1212,
        'etcd.leader-elected',
        'etcd-3',
        'etcd member etcd-3 is the leader for term 2',
        { term: 2, az: 'az3', votes: 2 },
      ],
      [3000, 'etcd.member-rejoining', 'etcd-1', 'etcd member etcd-1 is back and catching up', { behindBy: 40001 }],
      [
        10001,
        'etcd.member-caught-up',
        'etcd-1',
        'etcd member etcd-1 caught up at index 40102',
        { index: 40102, term: 2 },
      ],
      [
        20000,
        'etcd.member-added',
        'etcd-4',
        'etcd member etcd-4 joins in az1 as a learner and catches up',
        { az: 'az1', size: 'm5.xlarge' },
      ],
      [
        27006,
        'etcd.member-caught-up',
        'etcd-4',
        'etcd member etcd-4 caught up at index 40102',
        { index: 40102, term: 2 },
      ],
      [40000, 'etcd.member-promoted', 'etcd-4', 'etcd member etcd-4 is promoted to voter'],
      [40000, 'etcd.member-removed', 'etcd-1', 'etcd member etcd-1 was removed from the cluster'],
      [41000, 'etcd.leader-stepped-down', 'etcd-3', 'etcd leader etcd-3 lost contact with a majority', { term: 2 }],
      [
        41759,
        'etcd.leader-elected',
        'etcd-2',
        'etcd member etcd-2 is the leader for term 3',
        { term: 3, az: 'az2', votes: 2 },
      ],
    ]);
    const view = etcd.view();
    // Each leader's empty entry opens its term (Raft §8): index 1 (bootstrap), 102 and 40,103.
    const log3 = [
      { term: 1, toIndex: 101 },
      { term: 2, toIndex: 40_102 },
      { term: 3, toIndex: 40_104 },
    ];
    expect(
      view.members.map((m) => [m.id, m.az, m.role, m.term, m.votedFor, m.voter, m.matchIndex, m.appliedIndex]),
    ).toEqual([
      ['etcd-2', 'az2', 'leader', 3, 'etcd-2', true, 40_104, 40_104],
      ['etcd-3', 'az3', 'follower', 3, null, true, 40_104, 40_104],
      ['etcd-4', 'az1', 'follower', 3, 'etcd-2', true, 40_104, 40_104],
    ]);
    for (const m of view.members) expect(m.log).toEqual(log3);
    expect(view).toMatchObject({
      leader: 'etcd-2',
      term: 3,
      committedIndex: 40_104,
      highestCommittedIndex: 40_104,
      committedLog: log3,
      voters: 3,
      quorum: 2,
      connectedMajority: true,
      leaderlessSinceMs: null,
      leaderChanges: 3,
      leaders: [
        { term: 1, leader: 'etcd-1', atMs: 0 },
        { term: 2, leader: 'etcd-3', atMs: 1212 },
        { term: 3, leader: 'etcd-2', atMs: 41_759 },
      ],
    });
    expect(view.commits.map((c) => [c.term, c.leader, c.fromIndex, c.toIndex, c.ackedBy, c.voters])).toEqual([
      [1, 'etcd-1', 2, 101, ['etcd-1', 'etcd-2', 'etcd-3'], 3],
      [2, 'etcd-3', 103, 40_102, ['etcd-2', 'etcd-3'], 3],
      [3, 'etcd-2', 40_104, 40_104, ['etcd-2', 'etcd-3', 'etcd-4'], 3],
    ]);
  });
});

describe('etcd cluster edges', () => {
  it('with every member down and two back, they rejoin with the logs on their disks and elect a leader in a new term', () => {
    const { clock, etcd, log } = threeMembers();
    etcd.commit(10);
    for (const id of ['etcd-1', 'etcd-2', 'etcd-3']) etcd.crash(id, 't');
    clock.runUntil(1_000);
    expect(etcd.view()).toMatchObject({ leader: null, connectedMajority: false, leaderlessSinceMs: null });
    etcd.restart('etcd-2');
    etcd.restart('etcd-3');
    clock.runUntil(6_500);
    expect(etcd.view()).toMatchObject({ leader: null, connectedMajority: true, leaderlessSinceMs: 6_000 });
    clock.runUntil(30_000);
    expect(
      log
        .since(0)
        .filter((e) => e.atMs >= 1_000)
        .map((e) => [e.atMs, e.message, e.data]),
    ).toEqual([
      [1_000, 'etcd member etcd-2 is back and catching up', { behindBy: 0 }],
      [1_000, 'etcd member etcd-3 is back and catching up', { behindBy: 0 }],
      [6_000, 'etcd member etcd-2 rejoined at index 11', { index: 11, term: 1 }],
      [6_000, 'etcd member etcd-3 rejoined at index 11', { index: 11, term: 1 }],
      [7_615, 'etcd member etcd-3 is the leader for term 2', { term: 2, az: 'az3', votes: 2 }],
    ]);
    expect(etcd.view().leaderlessSinceMs).toBeNull();
  });

  it('a restarted member that cannot reach the leader waits, and catches up as soon as it can reach one', () => {
    const { clock, etcd, cut, log } = threeMembers();
    etcd.crash('etcd-3', 't');
    cut.add('az3');
    etcd.restart('etcd-3');
    clock.runUntil(8_000);
    expect(etcd.find('etcd-3')?.role).toBe('rejoining');
    clock.runUntil(30_000);
    expect(etcd.find('etcd-3')?.role).toBe('rejoining');
    cut.delete('az3');
    etcd.reconcile();
    clock.runUntil(40_000);
    expect(events(log, 'etcd.member-caught-up').map((e) => [e.atMs, e.message])).toEqual([
      [30_000, 'etcd member etcd-3 caught up at index 1'],
    ]);
  });

  it('a candidate that meets a higher term gives up its election, and the next one is won above that term', () => {
    const { clock, etcd, log } = threeMembers();
    const moved = etcd.find('etcd-2');
    if (moved) {
      moved.term = 5;
      moved.votedFor = 'etcd-9';
    }
    etcd.crash('etcd-1', 't');
    clock.runUntil(20_000);
    expect(
      log
        .since(0)
        .filter((e) => e.type === 'etcd.election-failed' || e.type === 'etcd.leader-elected')
        .map((e) => [e.atMs, e.message]),
    ).toEqual([
      [0, 'etcd member etcd-1 is the leader for term 1'],
      [1_212, 'etcd member etcd-3 did not win term 5'],
      [2_971, 'etcd member etcd-2 is the leader for term 6'],
    ]);
    expect(etcd.find('etcd-3')).toMatchObject({ role: 'follower', term: 6, votedFor: 'etcd-2' });
  });

  it('a leader whose followers moved on to a higher term commits nothing: they refuse its entries', () => {
    const { etcd } = threeMembers();
    for (const id of ['etcd-2', 'etcd-3']) {
      const m = etcd.find(id);
      if (m) m.term = 4;
    }
    expect(etcd.commit(1)).toBe(0);
    expect(etcd.canCommitFrom('az1')).toBe(false);
    // Only the bootstrap leader's empty entry, committed before they moved on.
    expect(etcd.index).toBe(1);
  });

  it('refuses to swap in a member that already votes; a learner added without a member to replace makes four voters', () => {
    const { clock, etcd } = threeMembers();
    expect(etcd.swapIn('etcd-2', 'etcd-3')).toBe(false);
    expect(etcd.swapIn('etcd-9', undefined)).toBe(false);
    etcd.addMember('etcd-4', 'az1', 'm5.large');
    clock.runUntil(60_000);
    expect(etcd.swapIn('etcd-4', undefined)).toBe(true);
    expect(etcd.voters()).toHaveLength(4);
    expect(etcd.quorum()).toBe(3);
    expect(etcd.view()).toMatchObject({ voters: 4, quorum: 3 });
  });

  it('a rebuild without any survivor changes nothing', () => {
    const { etcd, log } = threeMembers();
    etcd.commit(5);
    const before = log.length;
    etcd.forceNewCluster(['etcd-1', 'etcd-2', 'etcd-3']);
    expect(log.length).toBe(before);
    expect(etcd.voters()).toHaveLength(3);
    expect(etcd.index).toBe(6);
  });

  it('an unknown member, or one already down, neither crashes nor restarts twice', () => {
    const { etcd, log } = threeMembers();
    expect(etcd.crash('etcd-9', 't')).toBe(false);
    expect(etcd.restart('etcd-2')).toBe(false);
    expect(etcd.crash('etcd-2', 't')).toBe(true);
    expect(etcd.crash('etcd-2', 't')).toBe(false);
    expect(etcd.restart('etcd-2')).toBe(true);
    expect(etcd.restart('etcd-2')).toBe(false);
    etcd.remove('etcd-9');
    expect(events(log, 'etcd.member-down')).toHaveLength(1);
    expect(events(log, 'etcd.member-rejoining')).toHaveLength(1);
  });

  it('a member is reachable to a majority only while it can talk to enough voters', () => {
    const { etcd, cut } = threeMembers();
    const m = etcd.find('etcd-1');
    if (!m) throw new Error('no etcd-1');
    expect(etcd.reachesMajority(m)).toBe(true);
    cut.add('az1');
    expect(etcd.reachesMajority(m)).toBe(false);
    expect(etcd.allVotersHealthy()).toBe(true);
    etcd.crash('etcd-2', 't');
    expect(etcd.allVotersHealthy()).toBe(false);
  });
});
