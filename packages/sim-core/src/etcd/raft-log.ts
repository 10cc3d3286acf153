/**
 * A Raft log held as runs of entries written in one term (the Raft paper, §5.3): the model
 * writes thousands of entries a minute, and only an entry's index and term matter to Raft's
 * rules, so a log is the list of its term boundaries. `[{term: 2, toIndex: 40}, {term: 5,
 * toIndex: 90}]` holds entries 1-40 of term 2 and 41-90 of term 5.
 */
export interface LogRun {
  readonly term: number;
  toIndex: number;
}

export type RaftLog = LogRun[];

export function lastIndex(log: readonly LogRun[]): number {
  return log.length === 0 ? 0 : (log[log.length - 1] as LogRun).toIndex;
}

export function lastTerm(log: readonly LogRun[]): number {
  return log.length === 0 ? 0 : (log[log.length - 1] as LogRun).term;
}

/** The term of the entry at `index` (0 when the log does not hold it). */
export function termAt(log: readonly LogRun[], index: number): number {
  if (index <= 0) return 0;
  for (const run of log) if (index <= run.toIndex) return run.term;
  return 0;
}

/** Appends `count` entries written in `term`. */
export function append(log: RaftLog, term: number, count: number): void {
  if (count <= 0) return;
  const last = log[log.length - 1];
  if (last && last.term === term) last.toIndex += count;
  else log.push({ term, toIndex: lastIndex(log) + count });
}

/** Drops every entry after `index`. */
export function truncateAfter(log: RaftLog, index: number): void {
  while (log.length > 0 && lastIndex(log) > index) {
    const last = log[log.length - 1] as LogRun;
    const from = log.length > 1 ? (log[log.length - 2] as LogRun).toIndex : 0;
    if (from >= index) log.pop();
    else last.toIndex = index;
  }
}

/** A copy that shares nothing with `log` (runs are mutable). */
export function copyLog(log: readonly LogRun[], upTo = Number.POSITIVE_INFINITY): RaftLog {
  const out: RaftLog = [];
  for (const run of log) {
    if (run.toIndex <= upTo) out.push({ term: run.term, toIndex: run.toIndex });
    else {
      const from = out.length === 0 ? 0 : (out[out.length - 1] as LogRun).toIndex;
      if (upTo > from) out.push({ term: run.term, toIndex: upTo });
      break;
    }
  }
  return out;
}

/** Raft's election restriction (§5.4.1): is log `a` at least as up to date as log `b`? */
export function atLeastAsUpToDate(a: readonly LogRun[], b: readonly LogRun[]): boolean {
  const ta = lastTerm(a);
  const tb = lastTerm(b);
  return ta !== tb ? ta > tb : lastIndex(a) >= lastIndex(b);
}

/** Number of leading entries the two logs hold with the same terms. */
export function commonPrefix(a: readonly LogRun[], b: readonly LogRun[]): number {
  let i = 0;
  let j = 0;
  let from = 0;
  while (i < a.length && j < b.length) {
    const ra = a[i] as LogRun;
    const rb = b[j] as LogRun;
    if (ra.term !== rb.term) return from;
    const to = Math.min(ra.toIndex, rb.toIndex);
    from = to;
    if (ra.toIndex === to) i++;
    if (rb.toIndex === to) j++;
  }
  return from;
}

/** Whether the first `upTo` entries of `a` are those of `b` (same indexes, same terms). */
export function samePrefix(a: readonly LogRun[], b: readonly LogRun[], upTo: number): boolean {
  return upTo <= 0 || (lastIndex(a) >= upTo && lastIndex(b) >= upTo && commonPrefix(a, b) >= upTo);
}

/** The index of the last entry of `log` written in a term below `term` (0 if none). */
export function lastIndexBefore(log: readonly LogRun[], term: number): number {
  let out = 0;
  for (const run of log) {
    if (run.term >= term) break;
    out = run.toIndex;
  }
  return out;
}
