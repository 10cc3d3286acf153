/** The colour legend, drawn in the internet column's lower part so it is in every screenshot. */
import { group, type Layer } from './draw-common';
import type { ArchitectureLayout } from './layout';
import { legendEntries } from './palette';

export function drawLegend(parent: Layer, layout: ArchitectureLayout) {
  const x = layout.internet.x + 10;
  const y0 = layout.internet.y + layout.internet.h - legendEntries.length * 38 - 20;
  const layer = group(parent, 'legend')
    .attr('data-kind', 'legend')
    .attr('data-id', 'legend')
    .attr('data-state', 'shown');
  layer
    .selectAll('text.legend-title')
    .data([0])
    .join('text')
    .attr('class', 'legend-title')
    .attr('x', x)
    .attr('y', y0)
    .text('Legend');
  const items = layer
    .selectAll<SVGGElement, (typeof legendEntries)[number]>('g.legend-item')
    .data(legendEntries)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'legend-item');
      g.append('rect');
      g.append('line');
      g.append('text').attr('class', 'swatch-text');
      g.append('text').attr('class', 'legend-label');
      return g;
    });
  const top = (i: number) => y0 + 12 + i * 38;
  items
    .select('rect')
    .attr('x', x)
    .attr('y', (_, i) => top(i))
    .attr('width', 22)
    .attr('height', 16)
    .attr('rx', 3)
    .attr('fill', (d) => (d.style === 'hatch' ? 'url(#hatch-failed)' : d.style === 'fill' ? d.colour : 'none'))
    .attr('stroke', (d) => (d.style === 'fill' || d.style === 'hatch' ? d.colour : 'none'));
  items
    .select('line')
    .attr('x1', x)
    .attr('x2', x + 22)
    .attr('y1', (_, i) => top(i) + 8)
    .attr('y2', (_, i) => top(i) + 8)
    .attr('stroke', (d) => d.colour)
    .attr('stroke-width', 4)
    .attr('stroke-dasharray', (d) => (d.style === 'dashed' ? '6 4' : d.style === 'dotted' ? '2 4' : null))
    .attr('display', (d) => (d.style === 'line' || d.style === 'dashed' || d.style === 'dotted' ? null : 'none'));
  items
    .select('text.swatch-text')
    .attr('x', x + 11)
    .attr('y', (_, i) => top(i) + 14)
    .attr('text-anchor', 'middle')
    .attr('fill', (d) => d.colour)
    .text((d) => (d.style === 'crown' ? '♛' : ''));
  items
    .select('text.legend-label')
    .attr('x', x)
    .attr('y', (_, i) => top(i) + 32)
    .text((d) => d.label);
}
