/** The colour legend, in a box the layout reserves at the foot of the internet column, so it is in every screenshot. */
import { boundedText, group, type Layer } from './draw-common';
import { type ArchitectureLayout, fonts } from './layout';
import { legendEntries } from './palette';

const ROW = 24;

export function drawLegend(parent: Layer, layout: ArchitectureLayout) {
  const { x, y: y0, w } = layout.legend;
  const layer = group(parent, 'legend')
    .attr('data-kind', 'legend')
    .attr('data-id', 'legend')
    .attr('data-state', 'shown');
  boundedText(
    layer
      .selectAll<SVGTextElement, number>('text.legend-title')
      .data([0])
      .join('text')
      .attr('class', 'legend-title')
      .attr('x', x)
      .attr('y', y0 + 15),
    fonts.legend,
    () => 'Legend',
    () => w,
  );
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
  // One row each: the swatch, then the words beside it.
  const top = (i: number) => y0 + ROW + i * ROW + 4;
  items
    .select('rect')
    .attr('x', x)
    .attr('y', (_, i) => top(i))
    .attr('width', 22)
    .attr('height', 14)
    .attr('rx', 3)
    .attr('fill', (d) => (d.style === 'hatch' ? 'url(#hatch-failed)' : d.style === 'fill' ? d.colour : 'none'))
    .attr('stroke', (d) => (d.style === 'fill' || d.style === 'hatch' ? d.colour : 'none'));
  items
    .select('line')
    .attr('x1', x)
    .attr('x2', x + 22)
    .attr('y1', (_, i) => top(i) + 7)
    .attr('y2', (_, i) => top(i) + 7)
    .attr('stroke', (d) => d.colour)
    .attr('stroke-width', 4)
    .attr('stroke-dasharray', (d) => (d.style === 'dashed' ? '6 4' : d.style === 'dotted' ? '2 4' : null))
    .attr('display', (d) => (d.style === 'line' || d.style === 'dashed' || d.style === 'dotted' ? null : 'none'));
  items
    .select('text.swatch-text')
    .attr('x', x + 11)
    .attr('y', (_, i) => top(i) + 11)
    .attr('text-anchor', 'middle')
    .attr('font-size', 11)
    .attr('data-swatch', '')
    .attr('fill', (d) => d.colour)
    .text((d) => (d.style === 'crown' ? '♛' : ''));
  boundedText(
    items
      .select<SVGTextElement>('text.legend-label')
      .attr('x', x + 30)
      .attr('y', (_, i) => top(i) + 12),
    fonts.legend,
    (d) => d.label,
    () => w - 30,
  );
}
