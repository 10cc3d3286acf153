import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../packages/sim-core/src/engine/clock';
import type { SimContext } from '../../../packages/sim-core/src/engine/domain';
import { EventLog } from '../../../packages/sim-core/src/engine/event-log';
import { splitPrng } from '../../../packages/sim-core/src/engine/prng';
import { ClientHistory } from '../../../packages/sim-core/src/etcd/client-history';
import { EtcdCluster } from '../../../packages/sim-core/src/etcd/etcd-cluster';

/** Three members in three AZs; `cut` holds AZs partitioned from the rest. */
function threeMembers(seed = 1) {
  const clock = new VirtualClock(0);
  const log = new EventLog();
  const ctx: SimContext = {
    clock,
    seed,
    rng: (c) => splitPrng(seed, c),
    emit: (type, source, message, data) => log.append({ atMs: clock.now(), type, source, message, data }),
    domains: {},
  };
  const cut = new Set<string>();
  const etcd = new EtcdCluster(ctx, (a, b) => a === b || (!cut.has(a) && !cut.has(b)));
  for (const az of ['az1', 'az2', 'az3']) etcd.addMember(`etcd-${az.slice(2)}`, az, 'm5.large', { bootstrap: true });
  etcd.bootstrapLeader();
  return { clock, log, etcd, cut };
}

const events = (log: EventLog, type: string) => log.since(0).filter((e) => e.type === type);

const leaders = (etcd: EtcdCluster) => etcd.all.filter((m) => m.role === 'leader');

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
    expect(etcd.index).toBe(15);
    etcd.crash('etcd-3', 'test');
    clock.runUntil(60_000);
    expect(etcd.commit(5)).toBe(0);
    expect(etcd.index).toBe(15);
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
    expect(etcd.find('etcd-3')?.matchIndex).toBe(100);
    clock.runUntil(60_000);
    expect(etcd.find('etcd-3')?.role).toBe('follower');
    expect(etcd.find('etcd-3')?.matchIndex).toBe(50_100);
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
    expect(old?.matchIndex).toBe(16);
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
    expect(etcd.leader()?.matchIndex).toBe(20);
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
    expect(loss[0]?.data).toEqual({ fromIndex: 2, toIndex: 2, lostOpIds: [2] });
    expect(loss[0]?.message).toContain('#2 (k=lost)');
    expect(history.losses).toEqual([{ atMs: 0, order: 1, lostOpIds: [2], restored: { k: 'kept' } }]);
    expect(etcd.index).toBe(1);
    expect(etcd.voters().map((m) => m.id)).toEqual(['etcd-3']);
    expect(etcd.find('etcd-3')?.log).toEqual([{ term: 1, toIndex: 1 }]);
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
    expect(etcd.index).toBe(10);
  });
});
