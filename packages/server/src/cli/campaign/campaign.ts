/**
 * `eks-sim campaign`: the control-plane property (`control-plane-property.ts`, the same one
 * the vitest property test runs) over many schedules, on every core. The main thread hands
 * out batches of runs; each worker thread runs its batch with fast-check (which shrinks a
 * failure) and answers with the runs done and the violation, if any. This file is both:
 * loaded as a worker (with `workerData.eksSimCampaign`) it serves batches.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { parseFlags } from '../args';
import { UsageError } from '../usage-error';
import {
  type BatchResult,
  formatViolation,
  PROPERTY_SCENARIOS,
  type PropertyViolation,
  runBatch,
} from './control-plane-property';

const HELP = `usage: eks-sim campaign [--runs N] [--seed S] [--scenario NAME] [--workers N] [--json]

Runs the control plane's model-based property (random schedules of load, compound faults and
recoveries; Raft's safety properties after every step; linearizability of the client history;
healing once every AZ is back) over many schedules on every core.
  --runs      schedules to run, split evenly over the scenarios (default 1000)
  --seed      campaign seed (default: a random one, printed); the same seed runs the same schedules
  --scenario  one of ${Object.keys(PROPERTY_SCENARIOS).join(', ')} (default: all of them)
  --workers   worker threads (default: one per core)
  --json      one JSON object on stdout instead of the report
Exit status: 0 without violations, 1 with any, 2 for bad flags.
`;

/** Runs per batch: small enough to spread over the workers, large enough to amortise the messages. */
const BATCH_RUNS = 20;

interface Job {
  readonly scenario: string;
  readonly seed: number;
  readonly runs: number;
}

interface WorkerRequest {
  readonly job: Job;
}

interface WorkerAnswer {
  readonly result: BatchResult;
}

function positiveInt(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`campaign: ${flag} must be a positive whole number (got "${text}")`);
  }
  return Number(text);
}

function seedArg(text: string | undefined): number {
  if (text === undefined) return Math.floor(Math.random() * 2 ** 31);
  if (!/^\d+$/.test(text) || Number(text) > 2 ** 32 - 1) {
    throw new UsageError(`campaign: --seed must be a whole number from 0 to 4294967295 (got "${text}")`);
  }
  return Number(text);
}

/** The batches of a campaign: each scenario gets its share of the runs, cut into batches, interleaved. */
function plan(scenarios: readonly string[], runs: number, seed: number): Job[] {
  const shares = scenarios.map((_, i) => Math.floor(runs / scenarios.length) + (i < runs % scenarios.length ? 1 : 0));
  const jobs: Job[] = [];
  let next = 0;
  while (shares.some((s) => s > 0)) {
    scenarios.forEach((scenario, i) => {
      const n = Math.min(BATCH_RUNS, shares[i] as number);
      if (n === 0) return;
      jobs.push({ scenario, seed: (seed + next++) >>> 0, runs: n });
      shares[i] = (shares[i] as number) - n;
    });
  }
  return jobs;
}

export async function campaignCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags('campaign', argv, {
    runs: { type: 'string' },
    seed: { type: 'string' },
    scenario: { type: 'string' },
    workers: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const runs = positiveInt('--runs', values.runs, 1000);
  const seed = seedArg(values.seed);
  const workers = positiveInt('--workers', values.workers, availableParallelism());
  if (values.scenario !== undefined && !(values.scenario in PROPERTY_SCENARIOS)) {
    throw new UsageError(
      `campaign: --scenario must be one of ${Object.keys(PROPERTY_SCENARIOS).join(', ')} (got "${values.scenario}")`,
    );
  }
  const scenarios = values.scenario ? [values.scenario] : Object.keys(PROPERTY_SCENARIOS);
  const jobs = plan(scenarios, runs, seed);
  let nextSeed = (seed + jobs.length) >>> 0;
  const started = performance.now();
  const progress = process.stderr.isTTY && !values.json ? new ProgressBar(runs) : undefined;
  let done = 0;
  const violations: PropertyViolation[] = [];

  const pool = Math.max(1, Math.min(workers, jobs.length));
  await new Promise<void>((resolve, reject) => {
    let active = 0;
    const current = new Map<Worker, Job>();
    const feed = (worker: Worker) => {
      const job = jobs.shift();
      if (!job) {
        void worker.terminate();
        if (--active === 0) resolve();
        return;
      }
      current.set(worker, job);
      worker.postMessage({ job } satisfies WorkerRequest);
    };
    for (let i = 0; i < pool; i++) {
      const worker = startWorker();
      active++;
      worker.on('message', ({ result }: WorkerAnswer) => {
        done += result.runs;
        if (result.violation) {
          violations.push(result.violation);
          // The batch stopped at its failure: the rest of its runs go on under a fresh seed.
          const left = (current.get(worker)?.runs ?? 0) - result.runs;
          if (left > 0) {
            jobs.push({ scenario: result.scenario, seed: nextSeed, runs: left });
            nextSeed = (nextSeed + 1) >>> 0;
          }
        }
        progress?.update(done, violations.length, performance.now() - started);
        feed(worker);
      });
      worker.on('error', reject);
      feed(worker);
    }
  });
  progress?.finish();
  const wallMs = Math.round(performance.now() - started);
  const runsPerSec = done / Math.max(wallMs / 1000, 1e-3);
  const report = {
    runs: done,
    violations,
    wallMs,
    runsPerSec: Math.round(runsPerSec * 100) / 100,
    seed,
    scenarios,
    workers: pool,
  };
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(humanReport(report));
  return violations.length > 0 ? 1 : 0;
}

function humanReport(r: {
  runs: number;
  violations: readonly PropertyViolation[];
  wallMs: number;
  runsPerSec: number;
  seed: number;
  scenarios: readonly string[];
  workers: number;
}): string {
  const lines = [
    `campaign: ${r.runs} runs of ${r.scenarios.join(', ')}, ${r.violations.length} violation(s), ${(r.wallMs / 1000).toFixed(1)} s wall, ${r.runsPerSec.toFixed(2)} runs/s on ${r.workers} worker(s) (seed ${r.seed})`,
  ];
  r.violations.forEach((v, i) => {
    lines.push('', `violation ${i + 1}: ${formatViolation(v)}`);
  });
  return `${lines.join('\n')}\n`;
}

/** One line on stderr, redrawn in place: runs done, violations, throughput and time left. */
class ProgressBar {
  private lastDrawMs = -1;
  constructor(private readonly total: number) {}

  update(done: number, violations: number, elapsedMs: number): void {
    if (elapsedMs - this.lastDrawMs < 200 && done < this.total) return;
    this.lastDrawMs = elapsedMs;
    const width = 30;
    const filled = Math.round((Math.min(done, this.total) / this.total) * width);
    const rate = done / Math.max(elapsedMs / 1000, 1e-3);
    const etaSec = rate > 0 ? Math.max(0, (this.total - done) / rate) : 0;
    process.stderr.write(
      `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${this.total} runs, ${violations} violation(s), ${rate.toFixed(1)} runs/s, ${Math.round(etaSec)} s left `,
    );
  }

  finish(): void {
    process.stderr.write('\n');
  }
}

/**
 * A worker running the CLI's bundle, whose copy of this module serves batches (the CLI itself
 * runs only on the main thread). From the TypeScript sources (tests, tsx), which Node cannot
 * load in a worker thread, the worker starts through the launcher, which builds the bundle
 * if it is stale.
 */
function startWorker(): Worker {
  const self = new URL(import.meta.url);
  const entry = self.pathname.endsWith('.ts') ? new URL('../../../launch.mjs', self) : self;
  return new Worker(entry, { workerData: { eksSimCampaign: true } });
}

function serveBatches(): void {
  parentPort?.on('message', ({ job }: WorkerRequest) => {
    const result = runBatch(job.scenario, job.seed, job.runs);
    parentPort?.postMessage({ result } satisfies WorkerAnswer);
  });
}

if (!isMainThread && (workerData as { eksSimCampaign?: boolean } | null)?.eksSimCampaign) serveBatches();
