import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../packages/sim-core/src/engine/clock';
import type { SimContext } from '../../../packages/sim-core/src/engine/domain';
import { EventLog } from '../../../packages/sim-core/src/engine/event-log';
import { splitPrng } from '../../../packages/sim-core/src/engine/prng';
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
});
