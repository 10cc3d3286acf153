/**
 * One worker of the what-if sweep: once told to go, simulates `az-outage` for 24 hours with
 * consecutive seeds until its window is over, and reports how many runs it finished.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createSimulation, scenarios } from '@eks-sim/sim-core';

const { firstSeed } = workerData as { firstSeed: number };
const scenario = scenarios['az-outage'];
// One run before the window: JIT and module initialisation are not what a sweep pays per run.
createSimulation(scenario, { seed: firstSeed }).advance(86_400_000);
parentPort?.on('message', ({ windowMs }: { windowMs: number }) => {
  const deadline = Date.now() + windowMs;
  let runs = 0;
  while (Date.now() < deadline) {
    createSimulation(scenario, { seed: firstSeed + 1 + runs }).advance(86_400_000);
    runs++;
  }
  parentPort?.postMessage({ runs });
  parentPort?.close();
});
parentPort?.postMessage({ ready: true });
