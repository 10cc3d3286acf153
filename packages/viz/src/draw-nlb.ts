/**
 * One NLB node per AZ in front of the API servers (AWS says the endpoint is served by a Network
 * Load Balancer; one node per enabled AZ is how an NLB works:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/network-load-balancers.html).
 * A node whose AZ has no healthy target is taken out of DNS, which is why `dig` can answer with
 * two addresses.
 */
import { animated, boundedText, type DrawOptions, group, type Layer } from './draw-common';
import { type ArchitectureLayout, type Box, fonts } from './layout';
import { colours, health } from './palette';
import type { ArchitectureView, NlbView } from './view';

interface NlbDatum extends NlbView {
  readonly box: Box;
}

export function drawNlbs(parent: Layer, view: ArchitectureView, layout: ArchitectureLayout, options: DrawOptions) {
  const data: NlbDatum[] = view.nlbs.flatMap((nlb) => {
    const box = layout.nlbs.get(nlb.id);
    return box ? [{ ...nlb, box }] : [];
  });
  const nodes = group(parent, 'nlb-nodes')
    .selectAll<SVGGElement, NlbDatum>('g.nlb')
    .data(data, (d) => d.id)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'nlb');
      g.append('rect').attr('class', 'body').attr('rx', 20);
      g.append('rect').attr('class', 'hatch').attr('rx', 20).attr('fill', 'url(#hatch-failed)');
      g.append('text').attr('class', 'name').attr('text-anchor', 'middle');
      g.append('text').attr('class', 'dns').attr('text-anchor', 'middle');
      g.append('title');
      return g;
    })
    .attr('data-kind', 'nlb')
    .attr('data-id', (d) => d.id)
    .attr('data-az', (d) => d.az)
    .attr('data-state', (d) => d.state)
    .attr('data-in-dns', (d) => (d.inDns === null ? '' : String(d.inDns)));
  const out = (d: NlbDatum) => d.inDns === false || health(d.state) === 'failed';
  animated(nodes.select('rect.body'), options)
    .attr('x', (d) => d.box.x)
    .attr('y', (d) => d.box.y)
    .attr('width', (d) => d.box.w)
    .attr('height', (d) => d.box.h)
    .attr('fill', (d) => (out(d) ? '#d9d9d9' : '#e5f1fa'))
    .attr('stroke', (d) => (out(d) ? colours.failed : colours.reachable))
    .attr('stroke-width', 3)
    .attr('stroke-dasharray', (d) => (d.inDns === false ? '6 4' : null));
  nodes
    .select('rect.hatch')
    .attr('x', (d) => d.box.x)
    .attr('y', (d) => d.box.y)
    .attr('width', (d) => d.box.w)
    .attr('height', (d) => d.box.h)
    .attr('display', (d) => (health(d.state) === 'failed' ? null : 'none'));
  const cx = (d: NlbDatum) => d.box.x + d.box.w / 2;
  boundedText(
    nodes
      .select<SVGTextElement>('text.name')
      .attr('x', cx)
      .attr('y', (d) => d.box.y + 18),
    fonts.boxText,
    (d) => `NLB node ${d.ips[0] ?? ''}`.trim(),
    (d) => d.box.w - 24,
  );
  boundedText(
    nodes
      .select<SVGTextElement>('text.dns')
      .attr('x', cx)
      .attr('y', (d) => d.box.y + 35),
    fonts.boxText,
    (d) => (d.inDns === null ? d.state : d.inDns ? 'in DNS' : 'out of DNS'),
    (d) => d.box.w - 24,
  );
  nodes
    .select('title')
    .text(
      (d) =>
        `${d.id} in ${d.az}: ${d.state}; ${d.inDns ? 'in' : 'not in'} the endpoint's DNS answer; ${d.ips.join(', ')}`,
    );
}
