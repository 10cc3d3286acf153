/**
 * The core fields of the bench line (docs/bench.md, ):
 * - dayWallMs: wall ms to simulate `az-outage` for 24 simulated hours (median of warm runs);
 * - eventsPerSec: engine callbacks (clock events: ticks, timers, scheduled commands) per wall second in those runs;
 * - xstateRawPerSec: bare transitions per second of the same machines (actors on a virtual clock, no model around them);
 * - engineCostRatio: engine cost per event ÷ raw xstate cost per transition (= xstateRawPerSec / eventsPerSec);
 * - sweepRunsPerSec: what-if runs (24 h of az-outage, one seed each) per second over every core, in worker_threads;
 * - saveRestoreMs, saveBytes: `sim.save()` → JSON text → `restoreSimulation` of seed-week1 after a simulated day, and the text's size.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { createSimulation, restoreSimulation, scenarios } from '@eks-sim/sim-core';
import { createActor } from 'xstate';
import { apiServerMachine } from '../../packages/sim-core/src/control-plane/apiserver-machine';
import { asgMachine } from '../../packages/sim-core/src/control-plane/asg-machine';
import { autoscalerMachine } from '../../packages/sim-core/src/control-plane/autoscaler-machine';
import { azMachine } from '../../packages/sim-core/src/control-plane/az-machine';
import { nlbNodeMachine } from '../../packages/sim-core/src/control-plane/nlb-node-machine';
import { VirtualClock } from '../../packages/sim-core/src/engine/clock';
import { etcdMemberMachine } from '../../packages/sim-core/src/etcd/etcd-member-machine';
import type { BenchLine } from './bench-line';

const DAY_MS = 86_400_000;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

function dayRun(): { wallMs: number; eventsPerSec: number } {
  const started = performance.now();
  const sim = createSimulation(scenarios['az-outage'], { seed: 7 });
  sim.advance(DAY_MS);
  const wallMs = performance.now() - started;
  return { wallMs, eventsPerSec: sim.clock.firedCount / (wallMs / 1000) };
}

/** Cycles of valid events through each machine; every send is one transition. */
function xstateRaw(): () => number {
  const clock = new VirtualClock(0);
  const api = createActor(apiServerMachine, {
    clock: clock.xstate,
    input: {
      id: 'apiserver-1',
      az: 'az1',
      size: 'm5.large',
      launchMs: 1,
      initMs: 1,
      drainMs: 1,
      healthCheckGraceMs: 1,
    },
  }).start();
  api.send({ type: 'READY_NOW' });
  const nlb = createActor(nlbNodeMachine, {
    clock: clock.xstate,
    input: { id: 'nlb-az1', az: 'az1', ips: ['3.34.0.1'] },
  }).start();
  nlb.send({ type: 'READY_NOW' });
  const etcd = createActor(etcdMemberMachine, { clock: clock.xstate }).start();
  etcd.send({ type: 'CAUGHT_UP' });
  const az = createActor(azMachine, { clock: clock.xstate, input: { id: 'az1' } }).start();
  const asg = createActor(asgMachine, { clock: clock.xstate, input: { min: 2, desired: 2, max: 6 } }).start();
  const scaler = createActor(autoscalerMachine, { clock: clock.xstate, input: { minCount: 2, maxCount: 6 } }).start();
  const measured = { type: 'MEASURED', demand: 0.9, maxCpu: 0.9, maxMemory: 0.5, count: 2, desired: 2 } as const;
  const cycle = (): number => {
    api.send({ type: 'OVERLOADED' });
    api.send({ type: 'LOAD_NORMAL' });
    nlb.send({ type: 'NODE_FAILED' });
    nlb.send({ type: 'NODE_RECOVERED' });
    nlb.send({ type: 'TARGET_HEALTHY' });
    etcd.send({ type: 'ELECTION_TIMEOUT' });
    etcd.send({ type: 'WON_ELECTION' });
    etcd.send({ type: 'LOST_QUORUM' });
    az.send({ type: 'AZ_FAILED' });
    az.send({ type: 'AZ_RECOVERED' });
    asg.send({ type: 'SET_DESIRED', desired: 3 });
    asg.send({ type: 'AT_DESIRED' });
    scaler.send({ ...measured, atMs: clock.now(), sizeIndex: 0, busy: false });
    clock.runUntil(clock.now() + 20_000);
    return 13;
  };
  for (let i = 0; i < 2_000; i++) cycle();
  return () => {
    let transitions = 0;
    const started = performance.now();
    while (performance.now() - started < 250) for (let i = 0; i < 100; i++) transitions += cycle();
    return transitions / ((performance.now() - started) / 1000);
  };
}

/** Starts a worker thread running a TypeScript file (tsx's loader registered inside the worker). */
function tsWorker(file: URL, workerData: unknown): Worker {
  const code = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(file.href)}); })`;
  return new Worker(code, { eval: true, workerData });
}

async function measureSweep(): Promise<number> {
  const count = Math.max(1, availableParallelism());
  const windowMs = 3_000;
  const workers = Array.from({ length: count }, (_, i) =>
    tsWorker(new URL('./core-sweep-worker.ts', import.meta.url), { firstSeed: 1_000 * (i + 1) }),
  );
  const message = (w: Worker, key: 'ready' | 'runs') =>
    new Promise<number>((resolve, reject) => {
      const onMessage = (m: Record<string, number>) => {
        if (key in m) {
          w.off('message', onMessage);
          resolve(Number(m[key]));
        }
      };
      w.on('message', onMessage);
      w.once('error', reject);
    });
  await Promise.all(workers.map((w) => message(w, 'ready')));
  const started = performance.now();
  const done = workers.map((w) => message(w, 'runs'));
  for (const w of workers) w.postMessage({ windowMs });
  const runs = (await Promise.all(done)).reduce((a, b) => a + b, 0);
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(workers.map((w) => w.terminate()));
  return Math.round((runs / seconds) * 10) / 10;
}

/**
 * Day runs and bare-transition bursts alternate, so that both see the same machine load; the
 * medians are reported. The first rounds warm the JIT up and are not counted.
 */
function measureDayAndRaw(): { dayWallMs: number; eventsPerSec: number; xstateRawPerSec: number } {
  const raw = xstateRaw();
  const walls: number[] = [];
  const rates: number[] = [];
  const raws: number[] = [];
  for (let round = 0; round < 9; round++) {
    const day = dayRun();
    const rawRate = raw();
    if (round < 2) continue;
    walls.push(day.wallMs);
    rates.push(day.eventsPerSec);
    raws.push(rawRate);
  }
  return {
    dayWallMs: Math.round(median(walls) * 10) / 10,
    eventsPerSec: Math.round(median(rates)),
    xstateRawPerSec: Math.round(median(raws)),
  };
}

/** Save to JSON text and restore, as a checkpoint would: seed-week1 after one simulated day; the median of 7. */
function measureSaveRestore(): { saveRestoreMs: number; saveBytes: number } {
  const sim = createSimulation(scenarios['seed-week1'], { seed: 7 });
  sim.advance(DAY_MS);
  const walls: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 7; i++) {
    const started = performance.now();
    const text = JSON.stringify(sim.save());
    restoreSimulation(text);
    walls.push(performance.now() - started);
    bytes = text.length;
  }
  return { saveRestoreMs: Math.round(median(walls) * 10) / 10, saveBytes: bytes };
}

export async function measureCore(): Promise<Partial<BenchLine>> {
  const day = measureDayAndRaw();
  const xstateRawPerSec = day.xstateRawPerSec;
  let sweepRunsPerSec: number | null = null;
  try {
    sweepRunsPerSec = await measureSweep();
  } catch (error) {
    process.stderr.write(`bench: sweep failed: ${(error as Error).message}\n`);
  }
  let saved: { saveRestoreMs: number | null; saveBytes: number | null } = { saveRestoreMs: null, saveBytes: null };
  try {
    saved = measureSaveRestore();
  } catch (error) {
    // Until every domain can be saved, sim.save() refuses and names the domain.
    process.stderr.write(`bench: save/restore not measured: ${(error as Error).message}\n`);
  }
  return {
    dayWallMs: day.dayWallMs,
    eventsPerSec: day.eventsPerSec,
    xstateRawPerSec,
    engineCostRatio: Math.round((xstateRawPerSec / day.eventsPerSec) * 100) / 100,
    sweepRunsPerSec,
    ...saved,
  };
}
