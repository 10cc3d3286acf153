import type { ClusterRecord } from '../../cluster/types';
import { authorize, type KubeIdentity, requestVerb } from './identity';
import { kubeStatus } from './status';
import { versionDocument } from './version';

/** An answer of the API server: a status code and a JSON document or a text body. */
export type KubeAnswer =
  | { readonly code: number; readonly json: unknown }
  | { readonly code: number; readonly text: string };

/** `/api/v1/nodes?limit=500`, `//version` → the path the API server routes (`/api/v1/nodes`, `/version`). */
export const requestPath = (raw: string): string => (raw.split('?')[0] ?? '').replace(/\/{2,}/g, '/') || '/';

/**
 * What the cluster's API server answers a GET of `path` from `identity`, once the request has
 * reached it (reachability is the caller's: the server's `/k8s` endpoint and the shell's
 * `curl` and `kubectl` decide that from the endpoint model). Who may ask what is
 * `authorize`'s (identity.ts); an authenticated client finds nothing more yet: discovery
 * (`/api`, `/apis`), Tables and resources are added here, beside the paths above.
 */
export function kubernetesGet(cluster: ClusterRecord, rawPath: string, identity: KubeIdentity): KubeAnswer {
  const path = requestPath(rawPath);
  const refused = authorize(identity, requestVerb('GET', rawPath), path);
  if (refused) return { code: refused.code, json: refused };
  if (path === '/version' || path === '/version/') return { code: 200, json: versionDocument(cluster.version) };
  if (path === '/healthz' || path === '/livez' || path === '/readyz') return { code: 200, text: 'ok' };
  return {
    code: 404,
    json: kubeStatus(
      404,
      'the server could not find the requested resource (eks-sim simulates only /version and the health checks)',
    ),
  };
}
