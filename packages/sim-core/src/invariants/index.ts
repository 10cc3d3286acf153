import type { Simulation, Snapshot } from '../simulation';

/** A broken rule of the model (DESIGN §6), named so a failing property test reads as a bug report. */
export interface Violation {
  readonly invariant: string;
  readonly atMs: number;
  readonly message: string;
}

export type SnapshotCheck = (snapshot: Snapshot) => Violation[];

/** The checks run by `checkInvariants`; each domain's invariants are appended here. */
export const snapshotChecks: SnapshotCheck[] = [];

/** Runs every named invariant over a simulation (or a snapshot of one). */
export function checkInvariants(target: Simulation | Snapshot): Violation[] {
  const snapshot =
    'snapshot' in target && typeof target.snapshot === 'function' ? target.snapshot() : (target as Snapshot);
  return snapshotChecks.flatMap((check) => check(snapshot));
}
