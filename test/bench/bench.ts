/**
 * `pnpm bench` (docs/bench.md): runs every measurement and prints one JSON object as the last
 * line of stdout. Each area measures itself in its own file; a field an area cannot
 * measure yet is null, and the reason goes to stderr.
 */
import type { BenchLine } from './bench-line';
import { measureCore } from './core';
import { measureServer } from './server';
import { measureViz } from './viz';

const line: BenchLine = {
  dayWallMs: null,
  eventsPerSec: null,
  xstateRawPerSec: null,
  engineCostRatio: null,
  sweepRunsPerSec: null,
  saveRestoreMs: null,
  saveBytes: null,
  wsFanoutP99Ms: null,
  wsRawP99Ms: null,
  deltaBytesMedian: null,
  startMs: null,
  healthP99UnderLoadMs: null,
  restartMs: null,
  seekMs: null,
  forkMs: null,
  checkpointBytes: null,
  vizBundleGzipBytes: null,
  vizFrameMedianMs: null,
};

for (const [area, measure] of [
  ['core', measureCore],
  ['server', measureServer],
  ['viz', measureViz],
] as const) {
  try {
    Object.assign(line, await measure());
  } catch (error) {
    process.stderr.write(`bench: ${area} measurements failed: ${(error as Error).message}\n`);
  }
}

process.stdout.write(`${JSON.stringify(line)}\n`);
