import type { ClusterRecord } from '../../cluster/types';
import type { Reachability } from '../../endpoint/endpoint-domain';
import type { SimContext } from '../../engine/domain';
import type { Domains } from '../../simulation';
import { type ServerVersionInfo, serverVersionInfo } from '../../versions/server-version';

/**
 * What the cluster's API server answers an anonymous client (kubernetes.io (Authenticating: anonymous requests), docs/lessons/seed-week1.md), and how
 * a client on a vantage gets there (endpoint model, docs/endpoint-modes.md). Shared by `curl`, `kubectl`, `dig`.
 */

/** `https://ABC.gr7.ap-northeast-2.eks.amazonaws.com` → `ABC.gr7.ap-northeast-2.eks.amazonaws.com`. */
export const endpointHost = (cluster: ClusterRecord): string => cluster.endpoint.replace(/^https:\/\//, '');

/** The cluster whose endpoint name is `host` (any case, trailing dot allowed), if it exists now. */
export function clusterByHost(ctx: SimContext<Domains>, host: string): ClusterRecord | undefined {
  const cluster = ctx.domains.cluster.cluster;
  if (!cluster) return undefined;
  return endpointHost(cluster).toLowerCase() === host.toLowerCase().replace(/\.$/, '') ? cluster : undefined;
}

/** `/version` as EKS serves it for the cluster's current version. */
export function versionDocument(cluster: ClusterRecord): ServerVersionInfo {
  const info = serverVersionInfo(cluster.version);
  if (info) return info;
  const [major, minor] = cluster.version.split('.');
  return {
    major: major ?? '1',
    minor: `${minor ?? '0'}+`,
    gitVersion: `v${cluster.version}.0-eks-0000000`,
    gitCommit: '0'.repeat(40),
    gitTreeState: 'clean',
    buildDate: '1970-01-01T00:00:00Z',
    goVersion: 'go1.21',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

/** The 403 `Status` the API server returns to `system:anonymous` for any non-public path (kubernetes.io (Authenticating: anonymous requests)). */
export function forbiddenStatus(path: string): string {
  const status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `forbidden: User "system:anonymous" cannot get path "${path}"`,
    reason: 'Forbidden',
    details: {},
    code: 403,
  };
  return `${JSON.stringify(status, null, 2)}\n`;
}

/** Paths `system:public-info-viewer` lets anyone read (kubernetes.io (Authenticating: anonymous requests)). */
export const PUBLIC_INFO_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);

/** The answer an anonymous GET of `path` gets: status code and body, as kube-apiserver writes them. */
export function anonymousGet(cluster: ClusterRecord, path: string): { code: number; body: string } {
  const bare = path.split('?')[0] || '/';
  if (bare === '/version' || bare === '/version/') {
    return { code: 200, body: `${JSON.stringify(versionDocument(cluster), null, 2)}\n` };
  }
  if (PUBLIC_INFO_PATHS.has(bare)) return { code: 200, body: 'ok' };
  return { code: 403, body: forbiddenStatus(bare) };
}

/** The address a client would connect to: the first address its DNS answer gives. */
export function connectAddress(ctx: SimContext<Domains>, from: string): string | undefined {
  return ctx.domains.endpoint.dnsAnswer(from).addresses[0];
}

/** One line naming the simulator's reason, printed after a tool's own timeout error. */
export function whyUnreachable(reach: Reachability): string {
  const at = reach.refusedAt ?? 'the path to the API server';
  const refused = reach.path.find((h) => !h.ok);
  const detail = refused ? `: ${refused.detail}` : '';
  const fix = reach.fix ? ` — fix: ${reach.fix}` : '';
  return `eks-sim: ${reach.client} cannot reach the API server in ${reach.mode} mode, refused at ${at}${detail}${fix}\n`;
}

/** Simulated time a TCP connect to a silently dropping host takes before Linux gives up (6 SYN retries). */
export const LINUX_CONNECT_TIMEOUT_MS = 130_000;
/** kubectl's default dial timeout (client-go's 30 s). */
export const KUBECTL_DIAL_TIMEOUT_MS = 30_000;
