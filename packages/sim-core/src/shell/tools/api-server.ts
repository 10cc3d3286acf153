import type { KubeModel } from '../../answers/index';
import { endpointHost } from '../../cluster/endpoint-name';
import type { ClusterRecord } from '../../cluster/types';
import type { ShellContext } from '../ports';

/**
 * How a client on a vantage gets to the cluster's API server (the endpoint model): the name it
 * dials, the address it connects to, and how long a dropped connection takes to give up. What
 * the API server then answers is the answer layer's (`answers/kubernetes`). Shared by `curl`,
 * `kubectl`, `dig` and `ssh`.
 */

/** The cluster whose endpoint name is `host` (any case, trailing dot allowed), if it exists now. */
export function clusterByHost(ctx: ShellContext, host: string): ClusterRecord | undefined {
  const cluster = ctx.domains.cluster.cluster;
  if (!cluster) return undefined;
  return endpointHost(cluster.endpoint).toLowerCase() === host.toLowerCase().replace(/\.$/, '') ? cluster : undefined;
}

/** The address a client would connect to: the first address its DNS answer gives. */
export function connectAddress(ctx: ShellContext, from: string): string | undefined {
  return ctx.domains.endpoint.dnsAnswer(from).addresses[0];
}

/** Simulated time a TCP connect to a silently dropping host takes before Linux gives up (6 SYN retries). */
export const LINUX_CONNECT_TIMEOUT_MS = 130_000;
/** kubectl's default dial timeout (client-go's 30 s). */
export const KUBECTL_DIAL_TIMEOUT_MS = 30_000;

/** What the Kubernetes answers read, from the shell's context: the same model the server's `/k8s` reads. */
export function kubeModelOf(ctx: ShellContext): KubeModel {
  return { ...ctx.domains, clock: ctx.clock, log: ctx.log };
}
