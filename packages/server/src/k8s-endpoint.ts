import { endpointHost, kubernetesGet, kubeStatus, whyUnreachable } from '@eks-sim/sim-core';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { identityOfToken } from './eks-token';
import { sendK8sStatus } from './errors';
import type { SessionStore } from './session-store';

/**
 * A simulated Kubernetes API server endpoint: `/k8s/<session>/<cluster>/…` answers as the
 * cluster's API server would answer `kubectl --server …` or `curl`. What it answers is
 * sim-core's answer layer (`kubernetesGet`: `/version` and the health checks public, 403 for
 * `system:anonymous` elsewhere, 401 for a bad token), for the identity the request's EKS token
 * names (eks-token.ts); this plugin only decides whether the request gets there, from the session's endpoint model for the vantage named by the
 * `x-eks-sim-from` header (default: the laptop, outside the VPC), and writes the HTTP reply.
 */
export interface K8sEndpointPluginOptions {
  readonly store: SessionStore;
}

export const VANTAGE_HEADER = 'x-eks-sim-from';

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
  return sendK8sStatus(reply, kubeStatus(code, message, { causes: [{ reason: error, message }] }), extra);
}

export const k8sEndpointPlugin: FastifyPluginAsync<K8sEndpointPluginOptions> = async (app, { store }) => {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const params = request.params as { session: string; cluster: string; '*'?: string };
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
      return notReachable(
        reply,
        504,
        'EndpointUnreachable',
        `Unable to connect to the server: dial tcp ${endpointHost(cluster.endpoint)}:443: i/o timeout (${whyUnreachable(reach)})`,
        { reachability: reach },
      );
    }
    const identity = identityOfToken(request.headers.authorization, {
      clusterName: cluster.name,
      controlKeyId: session.id,
      controlSecret: session.token,
      secretOf: (accessKeyId) => store.get(accessKeyId)?.token,
      nowMs: Date.now(),
    });
    const answer = kubernetesGet(cluster, `/${params['*'] ?? ''}`, identity);
    if ('text' in answer) return reply.code(answer.code).type('text/plain; charset=utf-8').send(answer.text);
    if (answer.code >= 400) return sendK8sStatus(reply, answer.json as { code: number });
    return reply.code(answer.code).send(answer.json);
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
