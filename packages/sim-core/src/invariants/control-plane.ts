import type { SnapshotCheck } from './types';

/** Invariants of the control-plane model (DESIGN §6). */
export const controlPlaneChecks: readonly SnapshotCheck[] = [];
