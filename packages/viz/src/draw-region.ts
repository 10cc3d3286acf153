/**
 * The frames: the internet, the region, the AWS-managed VPC that holds the control plane and
 * the customer VPC that holds the data plane (docs/versions-and-cost.md: AWS's responsibility above, the
 * customer's below).
 */
import { animated, boundedText, type DrawOptions, group, type Layer } from './draw-common';
import { type ArchitectureLayout, type Box, fonts } from './layout';
import { colours } from './palette';
import { estimateWidth } from './text-fit';
import type { ArchitectureView } from './view';

interface Frame {
  readonly id: string;
  readonly kind: string;
  readonly box: Box;
  readonly title: string;
  readonly subtitle: string;
  readonly fill: string;
}

/**
 * "endpoint: public → private in 4 min (EndpointAccessUpdate)": EKS applies a change over minutes
 * (https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html).
 */
export function endpointLine(view: ArchitectureView): string {
  const now = `endpoint: ${view.endpointMode ?? '?'}`;
  const pending = view.pendingEndpoint;
  if (!pending) return now;
  const minutes =
    pending.dueAtMs !== null && view.nowMs !== null
      ? Math.max(0, Math.ceil((pending.dueAtMs - view.nowMs) / 60_000))
      : null;
  return `${now} → ${pending.to ?? '?'}${minutes === null ? '' : ` in ${minutes} min`} (EndpointAccessUpdate)`;
}

export function drawRegion(parent: Layer, view: ArchitectureView, layout: ArchitectureLayout, options: DrawOptions) {
  const frames: Frame[] = [
    { id: 'internet', kind: 'internet', box: layout.internet, title: 'Internet', subtitle: '', fill: '#fbfbfb' },
    {
      id: view.region || 'region',
      kind: 'region',
      box: layout.region,
      title: `Region ${view.region}`,
      subtitle: '',
      fill: '#ffffff',
    },
    {
      id: 'aws-managed-vpc',
      kind: 'managed-vpc',
      box: layout.managedVpc,
      title: 'AWS-managed VPC: the control plane',
      subtitle: 'AWS runs and scales it; $0.10 per cluster-hour whatever its size',
      fill: colours.managedVpc,
    },
    {
      id: view.vpc.id ?? 'customer-vpc',
      kind: 'customer-vpc',
      box: layout.customerVpc,
      title: `Customer VPC ${view.vpc.id ?? ''} ${view.vpc.cidr ?? ''}`.trim(),
      subtitle: endpointLine(view),
      fill: colours.customerVpc,
    },
  ];
  const layer = group(parent, 'frames');
  const joined = layer
    .selectAll<SVGGElement, Frame>('g.frame')
    .data(frames, (d) => d.kind)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'frame');
      g.append('rect').attr('rx', 10);
      g.append('text').attr('class', 'frame-title');
      g.append('text').attr('class', 'frame-subtitle');
      return g;
    })
    .attr('data-kind', (d) => d.kind)
    .attr('data-id', (d) => d.id)
    .attr('data-state', 'up');
  animated(joined.select('rect'), options)
    .attr('x', (d) => d.box.x)
    .attr('y', (d) => d.box.y)
    .attr('width', (d) => d.box.w)
    .attr('height', (d) => d.box.h)
    .attr('fill', (d) => d.fill)
    .attr('stroke', (d) => (d.kind === 'region' ? '#8a8a8a' : '#9bb3c9'))
    .attr('stroke-dasharray', (d) => (d.kind === 'region' ? '8 5' : null));
  const titleWidth = (d: Frame) => estimateWidth(d.title, fonts.frameTitle, true);
  boundedText(
    joined
      .select<SVGTextElement>('text.frame-title')
      .attr('x', (d) => d.box.x + 12)
      .attr('y', (d) => d.box.y + 21),
    fonts.frameTitle,
    (d) => d.title,
    (d) => d.box.w - 24,
  );
  // The subtitle takes what the title leaves on the right.
  boundedText(
    joined
      .select<SVGTextElement>('text.frame-subtitle')
      .attr('x', (d) => d.box.x + d.box.w - 12)
      .attr('y', (d) => d.box.y + 21)
      .attr('text-anchor', 'end'),
    fonts.frameSubtitle,
    (d) => d.subtitle,
    (d) => Math.max(0, d.box.w - 24 - titleWidth(d) - 24),
  );
}
