import { nodeViews, versionDocument, whyUnreachable } from '../../answers/index';
import { endpointHost } from '../../cluster/endpoint-name';
import type { ClusterRecord } from '../../cluster/types';
import type { Tool, ToolInvocation } from '../tool';
import { connectAddress, KUBECTL_DIAL_TIMEOUT_MS } from './api-server';

/** The kubectl on the lab host: the EKS-vended 1.28 binary of the seed's era, with its Kustomize. */
const CLIENT_VERSION = 'v1.28.5-eks-5e0fdde';
const CLIENT_MINOR = 28;
const KUSTOMIZE_VERSION = 'v5.0.4-0.20230601165947-6ce0bf390ce3';
/** client-go's discovery retries before kubectl gives up (each one a dial timeout). */
const DISCOVERY_ATTEMPTS = 5;

const SUBCOMMANDS = ['version', 'get', 'cluster-info'];

/** kubectl's HumanDuration (k8s.io/apimachinery/pkg/util/duration). */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (h < 24 * 365 * 2) return `${d}d`;
  const y = Math.floor(d / 365);
  if (h < 24 * 365 * 8) return d % 365 === 0 ? `${y}y` : `${y}y${d % 365}d`;
  return `${y}y`;
}

/** Columns padded as kubectl's tabwriter does (three spaces between columns). */
function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows
    .map((r) => `${r.map((cell, c) => (c < r.length - 1 ? cell.padEnd((widths[c] ?? 0) + 3) : cell)).join('')}\n`)
    .join('');
}

/**
 * Whether this vantage has a kubeconfig. eksctl writes one on the host that created the cluster
 * (the bastion); the laptop is taken to have run `aws eks update-kubeconfig`; nodes have none.
 */
function hasKubeconfig(inv: ToolInvocation): boolean {
  return inv.from === 'bastion' || inv.from === 'laptop' || inv.ctx.domains.network.host(inv.from)?.kind === 'bastion';
}

/**
 * Fails as kubectl fails when the API server cannot be reached: DNS (no such host), a refused
 * local port without kubeconfig, or a dial timeout after simulated seconds (docs/endpoint-modes.md). Returns
 * the exit status, or undefined when the server is reachable.
 */
function connectOrFail(inv: ToolInvocation, retries: number): number | undefined {
  const { ctx, err, wait } = inv;
  const cluster = ctx.domains.cluster.cluster;
  const server = hasKubeconfig(inv) ? cluster?.endpoint : undefined;
  const stamp = () => {
    const d = new Date(ctx.clock.now());
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    return `E${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}000    4242 memcache.go:265]`;
  };
  if (!server) {
    for (let i = 0; i < retries; i++) {
      err(
        `${stamp()} couldn't get current server API group list: Get "http://localhost:8080/api?timeout=32s": dial tcp 127.0.0.1:8080: connect: connection refused\n`,
      );
    }
    err('The connection to the server localhost:8080 was refused - did you specify the right host or port?\n');
    return 1;
  }
  const host = endpointHost(server);
  const reach = ctx.domains.endpoint.reach(inv.from);
  if (reach.reachable) return undefined;
  const address = connectAddress(ctx, inv.from);
  const why = address ? `dial tcp ${address}:443: i/o timeout` : `dial tcp: lookup ${host}: no such host`;
  for (let i = 0; i < retries; i++) {
    if (address) wait(KUBECTL_DIAL_TIMEOUT_MS);
    err(`${stamp()} couldn't get current server API group list: Get "${server}/api?timeout=32s": ${why}\n`);
  }
  if (address && retries === 0) wait(KUBECTL_DIAL_TIMEOUT_MS);
  err(`Unable to connect to the server: ${why}\n`);
  err(`${whyUnreachable(reach)}\n`);
  return 1;
}

function version(inv: ToolInvocation, flags: Set<string>): number {
  const { ctx, out } = inv;
  if (flags.has('--client')) {
    out(`Client Version: ${CLIENT_VERSION}\nKustomize Version: ${KUSTOMIZE_VERSION}\n`);
    return 0;
  }
  out(`Client Version: ${CLIENT_VERSION}\nKustomize Version: ${KUSTOMIZE_VERSION}\n`);
  const failed = connectOrFail(inv, 0);
  if (failed !== undefined) return failed;
  const cluster = ctx.domains.cluster.cluster as ClusterRecord;
  const info = versionDocument(cluster.version);
  out(`Server Version: ${info.gitVersion}\n`);
  const skew = Math.abs(Number(info.minor.replace('+', '')) - CLIENT_MINOR);
  if (skew > 1) {
    inv.err(
      `WARNING: version difference between client (1.${CLIENT_MINOR}) and server (${info.major}.${info.minor.replace('+', '')}) exceeds the supported minor version skew of +/-1\n`,
    );
  }
  return 0;
}

function getNodes(inv: ToolInvocation, wide: boolean, only: readonly string[] = []): number {
  const failed = connectOrFail(inv, DISCOVERY_ATTEMPTS);
  if (failed !== undefined) return failed;
  const now = inv.ctx.clock.now();
  const header = wide
    ? [
        'NAME',
        'STATUS',
        'ROLES',
        'AGE',
        'VERSION',
        'INTERNAL-IP',
        'EXTERNAL-IP',
        'OS-IMAGE',
        'KERNEL-VERSION',
        'CONTAINER-RUNTIME',
      ]
    : ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'];
  const rows: string[][] = [header];
  for (const node of nodeViews(inv.ctx.domains)) {
    if (only.length && !only.includes(node.name)) continue;
    const row = [node.name, node.status, node.roles, humanDuration(now - node.createdAtMs), node.kubeletVersion];
    if (wide) {
      row.push(node.internalIp, node.externalIp ?? '<none>', node.osImage, node.kernelVersion, node.containerRuntime);
    }
    rows.push(row);
  }
  if (rows.length === 1) {
    inv.err('No resources found\n');
    return 0;
  }
  inv.out(table(rows));
  return 0;
}

function clusterInfo(inv: ToolInvocation): number {
  const failed = connectOrFail(inv, DISCOVERY_ATTEMPTS);
  if (failed !== undefined) return failed;
  const cluster = inv.ctx.domains.cluster.cluster as ClusterRecord;
  inv.out(
    `Kubernetes control plane is running at ${cluster.endpoint}\n` +
      `CoreDNS is running at ${cluster.endpoint}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\n` +
      "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n",
  );
  return 0;
}

/**
 * `kubectl version | get nodes [-o wide] | cluster-info`: they answer only when
 * the vantage reaches the API server (endpoint model, docs/endpoint-modes.md); otherwise kubectl's errors
 * after its dial timeouts in simulated time.
 */
export const kubectlTool: Tool = (inv) => {
  const { args, err } = inv;
  const positional: string[] = [];
  const flags = new Set<string>();
  let output: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '-o' || arg === '--output') {
      output = args[++i];
      if (output === undefined) {
        err(
          `error: flag needs an argument: '${arg.replace(/^-+/, '')}' in ${arg}\nSee 'kubectl ${positional[0] ?? ''} --help' for usage.\n`,
        );
        return 1;
      }
    } else if (arg.startsWith('-o=') || arg.startsWith('--output=')) output = arg.slice(arg.indexOf('=') + 1);
    else if (arg === '--client' || arg === '--short') flags.add(arg);
    else if (arg === '-A' || arg === '--all-namespaces') flags.add('-A');
    else if (arg.startsWith('-')) {
      err(
        `error: unknown flag: ${arg}\nSee 'kubectl ${positional[0] ?? ''} --help' for usage.\n`.replace(
          'kubectl  --help',
          'kubectl --help',
        ),
      );
      return 1;
    } else positional.push(arg);
  }
  const [sub, ...rest] = positional;
  if (sub === undefined) {
    inv.out(
      'kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\nSimulated commands: version, get nodes [-o wide], cluster-info\n',
    );
    return 0;
  }
  if (!SUBCOMMANDS.includes(sub)) {
    err(`error: unknown command "${sub}" for "kubectl"\n`);
    return 1;
  }
  if (sub === 'version') return version(inv, flags);
  if (sub === 'cluster-info') return clusterInfo(inv);
  const [kind, ...names] = rest;
  if (kind === undefined) {
    err(
      'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee \'kubectl get -h\' for help and examples\n',
    );
    return 1;
  }
  if (!['nodes', 'node', 'no'].includes(kind)) {
    err(`error: the server doesn't have a resource type "${kind}" in the simulator (it models: nodes)\n`);
    return 1;
  }
  if (output !== undefined && output !== 'wide') {
    err(
      `error: unable to match a printer suitable for the output format "${output}" in the simulator, allowed formats are: wide\n`,
    );
    return 1;
  }
  if (names.length) {
    const failed = connectOrFail(inv, DISCOVERY_ATTEMPTS);
    if (failed !== undefined) return failed;
    const known = new Set(nodeViews(inv.ctx.domains).map((n) => n.name));
    const missing = names.find((n) => !known.has(n));
    if (missing) {
      err(`Error from server (NotFound): nodes "${missing}" not found\n`);
      return 1;
    }
  }
  return getNodes(inv, output === 'wide', names);
};
