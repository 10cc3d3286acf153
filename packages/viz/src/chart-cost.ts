/**
 * What the customer has paid so far (docs/versions-and-cost.md: $0.10 per cluster-hour in standard support;
 * aws.amazon.com/eks/pricing: $0.60 in extended support), with the snapshot's own breakdown beside it.
 */
import { type ChartSpec, drawLineChart } from './chart';
import type { CostParts, CostSample } from './history';
import { colours } from './palette';

export const costChart: ChartSpec<CostSample> = {
  id: 'cost',
  title: 'Cost so far',
  unit: 'USD',
  curve: 'linear',
  time: (d) => d.atMs,
  series: [
    { id: 'total', label: 'total', colour: colours.leader, value: (d) => d.totalUsd },
    { id: 'standard', label: 'standard', colour: colours.ok, dashed: true, value: (d) => d.byPhase.standard ?? 0 },
    {
      id: 'extended',
      label: 'extended',
      colour: colours.degraded,
      dashed: true,
      value: (d) => d.byPhase.extended ?? 0,
    },
  ],
};

function money(value: number): string {
  return `$${value.toFixed(2)}`;
}

/** The cost model's own figures: the rate now, then paid so far by item (cluster, EC2, EBS). */
export function costBreakdown(snapshot: CostParts): string[] {
  const cost = snapshot?.cost;
  if (!cost) return [];
  return [
    `now ${money(cost.hourlyRateUsd)}/h`,
    ...Object.entries(cost.byItem).map(([item, amount]) => `${item} ${money(amount)}`),
  ];
}

export function drawCostChart(container: Element, samples: readonly CostSample[], snapshot: CostParts): void {
  drawLineChart(container, costChart, samples);
  const caption =
    container.querySelector('.breakdown') ?? container.appendChild(container.ownerDocument.createElement('div'));
  caption.className = 'breakdown';
  caption.setAttribute('data-kind', 'cost-breakdown');
  caption.textContent = costBreakdown(snapshot).join(' · ');
}
