import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { ClientHistory } from '../../../packages/sim-core/src/etcd/client-history';
import { type EtcdMemberEvent, etcdMemberMachine } from '../../../packages/sim-core/src/etcd/etcd-member-machine';
import { KvWrites } from '../../../packages/sim-core/src/etcd/kv-writes';

const w = (opId: number, key: string, value: string, index: number, term = 1) => ({ opId, key, value, index, term });

describe('keyed writes through the Raft log', () => {
  it('take effect in index order when their entries commit, and not before', () => {
    const kv = new KvWrites();
    expect(kv.get('k')).toBeNull();
    kv.add(w(2, 'k', 'second', 7));
    kv.add(w(1, 'k', 'first', 3));
    kv.add(w(3, 'k', 'third', 12));
    kv.commitUpTo([{ term: 1, toIndex: 10 }], 10);
    expect(kv.get('k')).toBe('second');
    kv.commitUpTo([{ term: 1, toIndex: 12 }], 12);
    expect(kv.get('k')).toBe('third');
  });

  it('never take effect when another leader wrote their index in another term', () => {
    const kv = new KvWrites();
    kv.add(w(1, 'k', 'stale', 5, 2));
    kv.commitUpTo(
      [
        { term: 2, toIndex: 4 },
        { term: 3, toIndex: 9 },
      ],
      9,
    );
    expect(kv.get('k')).toBeNull();
    // Gone for good: a later commit does not bring it back.
    kv.commitUpTo([{ term: 2, toIndex: 12 }], 12);
    expect(kv.get('k')).toBeNull();
  });

  it('lose the committed writes after a cut, fall back to the last kept value, and forget pending ones there', () => {
    const kv = new KvWrites();
    kv.add(w(1, 'a', 'kept', 1));
    kv.add(w(2, 'a', 'lost', 2));
    kv.add(w(3, 'b', 'lost-b', 3));
    kv.commitUpTo([{ term: 1, toIndex: 3 }], 3);
    kv.add(w(4, 'a', 'pending', 4));
    expect(kv.loseAfter(5)).toEqual([]);
    expect(kv.loseAfter(1).map((x) => x.opId)).toEqual([2, 3]);
    expect(kv.get('a')).toBe('kept');
    expect(kv.get('b')).toBeNull();
    kv.commitUpTo([{ term: 1, toIndex: 4 }], 4);
    expect(kv.get('a')).toBe('kept');
  });

  it('a lost cut that loses nothing keeps the pending writes', () => {
    const kv = new KvWrites();
    kv.add(w(1, 'a', 'x', 1));
    kv.commitUpTo([{ term: 1, toIndex: 1 }], 1);
    kv.add(w(2, 'a', 'y', 2));
    expect(kv.loseAfter(1)).toEqual([]);
    kv.commitUpTo([{ term: 1, toIndex: 2 }], 2);
    expect(kv.get('a')).toBe('y');
  });

  it('pending writes dropped after an index never take effect', () => {
    const kv = new KvWrites();
    kv.add(w(1, 'a', 'x', 1));
    kv.add(w(2, 'a', 'y', 2));
    kv.dropPendingAfter(1);
    kv.commitUpTo([{ term: 1, toIndex: 2 }], 2);
    expect(kv.get('a')).toBe('x');
  });
});

describe('the client history', () => {
  it("numbers operations, orders calls and returns, and keeps a write's value", () => {
    const h = new ClientHistory();
    const a = h.invoke('az1', 'write', 'k', 'v1', 10);
    const b = h.invoke('az2', 'read', 'k', null, 11);
    expect([a.id, b.id]).toEqual([1, 2]);
    expect(a.outcome).toBe('pending');
    h.complete(a, 'ok', 12, 'ignored');
    h.complete(b, 'ok', 13, 'v1');
    expect(a).toMatchObject({ value: 'v1', returnMs: 12, returnOrder: 3, outcome: 'ok' });
    expect(b).toMatchObject({ value: 'v1', returnMs: 13, returnOrder: 4, invokeOrder: 2 });
    const c = h.invoke('az3', 'write', 'k', 'v2', 14);
    h.complete(c, 'unknown', 15);
    expect(c).toMatchObject({ outcome: 'unknown', returnMs: null, returnOrder: null });
    const d = h.invoke('az3', 'read', 'k', null, 16);
    h.complete(d, 'fail', 17);
    expect(d.value).toBeNull();
    expect(h.view().ops).toHaveLength(4);
  });
});

describe("an etcd member's roles", () => {
  const roleAfter = (events: EtcdMemberEvent[]) => {
    const actor = createActor(etcdMemberMachine);
    actor.start();
    for (const e of events) actor.send(e);
    return actor.getSnapshot().value;
  };

  it('starts rejoining, becomes a follower once caught up, a candidate on a timeout, a leader on winning', () => {
    expect(roleAfter([])).toBe('rejoining');
    expect(roleAfter([{ type: 'CAUGHT_UP' }])).toBe('follower');
    expect(roleAfter([{ type: 'CAUGHT_UP' }, { type: 'ELECTION_TIMEOUT' }])).toBe('candidate');
    expect(roleAfter([{ type: 'CAUGHT_UP' }, { type: 'ELECTION_TIMEOUT' }, { type: 'WON_ELECTION' }])).toBe('leader');
  });

  it('a candidate or leader that hears of a leader or loses its majority follows again', () => {
    const candidate: EtcdMemberEvent[] = [{ type: 'CAUGHT_UP' }, { type: 'ELECTION_TIMEOUT' }];
    const leader: EtcdMemberEvent[] = [...candidate, { type: 'WON_ELECTION' }];
    expect(roleAfter([...candidate, { type: 'HEARD_FROM_LEADER' }])).toBe('follower');
    expect(roleAfter([...candidate, { type: 'LOST_QUORUM' }])).toBe('follower');
    expect(roleAfter([...leader, { type: 'HEARD_FROM_LEADER' }])).toBe('follower');
    expect(roleAfter([...leader, { type: 'LOST_QUORUM' }])).toBe('follower');
  });

  it('any live role crashes to down, which restarts to rejoining; any role can be removed for good', () => {
    const candidate: EtcdMemberEvent[] = [{ type: 'CAUGHT_UP' }, { type: 'ELECTION_TIMEOUT' }];
    for (const path of [
      [],
      [{ type: 'CAUGHT_UP' }],
      candidate,
      [...candidate, { type: 'WON_ELECTION' }],
    ] as EtcdMemberEvent[][]) {
      expect(roleAfter([...path, { type: 'CRASHED' }])).toBe('down');
      expect(roleAfter([...path, { type: 'REMOVED' }])).toBe('removed');
    }
    expect(roleAfter([{ type: 'CRASHED' }, { type: 'RESTARTED' }])).toBe('rejoining');
    expect(roleAfter([{ type: 'CRASHED' }, { type: 'REMOVED' }])).toBe('removed');
    expect(roleAfter([{ type: 'REMOVED' }, { type: 'RESTARTED' }])).toBe('removed');
    // A follower does not win an election it did not stand in.
    expect(roleAfter([{ type: 'CAUGHT_UP' }, { type: 'WON_ELECTION' }])).toBe('follower');
  });
});
