import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { k8sReason, k8sStatus, sendK8sStatus } from './errors';
import { kubernetesVersionDocument } from './k8s-version';
import type { SessionStore } from './session-store';

/**
 * A simulated Kubernetes API server endpoint: `/k8s/<session>/<cluster>/…`
 * answers as the cluster's API server would answer `kubectl --server …` or `curl`.
 * `/version`, `/healthz`, `/livez`, `/readyz` are public (system:public-info-viewer); any
 * other path is 403 for `system:anonymous`, 401 for a bad token (kubernetes.io (Authenticating: anonymous requests), docs/lessons/seed-week1.md).
 * Whether the request gets there at all follows the session's endpoint model for the
 * vantage named by the `x-eks-sim-from` header (default: the laptop, outside the VPC).
 */
export interface K8sEndpointPluginOptions {
  readonly store: SessionStore;
}

export const VANTAGE_HEADER = 'x-eks-sim-from';

const PUBLIC_INFO_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);

/**
 * The RBAC refusal kube-apiserver gives an anonymous GET: resource paths name the resource
 * (`nodes is forbidden: … cannot list resource "nodes" in API group "" at the cluster scope`),
 * other paths name the path (`forbidden: … cannot get path "/"`).
 */
export function anonymousForbidden(path: string) {
  const core = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?([a-z0-9-]+)(?:\/([^/]+))?\/?$/.exec(path);
  const grouped = /^\/apis\/([^/]+)\/[^/]+\/(?:namespaces\/([^/]+)\/)?([a-z0-9-]+)(?:\/([^/]+))?\/?$/.exec(path);
  const user = 'User "system:anonymous"';
  if (core || grouped) {
    const [group, namespace, resource, name] = core
      ? ['', core[1], core[2] as string, core[3]]
      : [grouped?.[1] as string, grouped?.[2], grouped?.[3] as string, grouped?.[4]];
    const verb = name === undefined ? 'list' : 'get';
    const scope = namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`;
    const qualified = group ? `${resource}.${group}` : resource;
    const subject = name === undefined ? qualified : `${qualified} "${name}"`;
    return k8sStatus(
      403,
      'Forbidden',
      `${subject} is forbidden: ${user} cannot ${verb} resource "${resource}" in API group "${group}" ${scope}`,
      {
        ...(name === undefined ? {} : { name }),
        ...(group ? { group } : {}),
        kind: resource,
      },
    );
  }
  return k8sStatus(403, 'Forbidden', `forbidden: ${user} cannot get path "${path}"`, {});
}

/**
 * The simulator's own refusals (no such session or cluster, endpoint unreachable): `Status`
 * objects too, so kubectl prints the message; `details.causes` carries eks-sim's code.
 */
function notReachable(
  reply: FastifyReply,
  code: number,
  error: string,
  message: string,
  extra: Record<string, unknown> = {},
) {
  return sendK8sStatus(
    reply,
    k8sStatus(code, k8sReason(code), message, { causes: [{ reason: error, message }] }),
    extra,
  );
}

export const k8sEndpointPlugin: FastifyPluginAsync<K8sEndpointPluginOptions> = async (app, { store }) => {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const params = request.params as { session: string; cluster: string; '*'?: string };
    const path = `/${params['*'] ?? ''}`.replace(/\/{2,}/g, '/');
    const session = store.get(params.session);
    if (!session) return notReachable(reply, 404, 'SessionNotFound', `no session "${params.session}"`);
    const cluster = session.sim.domains.cluster.cluster;
    if (!cluster || cluster.name !== params.cluster) {
      return notReachable(
        reply,
        404,
        'ClusterNotFound',
        `session "${session.id}" has no cluster "${params.cluster}"${cluster ? ` (its cluster is "${cluster.name}")` : ''}: the endpoint does not resolve`,
      );
    }
    if (cluster.status === 'CREATING' || cluster.status === 'DELETING' || cluster.status === 'FAILED') {
      return notReachable(
        reply,
        503,
        'EndpointNotReady',
        `cluster ${cluster.name} is ${cluster.status}; its API server endpoint is not serving`,
      );
    }
    const fromHeader = request.headers[VANTAGE_HEADER];
    const from = typeof fromHeader === 'string' && fromHeader !== '' ? fromHeader : 'laptop';
    const network = session.sim.domains.network;
    if (typeof network.host === 'function' && !network.host(from)) {
      return notReachable(
        reply,
        400,
        'UnknownVantage',
        `${VANTAGE_HEADER}: no host "${from}" in session "${session.id}" (try laptop, bastion or a node name)`,
      );
    }
    const reach = session.sim.domains.endpoint.reach(from);
    if (!reach.reachable) {
      // The real client hangs until its dial timeout: say so, and why, at once.
      const refused = reach.path.find((hop) => !hop.ok);
      return notReachable(
        reply,
        504,
        'EndpointUnreachable',
        `Unable to connect to the server: dial tcp ${cluster.endpoint.replace(/^https:\/\//, '')}:443: i/o timeout (eks-sim: ${from} cannot reach the API server in ${reach.mode} mode, refused at ${reach.refusedAt ?? 'the path'}${refused ? `: ${refused.detail}` : ''})`,
        { reachability: reach },
      );
    }
    const authorization = request.headers.authorization;
    if (typeof authorization === 'string' && authorization !== '') {
      // An EKS token is `k8s-aws-v1.` + a presigned STS URL; the simulator has no IAM to check it against.
      if (!/^Bearer\s+k8s-aws-v1\.\S+$/.test(authorization)) {
        return sendK8sStatus(reply, k8sStatus(401, 'Unauthorized', 'Unauthorized'));
      }
    }
    if (path === '/version' || path === '/version/') return kubernetesVersionDocument(cluster.version);
    if (PUBLIC_INFO_PATHS.has(path)) return reply.type('text/plain; charset=utf-8').send('ok');
    if (typeof authorization === 'string' && authorization !== '') {
      return sendK8sStatus(
        reply,
        k8sStatus(
          404,
          'NotFound',
          'the server could not find the requested resource (eks-sim simulates only /version and the health checks)',
        ),
      );
    }
    return sendK8sStatus(reply, anonymousForbidden(path));
  };

  const schema = {
    params: {
      type: 'object',
      properties: {
        session: { type: 'string', maxLength: 64 },
        cluster: { type: 'string', maxLength: 100 },
        '*': { type: 'string', maxLength: 2048 },
      },
      required: ['session', 'cluster'],
    },
  };
  app.get('/:session/:cluster', { schema }, handler);
  app.get('/:session/:cluster/*', { schema }, handler);
};
