import type { Simulation, Snapshot } from '../simulation';
import { controlPlaneChecks } from './control-plane';
import { endpointChecks } from './endpoint';
import { raftChecks } from './raft';
import type { SnapshotCheck, Violation } from './types';
import { versionChecks } from './versions';

export { checkLinearizable } from './linearizability';
export { RaftHistoryChecker } from './raft';
export type { SnapshotCheck, Violation } from './types';

/** Every named check (docs/control-plane.md), by domain. */
export const snapshotChecks: readonly SnapshotCheck[] = [
  ...controlPlaneChecks,
  ...raftChecks,
  ...endpointChecks,
  ...versionChecks,
];

/** Runs every named invariant over a simulation (or a snapshot of one). */
export function checkInvariants(target: Simulation | Snapshot): Violation[] {
  const snapshot =
    'snapshot' in target && typeof target.snapshot === 'function' ? target.snapshot() : (target as Snapshot);
  return snapshotChecks.flatMap((check) => check(snapshot));
}
