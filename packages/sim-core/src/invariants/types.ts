import type { Snapshot } from '../simulation';

/** A broken rule of the model (docs/control-plane.md), named so a failing property test reads as a bug report. */
export interface Violation {
  readonly invariant: string;
  readonly atMs: number;
  readonly message: string;
}

/**
 * A check over one snapshot. Checks that need history (cooldowns, "within the election
 * bound") read it from the snapshot's own records, so a snapshot alone can be checked.
 */
export type SnapshotCheck = (snapshot: Snapshot) => Violation[];
