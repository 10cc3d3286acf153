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
