/**
 * Time series for the charts. The load model keeps its own series in the snapshot
 * (`load.series`, one point per simulated minute or tick); the viz uses it as is. What the
 * model keeps no series of (cost so far) is sampled here from each snapshot the page sees.
 */
import type { Snapshot } from '@eks-sim/sim-core';
import type { SnapshotParts } from './view';

/** What the cost samplers read of a snapshot. */
export type CostParts = { readonly clock?: Pick<Snapshot['clock'], 'nowMs'>; readonly cost?: Snapshot['cost'] } | null;

export interface LoadSample {
  readonly atMs: number;
  readonly offeredRps: number | null;
  readonly servedRps: number | null;
  readonly capacityRps: number | null;
  readonly p99Ms: number | null;
  readonly throttled429PerSec: number | null;
  readonly unavailable503PerSec: number | null;
  readonly apiServers: number | null;
  readonly apiServerSizes: readonly string[];
  readonly etcdLeaderChanges: number | null;
}

export interface CostSample {
  readonly atMs: number;
  readonly totalUsd: number;
  /** Cumulative USD paid while the cluster was in each support phase (`standard`, `extended`, …). */
  readonly byPhase: Readonly<Record<string, number>>;
}

/**
 * Cumulative cost over time from the cost model's billed segments (each a run of hours at one
 * rate, with the cluster's phase), so the chart is exact and survives a page reload; null when
 * the snapshot has no segments.
 */
export function costSeriesFromSegments(snapshot: CostParts): CostSample[] | null {
  const segments = snapshot?.cost?.segments ?? [];
  if (!segments.length) return null;
  const samples: CostSample[] = [];
  let total = 0;
  const byPhase: Record<string, number> = {};
  for (const segment of segments) {
    const phase = segment.clusterPhase ?? 'other';
    const usd = segment.hours * segment.hourlyRateUsd;
    if (!samples.length) samples.push({ atMs: segment.fromMs, totalUsd: 0, byPhase: {} });
    total += usd;
    byPhase[phase] = (byPhase[phase] ?? 0) + usd;
    samples.push({ atMs: segment.toMs, totalUsd: total, byPhase: { ...byPhase } });
  }
  return samples;
}

/** The load series the model keeps (a point per simulated minute), or one point made from the totals before its first. */
export function loadSeries(snapshot: SnapshotParts): LoadSample[] {
  const load = snapshot?.load;
  if (!load) return [];
  if (load.series.length) return load.series.map((point) => ({ ...point }));
  const nowMs = snapshot?.clock?.nowMs;
  if (nowMs === undefined) return [];
  return [
    {
      atMs: nowMs,
      offeredRps: load.offeredRps,
      servedRps: load.servedRps,
      capacityRps: load.capacityRps,
      p99Ms: load.p99LatencyMs,
      throttled429PerSec: load.throttled429PerSec,
      unavailable503PerSec: load.unavailable503PerSec,
      apiServers: null,
      apiServerSizes: [],
      etcdLeaderChanges: null,
    },
  ];
}

/** Cost samples gathered from successive snapshots, bounded, newest last. */
export class CostHistory {
  private readonly samples: CostSample[] = [];
  constructor(private readonly limit = 2000) {}

  add(snapshot: CostParts): void {
    const atMs = snapshot?.clock?.nowMs;
    const cost = snapshot?.cost;
    if (atMs === undefined || !cost) return;
    const last = this.samples.at(-1);
    // A reset or a new session goes back in time: start over rather than draw a loop.
    if (last && atMs < last.atMs) this.samples.length = 0;
    if (last && last.atMs === atMs) this.samples.pop();
    this.samples.push({ atMs, totalUsd: cost.totalUsd, byPhase: { ...cost.byPhase } });
    if (this.samples.length > this.limit) this.samples.splice(0, this.samples.length - this.limit);
  }

  clear(): void {
    this.samples.length = 0;
  }

  get all(): readonly CostSample[] {
    return this.samples;
  }
}

/** Longer than this between two snapshots, the CPU line breaks (at 10000× two snapshots are ~17 min apart). */
const CPU_GAP_MS = 30 * 60_000;

export interface CpuSample {
  readonly atMs: number;
  /** Mean and highest CPU (0..1) of the API servers that report one. */
  readonly meanCpu: number | null;
  readonly maxCpu: number | null;
}

/**
 * API-server CPU over time, sampled from each snapshot the page sees (the load model keeps no
 * CPU series): what the control-plane autoscaler's rules compare with their thresholds.
 */
export class CpuHistory {
  private readonly samples: CpuSample[] = [];
  constructor(private readonly limit = 2000) {}

  add(snapshot: SnapshotParts): void {
    const atMs = snapshot?.clock?.nowMs;
    if (atMs === undefined) return;
    const cpus = (snapshot?.controlPlane?.apiServers ?? []).map((a) => a.cpu);
    const last = this.samples.at(-1);
    if (last && atMs < last.atMs) this.samples.length = 0;
    if (last && last.atMs === atMs) this.samples.pop();
    // A jump in time (a step of an hour, a page opened late) has no samples in between: leave a
    // gap in the line instead of drawing the old value across it.
    if (last && atMs - last.atMs > CPU_GAP_MS) this.samples.push({ atMs: last.atMs + 1, meanCpu: null, maxCpu: null });
    this.samples.push({
      atMs,
      meanCpu: cpus.length ? cpus.reduce((a, b) => a + b, 0) / cpus.length : null,
      maxCpu: cpus.length ? Math.max(...cpus) : null,
    });
    if (this.samples.length > this.limit) this.samples.splice(0, this.samples.length - this.limit);
  }

  get all(): readonly CpuSample[] {
    return this.samples;
  }
}
