/** Offered vs served load and capacity over simulated time (the load model's series). */
import { type ChartSpec, drawLineChart } from './chart';
import type { LoadSample } from './history';
import { colours } from './palette';

export const loadChart: ChartSpec<LoadSample> = {
  id: 'load',
  title: 'API requests',
  unit: 'req/s',
  time: (d) => d.atMs,
  series: [
    { id: 'offered', label: 'offered', colour: colours.degraded, value: (d) => d.offeredRps },
    { id: 'served', label: 'served', colour: colours.reachable, value: (d) => d.servedRps },
    { id: 'capacity', label: 'capacity', colour: colours.ok, dashed: true, value: (d) => d.capacityRps },
  ],
};

export function drawLoadChart(container: Element, series: readonly LoadSample[]): void {
  drawLineChart(container, loadChart, series);
}
