import { describe, expect, it } from 'vitest';
import {
  append,
  atLeastAsUpToDate,
  commonPrefix,
  copyLog,
  lastIndex,
  lastIndexBefore,
  lastTerm,
  type RaftLog,
  samePrefix,
  termAt,
  truncateAfter,
} from '../../../packages/sim-core/src/etcd/raft-log';

const log = (...runs: [number, number][]): RaftLog => runs.map(([term, toIndex]) => ({ term, toIndex }));

describe('a Raft log held as runs of entries per term', () => {
  it('appends to the last run in the same term and opens a run in a new term', () => {
    const l: RaftLog = [];
    append(l, 1, 3);
    append(l, 1, 2);
    append(l, 2, 1);
    append(l, 2, 0);
    expect(l).toEqual(log([1, 5], [2, 6]));
    expect(lastIndex(l)).toBe(6);
    expect(lastTerm(l)).toBe(2);
    expect(lastIndex([])).toBe(0);
    expect(lastTerm([])).toBe(0);
  });

  it('knows the term of each entry, and 0 for entries it does not hold', () => {
    const l = log([1, 5], [3, 9]);
    expect([0, 1, 5, 6, 9, 10].map((i) => termAt(l, i))).toEqual([0, 1, 1, 3, 3, 0]);
  });

  it('truncates inside a run and across runs', () => {
    const l = log([1, 5], [3, 9], [4, 12]);
    truncateAfter(l, 7);
    expect(l).toEqual(log([1, 5], [3, 7]));
    truncateAfter(l, 5);
    expect(l).toEqual(log([1, 5]));
    truncateAfter(l, 0);
    expect(l).toEqual([]);
  });

  it('copies without sharing runs, optionally only a prefix', () => {
    const l = log([1, 5], [3, 9]);
    const c = copyLog(l);
    append(c, 3, 1);
    expect(l).toEqual(log([1, 5], [3, 9]));
    expect(copyLog(l, 7)).toEqual(log([1, 5], [3, 7]));
    expect(copyLog(l, 5)).toEqual(log([1, 5]));
    expect(copyLog(l, 0)).toEqual([]);
  });

  it('compares up-to-dateness by last term first, then by length (Raft §5.4.1)', () => {
    expect(atLeastAsUpToDate(log([2, 3]), log([1, 100]))).toBe(true);
    expect(atLeastAsUpToDate(log([1, 100]), log([2, 3]))).toBe(false);
    expect(atLeastAsUpToDate(log([2, 3]), log([2, 3]))).toBe(true);
    expect(atLeastAsUpToDate(log([2, 3]), log([2, 4]))).toBe(false);
    expect(atLeastAsUpToDate([], [])).toBe(true);
  });

  it('measures the shared prefix of two logs', () => {
    expect(commonPrefix(log([1, 5], [2, 8]), log([1, 5], [2, 10]))).toBe(8);
    expect(commonPrefix(log([1, 5], [2, 8]), log([1, 6], [3, 10]))).toBe(5);
    expect(commonPrefix(log([1, 5]), log([2, 5]))).toBe(0);
    expect(samePrefix(log([1, 5], [2, 8]), log([1, 5], [3, 8]), 5)).toBe(true);
    expect(samePrefix(log([1, 5], [2, 8]), log([1, 5], [3, 8]), 6)).toBe(false);
    expect(samePrefix(log([1, 5]), log([1, 9]), 6)).toBe(false);
    expect(samePrefix([], [], 0)).toBe(true);
  });

  it('finds the last entry written before a term', () => {
    expect(lastIndexBefore(log([1, 5], [3, 9], [4, 12]), 4)).toBe(9);
    expect(lastIndexBefore(log([1, 5], [3, 9]), 1)).toBe(0);
    expect(lastIndexBefore(log([1, 5], [3, 9]), 7)).toBe(9);
  });
});

describe('a Raft log at its edges', () => {
  it('ignores appending no entries or fewer than none', () => {
    const l: RaftLog = [{ term: 1, toIndex: 2 }];
    append(l, 2, 0);
    append(l, 2, -3);
    expect(l).toEqual([{ term: 1, toIndex: 2 }]);
  });

  it('truncating at or after its end changes nothing, and an empty log stays empty', () => {
    const l: RaftLog = [{ term: 1, toIndex: 4 }];
    truncateAfter(l, 4);
    truncateAfter(l, 9);
    expect(l).toEqual([{ term: 1, toIndex: 4 }]);
    const empty: RaftLog = [];
    truncateAfter(empty, 0);
    expect(empty).toEqual([]);
  });

  it('copies a prefix that ends exactly at a run boundary without an empty run', () => {
    expect(
      copyLog(
        [
          { term: 1, toIndex: 5 },
          { term: 2, toIndex: 8 },
        ],
        8,
      ),
    ).toEqual([
      { term: 1, toIndex: 5 },
      { term: 2, toIndex: 8 },
    ]);
  });

  it('a lower last term is less up to date whatever the length', () => {
    expect(atLeastAsUpToDate([{ term: 1, toIndex: 50 }], [{ term: 2, toIndex: 1 }])).toBe(false);
    expect(atLeastAsUpToDate([{ term: 3, toIndex: 1 }], [{ term: 2, toIndex: 50 }])).toBe(true);
  });

  it('measures shared prefixes across runs that end at different indexes', () => {
    const a: RaftLog = [
      { term: 1, toIndex: 3 },
      { term: 2, toIndex: 6 },
      { term: 4, toIndex: 9 },
    ];
    const b: RaftLog = [
      { term: 1, toIndex: 3 },
      { term: 2, toIndex: 7 },
    ];
    expect(commonPrefix(a, b)).toBe(6);
    expect(commonPrefix(b, a)).toBe(6);
    expect(commonPrefix([], a)).toBe(0);
    expect(samePrefix(a, b, 6)).toBe(true);
    expect(samePrefix(a, b, 7)).toBe(false);
    expect(samePrefix(a, [], 0)).toBe(true);
    expect(samePrefix(a, [], 1)).toBe(false);
  });
});
