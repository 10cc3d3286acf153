import type { DeltaMessage, PatchOp, StreamState } from './stream';

/**
 * Applies a delta to the state a client holds; returns the new state, or undefined when the
 * delta does not follow `seq` (the client should then send `resync`). Pure: the page and the
 * tests use it.
 */
export function applyDelta(
  current: { seq: number; state: StreamState },
  delta: DeltaMessage,
  eventTail = 50,
): { seq: number; state: StreamState } | undefined {
  if (delta.prevSeq !== current.seq) return undefined;
  const recentEvents = delta.events.length
    ? [...current.state.recentEvents, ...delta.events].slice(-eventTail)
    : current.state.recentEvents;
  let state = { ...current.state, ...delta.changed, recentEvents } as Record<string, unknown>;
  for (const op of delta.patches ?? []) state = applyPatch(state, op, 0) as Record<string, unknown>;
  return { seq: delta.seq, state: state as unknown as StreamState };
}

/** Copy-on-write along `op.path`: objects the delta does not touch keep their identity (cheap redraws). */
function applyPatch(node: unknown, op: PatchOp, depth: number): unknown {
  if (depth === op.path.length) {
    if ('set' in op) return op.set;
    return [...(Array.isArray(node) ? node.slice(op.drop ?? 0) : []), ...op.append];
  }
  const key = op.path[depth] as string;
  const container = (typeof node === 'object' && node !== null ? node : {}) as Record<string, unknown>;
  const copy = Array.isArray(container) ? [...container] : { ...container };
  (copy as Record<string, unknown>)[key] = applyPatch(container[key], op, depth + 1);
  return copy;
}
