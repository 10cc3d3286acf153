/**
 * Kubernetes `Status` objects (k8s.io/apimachinery `metav1.Status`), as kube-apiserver writes
 * them for a refused request; kubectl and client-go print their `message`.
 */
export interface KubeStatus {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, never>;
  readonly status: 'Failure';
  readonly message: string;
  readonly reason: string;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly code: number;
}

/** `Status.reason` for each HTTP status (`metav1.StatusReason`). */
const REASON: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export const kubeReason = (code: number): string => REASON[code] ?? (code >= 500 ? 'InternalError' : 'BadRequest');

export function kubeStatus(code: number, message: string, details?: Record<string, unknown>): KubeStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: kubeReason(code),
    ...(details ? { details } : {}),
    code,
  };
}

/** A token the authenticator rejects: 401 before any authorization (Kubernetes docs, "Authenticating"). */
export const unauthorized = (): KubeStatus => kubeStatus(401, 'Unauthorized');

/**
 * The RBAC refusal kube-apiserver gives `system:anonymous`: a resource path names the verb,
 * resource, group and scope (`nodes is forbidden: User "system:anonymous" cannot list resource
 * "nodes" in API group "" at the cluster scope`); any other path names the path (`forbidden:
 * User "system:anonymous" cannot get path "/"`). These are the texts of the API server's
 * authorizer (kubernetes/kubernetes, staging/src/k8s.io/apiserver/pkg/endpoints/handlers/
 * responsewriters/errors.go, `forbiddenMessage`), as EKS returns them to an unauthenticated client.
 */
export function anonymousForbidden(path: string): KubeStatus {
  const core = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?([a-z0-9-]+)(?:\/([^/]+))?\/?$/.exec(path);
  const grouped = /^\/apis\/([^/]+)\/[^/]+\/(?:namespaces\/([^/]+)\/)?([a-z0-9-]+)(?:\/([^/]+))?\/?$/.exec(path);
  const user = 'User "system:anonymous"';
  if (!core && !grouped) return kubeStatus(403, `forbidden: ${user} cannot get path "${path}"`, {});
  const [group, namespace, resource, name] = core
    ? ['', core[1], core[2] as string, core[3]]
    : [grouped?.[1] as string, grouped?.[2], grouped?.[3] as string, grouped?.[4]];
  const verb = name === undefined ? 'list' : 'get';
  const scope = namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`;
  const qualified = group ? `${resource}.${group}` : resource;
  const subject = name === undefined ? qualified : `${qualified} "${name}"`;
  return kubeStatus(
    403,
    `${subject} is forbidden: ${user} cannot ${verb} resource "${resource}" in API group "${group}" ${scope}`,
    { ...(name === undefined ? {} : { name }), ...(group ? { group } : {}), kind: resource },
  );
}
