import { performance } from 'node:perf_hooks';
import {
  checkInvariants,
  createSimulation,
  formatDuration,
  MAX_DURATION_TEXT,
  parseDuration,
  type Snapshot,
} from '@eks-sim/sim-core';
import { logHash } from '../log-hash';
import { parseFlags } from './args';
import { loadScenarioArg, parseSeedArg } from './scenario-arg';
import { UsageError } from './usage-error';
import { versionsSummaryLine } from './versions';

const HELP = `usage: eks-sim run [--scenario NAME|FILE] [--seed N] [--duration 24h] [--json] [--check]

Simulates a scenario for a while and prints what happened.
  --scenario  a built-in scenario name or a YAML/JSON file (default seed-week1)
  --seed      root seed of every random stream (default: the scenario's)
  --duration  simulated time, e.g. 90m, 24h, 7d (default: the scenario's, else 24h)
  --json      one JSON object on stdout instead of the summary
  --check     check the invariants every simulated minute (at most 5000 times), not only at the end;
              exit 1 on a violation
`;

/** `--check` looks at the invariants every simulated minute, but at most this many times a run. */
const CHECK_EVERY_MS = 60_000;
const MAX_CHECKS = 5_000;

type ControlPlane = Snapshot['controlPlane'];

/** `eks-sim run`: a thin shell over sim-core. */
export async function runCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags('run', argv, {
    scenario: { type: 'string' },
    seed: { type: 'string' },
    duration: { type: 'string' },
    json: { type: 'boolean' },
    check: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const scenario = loadScenarioArg(values.scenario);
  const seed = parseSeedArg(values.seed);
  const durationText = values.duration ?? scenario.duration ?? '24h';
  const durationMs = parseDuration(durationText);
  if (durationMs === undefined || durationMs <= 0) {
    throw new UsageError(
      `--duration must be a positive duration such as 90m, 24h or 7d, at most ${MAX_DURATION_TEXT} (got "${durationText}")`,
    );
  }

  const started = performance.now();
  let sim: ReturnType<typeof createSimulation>;
  try {
    sim = createSimulation(scenario, seed === undefined ? {} : { seed });
  } catch (error) {
    const message = (error as Error).message;
    throw new UsageError(message.startsWith('scenario ') ? message : `scenario ${scenario.name}: ${message}`);
  }
  const violations: ReturnType<typeof checkInvariants> = [];
  const seen = new Set<string>();
  const collect = () => {
    for (const v of checkInvariants(sim)) {
      const key = `${v.invariant}|${v.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        violations.push(v);
      }
    }
  };
  if (values.check) {
    const every = Math.max(CHECK_EVERY_MS, Math.ceil(durationMs / MAX_CHECKS));
    for (let done = 0; done < durationMs; done += every) {
      sim.advance(Math.min(every, durationMs - done));
      collect();
    }
  } else {
    sim.advance(durationMs);
  }
  collect();
  const wallMs = Math.round(performance.now() - started);
  const snapshot = sim.snapshot();
  const events = sim.events();
  const summary = {
    scenario: scenario.name,
    seed: sim.seed,
    simulatedMs: durationMs,
    wallMs,
    events: events.length,
    logHash: logHash(events),
    violations,
    controlPlane: controlPlaneSummary(snapshot.controlPlane),
    load: {
      offeredRps: snapshot.load.offeredRps,
      servedRps: snapshot.load.servedRps,
      throttled429PerSec: snapshot.load.throttled429PerSec,
      unavailable503PerSec: snapshot.load.unavailable503PerSec,
      p99LatencyMs: snapshot.load.p99LatencyMs,
      total429: snapshot.load.total429,
      total503: snapshot.load.total503,
      committedWrites: snapshot.load.committedWrites,
    },
    autoscaler: snapshot.controlPlane.autoscaler.decisions.map((d) => ({
      atMs: d.atMs,
      group: d.group,
      decision: d.decision,
      from: d.from,
      to: d.to,
    })),
    cost: { ...snapshot.cost, totalUsd: snapshot.cost.totalUsd },
    // The version lifecycle: control-plane version changes (automatic upgrades) and each node's kubelet skew.
    versions: snapshot.versions,
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    process.stdout.write(humanSummary(summary, snapshot, durationMs));
  }
  return values.check && violations.length > 0 ? 1 : 0;
}

function controlPlaneSummary(cp: ControlPlane) {
  return {
    apiServers: cp.apiServers.map((a) => ({ id: a.id, az: a.az, state: a.state, size: a.size, cpu: a.cpu })),
    etcd: cp.etcd.map((m) => ({ id: m.id, az: m.az, state: m.state, role: m.role, term: m.term, size: m.size })),
    nlbs: cp.nlbs.map((n) => ({ id: n.id, az: n.az, state: n.state, inDns: n.inDns, ips: n.ips })),
    etcdLeader: cp.etcdCluster.leader,
    etcdTerm: cp.etcdCluster.term,
    leaderChanges: cp.etcdCluster.leaderChanges,
  };
}

/** One line from whatever `snapshot.cost` holds: the total, the hourly rate, and the split by item. */
function costLine(cost: Snapshot['cost']): string {
  const fields = cost as unknown as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof fields.hourlyRateUsd === 'number') parts.push(`now $${fields.hourlyRateUsd.toFixed(4)}/h`);
  const byItem = fields.byItem;
  if (typeof byItem === 'object' && byItem !== null) {
    const items = Object.entries(byItem as Record<string, unknown>)
      .filter(([, v]) => typeof v === 'number')
      .map(([k, v]) => `${k} $${(v as number).toFixed(2)}`);
    if (items.length) parts.push(items.join(', '));
  }
  return `cost: $${cost.totalUsd.toFixed(2)} in total${parts.length ? ` (${parts.join('; ')})` : ''}`;
}

function humanSummary(
  s: {
    scenario: string;
    seed: number;
    wallMs: number;
    events: number;
    logHash: string;
    violations: readonly { invariant: string; message: string }[];
    autoscaler: readonly { decision: string; from: string; to: string; group: string }[];
  },
  snapshot: Snapshot,
  durationMs: number,
): string {
  const cp = snapshot.controlPlane;
  const load = snapshot.load;
  const lines = [
    `${s.scenario} (seed ${s.seed}): ${formatDuration(durationMs)} simulated in ${s.wallMs} ms, ${s.events} events`,
    `now ${snapshot.clock.iso}; cluster ${snapshot.cluster ? `${snapshot.cluster.name} ${snapshot.cluster.status}` : 'none'}`,
    `API servers: ${cp.apiServers.map((a) => `${a.id} ${a.az} ${a.state} ${a.size}`).join('; ') || 'none'}`,
    `etcd: ${cp.etcd.map((m) => `${m.id} ${m.az} ${m.role}`).join('; ') || 'none'} (term ${cp.etcdCluster.term}, ${cp.etcdCluster.leaderChanges} leader elections)`,
    `NLB nodes in DNS: ${
      cp.nlbs
        .filter((n) => n.inDns)
        .map((n) => `${n.id} ${n.ips.join(',')}`)
        .join('; ') || 'none'
    }`,
    `load now: ${load.offeredRps} rps offered, ${load.servedRps} served, p99 ${load.p99LatencyMs} ms; in total ${load.total429} × 429, ${load.total503} × 503, ${load.committedWrites} writes committed`,
    `autoscaler: ${s.autoscaler.map((d) => `${d.decision} ${d.from}→${d.to}`).join(', ') || 'no decisions'}`,
    costLine(snapshot.cost),
    versionsSummaryLine(snapshot),
    s.violations.length === 0
      ? 'invariants: all hold'
      : `invariants: ${s.violations.length} violated\n${s.violations.map((v) => `  ${v.invariant}: ${v.message}`).join('\n')}`,
    `logHash ${s.logHash}`,
  ];
  return `${lines.join('\n')}\n`;
}
