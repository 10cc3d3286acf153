import { applyDelta, type DeltaMessage, type StreamState } from '@eks-sim/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { patchesFor } from '../../packages/server/src/state-diff';

/** Values shaped like snapshot parts: nested objects over a few shared keys, series, sliding windows. */
const leaf = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom('a', 'b', null, true));
const value = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('node'), { maxLength: 5 }),
    fc.dictionary(fc.constantFrom('x', 'y', 'z', 'w'), tie('node'), { maxKeys: 4 }),
  ),
})).node;
const part = fc.dictionary(fc.constantFrom('x', 'y', 'z', 'series'), value, { minKeys: 1, maxKeys: 4 });

/** `after` made from `before` the way a simulation changes: some keys kept, a window slid, a point pushed. */
const beforeAfter = fc
  .tuple(part, part, fc.array(leaf, { maxLength: 8 }), fc.nat(4), fc.array(leaf, { maxLength: 4 }), fc.boolean())
  .map(([before, other, window, drop, pushed, keepOthers]) => {
    const b = { ...before, series: window };
    const a = { ...(keepOthers ? before : other), series: [...window.slice(drop), ...pushed] };
    return [b, a] as const;
  });

describe('stream deltas: patches inside top-level keys', () => {
  it('applying the patches to the old value gives exactly the new value', () => {
    fc.assert(
      fc.property(beforeAfter, ([before, after]) => {
        const ops = patchesFor('part', JSON.stringify(before), JSON.stringify(after));
        const state = { part: before, recentEvents: [] } as unknown as StreamState;
        const delta: DeltaMessage = {
          type: 'delta',
          seq: 2,
          prevSeq: 1,
          changed: (ops ? {} : { part: after }) as Partial<StreamState>,
          ...(ops ? { patches: ops } : {}),
          events: [],
        };
        const next = applyDelta({ seq: 1, state }, delta);
        expect((next!.state as unknown as { part: unknown }).part).toEqual(after);
        for (const op of ops ?? []) expect(op.path.length).toBeGreaterThan(1);
      }),
      { numRuns: 500 },
    );
  });

  it('a sliding window that moved on by one point travels as one drop and one append', () => {
    const window = Array.from({ length: 200 }, (_, i) => ({ index: i, committed: true }));
    const before = { leader: 'etcd-1', commits: window };
    const after = { leader: 'etcd-1', commits: [...window.slice(1), { index: 200, committed: true }] };
    expect(patchesFor('etcdCluster', JSON.stringify(before), JSON.stringify(after))).toEqual([
      { path: ['etcdCluster', 'commits'], drop: 1, append: [{ index: 200, committed: true }] },
    ]);
  });

  it('patching leaves untouched branches as the same objects (cheap redraws)', () => {
    const state = { a: { b: { c: 1 }, d: { e: 2 } }, recentEvents: [] } as unknown as StreamState;
    const next = applyDelta(
      { seq: 1, state },
      { type: 'delta', seq: 2, prevSeq: 1, changed: {}, patches: [{ path: ['a', 'b', 'c'], set: 3 }], events: [] },
    );
    const a = (next!.state as unknown as { a: { b: { c: number }; d: unknown } }).a;
    expect(a.b.c).toBe(3);
    expect(a.d).toBe((state as unknown as { a: { d: unknown } }).a.d);
  });
});
