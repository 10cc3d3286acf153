/**
 * API-server CPU with the control-plane autoscaler's thresholds drawn across it: above the
 * scale-out line for a few minutes, EKS adds API servers; below the scale-in line for long,
 * it removes one (model values from sim-core's AUTOSCALER_RULES; EKS scales its control plane
 * with load: https://docs.aws.amazon.com/eks/latest/best-practices/control-plane.html).
 */
import { AUTOSCALER_RULES } from '@eks-sim/sim-core';
import { type ChartSpec, drawLineChart } from './chart';
import type { CpuSample } from './history';
import { colours } from './palette';

const percent = (fraction: number | null) => (fraction === null ? null : Math.round(fraction * 1000) / 10);
const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;

export const cpuChart: ChartSpec<CpuSample> = {
  id: 'cpu',
  title: 'API server CPU',
  unit: '%',
  time: (d) => d.atMs,
  series: [
    { id: 'mean', label: 'mean', colour: colours.reachable, value: (d) => percent(d.meanCpu) },
    { id: 'max', label: 'busiest', colour: colours.degraded, dashed: true, value: (d) => percent(d.maxCpu) },
  ],
  thresholds: [
    {
      value: AUTOSCALER_RULES.scaleOut.cpuAbove * 100,
      label: `scale out above ${AUTOSCALER_RULES.scaleOut.cpuAbove * 100}% for ${minutes(AUTOSCALER_RULES.scaleOut.forMs)}`,
    },
    {
      value: AUTOSCALER_RULES.scaleIn.cpuBelow * 100,
      label: `scale in below ${AUTOSCALER_RULES.scaleIn.cpuBelow * 100}% for ${minutes(AUTOSCALER_RULES.scaleIn.forMs)}`,
    },
  ],
};

export function drawCpuChart(container: Element, series: readonly CpuSample[]): void {
  drawLineChart(container, cpuChart, series);
}
