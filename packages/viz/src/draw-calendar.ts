/**
 * The EKS version calendar as a timeline (docs/versions-and-cost.md, AWS EKS User Guide, kubernetes-versions.html): per minor version, 14
 * months of standard support then 12 of extended support, "today" as a line at the simulated
 * date, and the cluster's version and phase as the model reports them.
 */

import type { Snapshot } from '@eks-sim/sim-core';
import { axisBottom, scaleBand, scaleUtc, select, utcFormat } from 'd3';
import { colours } from './palette';

/** One row of sim-core's calendar table (`versions/calendar.ts`), as far as the drawing needs. */
export interface CalendarEntry {
  readonly version: string;
  readonly eksRelease: string;
  readonly endOfStandard: string;
  readonly endOfExtended: string;
}

const WIDTH = 420;
const ROW = 13;
const MARGIN = { top: 62, right: 8, bottom: 20, left: 38 };
const SVG_NS = 'http://www.w3.org/2000/svg';
const day = (date: string) => Date.parse(`${date}T00:00:00Z`);

export interface CalendarState {
  readonly nowMs: number | null;
  readonly clusterName: string | null;
  readonly clusterVersion: string | null;
  readonly phase: string | null;
  readonly supportType: string | null;
  readonly nextBoundary: string | null;
  readonly offered: readonly string[];
}

export function calendarState(snapshot: Pick<Partial<Snapshot>, 'clock' | 'versions'> | null): CalendarState {
  const cluster = snapshot?.versions?.cluster ?? null;
  const boundary = cluster?.nextBoundary ?? null;
  return {
    nowMs: snapshot?.clock?.nowMs ?? null,
    clusterName: cluster?.name ?? null,
    clusterVersion: cluster?.version ?? null,
    phase: cluster?.phase ?? null,
    supportType: cluster?.supportType ?? null,
    nextBoundary: boundary ? `${boundary.kind.replace(/-/g, ' ')} on ${boundary.date}` : null,
    offered: snapshot?.versions?.offered ?? [],
  };
}

export function drawCalendar(container: Element, rows: readonly CalendarEntry[], state: CalendarState): void {
  const height = MARGIN.top + rows.length * ROW + MARGIN.bottom;
  let svg = container.querySelector<SVGSVGElement>('svg.calendar');
  if (!svg) {
    svg = container.ownerDocument.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('class', 'calendar');
    svg.setAttribute('data-kind', 'calendar');
    svg.setAttribute('data-id', 'eks-versions');
    svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
    svg.innerHTML =
      '<text class="chart-title" x="4" y="14"></text><text class="phase" x="4" y="30"></text>' +
      '<text class="boundary" x="4" y="45"></text>' +
      // The squares are colour samples; the words stay in ink, readable on a projector.
      `<text class="key" x="${WIDTH - 4}" y="14" text-anchor="end"><tspan data-swatch="" fill="${colours.ok}">■</tspan><tspan> standard </tspan>` +
      `<tspan data-swatch="" fill="${colours.degraded}">■</tspan><tspan> extended</tspan></text>` +
      '<g class="rows"></g><g class="x-axis"></g><line class="today"></line><text class="today-label"></text>';
    container.appendChild(svg);
  }
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${height}`);
  const root = select(svg);
  root.attr('data-state', state.phase ?? 'unknown');
  root.select('text.chart-title').text('EKS version calendar');
  root
    .select('text.phase')
    .style(
      'fill',
      state.phase === 'extended'
        ? 'var(--degraded-text)'
        : state.phase === 'unsupported'
          ? 'var(--refused-text)'
          : 'var(--ink)',
    )
    .text(
      state.clusterVersion
        ? `${state.clusterName ?? 'cluster'} ${state.clusterVersion}: ${state.phase ?? '?'} support` +
            `${state.supportType ? ` (${state.supportType})` : ''}`
        : 'no cluster',
    );
  root.select('text.boundary').text(state.nextBoundary ? `next: ${state.nextBoundary}` : '');
  if (!rows.length) return;
  const start = Math.min(...rows.map((r) => day(r.eksRelease)));
  const end = Math.max(...rows.map((r) => day(r.endOfExtended)), state.nowMs ?? 0);
  const x = scaleUtc()
    .domain([new Date(start), new Date(end)])
    .range([MARGIN.left, WIDTH - MARGIN.right]);
  const y = scaleBand<string>()
    .domain(rows.map((r) => r.version))
    .range([MARGIN.top, MARGIN.top + rows.length * ROW])
    .padding(0.15);
  const bars = root
    .select('g.rows')
    .selectAll<SVGGElement, CalendarEntry>('g.version')
    .data(rows, (r) => r.version)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'version');
      g.append('rect').attr('class', 'standard');
      g.append('rect').attr('class', 'extended');
      g.append('text').attr('class', 'label');
      g.append('title');
      return g;
    })
    .attr('data-kind', 'calendar-row')
    .attr('data-id', (r) => r.version)
    .attr('data-state', (r) =>
      r.version === state.clusterVersion
        ? (state.phase ?? 'cluster')
        : state.offered.includes(r.version)
          ? 'offered'
          : 'not-offered',
    )
    .classed('current', (r) => r.version === state.clusterVersion);
  bars
    .select('rect.standard')
    .attr('x', (r) => x(new Date(day(r.eksRelease))))
    .attr('width', (r) => x(new Date(day(r.endOfStandard))) - x(new Date(day(r.eksRelease))))
    .attr('y', (r) => y(r.version) ?? 0)
    .attr('height', y.bandwidth())
    .attr('fill', colours.ok);
  bars
    .select('rect.extended')
    .attr('x', (r) => x(new Date(day(r.endOfStandard))))
    .attr('width', (r) => x(new Date(day(r.endOfExtended))) - x(new Date(day(r.endOfStandard))))
    .attr('y', (r) => y(r.version) ?? 0)
    .attr('height', y.bandwidth())
    .attr('fill', colours.degraded);
  bars
    .select('text.label')
    .attr('x', MARGIN.left - 4)
    .attr('y', (r) => (y(r.version) ?? 0) + y.bandwidth() - 1)
    .attr('text-anchor', 'end')
    .text((r) => r.version);
  bars
    .select('title')
    .text(
      (r) =>
        `${r.version}: EKS release ${r.eksRelease}, standard support until ${r.endOfStandard}, extended until ${r.endOfExtended}`,
    );
  root
    .select<SVGGElement>('g.x-axis')
    .attr('transform', `translate(0,${MARGIN.top + rows.length * ROW})`)
    .call(
      axisBottom<Date>(x)
        .ticks(5)
        .tickFormat((d) => utcFormat('%Y')(d)),
    );
  const todayX = state.nowMs === null ? null : x(new Date(state.nowMs));
  root
    .select('line.today')
    .attr('data-kind', 'today')
    .attr('data-state', state.nowMs === null ? '' : new Date(state.nowMs).toISOString().slice(0, 10))
    .attr('x1', todayX ?? -10)
    .attr('x2', todayX ?? -10)
    .attr('y1', MARGIN.top - 4)
    .attr('y2', MARGIN.top + rows.length * ROW)
    .attr('stroke', colours.refused)
    .attr('stroke-width', 2);
  root
    .select('text.today-label')
    .attr('x', todayX ?? -10)
    .attr('y', MARGIN.top - 6)
    .attr('text-anchor', 'middle')
    .style('fill', 'var(--refused-text)')
    .text(state.nowMs === null ? '' : `today ${new Date(state.nowMs).toISOString().slice(0, 10)}`);
}
