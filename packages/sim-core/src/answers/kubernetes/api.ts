import type { ClusterRecord } from '../../cluster/types';
import { anonymousForbidden, kubeStatus, unauthorized } from './status';
import { versionDocument } from './version';

/**
 * Who is asking, as the API server's authenticator sees it: no credentials (`system:anonymous`),
 * a token it accepts, or one it rejects.
 */
export type KubeIdentity = 'anonymous' | 'authenticated' | 'rejected';

/**
 * The identity an `Authorization` header carries. An EKS token is `k8s-aws-v1.` followed by a
 * presigned STS GetCallerIdentity URL (AWS EKS User Guide, "Grant IAM users access to
 * Kubernetes"; `aws eks get-token`); the simulator accepts any token of that form and rejects others.
 */
export function identityOf(authorization: string | undefined): KubeIdentity {
  if (authorization === undefined || authorization === '') return 'anonymous';
  return /^Bearer\s+k8s-aws-v1\.\S+$/.test(authorization) ? 'authenticated' : 'rejected';
}

/** Paths `system:public-info-viewer` lets anyone read (Kubernetes docs, "Using RBAC Authorization", default roles). */
export const PUBLIC_INFO_PATHS: ReadonlySet<string> = new Set(['/version', '/healthz', '/livez', '/readyz']);

/** An answer of the API server: a status code and a JSON document or a text body. */
export type KubeAnswer =
  | { readonly code: number; readonly json: unknown }
  | { readonly code: number; readonly text: string };

/** `/api/v1/nodes?limit=500`, `//version` → the path the API server routes (`/api/v1/nodes`, `/version`). */
export const requestPath = (raw: string): string => (raw.split('?')[0] ?? '').replace(/\/{2,}/g, '/') || '/';

/**
 * What the cluster's API server answers a GET of `path` from `identity`, once the request has
 * reached it (reachability is the caller's: the server's `/k8s` endpoint and the shell's
 * `curl` and `kubectl` decide that from the endpoint model). A rejected token is 401 before
 * anything else; `/version` and the health checks are public; anything else is 403 for
 * anonymous; an authenticated client finds nothing more yet: discovery
 * (`/api`, `/apis`), Tables and resources are added here, beside the paths above.
 */
export function kubernetesGet(cluster: ClusterRecord, rawPath: string, identity: KubeIdentity): KubeAnswer {
  const path = requestPath(rawPath);
  if (identity === 'rejected') return { code: 401, json: unauthorized() };
  if (path === '/version' || path === '/version/') return { code: 200, json: versionDocument(cluster.version) };
  if (PUBLIC_INFO_PATHS.has(path)) return { code: 200, text: 'ok' };
  if (identity === 'anonymous') return { code: 403, json: anonymousForbidden(path) };
  return {
    code: 404,
    json: kubeStatus(
      404,
      'the server could not find the requested resource (eks-sim simulates only /version and the health checks)',
    ),
  };
}
