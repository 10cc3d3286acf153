import { whyUnreachable } from '../../../answers/index';
import { endpointHost } from '../../../cluster/endpoint-name';
import type { ToolInvocation } from '../../tool';
import { connectAddress, KUBECTL_DIAL_TIMEOUT_MS } from '../api-server';

/** client-go's discovery retries before kubectl gives up (each one a dial timeout). */
export const DISCOVERY_ATTEMPTS = 5;

/**
 * Whether this vantage has a kubeconfig. eksctl writes one on the host that created the cluster
 * (the bastion); the laptop is taken to have run `aws eks update-kubeconfig`; nodes have none.
 */
export function hasKubeconfig(inv: ToolInvocation): boolean {
  return inv.from === 'bastion' || inv.from === 'laptop' || inv.ctx.domains.network.host(inv.from)?.kind === 'bastion';
}

/** klog's line prefix, `E0310 09:00:00.000000    4242 memcache.go:265]`, on simulated time. */
function klogStamp(inv: ToolInvocation): string {
  const d = new Date(inv.ctx.clock.now());
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `E${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}000    4242 memcache.go:265]`;
}

/**
 * Fails as kubectl fails when the API server cannot be reached: DNS (no such host), a refused
 * local port without kubeconfig, or a dial timeout after simulated seconds (docs/endpoint-modes.md). Returns
 * the exit status, or undefined when the server is reachable.
 */
export function connectOrFail(inv: ToolInvocation, retries: number): number | undefined {
  const { ctx, err, wait } = inv;
  const cluster = ctx.domains.cluster.cluster;
  const server = hasKubeconfig(inv) ? cluster?.endpoint : undefined;
  if (!server) {
    for (let i = 0; i < retries; i++) {
      err(
        `${klogStamp(inv)} couldn't get current server API group list: Get "http://localhost:8080/api?timeout=32s": dial tcp 127.0.0.1:8080: connect: connection refused\n`,
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
    err(`${klogStamp(inv)} couldn't get current server API group list: Get "${server}/api?timeout=32s": ${why}\n`);
  }
  if (address && retries === 0) wait(KUBECTL_DIAL_TIMEOUT_MS);
  err(`Unable to connect to the server: ${why}\n`);
  err(`${whyUnreachable(reach)}\n`);
  return 1;
}
