/**
 * The scenario's `load:` section and the load model's snapshot. Requests per
 * second come from three client classes; kubelet load grows with the number of nodes.
 */
export type LoadProfile = 'flat' | 'diurnal' | 'classroom' | 'spike';

export const LOAD_PROFILES: readonly LoadProfile[] = ['flat', 'diurnal', 'classroom', 'spike'];

export interface LoadScenario {
  /** How the base rps varies over the day (default `flat`). */
  readonly profile?: LoadProfile;
  /** kubectl users: requests per second in total (default 0.5). */
  readonly kubectlRps?: number;
  /** Controllers (kube-controller-manager, add-ons, operators): rps in total (default 20). */
  readonly controllersRps?: number;
  /** Per worker node: kubelet status, leases, watches (default 1.5). */
  readonly kubeletRpsPerNode?: number;
  /** Diurnal: UTC hour of the daily peak (default 6, i.e. 15:00 in Seoul) and the trough as a fraction of the peak. */
  readonly diurnal?: { readonly peakHourUtc?: number; readonly troughFactor?: number };
  /** Classroom: idle, then a class starts: busy by `factor` for `duration` after `startsAt` (offsets like `1h`). */
  readonly classroom?: {
    readonly startsAt?: string;
    readonly rampUp?: string;
    readonly duration?: string;
    readonly factor?: number;
  };
  /** Spike profile: `factor`× the base load for `duration`, starting `at` (offset from the start). */
  readonly spike?: { readonly at?: string; readonly factor?: number; readonly duration?: string };
  /** Simulated ms between two load ticks while anything changes (default 15000). */
  readonly tickMs?: number;
  /** Simulated ms between two load ticks while all is calm (flat load, nothing pending; default 6h). */
  readonly calmTickMs?: number;
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
