import {
  creatorIdentity,
  type KubeAnswer,
  type KubeObject,
  kubernetesRequest,
  type ResourceType,
  SHELL_ACCESS_KEY_ID,
} from '../../../answers/index';
import type { ToolInvocation } from '../../tool';
import { kubeModelOf } from '../api-server';

/**
 * How the shell's kubectl asks the API server: the same answer layer the server's `/k8s`
 * endpoint calls, as the lab's IAM user (the kubeconfig's `aws eks get-token` is the
 * cluster creator's), writes applied through the simulation's dispatcher.
 */
export function kubeCall(
  inv: ToolInvocation,
  method: string,
  path: string,
  opts: { accept?: string; body?: unknown } = {},
): KubeAnswer {
  return kubernetesRequest(
    kubeModelOf(inv.ctx),
    { method, path, ...opts },
    creatorIdentity(SHELL_ACCESS_KEY_ID),
    (command) => inv.ctx.apply(command, 'kubectl'),
  );
}

export const TABLE_ACCEPT =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

/** `/api/v1/namespaces/kube-system/pods/x`, `/apis/apps/v1/deployments`: a resource's URL. */
export function resourceUrl(r: ResourceType, namespace: string | undefined, name?: string, sub?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = r.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${r.name}${name === undefined ? '' : `/${encodeURIComponent(name)}`}${sub ? `/${sub}` : ''}`;
}

/** kubectl's line for a refused request: `Error from server (NotFound): pods "x" not found`. */
export function serverError(answer: KubeAnswer): string {
  const status = ('json' in answer ? answer.json : {}) as { reason?: string; message?: string };
  return `Error from server (${status.reason ?? 'InternalError'}): ${status.message ?? `status ${answer.code}`}\n`;
}

/** The JSON of a successful answer, or undefined (the caller prints `serverError`). */
export function okJson<T = unknown>(answer: KubeAnswer): T | undefined {
  return answer.code < 300 && 'json' in answer ? (answer.json as T) : undefined;
}

export type { KubeObject };
