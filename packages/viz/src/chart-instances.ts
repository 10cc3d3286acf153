/**
 * API-server count and sizes over time, with etcd leader changes as marks: the autoscaler and
 * the elections a class watches during a spike or an AZ outage.
 */
import { type ChartSpec, drawLineChart } from './chart';
import type { LoadSample } from './history';
import { colours } from './palette';

function instancesChart(series: readonly LoadSample[]): ChartSpec<LoadSample> {
  return {
    id: 'instances',
    title: 'API servers',
    unit: 'instances',
    time: (d) => d.atMs,
    series: [{ id: 'apiservers', label: 'count', colour: colours.ok, value: (d) => d.apiServers }],
    marks: series
      .filter((d) => (d.etcdLeaderChanges ?? 0) > 0)
      .map((d) => ({ atMs: d.atMs, label: `etcd leader change ×${d.etcdLeaderChanges}` })),
  };
}

/** "2 × m5.large": the newest sizes, counted. */
export function sizesLine(series: readonly LoadSample[]): string {
  const sizes = series.at(-1)?.apiServerSizes ?? [];
  const counts = new Map<string, number>();
  for (const size of sizes) counts.set(size, (counts.get(size) ?? 0) + 1);
  return [...counts].map(([size, n]) => `${n} × ${size}`).join(', ');
}

export function drawInstancesChart(container: Element, series: readonly LoadSample[]): void {
  drawLineChart(container, instancesChart(series), series);
  const caption =
    container.querySelector('.sizes') ?? container.appendChild(container.ownerDocument.createElement('div'));
  caption.className = 'sizes';
  const changes = series.reduce((sum, d) => sum + (d.etcdLeaderChanges ?? 0), 0);
  caption.textContent = [sizesLine(series), changes ? `etcd leader changes: ${changes} (pink marks)` : '']
    .filter(Boolean)
    .join(' · ');
}
