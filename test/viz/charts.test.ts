import { AUTOSCALER_RULES, createSimulation, EKS_CALENDAR, scenarios } from '@eks-sim/sim-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { drawCostChart } from '../../packages/viz/src/chart-cost';
import { drawCpuChart } from '../../packages/viz/src/chart-cpu';
import { drawInstancesChart, sizesLine } from '../../packages/viz/src/chart-instances';
import { drawLatencyCharts } from '../../packages/viz/src/chart-latency';
import { drawLoadChart } from '../../packages/viz/src/chart-load';
import { calendarState, drawCalendar } from '../../packages/viz/src/draw-calendar';
import { CostHistory, CpuHistory, costSeriesFromSegments, loadSeries } from '../../packages/viz/src/history';
import { container, installDom } from './dom-setup';

beforeAll(() => {
  installDom();
});

const series = (root: Element, chart: string, id: string) =>
  root.querySelector(`[data-kind="chart"][data-id="${chart}"] [data-kind="series"][data-id="${id}"]`);

describe('the charts over simulated time', () => {
  const sim = createSimulation(scenarios['load-spike'] ?? scenarios['seed-week1'], { seed: 1 });
  sim.advance(3 * 3_600_000);
  const snapshot = sim.snapshot();
  const points = loadSeries(snapshot);

  it('plot the load model’s own series: offered, served and capacity, with the newest values', () => {
    expect(points.length).toBeGreaterThan(10);
    const root = container();
    drawLoadChart(root, points);
    const last = snapshot.load.series.at(-1)!;
    expect(series(root, 'load', 'offered')?.getAttribute('data-state')).toBe(String(last.offeredRps));
    expect(series(root, 'load', 'served')?.getAttribute('data-state')).toBe(String(last.servedRps));
    expect(series(root, 'load', 'capacity')?.getAttribute('data-state')).toBe(String(last.capacityRps));
    expect(series(root, 'load', 'offered')?.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){5,}/);
    expect(root.querySelector('[data-id="load"]')?.getAttribute('data-state')).toBe(`${points.length} points`);
  });

  it('plot p99 latency and the 429 and 503 rates', () => {
    const latency = container();
    const errors = latency.ownerDocument.createElement('div');
    latency.after(errors);
    drawLatencyCharts(latency, errors, points);
    const last = snapshot.load.series.at(-1)!;
    expect(series(latency, 'latency', 'p99')?.getAttribute('data-state')).toBe(String(last.p99Ms));
    expect(series(errors, 'errors', '429')?.getAttribute('data-state')).toBe(String(last.throttled429PerSec));
    expect(series(errors, 'errors', '503')?.getAttribute('data-state')).toBe(String(last.unavailable503PerSec));
  });

  it('count API servers with their sizes, and mark etcd leader changes', () => {
    const root = container();
    drawInstancesChart(root, points);
    const last = snapshot.load.series.at(-1)!;
    expect(series(root, 'instances', 'apiservers')?.getAttribute('data-state')).toBe(String(last.apiServers));
    expect(root.querySelector('.sizes')?.textContent).toContain(sizesLine(points));
    expect(sizesLine([{ ...points[0]!, apiServerSizes: ['m5.large', 'm5.large', 'm5.xlarge'] }])).toBe(
      '2 × m5.large, 1 × m5.xlarge',
    );
    const changes = points.filter((p) => (p.etcdLeaderChanges ?? 0) > 0).length;
    expect(root.querySelectorAll('[data-kind="mark"]').length).toBe(changes);
  });

  it('draw what was paid hour by hour from the cost model’s segments, ending at its total', () => {
    const costs = costSeriesFromSegments(snapshot)!;
    expect(costs.at(-1)!.totalUsd).toBeCloseTo(snapshot.cost.totalUsd, 6);
    const root = container();
    drawCostChart(root, costs, snapshot);
    expect(Number(series(root, 'cost', 'total')?.getAttribute('data-state'))).toBeCloseTo(snapshot.cost.totalUsd, 6);
    expect(root.querySelector('[data-kind="cost-breakdown"]')?.textContent).toContain('cluster $');
  });

  /** The cost part of a real snapshot, paid up to `totalUsd` at `nowMs`. */
  const costAt = (nowMs: number, totalUsd: number) => ({ clock: { nowMs }, cost: { ...snapshot.cost, totalUsd } });

  it('keeps sampled cost history bounded and restarts it when time goes back (a reset)', () => {
    const history = new CostHistory(3);
    for (let h = 0; h < 5; h++) history.add(costAt(h * 3_600_000, h / 10));
    expect(history.all.map((s) => s.totalUsd)).toEqual([0.2, 0.3, 0.4]);
    history.add(costAt(0, 0));
    expect(history.all).toHaveLength(1);
  });
});

describe('the version calendar', () => {
  it('puts "today" on the simulated date and highlights the cluster’s version with its phase', () => {
    const sim = createSimulation(scenarios['seed-week1'], { seed: 1 });
    const root = container();
    const state = calendarState(sim.snapshot());
    drawCalendar(root, EKS_CALENDAR, state);
    expect(root.querySelectorAll('[data-kind="calendar-row"]')).toHaveLength(EKS_CALENDAR.length);
    const row = root.querySelector('[data-kind="calendar-row"][data-id="1.28"]');
    expect(row?.getAttribute('data-state')).toBe(sim.snapshot().versions.cluster?.phase);
    expect(row?.getAttribute('class')).toContain('current');
    expect(root.querySelector('[data-kind="today"]')?.getAttribute('data-state')).toBe('2024-03-10');
    expect(root.textContent).toContain('myeks 1.28: standard support');
    expect(root.querySelector('text.boundary')?.textContent).toBe('next: end of standard support on 2024-11-26');
  });

  it('shows the phase the model reports, e.g. extended support, without recomputing it', () => {
    const snapshot = createSimulation(scenarios['seed-week1'], { seed: 1 }).snapshot();
    const extended = {
      ...snapshot,
      versions: { ...snapshot.versions, cluster: { ...snapshot.versions.cluster!, phase: 'extended' as const } },
    };
    const root = container();
    drawCalendar(root, EKS_CALENDAR, calendarState(extended));
    expect(root.querySelector('svg.calendar')?.getAttribute('data-state')).toBe('extended');
    expect(root.querySelector('[data-kind="calendar-row"][data-id="1.28"]')?.getAttribute('data-state')).toBe(
      'extended',
    );
    expect(root.textContent).toContain('extended support');
  });
});

describe('the API-server CPU chart', () => {
  it("draws the autoscaler's thresholds from sim-core's rules, and leaves a gap across a jump in time", () => {
    const sim = createSimulation(scenarios['seed-week1'], { seed: 1 });
    const history = new CpuHistory();
    history.add(sim.snapshot());
    for (let i = 0; i < 5; i++) {
      sim.advance(60_000);
      history.add(sim.snapshot());
    }
    sim.advance(3_600_000);
    history.add(sim.snapshot());
    const root = container();
    drawCpuChart(root, history.all);
    const thresholds = [...root.querySelectorAll('[data-kind="threshold"]')].map((t) => t.getAttribute('data-state'));
    expect(thresholds).toEqual([
      `scale out above ${AUTOSCALER_RULES.scaleOut.cpuAbove * 100}% for 3 min ${AUTOSCALER_RULES.scaleOut.cpuAbove * 100}`,
      `scale in below ${AUTOSCALER_RULES.scaleIn.cpuBelow * 100}% for 15 min ${AUTOSCALER_RULES.scaleIn.cpuBelow * 100}`,
    ]);
    const all = history.all;
    expect(all.filter((s) => s.meanCpu === null)).toHaveLength(1);
    expect(all.at(-1)?.meanCpu).toBeGreaterThan(0);
    // The line is drawn in two pieces: two "M" commands.
    const d = root.querySelector('[data-kind="series"][data-id="mean"]')?.getAttribute('d') ?? '';
    expect(d.match(/M/g)).toHaveLength(2);
  });
});
