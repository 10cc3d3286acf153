/**
 * Is a history of keyed reads and writes linearizable (Herlihy & Wing 1990)? The search of
 * Wing & Gong (1993) with Lowe's memoisation (2017), as Porcupine implements it for etcd's
 * robustness tests: walk the calls and returns in order; at each call try to take the
 * operation effect now, if the model allows it and this (set of operations taken, state)
 * pair is new; at a return whose operation was not taken yet, undo the last choice.
 * Keys are independent registers, so each key is checked on its own (P-compositionality).
 *
 * - A failed operation did not happen: it is left out.
 * - An operation with an unknown outcome returns "never": it may take effect at any point
 *   after its call, or not at all.
 * - A data loss recorded by the model (`etcd.data-loss`) is an operation of its own that
 *   puts each touched key back to the value the survivors hold. It is accepted only if it
 *   names acknowledged writes invoked before it, and only sets a key to a value some write
 *   before it could have left there.
 */
import type { ClientHistoryView, ClientOp } from '../etcd/client-history';
import type { Violation } from './types';

type Register = string | null;

interface RegisterOp {
  readonly index: number;
  readonly kind: 'write' | 'read';
  readonly value: Register;
  readonly callOrder: number;
  /** Infinity: never returned. */
  readonly returnOrder: number;
  readonly label: string;
}

interface Entry {
  readonly op: RegisterOp;
  readonly isCall: boolean;
  readonly order: number;
  prev: Entry | null;
  next: Entry | null;
  match: Entry | null;
}

/** Whether the operations on one register can be ordered so each read sees the last write. */
export function linearizableRegister(ops: readonly RegisterOp[]): { ok: true } | { ok: false; stuckAt: string } {
  const entries: Entry[] = [];
  for (const op of ops) {
    const call: Entry = { op, isCall: true, order: op.callOrder, prev: null, next: null, match: null };
    const ret: Entry = { op, isCall: false, order: op.returnOrder, prev: null, next: null, match: null };
    call.match = ret;
    entries.push(call, ret);
  }
  // Returns at Infinity keep their calls' relative order at the very end.
  entries.sort((a, b) => a.order - b.order || a.op.callOrder - b.op.callOrder);
  const head: Entry = {
    op: { index: -1, kind: 'read', value: null, callOrder: 0, returnOrder: 0, label: '' },
    isCall: false,
    order: -1,
    prev: null,
    next: null,
    match: null,
  };
  let tail = head;
  for (const e of entries) {
    tail.next = e;
    e.prev = tail;
    tail = e;
  }
  const lift = (e: Entry) => {
    (e.prev as Entry).next = e.next;
    if (e.next) e.next.prev = e.prev;
    const m = e.match as Entry;
    (m.prev as Entry).next = m.next;
    if (m.next) m.next.prev = m.prev;
  };
  const unlift = (e: Entry) => {
    const m = e.match as Entry;
    (m.prev as Entry).next = m;
    if (m.next) m.next.prev = m;
    (e.prev as Entry).next = e;
    if (e.next) e.next.prev = e;
  };
  // The memo key is (set of operations taken, state). The set is hashed Zobrist-style: each
  // operation has a fixed random 64-bit tag and the set's hash is the XOR of its tags, kept
  // up to date in O(1) per step (a bitset would cost O(n) per step on week-long histories).
  const tagLo = new Uint32Array(ops.length);
  const tagHi = new Uint32Array(ops.length);
  let x = 0x9e3779b9;
  const next32 = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  for (let i = 0; i < ops.length; i++) {
    tagLo[i] = next32();
    tagHi[i] = next32();
  }
  const seen = new Set<string>();
  const stack: { entry: Entry; state: Register }[] = [];
  let state: Register = null;
  let hashLo = 0;
  let hashHi = 0;
  let entry = head.next;
  let furthest = '';
  while (head.next !== null) {
    if (entry === null) return { ok: false, stuckAt: furthest };
    if (entry.isCall) {
      const op = entry.op;
      const allowed = op.kind === 'write' || op.value === state;
      const nextState: Register = op.kind === 'write' ? op.value : state;
      if (allowed) {
        const lo = (hashLo ^ (tagLo[op.index] as number)) >>> 0;
        const hi = (hashHi ^ (tagHi[op.index] as number)) >>> 0;
        const key = `${lo},${hi},${nextState === null ? '' : `=${nextState}`}`;
        if (!seen.has(key)) {
          seen.add(key);
          stack.push({ entry, state });
          state = nextState;
          hashLo = lo;
          hashHi = hi;
          lift(entry);
          entry = head.next;
          continue;
        }
      }
      entry = entry.next;
    } else {
      // An operation returned before it could take effect: undo the last choice.
      if (stack.length === 0) return { ok: false, stuckAt: entry.op.label };
      if (!furthest) furthest = entry.op.label;
      const top = stack.pop() as { entry: Entry; state: Register };
      state = top.state;
      hashLo = (hashLo ^ (tagLo[top.entry.op.index] as number)) >>> 0;
      hashHi = (hashHi ^ (tagHi[top.entry.op.index] as number)) >>> 0;
      unlift(top.entry);
      entry = top.entry.next;
    }
  }
  return { ok: true };
}

const describe = (op: ClientOp): string =>
  `#${op.id} ${op.kind} ${op.key}${op.kind === 'write' ? `=${op.value}` : ` -> ${op.value}`} by ${op.client} at ${op.invokeMs}${op.outcome === 'unknown' ? ' (unknown)' : ''}`;

/** Checks a recorded client history; one violation per key that is not linearizable or per loss not accepted. */
export function checkLinearizable(history: ClientHistoryView, atMs: number): Violation[] {
  const out: Violation[] = [];
  const byId = new Map(history.ops.map((op) => [op.id, op]));
  const byKey = new Map<string, RegisterOp[]>();
  const add = (key: string, op: Omit<RegisterOp, 'index'>) => {
    let list = byKey.get(key);
    if (!list) {
      list = [];
      byKey.set(key, list);
    }
    list.push({ ...op, index: list.length });
  };
  for (const op of history.ops) {
    if (op.outcome === 'fail' || op.outcome === 'pending') continue;
    if (op.kind === 'read' && op.outcome !== 'ok') continue;
    add(op.key, {
      kind: op.kind,
      value: op.value,
      callOrder: op.invokeOrder,
      returnOrder: op.returnOrder ?? Number.POSITIVE_INFINITY,
      label: describe(op),
    });
  }
  for (const loss of history.losses) {
    const bad = loss.lostOpIds.filter((id) => {
      const op = byId.get(id);
      return op?.kind !== 'write' || op.outcome === 'fail' || op.invokeOrder > loss.order;
    });
    if (bad.length > 0) {
      out.push({
        invariant: 'etcd-linearizable',
        atMs: loss.atMs,
        message: `the data loss at ${loss.atMs} names writes that were not sent before it: ${bad.join(', ')}`,
      });
    }
    for (const [key, value] of Object.entries(loss.restored)) {
      const possible =
        value === null ||
        history.ops.some(
          (op) =>
            op.kind === 'write' &&
            op.key === key &&
            op.value === value &&
            op.outcome !== 'fail' &&
            op.invokeOrder < loss.order &&
            !loss.lostOpIds.includes(op.id),
        );
      if (!possible) {
        out.push({
          invariant: 'etcd-linearizable',
          atMs: loss.atMs,
          message: `the data loss at ${loss.atMs} left ${key}=${value}, which no surviving write before it wrote`,
        });
      }
      add(key, {
        kind: 'write',
        value,
        callOrder: loss.order,
        returnOrder: loss.order + 0.5,
        label: `data loss at ${loss.atMs} (${key}=${value})`,
      });
    }
  }
  for (const [key, ops] of byKey) {
    const result = linearizableRegister(ops);
    if (!result.ok) {
      out.push({
        invariant: 'etcd-linearizable',
        atMs,
        message: `the history of key ${key} (${ops.length} operations) is not linearizable; no order explains ${result.stuckAt}`,
      });
    }
  }
  return out;
}
