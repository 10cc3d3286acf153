/**
 * p99 latency, and the error rates a class should see rise under overload: HTTP 429 from API
 * Priority and Fairness, HTTP 503 for writes without etcd quorum
 * (https://kubernetes.io/docs/concepts/cluster-administration/flow-control/).
 */
import { type ChartSpec, drawLineChart } from './chart';
import type { LoadSample } from './history';
import { colours } from './palette';

export const latencyChart: ChartSpec<LoadSample> = {
  id: 'latency',
  title: 'p99 latency',
  unit: 'ms',
  time: (d) => d.atMs,
  series: [{ id: 'p99', label: 'p99', colour: colours.reachable, value: (d) => d.p99Ms }],
};

export const errorsChart: ChartSpec<LoadSample> = {
  id: 'errors',
  title: 'Refused requests',
  unit: 'req/s',
  time: (d) => d.atMs,
  series: [
    { id: '429', label: 'HTTP 429', colour: colours.degraded, value: (d) => d.throttled429PerSec },
    { id: '503', label: 'HTTP 503', colour: colours.refused, dashed: true, value: (d) => d.unavailable503PerSec },
  ],
};

export function drawLatencyCharts(latency: Element, errors: Element, series: readonly LoadSample[]): void {
  drawLineChart(latency, latencyChart, series);
  drawLineChart(errors, errorsChart, series);
}
