/**
 * The load model as pure arithmetic: offered rps by client class and profile,
 * and what one API server does with its share (served, 429, CPU, memory, latency).
 *
 * Queueing model, per API server (an M/M/1 approximation of a CPU-bound server behind APF):
 *   μ  = vcpu × API_RPS_PER_VCPU × capacityFactor     service rate (requests/s)
 *   S  = SERVICE_MS / 1000                            mean service time (s)
 *   ρ  = λ / μ                                        utilisation of the served rate λ
 *   W  = S / (1 − ρ)                                  mean time in the server (M/M/1)
 *   p99 = W × ln(100)                                 the sojourn time of M/M/1 is exponential
 *   L  = λ × W                                        requests in flight (Little's law)
 * APF admits requests while L ≤ seats; solving λ·S/(1 − λ/μ) ≤ seats for λ gives the most the
 * server admits: λmax = seats / (S + seats/μ). Offered load above λmax is rejected with 429.
 * Writes also wait for the etcd commit (ETCD_COMMIT_MS, same M/M/1 stretch on etcd's ρ).
 */
import { MAX_DURATION_TEXT, parseDuration } from '../engine/duration';
import {
  type ClassRps,
  type InstanceSize,
  LOAD_PROFILES,
  type LoadProfile,
  type LoadScenario,
  WRITE_FRACTION,
} from './types';

/** Requests per second one vCPU of an API server serves at 100 % CPU (model). */
export const API_RPS_PER_VCPU = 400;
/** Mean service time of one request in the API server (model). */
export const SERVICE_MS = 8;
/** Mean time of an etcd commit (a round of Raft replication across AZs, model). */
export const ETCD_COMMIT_MS = 4;
/** Committed writes per second one etcd vCPU sustains at 100 % CPU (model). */
export const ETCD_WRITES_PER_VCPU = 1_500;
/** Utilisation is capped here in the latency formula (APF rejects before ρ reaches 1). */
export const MAX_UTILISATION = 0.98;
/** ln(100): p99 of an exponential distribution in units of its mean. */
const P99_FACTOR = Math.log(100);

export const DEFAULT_LOAD = {
  kubectlRps: 0.5,
  controllersRps: 20,
  kubeletRpsPerNode: 1.5,
  tickMs: 15_000,
  calmTickMs: 6 * 3_600_000,
} as const;

/** Offered rps per class before the profile and spike factors. */
export function baseClassRps(load: LoadScenario, nodes: number): ClassRps {
  return {
    kubectl: load.kubectlRps ?? DEFAULT_LOAD.kubectlRps,
    controllers: load.controllersRps ?? DEFAULT_LOAD.controllersRps,
    kubelets: (load.kubeletRpsPerNode ?? DEFAULT_LOAD.kubeletRpsPerNode) * nodes,
  };
}

export function writeShare(rps: ClassRps): number {
  const total = rps.kubectl + rps.controllers + rps.kubelets;
  if (total <= 0) return 0;
  return (
    (rps.kubectl * WRITE_FRACTION.kubectl +
      rps.controllers * WRITE_FRACTION.controllers +
      rps.kubelets * WRITE_FRACTION.kubelets) /
    total
  );
}

const offsetMs = (text: string | undefined, fallback: number): number =>
  text === undefined ? fallback : (parseDuration(text) ?? fallback);

/**
 * The profile's multiplier at `nowMs` (`startMs` is the run's start, for the classroom and
 * spike offsets). Diurnal: a cosine between the trough and 1, peaking at `peakHourUtc`.
 * Classroom: 1 until the class, a linear ramp to `factor`, `factor` during the class, 1 after.
 */
export function profileFactor(profile: LoadProfile, load: LoadScenario, nowMs: number, startMs: number): number {
  switch (profile) {
    case 'flat':
      return 1;
    case 'diurnal': {
      const peak = load.diurnal?.peakHourUtc ?? 6;
      const trough = load.diurnal?.troughFactor ?? 0.3;
      const hour = (nowMs % 86_400_000) / 3_600_000;
      const phase = ((hour - peak) / 24) * 2 * Math.PI;
      return trough + (1 - trough) * (0.5 + 0.5 * Math.cos(phase));
    }
    case 'classroom': {
      const c = load.classroom ?? {};
      const begins = startMs + offsetMs(c.startsAt, 3_600_000);
      const ramp = Math.max(1, offsetMs(c.rampUp, 600_000));
      const ends = begins + ramp + offsetMs(c.duration, 2 * 3_600_000);
      const factor = c.factor ?? 20;
      if (nowMs < begins || nowMs >= ends) return 1;
      if (nowMs < begins + ramp) return 1 + ((factor - 1) * (nowMs - begins)) / ramp;
      return factor;
    }
    case 'spike': {
      const s = load.spike ?? {};
      const begins = startMs + offsetMs(s.at, 3_600_000);
      const ends = begins + offsetMs(s.duration, 20 * 60_000);
      return nowMs >= begins && nowMs < ends ? (s.factor ?? 10) : 1;
    }
  }
}

/** Whether the profile changes the load over time (a calm flat load lets the tick grow). */
export const profileVaries = (profile: LoadProfile): boolean => profile !== 'flat';

export interface InstanceLoad {
  /** Requests/s that reach this server. */
  readonly offeredRps: number;
  readonly servedRps: number;
  readonly throttledRps: number;
  /** Served / μ, 0..1. */
  readonly utilisation: number;
  readonly cpu: number;
  readonly memory: number;
  readonly p99Ms: number;
  /** Most requests/s this server admits (λmax). */
  readonly capacityRps: number;
  readonly inflight: number;
}

/** What one API server of `size` does with `offeredRps` (formula in the file comment). */
export function apiServerLoad(
  size: InstanceSize,
  offeredRps: number,
  nodes: number,
  capacityFactor: number,
  writeFraction: number,
  etcdUtilisation: number,
): InstanceLoad {
  const mu = size.vcpu * API_RPS_PER_VCPU * capacityFactor;
  const s = SERVICE_MS / 1000;
  const capacityRps = size.seats / (s + size.seats / mu);
  const servedRps = Math.min(offeredRps, capacityRps);
  const throttledRps = offeredRps - servedRps;
  const rho = Math.min(MAX_UTILISATION, servedRps / mu);
  const w = s / (1 - rho);
  const etcdWait = ETCD_COMMIT_MS / (1 - Math.min(MAX_UTILISATION, etcdUtilisation));
  const p99Ms = (w * 1000 + writeFraction * etcdWait) * P99_FACTOR;
  // Memory (GiB): process and caches, the watch cache grows with nodes, plus in-flight requests.
  const inflight = servedRps * w;
  const memoryGiB = 1.2 + nodes * 0.004 + inflight * 0.004 + servedRps * 0.0004;
  return {
    offeredRps,
    servedRps,
    throttledRps,
    utilisation: servedRps / mu,
    // A few % of CPU is spent on idle work (leader election, health checks, metrics).
    cpu: Math.min(1, 0.03 + (0.97 * servedRps) / mu),
    memory: Math.min(1, memoryGiB / size.memoryGiB),
    p99Ms,
    capacityRps,
    inflight,
  };
}

/** etcd member CPU and memory from committed writes/s and the number of nodes (objects stored). */
export function etcdLoad(size: InstanceSize, writesPerSec: number, nodes: number): { cpu: number; memory: number } {
  const utilisation = writesPerSec / (size.vcpu * ETCD_WRITES_PER_VCPU);
  const memoryGiB = 0.8 + nodes * 0.01 + writesPerSec * 0.0008;
  return { cpu: Math.min(1, 0.02 + 0.98 * utilisation), memory: Math.min(1, memoryGiB / size.memoryGiB) };
}

const isNumberIn = (v: unknown, min: number, max: number): boolean =>
  typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;

/**
 * Checks a scenario's `load:` section; returns what is wrong (naming the field), or undefined.
 * Scenario files are user input: a typo must be an error, not NaN requests per second.
 */
export function checkLoadScenario(load: unknown): string | undefined {
  if (load === undefined) return undefined;
  if (typeof load !== 'object' || load === null || Array.isArray(load)) return 'load must be a mapping';
  const l = load as Record<string, unknown>;
  const known = [
    'profile',
    'kubectlRps',
    'controllersRps',
    'kubeletRpsPerNode',
    'diurnal',
    'classroom',
    'spike',
    'tickMs',
    'calmTickMs',
  ];
  for (const key of Object.keys(l)) {
    if (!known.includes(key)) return `load: unknown key "${key}" (known keys: ${known.join(', ')})`;
  }
  if (l.profile !== undefined && !LOAD_PROFILES.includes(l.profile as LoadProfile)) {
    return `load.profile must be one of ${LOAD_PROFILES.join(', ')} (got ${JSON.stringify(l.profile)})`;
  }
  for (const key of ['kubectlRps', 'controllersRps', 'kubeletRpsPerNode']) {
    if (l[key] !== undefined && !isNumberIn(l[key], 0, 1_000_000)) {
      return `load.${key} must be a number of requests per second ≥ 0 (got ${JSON.stringify(l[key])})`;
    }
  }
  for (const key of ['tickMs', 'calmTickMs']) {
    if (l[key] !== undefined && !isNumberIn(l[key], 1_000, 86_400_000)) {
      return `load.${key} must be milliseconds from 1000 to 86400000 (got ${JSON.stringify(l[key])})`;
    }
  }
  const durations: Array<[string, unknown]> = [];
  for (const part of ['classroom', 'spike', 'diurnal'] as const) {
    const v = l[part];
    if (v === undefined) continue;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return `load.${part} must be a mapping`;
    const o = v as Record<string, unknown>;
    for (const [k, x] of Object.entries(o)) {
      if (k === 'factor' || k === 'troughFactor' || k === 'peakHourUtc') {
        const max = k === 'peakHourUtc' ? 23.999 : k === 'troughFactor' ? 1 : 1000;
        if (!isNumberIn(x, 0, max))
          return `load.${part}.${k} must be a number from 0 to ${max} (got ${JSON.stringify(x)})`;
      } else if (['startsAt', 'rampUp', 'duration', 'at'].includes(k)) {
        durations.push([`load.${part}.${k}`, x]);
      } else {
        return `load.${part}: unknown key "${k}"`;
      }
    }
  }
  for (const [name, value] of durations) {
    if (typeof value !== 'string' || parseDuration(value) === undefined) {
      return `${name} must be a duration such as "1h" or "20m", at most ${MAX_DURATION_TEXT} (got ${JSON.stringify(value)})`;
    }
  }
  return undefined;
}
