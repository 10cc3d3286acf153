/**
 * The scenario's `load:` section and the load model's snapshot. Requests per
 * second come from three client classes; kubelet load grows with the number of nodes.
 */
import type { LoadProfile } from '../input/scenario';

export { LOAD_PROFILES, type LoadProfile, type LoadScenario } from '../input/scenario';

/** An instance's capacity, as the load model reads it (the control plane's size ladder lists them). */
export interface InstanceSize {
  readonly name: string;
  readonly vcpu: number;
  readonly memoryGiB: number;
  /** APF concurrency seats (API servers only). */
  readonly seats: number;
}

/** Write share of each client class (model: kubelets write leases and status, kubectl mostly reads). */
export const WRITE_FRACTION = { kubectl: 0.15, controllers: 0.35, kubelets: 0.45 } as const;

export interface ClassRps {
  readonly kubectl: number;
  readonly controllers: number;
  readonly kubelets: number;
}

/** One point of a time series the viz charts (one per simulated minute, or per tick when ticks are coarser). */
export interface LoadPoint {
  readonly atMs: number;
  readonly offeredRps: number;
  readonly servedRps: number;
  readonly capacityRps: number;
  readonly p99Ms: number;
  readonly throttled429PerSec: number;
  readonly unavailable503PerSec: number;
  readonly apiServers: number;
  /** Sizes of the healthy API servers, e.g. `["m5.large", "m5.large"]`. */
  readonly apiServerSizes: readonly string[];
  readonly etcdMembers: number;
  /** Leader elections won since the previous point. */
  readonly etcdLeaderChanges: number;
}

export interface LoadTotals {
  readonly profile: LoadProfile;
  readonly offeredRps: number;
  readonly servedRps: number;
  readonly readRps: number;
  readonly writeRps: number;
  readonly capacityRps: number;
  readonly throttled429PerSec: number;
  readonly unavailable503PerSec: number;
  readonly p99LatencyMs: number;
  readonly byClass: ClassRps;
  readonly nodes: number;
  /** Active spike: factor and when it ends. */
  readonly spike: { readonly factor: number; readonly untilMs: number } | null;
  /** Counts since the start of the run. */
  readonly total429: number;
  readonly total503: number;
  readonly totalServed: number;
  readonly committedWrites: number;
}

export interface LoadSnapshotPart {
  readonly load: LoadTotals & { readonly series: readonly LoadPoint[] };
}
