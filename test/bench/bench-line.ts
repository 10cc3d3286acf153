/** The one JSON line `pnpm bench` prints: each area fills its fields, null where it cannot measure. */
export interface BenchLine {
  dayWallMs: number | null;
  eventsPerSec: number | null;
  xstateRawPerSec: number | null;
  engineCostRatio: number | null;
  sweepRunsPerSec: number | null;
  saveRestoreMs: number | null;
  saveBytes: number | null;
  wsFanoutP99Ms: number | null;
  wsRawP99Ms: number | null;
  deltaBytesMedian: number | null;
  startMs: number | null;
  healthP99UnderLoadMs: number | null;
  restartMs: number | null;
  seekMs: number | null;
  forkMs: number | null;
  checkpointBytes: number | null;
  vizBundleGzipBytes: number | null;
  vizFrameMedianMs: number | null;
}
