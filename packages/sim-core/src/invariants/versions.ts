import type { SnapshotCheck } from './types';

/** Invariants of the versions model (DESIGN §6). */
export const versionChecks: readonly SnapshotCheck[] = [];
