import { parse as parseYaml } from 'yaml';
import { whyUnreachable } from '../../answers/index';
import { endpointHost } from '../../cluster/endpoint-name';
import { isoDate } from '../../engine/duration';
import type { Prng } from '../../engine/prng';
import type { ConfigContext } from '../../provisioning/cluster-config';
import { configContextOf } from '../../provisioning/config-context';
import { checkAgainstSchema } from '../../provisioning/config-schema';
import { eksctlRelease, KUBE_CLIENT_TIMEOUT_MS } from '../../provisioning/facts';
import type { ToolInvocation } from '../tool';
import { type FlagSpec, flagHelp, type ParsedFlags, parseFlags } from './flags';
import { createLogger, type EksctlLogger } from './logger';

/** What every eksctl subcommand works with. */
export interface Eksctl {
  readonly inv: ToolInvocation;
  readonly flags: ParsedFlags;
  readonly log: EksctlLogger;
  readonly region: string;
  readonly release: ReturnType<typeof eksctlRelease>;
  /** Draws for names eksctl makes up (`ng-1a2b3c4d`): varies with the simulated time, reproducible per seed. */
  readonly rng: Prng;
}

/** Flags every eksctl command takes (eksctl's "Common flags"). */
export const COMMON_FLAGS: readonly FlagSpec[] = [
  { name: 'region', short: 'r', kind: 'string', usage: 'AWS region' },
  {
    name: 'profile',
    short: 'p',
    kind: 'string',
    usage: 'AWS credentials profile to use (overrides the AWS_PROFILE environment variable)',
  },
  { name: 'timeout', kind: 'string', usage: 'maximum waiting time for any long-running operation (default 25m0s)' },
  {
    name: 'color',
    short: 'C',
    kind: 'string',
    usage: 'toggle colorized logs (valid options: true, false, fabulous) (default "true")',
  },
  { name: 'help', short: 'h', kind: 'bool', usage: 'help for this command' },
  {
    name: 'verbose',
    short: 'v',
    kind: 'int',
    usage: 'set log level, use 0 to silence, 4 for debugging and 5 for debugging with AWS debug logging (default 3)',
  },
];

/** Writes eksctl's fatal error line and returns its exit status. */
export function fatal(inv: ToolInvocation, message: string): number {
  inv.err(`Error: ${message}\n`);
  return 1;
}

export function help(inv: ToolInvocation, usage: string, specs: readonly FlagSpec[]): number {
  inv.out(`${usage}\n\nFlags:\n${flagHelp(specs)}\n`);
  return 0;
}

/** Parses a subcommand's flags (plus the common ones); a string is the error already printed. */
export function setUp(
  inv: ToolInvocation,
  args: readonly string[],
  specs: readonly FlagSpec[],
  usage: string,
): Eksctl | number {
  const all = [...specs, ...COMMON_FLAGS];
  const flags = parseFlags(args, all);
  if (typeof flags === 'string') {
    inv.err(`Error: ${flags}\n`);
    return 1;
  }
  if (flags.values.get('help') === true) return help(inv, usage, all);
  const verbose = flags.values.get('verbose');
  const log = createLogger(inv, typeof verbose === 'number' ? verbose : 3);
  const ctx = inv.ctx;
  const date = isoDate(ctx.clock.now());
  const region =
    (flags.values.get('region') as string | undefined) ??
    inv.env.AWS_DEFAULT_REGION ??
    inv.env.AWS_REGION ??
    ctx.domains.cluster.region;
  return {
    inv,
    flags,
    log,
    region,
    release: eksctlRelease(date),
    rng: ctx.rng(`eksctl@${ctx.clock.now()}`),
  };
}

/** The simulated account is in one region: other regions have no clusters (eksctl would find none). */
export function checkRegion(e: Eksctl): string | undefined {
  const simRegion = e.inv.ctx.domains.cluster.region;
  if (e.region === simRegion) return undefined;
  return `this simulation's account is in ${simRegion}; region "${e.region}" has no simulated resources (use --region=${simRegion})`;
}

export function configContext(inv: ToolInvocation): ConfigContext {
  return configContextOf(inv.ctx, inv.ctx.domains.cluster.region, inv.ctx.domains.network);
}

/** Polls between two looks at CloudFormation (eksctl waits 15-20 s between describe calls). */
export function pollMs(e: Eksctl): number {
  return e.rng.int(15, 20) * 1000;
}

/**
 * The ClusterConfig named by `-f` (a vantage file, or stdin for `-f -`), parsed and checked
 * against eksctl's schema; a string is the error eksctl would print.
 */
export function readConfigFile(inv: ToolInvocation, path: string): Record<string, unknown> | string {
  const text = path === '-' ? inv.stdin : inv.readFile?.(path);
  if (text === undefined) return `reading config file "${path}": open ${path}: no such file or directory`;
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    return `loading config file "${path}": error converting YAML to JSON: ${(error as Error).message.split('\n')[0]}`;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return `loading config file "${path}": the file is empty or not a YAML mapping`;
  }
  const schemaErrors = checkAgainstSchema(doc);
  if (schemaErrors) {
    return `loading config file "${path}": error unmarshaling JSON: while decoding JSON: ${schemaErrors.join('; ')}`;
  }
  return doc as Record<string, unknown>;
}

/** `metadata.name` (and version) of a parsed ClusterConfig. */
export function metadataOf(doc: Record<string, unknown>): { name?: string; version?: string } {
  const metadata = (doc.metadata ?? {}) as { name?: unknown; version?: unknown };
  return {
    ...(typeof metadata.name === 'string' ? { name: metadata.name } : {}),
    ...(typeof metadata.version === 'string' ? { version: metadata.version } : {}),
  };
}

/**
 * eksctl's calls to the Kubernetes API (listing Services before a cluster delete, draining
 * nodes) from a host that cannot reach the API server (docs/endpoint-modes.md): after the client's timeout,
 * Go's `dial tcp …: i/o timeout`, then one line of eks-sim's own saying why. Returns the exit
 * status when unreachable, undefined when the call would go through.
 */
export function kubernetesApiUnreachable(inv: ToolInvocation, what: string, path: string): number | undefined {
  const ctx = inv.ctx;
  const cluster = ctx.domains.cluster.cluster;
  const reach = ctx.domains.endpoint.reach(inv.from);
  if (!cluster || reach.reachable) return undefined;
  inv.wait(KUBE_CLIENT_TIMEOUT_MS);
  const host = endpointHost(cluster.endpoint);
  const addresses = ctx.domains.endpoint.dnsAnswer(inv.from).addresses;
  const dial = addresses.length
    ? `dial tcp ${addresses[0]}:443: i/o timeout`
    : `dial tcp: lookup ${host}: no such host`;
  inv.err(`Error: ${what}: Get "${cluster.endpoint}${path}": ${dial}\n`);
  inv.err(`${whyUnreachable(reach)}\n`);
  return 1;
}
