/**
 * The control plane's Availability Zones (EKS runs it across three AZs of the region:
 * https://docs.aws.amazon.com/eks/latest/userguide/eks-architecture.html) and the API-server instances in
 * them: size, CPU as a fill rising from the bottom, state in the model's word. A failed AZ is
 * greyed and hatched with everything in it.
 */
import { animated, boundedText, type DrawOptions, group, type Layer, percent } from './draw-common';
import { type ArchitectureLayout, type Box, fonts } from './layout';
import { colours, health, healthColour } from './palette';
import type { ApiServerView, ArchitectureView, AzView } from './view';

interface AzDatum extends AzView {
  readonly box: Box;
}

export function drawAzColumns(parent: Layer, view: ArchitectureView, layout: ArchitectureLayout, options: DrawOptions) {
  const data: AzDatum[] = view.azs.flatMap((az) => {
    const box = layout.azColumns.get(az.id);
    return box ? [{ ...az, box }] : [];
  });
  const columns = group(parent, 'az-columns')
    .selectAll<SVGGElement, AzDatum>('g.az')
    .data(data, (d) => d.id)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'az');
      g.append('rect').attr('class', 'az-box').attr('rx', 8);
      g.append('rect').attr('class', 'az-hatch').attr('rx', 8).attr('fill', 'url(#hatch-failed)');
      g.append('text').attr('class', 'az-label');
      g.append('title');
      return g;
    })
    .attr('data-kind', 'az')
    .attr('data-id', (d) => d.id)
    .attr('data-state', (d) => d.state)
    .attr('data-network', (d) => d.network ?? '');
  const failed = (d: AzDatum) => health(d.state) === 'failed';
  // Partitioned: running but cut off from the other AZs; a dashed vermilion border says so.
  const cutOff = (d: AzDatum) => d.network !== null && d.network !== 'connected';
  columns.classed('failed', failed);
  animated(columns.select('rect.az-box'), options)
    .attr('x', (d) => d.box.x)
    .attr('y', (d) => d.box.y)
    .attr('width', (d) => d.box.w)
    .attr('height', (d) => d.box.h)
    .attr('fill', (d) => (failed(d) ? '#d9d9d9' : health(d.state) === 'degraded' ? '#fff3dc' : '#ffffff'))
    .attr('stroke', (d) => (failed(d) ? colours.failed : cutOff(d) ? colours.refused : '#9bb3c9'))
    .attr('stroke-width', (d) => (cutOff(d) ? 4 : 1))
    .attr('stroke-dasharray', (d) => (cutOff(d) ? '10 6' : null));
  columns
    .select('rect.az-hatch')
    .attr('x', (d) => d.box.x)
    .attr('y', (d) => d.box.y)
    .attr('width', (d) => d.box.w)
    .attr('height', (d) => d.box.h)
    .attr('display', (d) => (failed(d) ? null : 'none'));
  boundedText(
    columns
      .select<SVGTextElement>('text.az-label')
      .attr('x', (d) => d.box.x + d.box.w / 2)
      .attr('y', (d) => d.box.y + 19)
      .attr('text-anchor', 'middle'),
    fonts.azLabel,
    (d) => `${d.id} · ${d.state}${d.network && d.network !== 'connected' ? ` · ${d.network}` : ''}`,
    (d) => d.box.w - 16,
  );
  columns.select('title').text((d) => `Availability Zone ${d.id}: ${d.state}`);
}

interface ApiServerDatum extends ApiServerView {
  readonly box: Box;
}

export function drawApiServers(
  parent: Layer,
  view: ArchitectureView,
  layout: ArchitectureLayout,
  options: DrawOptions,
) {
  const data: ApiServerDatum[] = view.apiServers.flatMap((server) => {
    const box = layout.apiServers.get(server.id);
    return box ? [{ ...server, box }] : [];
  });
  const servers = group(parent, 'apiservers')
    .selectAll<SVGGElement, ApiServerDatum>('g.apiserver')
    .data(data, (d) => d.id)
    .join((enter) => {
      const g = enter
        .append('g')
        .attr('class', 'apiserver')
        .attr('opacity', options.durationMs > 0 ? 0 : 1);
      g.append('rect').attr('class', 'body').attr('rx', 6);
      g.append('rect').attr('class', 'cpu');
      g.append('rect').attr('class', 'hatch').attr('rx', 6).attr('fill', 'url(#hatch-failed)');
      g.append('text').attr('class', 'name');
      g.append('text').attr('class', 'size');
      g.append('text').attr('class', 'cpu-text');
      g.append('text').attr('class', 'state');
      g.append('title');
      return g;
    })
    .attr('data-kind', 'apiserver')
    .attr('data-id', (d) => d.id)
    .attr('data-az', (d) => d.az)
    .attr('data-state', (d) => d.state);
  animated(servers, options).attr('opacity', 1);
  const failed = (d: ApiServerDatum) => health(d.state) === 'failed';
  animated(servers.select('rect.body'), options)
    .attr('x', (d) => d.box.x)
    .attr('y', (d) => d.box.y)
    .attr('width', (d) => d.box.w)
    .attr('height', (d) => d.box.h)
    .attr('fill', (d) => (failed(d) ? '#d0d0d0' : '#ffffff'))
    .attr('stroke', (d) => healthColour(d.state))
    .attr('stroke-width', 3);
  const cpuHeight = (d: ApiServerDatum) => (failed(d) ? 0 : (d.cpu ?? 0) * (d.box.h - 6));
  animated(servers.select('rect.cpu'), options)
    .attr('x', (d) => d.box.x + 3)
    .attr('width', (d) => d.box.w - 6)
    .attr('y', (d) => d.box.y + d.box.h - 3 - cpuHeight(d))
    .attr('height', cpuHeight)
    .attr('fill', (d) => ((d.cpu ?? 0) > 0.8 ? colours.degraded : colours.ok))
    .attr('fill-opacity', 0.35);
  servers
    .select('rect.hatch')
    .attr('x', (d) => d.box.x)
    .attr('y', (d) => d.box.y)
    .attr('width', (d) => d.box.w)
    .attr('height', (d) => d.box.h)
    .attr('display', (d) => (failed(d) ? null : 'none'));
  const cx = (d: ApiServerDatum) => d.box.x + d.box.w / 2;
  const inner = (d: ApiServerDatum) => d.box.w - 10;
  const cpu = (d: ApiServerDatum) => (d.cpu === null ? '' : `CPU ${percent(d.cpu)}`);
  // Four lines when there is room; two (name, CPU) when an AZ holds more than a row of them.
  const compact = layout.compactApiServers;
  const lines = (d: ApiServerDatum): string[] =>
    compact ? ['API server', cpu(d)] : ['API server', d.size ?? '', cpu(d), d.state];
  const lineY = (d: ApiServerDatum, i: number) => d.box.y + (compact ? 17 + i * 17 : 18 + i * 17);
  boundedText(
    servers
      .select<SVGTextElement>('text.name')
      .attr('x', cx)
      .attr('y', (d) => lineY(d, 0))
      .attr('text-anchor', 'middle'),
    fonts.boxTitle,
    (d) => lines(d)[0]!,
    inner,
  );
  boundedText(
    servers
      .select<SVGTextElement>('text.size')
      .attr('x', cx)
      .attr('y', (d) => lineY(d, 1))
      .attr('text-anchor', 'middle'),
    fonts.boxText,
    (d) => lines(d)[1] ?? '',
    inner,
  );
  boundedText(
    servers
      .select<SVGTextElement>('text.cpu-text')
      .attr('x', cx)
      .attr('y', (d) => lineY(d, 2))
      .attr('text-anchor', 'middle'),
    fonts.boxText,
    (d) => lines(d)[2] ?? '',
    inner,
  );
  boundedText(
    servers
      .select<SVGTextElement>('text.state')
      .attr('x', cx)
      .attr('y', (d) => lineY(d, 3))
      .attr('text-anchor', 'middle'),
    fonts.boxText,
    (d) => lines(d)[3] ?? '',
    inner,
  );
  servers
    .select('title')
    .text(
      (d) =>
        `${d.id} in ${d.az}: ${d.state}` +
        `${d.size ? `, ${d.size}` : ''}${d.cpu === null ? '' : `, CPU ${percent(d.cpu)}`}` +
        `${d.memory === null ? '' : `, memory ${percent(d.memory)}`}${d.rps === null ? '' : `, ${Math.round(d.rps)} req/s`}`,
    );
}
