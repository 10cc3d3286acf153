/**
 * A small line chart over simulated time (d3-scale, d3-shape, d3-axis): data in, SVG out.
 * Every chart and every line carries data-kind/data-id/data-state like the architecture, with
 * the newest value as the state, so tests and scripts read the numbers a class sees.
 */
import {
  axisBottom,
  axisLeft,
  curveLinear,
  curveStepAfter,
  extent,
  line,
  max,
  scaleLinear,
  scaleUtc,
  select,
  utcFormat,
} from 'd3';

export interface ChartSeries<T> {
  readonly id: string;
  readonly label: string;
  readonly colour: string;
  readonly dashed?: boolean;
  readonly value: (d: T) => number | null;
}

export interface ChartSpec<T> {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly series: readonly ChartSeries<T>[];
  readonly time: (d: T) => number;
  /**
   * `step` (default): a point holds until the next one, as the model's samples do; `linear` for
   * quantities that accrue between points (cost: the integral of an hourly rate).
   */
  readonly curve?: 'step' | 'linear';
  /** Simulated times to mark with a vertical tick (etcd leader changes). */
  readonly marks?: readonly { readonly atMs: number; readonly label: string }[];
  /** Values to mark with a horizontal dashed line and its words (the autoscaler's thresholds). */
  readonly thresholds?: readonly { readonly value: number; readonly label: string }[];
}

const WIDTH = 420;
const HEIGHT = 170;
const MARGIN = { top: 38, right: 18, bottom: 22, left: 46 };
const SVG_NS = 'http://www.w3.org/2000/svg';

function format(value: number | null, unit: string): string {
  if (value === null) return '–';
  const abs = Math.abs(value);
  const digits = Number.isInteger(value) || abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

export function drawLineChart<T>(container: Element, spec: ChartSpec<T>, data: readonly T[]): void {
  let svg = container.querySelector<SVGSVGElement>(`svg[data-id="${spec.id}"]`);
  if (!svg) {
    svg = container.ownerDocument.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('class', 'chart');
    svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
    svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
    svg.setAttribute('data-kind', 'chart');
    svg.setAttribute('data-id', spec.id);
    svg.innerHTML =
      '<text class="chart-title" x="4" y="16"></text><g class="legend"></g><g class="x-axis"></g>' +
      '<g class="y-axis"></g><g class="thresholds"></g><g class="marks"></g><g class="lines"></g><text class="empty" text-anchor="middle"></text>';
    container.appendChild(svg);
  }
  const root = select(svg);
  root.attr('data-state', data.length ? `${data.length} points` : 'empty');
  root.select('text.chart-title').text(`${spec.title}${spec.unit ? ` (${spec.unit})` : ''}`);

  const [t0, t1] = extent(data, spec.time) as [number | undefined, number | undefined];
  const x = scaleUtc()
    .domain([new Date(t0 ?? 0), new Date(Math.max((t1 ?? 0) as number, (t0 ?? 0) + 60_000))])
    .range([MARGIN.left, WIDTH - MARGIN.right]);
  const highest = Math.max(
    max(spec.series, (s) => max(data, (d) => s.value(d) ?? 0)) ?? 0,
    ...(spec.thresholds ?? []).map((t) => t.value),
  );
  const y = scaleLinear()
    .domain([0, highest > 0 ? highest * 1.1 : 1])
    .nice()
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const spanMs = (t1 ?? 0) - (t0 ?? 0);
  const tickFormat = utcFormat(spanMs > 3 * 86_400_000 ? '%b %d' : spanMs > 20 * 60_000 ? '%H:%M' : '%H:%M:%S');
  root
    .select<SVGGElement>('g.x-axis')
    .attr('transform', `translate(0,${HEIGHT - MARGIN.bottom})`)
    .call(
      axisBottom<Date>(x)
        .ticks(4)
        .tickFormat((d) => tickFormat(d)),
    );
  // SI prefixes only for big numbers: "600m" would read as minutes or metres, not $0.60.
  root
    .select<SVGGElement>('g.y-axis')
    .attr('transform', `translate(${MARGIN.left},0)`)
    .call(axisLeft(y).ticks(4, y.domain()[1]! >= 10_000 ? '~s' : ',~f'));

  const lines = root
    .select('g.lines')
    .selectAll<SVGPathElement, ChartSeries<T>>('path')
    .data(spec.series, (s) => s.id)
    .join('path')
    .attr('data-kind', 'series')
    .attr('data-id', (s) => s.id)
    .attr('data-state', (s) => {
      const last = data.at(-1);
      return last === undefined ? '' : String(s.value(last) ?? '');
    })
    .attr('fill', 'none')
    .attr('stroke', (s) => s.colour)
    .attr('stroke-width', 2.5)
    .attr('stroke-dasharray', (s) => (s.dashed ? '6 4' : null));
  lines.attr('d', (s) =>
    line<T>()
      // A model point holds until the next one (ticks are coarse while the load is calm).
      .curve(spec.curve === 'linear' ? curveLinear : curveStepAfter)
      .defined((d) => s.value(d) !== null)
      .x((d) => x(new Date(spec.time(d))))
      .y((d) => y(s.value(d) ?? 0))(data as T[]),
  );

  const thresholds = root
    .select('g.thresholds')
    .selectAll<SVGGElement, { value: number; label: string }>('g.threshold')
    .data(spec.thresholds ?? [], (t) => t.label)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'threshold');
      g.append('line');
      g.append('text').attr('class', 'threshold-label').attr('text-anchor', 'end');
      return g;
    })
    .attr('data-kind', 'threshold')
    .attr('data-state', (t) => `${t.label} ${t.value}`);
  thresholds
    .select('line')
    .attr('x1', MARGIN.left)
    .attr('x2', WIDTH - MARGIN.right)
    .attr('y1', (t) => y(t.value))
    .attr('y2', (t) => y(t.value))
    .attr('stroke', '#5f5f5f')
    .attr('stroke-dasharray', '3 3');
  thresholds
    .select('text')
    .attr('x', WIDTH - MARGIN.right - 2)
    .attr('y', (t) => y(t.value) - 3)
    .text((t) => t.label);

  const last = data.at(-1);
  const legend = root
    .select('g.legend')
    .selectAll<SVGTextElement, ChartSeries<T>>('text')
    .data(spec.series, (s) => s.id)
    .join('text')
    .attr('class', 'chart-legend')
    .attr('y', 32);
  // Newest values under the title, left to right (the unit is in the title): a coloured
  // swatch (a line sample, not words), then the words in ink, readable on a projector.
  let left = MARGIN.left;
  legend.each(function (s) {
    const words = `${s.label} ${format(last ? s.value(last) : null, '')}`;
    this.replaceChildren();
    const swatch = this.ownerDocument.createElementNS(SVG_NS, 'tspan');
    swatch.setAttribute('data-swatch', '');
    swatch.setAttribute('fill', s.colour);
    swatch.textContent = s.dashed ? '┄ ' : '━ ';
    const text = this.ownerDocument.createElementNS(SVG_NS, 'tspan');
    text.setAttribute('class', 'legend-words');
    text.textContent = words;
    this.append(swatch, text);
    this.setAttribute('x', String(left));
    left += (words.length + 2) * 6.6 + 10;
  });

  const marks = (spec.marks ?? []).filter((m) => t0 !== undefined && m.atMs >= t0 && m.atMs <= (t1 ?? t0));
  root
    .select('g.marks')
    .selectAll<SVGLineElement, (typeof marks)[number]>('line')
    .data(marks)
    .join('line')
    .attr('data-kind', 'mark')
    .attr('data-state', (m) => m.label)
    .attr('x1', (m) => x(new Date(m.atMs)))
    .attr('x2', (m) => x(new Date(m.atMs)))
    .attr('y1', MARGIN.top)
    .attr('y2', HEIGHT - MARGIN.bottom)
    .attr('stroke', '#CC79A7')
    .attr('stroke-dasharray', '2 3');
  root
    .select('text.empty')
    .attr('x', WIDTH / 2)
    .attr('y', HEIGHT / 2)
    .text(data.length ? '' : 'no data yet');
}
