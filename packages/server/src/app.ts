import { MAX_CLIENT_MESSAGE_BYTES } from '@eks-sim/protocol';
import { DEFAULT_SCENARIO, type Scenario, scenarios } from '@eks-sim/sim-core';
import websocket from '@fastify/websocket';
import { Ajv } from 'ajv';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { type ApiServerTls, apiServerTls } from './api-server-tls';
import { awsEksApiPlugin } from './aws-eks-api';
import { accessKeyOfToken } from './eks-token';
import { type ClientProblem, INTERNAL_ERROR, logUnexpected, sendProblem } from './errors';
import { hostGuard, ownHostnames } from './host-guard';
import { BodyError, useBoundedJsonParser } from './json-body';
import { k8sEndpointPlugin } from './k8s-endpoint';
import { type RateLimit, RateLimiter } from './rate-limit';
import { DEFAULT_UNREACHABLE_TIMEOUT_MS } from './real-client';
import type { Session } from './session';
import { DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_SESSION_ID, SessionStore } from './session-store';
import { sessionsPlugin } from './sessions';
import { staticPlugin } from './static';
import { streamPlugin } from './stream';

export interface ServerOptions {
  /** Where journals live; null (the default here; the CLI passes `.eks-sim`) keeps sessions in memory. */
  readonly dataDir?: string | null;
  /** The default session's scenario and seed, when it is not restored from the data directory. */
  readonly scenario?: Scenario;
  readonly seed?: number;
  /** Address the server will listen on; decides which origins are its own. */
  readonly host?: string;
  /** More origins whose pages may open a stream (`http://teacher.local:3000`). */
  readonly allowedOrigins?: readonly string[];
  /** Host names besides the loopback ones (and, bound to all interfaces, this machine's addresses) that requests may name (`teacher.local`). */
  readonly allowedHosts?: readonly string[];
  /** Requests per second per client address on /api, /clusters and /k8s. */
  readonly restRateLimit?: RateLimit;
  /** Messages per second per WebSocket connection. */
  readonly wsRateLimit?: RateLimit;
  /** Stream connections per second per client address. */
  readonly wsUpgradeRateLimit?: RateLimit;
  readonly bodyLimit?: number;
  /** The built viz (`packages/viz/dist`); null serves a placeholder page. */
  readonly vizDir?: string | null;
  /** Wall ms between beats of the clock and the stream (100 → at most 10 updates a second). */
  readonly tickMs?: number;
  readonly heartbeatMs?: number;
  /**
   * Unsent bytes per stream client above which it skips deltas (default 256 KiB), below which
   * it resumes (16 KiB), and past which it is disconnected with close code 1008 (512 KiB).
   */
  readonly backpressure?: { readonly highBytes: number; readonly lowBytes: number; readonly closeBytes?: number };
  readonly maxSessions?: number;
  /** Open sessions one client address may create (POST /api/sessions needs no token). */
  readonly maxSessionsPerAddress?: number;
  /** Wall ms after which a session with no viewer and no change is closed and archived; null: never (default 24 h). */
  readonly idleTimeoutMs?: number | null;
  readonly logger?: FastifyServerOptions['logger'];
  /** Warnings (torn journal lines, restore failures); default: the fastify logger's warn. */
  readonly warn?: (message: string) => void;
  /**
   * Serve the simulated Kubernetes endpoint over HTTPS too, with a CA and certificate kept in
   * `<dataDir>/tls/` (made in memory without a data directory). The CLI turns it on; the HTTPS
   * server listens once `https.listen` is called.
   */
  readonly tls?: boolean;
  /** Where real clients stand, by access key id (`*`: any other); default the laptop (real-client.ts). */
  readonly clientHosts?: Readonly<Record<string, string>>;
  /** How long a locked-out real client's request hangs before its timeout answer (default 5 s). */
  readonly unreachableTimeoutMs?: number;
  /** The server's log lines about real clients (a refused kubectl); default: the fastify logger's info. */
  readonly notice?: (message: string) => void;
}

export interface EksSimServer {
  readonly app: FastifyInstance;
  readonly store: SessionStore;
  /** The session `eks-sim serve` prints the token of (restored or new). */
  readonly defaultSession: Session;
  /** How many sessions came back from the data directory. */
  readonly restored: number;
  /** The HTTPS listener of the simulated API server, when `tls` is on. */
  readonly https: ApiServerTls | null;
}

/** Names of fastify's own error codes, as `{ error }` words a user can read. */
const FASTIFY_ERRORS: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PayloadTooLarge',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UnsupportedMediaType',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'InvalidJSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'InvalidJSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BadRequest',
  FST_ERR_BAD_URL: 'BadRequest',
  FST_ERR_MAX_PARAM_LENGTH: 'BadRequest',
};

/** A client error (4xx) from fastify or a hook, in `/api` words; undefined for the server's own failures. */
function clientProblemOf(error: FastifyError): ClientProblem | undefined {
  if (error instanceof BodyError) return { status: 400, error: error.error, message: error.message };
  if (error.validation) {
    return { status: 400, error: 'InvalidRequest', message: error.message };
  }
  const status = error.statusCode ?? 500;
  if (status >= 500 || status < 400) return undefined;
  const name = FASTIFY_ERRORS[error.code] ?? (error instanceof SyntaxError ? 'InvalidJSON' : 'BadRequest');
  return { status, error: name, message: error.message };
}

/**
 * Validators: no type coercion for bodies (a number must be a JSON number: `"5"`, `true`
 * and `null` are not 5), and no silent dropping of unknown fields; query strings and path
 * parameters are text on the wire, so those are converted to the declared types.
 */
function validatorCompilers() {
  const common = { allErrors: false, discriminator: true, strict: false, useDefaults: true } as const;
  const strict = new Ajv({ ...common, coerceTypes: false, removeAdditional: false });
  const fromText = new Ajv({ ...common, coerceTypes: 'array', removeAdditional: true });
  return ({ schema, httpPart }: { schema: object; httpPart?: string }) =>
    (httpPart === 'body' ? strict : fromText).compile(schema);
}

/** The host names and addresses the API server's certificate covers: this machine's as the guard knows them, and `--allow-host`'s. */
function certificateHosts(host: string, allowedHosts: readonly string[]): string[] {
  return [...ownHostnames(host), ...allowedHosts].map((name) => name.replace(/^\[(.*)\]$/, '$1'));
}

/** Builds the whole server (not listening yet): sessions, stream, AWS API, Kubernetes endpoint, page. */
export async function buildServer(options: ServerOptions = {}): Promise<EksSimServer> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    // TagResource's path carries a URL-encoded ARN (up to 1011 characters, EKS API reference) as one parameter.
    routerOptions: { maxParamLength: 3 * 1011 },
    // Close idle keep-alive sockets on shutdown so `close()` does not wait for browsers.
    forceCloseConnections: true,
    // A URL the router cannot decode (`/%ff`) is answered in its surface's shape too.
    frameworkErrors: (error, request, reply) => {
      sendProblem(
        request,
        reply,
        clientProblemOf(error) ?? { status: 400, error: 'BadRequest', message: error.message },
      );
    },
  });
  app.setValidatorCompiler(validatorCompilers());
  useBoundedJsonParser(app);
  const warn = options.warn ?? ((message: string) => app.log.warn(message));
  const store = new SessionStore({
    dataDir: options.dataDir ?? null,
    maxSessions: options.maxSessions ?? 50,
    maxSessionsPerAddress: options.maxSessionsPerAddress ?? 10,
    idleTimeoutMs: options.idleTimeoutMs === undefined ? DEFAULT_IDLE_TIMEOUT_MS : options.idleTimeoutMs,
    warn,
  });
  const restored = store.restoreAll();
  let defaultSession = store.get(DEFAULT_SESSION_ID);
  if (!defaultSession) {
    const created = store.create(
      options.scenario ?? (scenarios[DEFAULT_SCENARIO] as Scenario),
      options.seed,
      DEFAULT_SESSION_ID,
    );
    if ('error' in created) throw new Error(created.message);
    defaultSession = created;
  }

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = clientProblemOf(error);
    if (problem) return sendProblem(request, reply, problem);
    logUnexpected(`${request.method} ${request.url.split('?')[0]}`, error);
    return sendProblem(request, reply, INTERNAL_ERROR);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, {
      status: 404,
      error: 'NotFound',
      message: `no route ${request.method} ${request.url.split('?')[0]}`,
    }),
  );

  const host = options.host ?? '127.0.0.1';
  const allowedHosts = options.allowedHosts ?? [];
  const refusedHost = hostGuard(host, allowedHosts);
  const limiter = new RateLimiter(options.restRateLimit ?? { perSecond: 100, burst: 200 });
  app.addHook('onRequest', async (request, reply) => {
    const refusal = refusedHost(request.headers.host);
    if (refusal) return sendProblem(request, reply, { status: 403, error: 'HostNotAllowed', message: refusal });
    const path = request.url;
    if (!(path.startsWith('/api') || path.startsWith('/clusters') || path.startsWith('/k8s'))) return;
    const verdict = limiter.take(request.ip, Date.now());
    if (verdict !== true) {
      reply.header('retry-after', String(verdict.retryAfterSeconds()));
      return sendProblem(request, reply, {
        status: 429,
        error: 'TooManyRequests',
        message: 'too many requests from this address; slow down',
      });
    }
  });

  const hostnames = ownHostnames(host);
  for (const name of allowedHosts) hostnames.add(name.toLowerCase());
  const extraOrigins = new Set((options.allowedOrigins ?? []).map((o) => o.replace(/\/$/, '')));
  const originAllowed = (origin: string): boolean => {
    if (extraOrigins.has(origin)) return true;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    if (!hostnames.has(url.hostname)) return false;
    const address = app.server.address();
    const port = address && typeof address === 'object' ? String(address.port) : null;
    const originPort = url.port || (url.protocol === 'https:' ? '443' : '80');
    return port === null || originPort === port;
  };

  let viewers: (id: string) => number = () => 0;
  await app.register(websocket, { options: { maxPayload: MAX_CLIENT_MESSAGE_BYTES } });
  await app.register(streamPlugin, {
    prefix: '/api',
    store,
    originAllowed,
    messageRate: options.wsRateLimit ?? { perSecond: 20, burst: 40 },
    upgradeRate: options.wsUpgradeRateLimit ?? { perSecond: 10, burst: 60 },
    heartbeatMs: options.heartbeatMs ?? 15_000,
    ...(options.backpressure ? { backpressure: options.backpressure } : {}),
    expose: (fn) => {
      viewers = fn;
    },
  });
  await app.register(sessionsPlugin, {
    prefix: '/api',
    store,
    commands: defaultSession.sim.commands,
    viewers: (id) => viewers(id),
  });
  const https = options.tls
    ? await apiServerTls(app, {
        dataDir: options.dataDir ?? null,
        hosts: certificateHosts(host, allowedHosts),
        warn,
        defaultSessionId: DEFAULT_SESSION_ID,
        rootTarget: (authorization) => {
          const key = accessKeyOfToken(authorization);
          const session = (key === undefined ? undefined : store.get(key)) ?? store.get(DEFAULT_SESSION_ID);
          const cluster = session?.sim.domains.cluster.cluster;
          return `/k8s/${encodeURIComponent(session?.id ?? DEFAULT_SESSION_ID)}/${encodeURIComponent(cluster?.name ?? '-')}`;
        },
      })
    : null;
  await app.register(awsEksApiPlugin, {
    store,
    defaultSessionId: DEFAULT_SESSION_ID,
    ...(https ? { apiServerOf: https.apiServerOf } : {}),
  });
  await app.register(k8sEndpointPlugin, {
    prefix: '/k8s',
    store,
    realClients: {
      clientHosts: options.clientHosts ?? {},
      unreachableTimeoutMs: options.unreachableTimeoutMs ?? DEFAULT_UNREACHABLE_TIMEOUT_MS,
      notice: options.notice ?? ((message: string) => app.log.info(message)),
    },
  });
  await app.register(staticPlugin, { root: options.vizDir ?? null });

  const tickMs = options.tickMs ?? 100;
  let ticker: NodeJS.Timeout | null = null;
  app.addHook('onReady', async () => {
    ticker = setInterval(() => store.tick(Date.now()), tickMs);
    ticker.unref();
  });
  app.addHook('onClose', async () => {
    if (ticker) clearInterval(ticker);
    store.closeAll();
  });

  return { app, store, defaultSession, restored, https };
}
