import type { PatchOp } from '@eks-sim/protocol';

/** How deep patches reach: `controlPlane.apiServers.0.cpu` is depth 4. */
const MAX_DEPTH = 4;
/** Patches are used only when clearly smaller than resending the whole key. */
const WORTH_IT = 0.7;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: Json): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

function diffValue(path: string[], before: Json, after: Json, ops: PatchOp[]): void {
  const a = JSON.stringify(before);
  const b = JSON.stringify(after);
  if (a === b) return;
  if (path.length < MAX_DEPTH && isObject(before) && isObject(after)) {
    // A removed key cannot be patched in: replace the object.
    if (Object.keys(before).some((k) => !(k in after))) {
      ops.push({ path, set: after });
      return;
    }
    for (const key of Object.keys(after)) diffValue([...path, key], before[key] as Json, after[key] as Json, ops);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    // A series that grew, or a sliding window that moved on: send what left and the new points.
    const moved = slide(before, after);
    if (moved) {
      ops.push(moved.drop > 0 ? { path, drop: moved.drop, append: moved.append } : { path, append: moved.append });
      return;
    }
    // Same members, new readings (API servers' cpu…): patch by index.
    if (path.length < MAX_DEPTH && before.length === after.length) {
      for (let i = 0; i < after.length; i++) diffValue([...path, String(i)], before[i] as Json, after[i] as Json, ops);
      return;
    }
  }
  ops.push({ path, set: after });
}

/** `after` = `before` without its first `drop` items, plus `append`; undefined if it is not. */
function slide(before: Json[], after: Json[]): { drop: number; append: Json[] } | undefined {
  if (before.length === 0 || after.length === 0) return undefined;
  const beforeItems = before.map((item) => JSON.stringify(item));
  const afterItems = after.map((item) => JSON.stringify(item));
  for (let drop = 0; drop < beforeItems.length; drop++) {
    const kept = beforeItems.length - drop;
    if (kept > afterItems.length) continue;
    let same = true;
    for (let i = 0; i < kept && same; i++) same = beforeItems[drop + i] === afterItems[i];
    if (same) return { drop, append: after.slice(kept) };
  }
  return undefined;
}

/**
 * Patches turning the top-level value `beforeJson` into `afterJson` (both JSON text, so that
 * nothing the simulation mutates later can leak in), or null when sending the whole value is
 * as cheap.
 */
export function patchesFor(key: string, beforeJson: string, afterJson: string): PatchOp[] | null {
  const before = JSON.parse(beforeJson) as Json;
  const after = JSON.parse(afterJson) as Json;
  if (!isObject(before) || !isObject(after)) return null;
  const ops: PatchOp[] = [];
  diffValue([key], before, after, ops);
  if (ops.some((op) => op.path.length === 1)) return null;
  return JSON.stringify(ops).length < afterJson.length * WORTH_IT ? ops : null;
}
