import { createSimulation, type Scenario, type Simulation, scenarios } from '@eks-sim/sim-core';
import { ActorRegistry } from '../../../../packages/sim-core/src/engine/actors';
import { splitPrng } from '../../../../packages/sim-core/src/engine/prng';
import { NamedTimers } from '../../../../packages/sim-core/src/engine/timers';
import { eksctlTool } from '../../../../packages/sim-core/src/shell/eksctl/index';
import type { ToolInvocation } from '../../../../packages/sim-core/src/shell/tool';

/** The seed's lab network with no cluster yet: what the learner has before `eksctl create cluster` (docs/lessons/seed-week1.md). */
export function labWithoutCluster(overrides: Partial<Scenario> = {}, seed = 1): Simulation {
  const base = scenarios['seed-week1'] as Scenario;
  return createSimulation(
    { ...base, ...overrides, cluster: { ...base.cluster, existsAtStart: false }, timeline: [] },
    { seed },
  );
}

/** The seed's lab as it starts: the cluster already built by eksctl. */
export function labWithCluster(seed = 1): Simulation {
  return createSimulation(scenarios['seed-week1'] as Scenario, { seed });
}

/** The bastion's variables (docs/lessons/seed-week1.md), from the simulated network. */
export function bastionEnv(sim: Simulation): Record<string, string> {
  const net = sim.domains.network;
  const env: Record<string, string> = {
    CLUSTER_NAME: 'myeks',
    AWS_DEFAULT_REGION: sim.domains.cluster.region,
    HOME: '/root',
    VPCID: net.vpcId,
  };
  net.subnetsOfKind('public').forEach((s, i) => {
    env[`PubSubnet${i + 1}`] = s.id;
  });
  net.subnetsOfKind('private').forEach((s, i) => {
    env[`PrivateSubnet${i + 1}`] = s.id;
  });
  return env;
}

/** Splits a line as a shell would for these tests: whitespace, double quotes, `$VAR` from `env`. */
export function words(line: string, env: Record<string, string>): string[] {
  const expanded = line.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => env[name] ?? '');
  const out: string[] = [];
  for (const m of expanded.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? (m[3] as string));
  return out;
}

export interface EksctlRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly tookMs: number;
  readonly files: Map<string, string>;
}

/** Runs `eksctl <line>` from a vantage with a hand-built ToolInvocation (the shell core is not needed). */
export function eksctl(
  sim: Simulation,
  line: string,
  opts: { from?: string; files?: Map<string, string>; stdin?: string } = {},
): EksctlRun {
  const env = bastionEnv(sim);
  const files = opts.files ?? new Map<string, string>();
  let stdout = '';
  let stderr = '';
  const start = sim.now();
  const resolve = (path: string) => (path.startsWith('/') ? path : `/root/${path}`);
  const inv: ToolInvocation = {
    args: words(line, env),
    from: opts.from ?? 'bastion',
    env,
    ctx: {
      clock: sim.clock,
      seed: sim.seed,
      // The same streams the simulation hands its domains (simulation.ts).
      rng: (component) => splitPrng(sim.seed, component),
      emit: () => {
        throw new Error('unused');
      },
      apply: (command, source) => sim.apply(command, source),
      log: sim.kubeModel().log,
      // eksctl's tool starts no actor and no timer of its own: the domains it calls do.
      actors: new ActorRegistry(sim.clock),
      timers: new NamedTimers(sim.clock),
      domains: sim.domains,
    },
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    wait: (ms) => sim.advance(ms),
    readFile: (path) => files.get(resolve(path)),
    writeFile: (path, text) => {
      files.set(resolve(path), text);
    },
    ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}),
  };
  const code = eksctlTool(inv);
  return { code, stdout, stderr, tookMs: sim.now() - start, files };
}

/** The seed's exact line (docs/lessons/seed-week1.md). */
export const SEED_LINE =
  'create cluster --name $CLUSTER_NAME --region=$AWS_DEFAULT_REGION --nodegroup-name=$CLUSTER_NAME-nodegroup --node-type=t3.medium --node-volume-size=30 --vpc-public-subnets "$PubSubnet1,$PubSubnet2" --version 1.28 --ssh-access --external-dns-access --verbose 4';
