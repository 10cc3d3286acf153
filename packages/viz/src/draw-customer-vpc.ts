/**
 * The customer VPC: public and private subnets per AZ, the bastion `myeks-host`, the worker
 * nodes, the EKS-owned ENIs through which the control plane reaches the nodes
 * (https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html), the security groups as
 * outlines around what they are attached to, and the laptop on the internet.
 */
import { select as d3Select } from 'd3';
import { animated, boundedText, type DrawOptions, group, type Layer } from './draw-common';
import { type ArchitectureLayout, type Box, fonts, lineHeight } from './layout';
import { colours, health, healthColour } from './palette';
import type { ArchitectureView, HostView, SecurityGroupView, SubnetView } from './view';

interface SubnetDatum extends SubnetView {
  readonly box: Box;
}

interface HostDatum extends HostView {
  readonly box: Box;
}

function hostTitle(d: HostView): string {
  if (d.kind === 'eni') return 'EKS ENI';
  if (d.kind === 'node') return 'node';
  return d.label;
}

/** The subnets and the security-group list: the containers, drawn under the paths. */
export function drawCustomerVpc(
  parent: Layer,
  view: ArchitectureView,
  layout: ArchitectureLayout,
  options: DrawOptions,
) {
  drawSubnets(group(parent, 'subnets'), view, layout, options);
  drawSecurityGroupList(group(parent, 'security-groups'), view, layout);
}

/** The hosts, drawn over the paths so that a path ends at a box's edge instead of crossing its text. */
export function drawHostBoxes(parent: Layer, view: ArchitectureView, layout: ArchitectureLayout, options: DrawOptions) {
  drawHosts(group(parent, 'hosts'), view, layout, options);
}

function drawSubnets(layer: Layer, view: ArchitectureView, layout: ArchitectureLayout, options: DrawOptions) {
  const data: SubnetDatum[] = view.subnets.flatMap((s) => {
    const box = layout.subnets.get(s.id);
    return box ? [{ ...s, box }] : [];
  });
  const subnets = layer
    .selectAll<SVGGElement, SubnetDatum>('g.subnet')
    .data(data, (d) => d.id)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'subnet');
      g.append('rect').attr('rx', 6);
      g.append('text');
      g.append('title');
      return g;
    })
    .attr('data-kind', 'subnet')
    .attr('data-id', (d) => d.id)
    .attr('data-state', (d) => d.kind);
  animated(subnets.select('rect'), options)
    .attr('x', (d) => d.box.x)
    .attr('y', (d) => d.box.y)
    .attr('width', (d) => d.box.w)
    .attr('height', (d) => d.box.h)
    .attr('fill', (d) => (d.kind === 'public' ? colours.publicSubnet : colours.privateSubnet))
    .attr('stroke', '#a8b8c8');
  boundedText(
    subnets
      .select<SVGTextElement>('text')
      .attr('x', (d) => d.box.x + 8)
      .attr('y', (d) => d.box.y + 16),
    fonts.subnetLabel,
    (d) => `${d.kind} · ${d.name}${d.cidr ? ` · ${d.cidr}` : ''}`,
    (d) => d.box.w - 16,
  );
  subnets.select('title').text((d) => `${d.kind} subnet ${d.name} (${d.id}) in ${d.az}${d.cidr ? `, ${d.cidr}` : ''}`);
}

function drawHosts(layer: Layer, view: ArchitectureView, layout: ArchitectureLayout, options: DrawOptions) {
  const all = [...view.hosts, ...view.nodes, ...view.enis];
  const data: HostDatum[] = all.flatMap((h) => {
    const box = layout.hosts.get(h.id);
    return box ? [{ ...h, box }] : [];
  });
  const sgIndex = new Map(view.securityGroups.map((sg, i) => [sg.id, i]));
  const hosts = layer
    .selectAll<SVGGElement, HostDatum>('g.host')
    .data(data, (d) => d.id)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'host');
      g.append('g').attr('class', 'sg-outlines');
      g.append('rect').attr('class', 'body').attr('rx', 6);
      g.append('rect').attr('class', 'hatch').attr('rx', 6).attr('fill', 'url(#hatch-failed)');
      g.append('text').attr('class', 'name').attr('text-anchor', 'middle');
      g.append('text').attr('class', 'ip').attr('text-anchor', 'middle');
      g.append('title');
      return g;
    })
    .attr('data-kind', (d) => d.kind)
    .attr('data-id', (d) => d.id)
    .attr('data-state', (d) => d.state)
    .attr('data-security-groups', (d) => d.securityGroupIds.join(' '));
  const failed = (d: HostDatum) => health(d.state) === 'failed';
  animated(hosts.select('rect.body'), options)
    .attr('x', (d) => d.box.x)
    .attr('y', (d) => d.box.y)
    .attr('width', (d) => d.box.w)
    .attr('height', (d) => d.box.h)
    .attr('fill', (d) => (failed(d) ? '#d0d0d0' : '#ffffff'))
    .attr('stroke', (d) => (d.kind === 'eni' ? colours.reachable : healthColour(d.state)))
    .attr('stroke-width', 2);
  hosts
    .select('rect.hatch')
    .attr('x', (d) => d.box.x)
    .attr('y', (d) => d.box.y)
    .attr('width', (d) => d.box.w)
    .attr('height', (d) => d.box.h)
    .attr('display', (d) => (failed(d) ? null : 'none'));
  const cx = (d: HostDatum) => d.box.x + d.box.w / 2;
  // Two lines when the box has room for them; the address moves to the tooltip otherwise.
  const roomy = (d: HostDatum) => d.box.h >= 42;
  boundedText(
    hosts
      .select<SVGTextElement>('text.name')
      .attr('x', cx)
      .attr('y', (d) => d.box.y + (roomy(d) ? 19 : d.box.h / 2 + 5)),
    fonts.boxTitle,
    hostTitle,
    (d) => d.box.w - 10,
  );
  boundedText(
    hosts
      .select<SVGTextElement>('text.ip')
      .attr('x', cx)
      .attr('y', (d) => d.box.y + 37),
    fonts.boxText,
    (d) => (roomy(d) ? (d.ip ?? '') : ''),
    (d) => d.box.w - 10,
  );
  hosts
    .select('title')
    .text(
      (d) =>
        `${d.kind} ${d.label}${d.ip ? ` ${d.ip}` : ''}: ${d.state}` +
        (d.securityGroupIds.length
          ? `\nsecurity groups: ${d.securityGroupIds.map((id) => view.securityGroups.find((sg) => sg.id === id)?.name ?? id).join(', ')}`
          : ''),
    );
  // A security group as an outline around each thing it is attached to: one ring per group,
  // dashed, so "who is in which SG" reads off the picture.
  hosts.each(function (d) {
    const rings = (d3Select(this).select('g.sg-outlines') as unknown as Layer)
      .selectAll<SVGRectElement, string>('rect')
      .data(d.securityGroupIds.slice(0, 2))
      .join('rect')
      .attr('data-kind', 'sg-outline')
      .attr('data-id', (id) => id)
      .attr('data-state', 'attached')
      .attr('rx', 8)
      .attr('fill', 'none')
      .attr('stroke', (id) => sgColour(sgIndex.get(id) ?? 0))
      .attr('stroke-dasharray', '4 3')
      .attr('stroke-width', 1.5);
    rings
      .attr('x', (_, i) => d.box.x - 3 - i * 3)
      .attr('y', (_, i) => d.box.y - 3 - i * 3)
      .attr('width', (_, i) => d.box.w + 6 + i * 6)
      .attr('height', (_, i) => d.box.h + 6 + i * 6);
    rings
      .selectAll('title')
      .data((id) => [id])
      .join('title')
      .text((id) => view.securityGroups.find((sg) => sg.id === id)?.name ?? id);
  });
}

const sgPalette = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];

function sgColour(index: number): string {
  return sgPalette[index % sgPalette.length]!;
}

function drawSecurityGroupList(layer: Layer, view: ArchitectureView, layout: ArchitectureLayout) {
  const box = layout.securityGroupList;
  const heading = lineHeight(fonts.small) + 6;
  const row = Math.min(lineHeight(fonts.small) + 2, (box.h - heading) / Math.max(1, view.securityGroups.length));
  // Only the rows the strip has room for; the rest are in the details panel of each host.
  const shown = view.securityGroups.filter((_, i) => heading + (i + 1) * row <= box.h + 0.5);
  boundedText(
    layer
      .selectAll<SVGTextElement, number>('text.sg-heading')
      .data(view.securityGroups.length ? [0] : [])
      .join('text')
      .attr('class', 'sg-heading')
      .attr('x', box.x + 4)
      .attr('y', box.y + 13),
    fonts.small,
    () => 'Security groups (all outbound open)',
    () => box.w - 8,
  );
  const items = layer
    .selectAll<SVGGElement, SecurityGroupView>('g.sg')
    .data(shown, (d) => d.id)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'sg');
      g.append('rect')
        .attr('width', 16)
        .attr('height', 12)
        .attr('rx', 3)
        .attr('fill', 'none')
        .attr('stroke-dasharray', '4 3');
      g.append('text');
      g.append('title');
      return g;
    })
    .attr('data-kind', 'security-group')
    .attr('data-id', (d) => d.id)
    .attr('data-state', (d) => (d.ruleCount === null ? 'present' : `${d.ruleCount} inbound rules`));
  items
    .select('rect')
    .attr('x', box.x + 4)
    .attr('y', (_, i) => box.y + heading + i * row + 1)
    .attr('stroke', (d) => sgColour(view.securityGroups.indexOf(d)))
    .attr('stroke-width', 2);
  boundedText(
    items
      .select<SVGTextElement>('text')
      .attr('x', box.x + 26)
      .attr('y', (_, i) => box.y + heading + i * row + 12),
    fonts.small,
    (d) => d.name,
    () => box.w - 30,
  );
  items
    .select('title')
    .text((d) => `${d.name} (${d.id})${d.ruleCount === null ? '' : `: ${d.ruleCount} inbound rules`}`);
}
