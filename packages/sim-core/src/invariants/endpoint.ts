import type { SnapshotCheck } from './types';

/** Invariants of the endpoint model (DESIGN §6). */
export const endpointChecks: readonly SnapshotCheck[] = [];
