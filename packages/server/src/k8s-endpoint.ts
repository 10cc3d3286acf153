import {
  endpointHost,
  type KubeObject,
  kubernetesRequest,
  kubeStatus,
  parseJsonBounded,
  type WatchPlan,
  watchEvents,
  watchFrame,
} from '@eks-sim/sim-core';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { identityOfToken } from './eks-token';
import { sendK8sStatus } from './errors';
import { lockout, type RealClientOptions, VANTAGE_HEADER, vantageOf } from './real-client';
import type { Session } from './session';
import type { SessionStore } from './session-store';

/**
 * A simulated Kubernetes API server endpoint: `/k8s/<session>/<cluster>/…` answers as the
 * cluster's API server would answer `kubectl --server …` or `curl`. What it answers is
 * sim-core's answer layer (`kubernetesRequest`: discovery, resources as objects or Tables, the
 * writes the lessons use, `/version` and the health checks public, 403 for
 * `system:anonymous` elsewhere, 401 for a bad token), for the identity the request's EKS token
 * names (eks-token.ts); this plugin only decides whether the request gets there, from the
 * session's endpoint model for the host the client stands on (real-client.ts: the laptop by
 * default), applies writes through the session (so they are journalled), streams watches, and
 * writes the HTTP reply.
 */
export interface K8sEndpointPluginOptions {
  readonly store: SessionStore;
  /** Where real clients stand and what a locked-out one gets (real-client.ts). */
  readonly realClients: RealClientOptions;
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
  return sendK8sStatus(reply, kubeStatus(code, message, { causes: [{ reason: error, message }] }), extra);
}

export const k8sEndpointPlugin: FastifyPluginAsync<K8sEndpointPluginOptions> = async (app, { store, realClients }) => {
  const refuse = lockout(realClients);
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
    const identity = identityOfToken(request.headers.authorization, {
      clusterName: cluster.name,
      controlKeyId: session.id,
      controlSecret: session.token,
      secretOf: (accessKeyId) => store.get(accessKeyId)?.token,
      nowMs: Date.now(),
    });
    const from = vantageOf(request, identity, realClients.clientHosts);
    const network = session.sim.domains.network;
    if (typeof network.host === 'function' && !network.host(from)) {
      return notReachable(
        reply,
        400,
        'UnknownVantage',
        `${VANTAGE_HEADER} or --client-host: no host "${from}" in session "${session.id}" (try laptop, bastion or a node name)`,
      );
    }
    const reach = session.sim.domains.endpoint.reach(from);
    if (!reach.reachable) {
      const endpointHostName = endpointHost(cluster.endpoint);
      const message = await refuse(request, reply, { session, from, reach, identity, endpointHost: endpointHostName });
      if (message === null) return reply;
      return notReachable(reply, 504, 'EndpointUnreachable', message, { reachability: reach });
    }
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    const accept = request.headers.accept;
    const answer = kubernetesRequest(
      session.sim.kubeModel(),
      {
        method: request.method,
        path: `/${params['*'] ?? ''}${query}`,
        ...(accept ? { accept } : {}),
        body: request.body,
      },
      identity,
      (command) => session.apply(command),
    );
    if ('text' in answer) return reply.code(answer.code).type('text/plain; charset=utf-8').send(answer.text);
    if ('watch' in answer) return streamWatch(request, reply, session, answer.watch);
    if (answer.code >= 400) return sendK8sStatus(reply, answer.json as { code: number });
    return reply
      .code(answer.code)
      .header('content-type', answer.contentType ?? 'application/json')
      .send(Buffer.from(JSON.stringify(answer.json)));
  };

  // Patches come as strategic-merge, merge or JSON patches (kubectl cordon, scale); all are JSON.
  for (const type of [
    'application/strategic-merge-patch+json',
    'application/merge-patch+json',
    'application/json-patch+json',
    'application/apply-patch+yaml',
    'application/vnd.kubernetes.protobuf',
  ]) {
    app.addContentTypeParser(type, { parseAs: 'string' }, (_request, body, done) => {
      const parsed = parseJsonBounded(body as string);
      done(null, parsed.ok ? parsed.value : undefined);
    });
  }

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
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
  app.route({ method: [...methods], url: '/:session/:cluster', schema, handler });
  app.route({ method: [...methods], url: '/:session/:cluster/*', schema, handler });
};

/** How often a watch looks for changes to the model (it sends only when the event log grew). */
const WATCH_POLL_MS = 200;
/** The longest a watch stays open without a `timeoutSeconds` (kube-apiserver's default is 30-60 min). */
const WATCH_MAX_SECONDS = 1800;

/**
 * A watch (`kubectl get -w`, `?watch=1`): newline-delimited JSON `WatchEvent`s as the model
 * changes. Without a resourceVersion (or with "0") the current objects come first as ADDED, as
 * kube-apiserver does; with one, only later changes.
 */
function streamWatch(request: FastifyRequest, reply: FastifyReply, session: Session, plan: WatchPlan) {
  const rv = plan.query.get('resourceVersion');
  const timeout = Math.min(
    Number(plan.query.get('timeoutSeconds') ?? WATCH_MAX_SECONDS) || WATCH_MAX_SECONDS,
    WATCH_MAX_SECONDS,
  );
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
  let sim = session.sim;
  let frame: Map<string, KubeObject> = rv === undefined || rv === '0' ? new Map() : watchFrame(sim.kubeModel(), plan);
  let seenSeq = rv === undefined || rv === '0' ? -1 : sim.lastSeq;
  let headersSent = false;
  const poll = () => {
    sim = session.sim;
    if (sim.lastSeq === seenSeq) return;
    seenSeq = sim.lastSeq;
    const model = sim.kubeModel();
    const next = watchFrame(model, plan);
    for (const event of watchEvents(model, plan, frame, next, headersSent)) {
      raw.write(`${JSON.stringify(event)}\n`);
      headersSent = true;
    }
    frame = next;
  };
  poll();
  const timer = setInterval(poll, WATCH_POLL_MS);
  const end = setTimeout(() => raw.end(), timeout * 1000);
  request.raw.on('close', () => {
    clearInterval(timer);
    clearTimeout(end);
  });
  raw.on('close', () => {
    clearInterval(timer);
    clearTimeout(end);
  });
}
