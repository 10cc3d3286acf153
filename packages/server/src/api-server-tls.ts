import { createServer, type Server } from 'node:https';
import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hostnameOf } from './host-guard';
import { certificateNames, loadTls } from './tls';

/**
 * The simulated API server over HTTPS, as EKS serves it: a second listener (default: the HTTP
 * port + 443, so 3443) in front of the same fastify app, with the certificate of tls.ts. Real
 * clients reach the default session's cluster at `https://127.0.0.1:3443` and another
 * session's at `https://127.0.0.1:3443/k8s/<session>/<cluster>`: the endpoint the server's
 * DescribeCluster gives in place of the realistic `https://<id>.gr7.<region>.eks.amazonaws.com`
 * (docs/api.md), with the CA as `certificateAuthority.data`; so `aws eks update-kubeconfig
 * --endpoint-url http://127.0.0.1:3000` writes a kubeconfig that works.
 */
export interface ApiServerTls {
  readonly server: Server;
  /** PEM of the CA clients trust (the cluster's `certificateAuthority`, decoded). */
  readonly caPem: string;
  /** Listens on `port` (0: a free one) at `host`; resolves to the port. */
  listen(port: number, host: string): Promise<number>;
  /** Where a real client reaches a cluster's API server, as DescribeCluster tells it; undefined before `listen`. */
  apiServerOf(request: FastifyRequest, sessionId: string, clusterName: string): ApiServerAddress | undefined;
}

/** What replaces a Cluster's `endpoint` and `certificateAuthority.data` for clients outside the simulation. */
export interface ApiServerAddress {
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
}

const isWildcard = (host: string): boolean => host === '0.0.0.0' || host === '::' || host === '';

export interface ApiServerTlsOptions {
  readonly dataDir: string | null;
  /** Host names and addresses the certificate must cover. */
  readonly hosts: readonly string[];
  readonly warn: (message: string) => void;
  /**
   * The `/k8s/<session>/<cluster>` a request at the root is for, from its `Authorization`
   * header: the session its token's access key names, else the default session.
   */
  readonly rootTarget: (authorization: string | undefined) => string;
  /** The default session's id: its cluster is served at the root. */
  readonly defaultSessionId: string;
}

export async function apiServerTls(app: FastifyInstance, options: ApiServerTlsOptions): Promise<ApiServerTls> {
  const { dataDir, hosts, warn, rootTarget, defaultSessionId } = options;
  const material = await loadTls(dataDir === null ? null : join(dataDir, 'tls'), certificateNames(hosts), warn);
  // The port is the API server's: a path outside /k8s/ is the Kubernetes API at the root, where
  // kubectl also sends `get --raw /api/…` (a raw request drops the server URL's path).
  // Every request then goes through the same app: its hooks (host guard, rate limit), its routes.
  const server = createServer({ key: material.keyPem, cert: material.certPem }, (req, res) => {
    if (!req.url?.startsWith('/k8s/')) {
      const header = req.headers.authorization;
      req.url = `${rootTarget(typeof header === 'string' ? header : undefined)}${req.url ?? '/'}`;
    }
    app.routing(req, res);
  });
  let bound: { host: string; port: number } | null = null;
  app.addHook('onClose', async () => {
    if (!server.listening) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const certificateAuthorityData = Buffer.from(material.caPem).toString('base64');
  return {
    server,
    caPem: material.caPem,
    async listen(port, host) {
      await app.ready();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address();
      bound = { host, port: address && typeof address === 'object' ? address.port : port };
      return bound.port;
    },
    apiServerOf(request, sessionId, clusterName) {
      if (!bound) return undefined;
      // Bound to one address, that address (a name like localhost may resolve to ::1 first);
      // bound to all, the name the client used to reach this server (a classroom's LAN address).
      const name = isWildcard(bound.host)
        ? hostnameOf(request.headers.host ?? '127.0.0.1')
        : bound.host.includes(':')
          ? `[${bound.host}]`
          : bound.host;
      const path =
        sessionId === defaultSessionId
          ? ''
          : `/k8s/${encodeURIComponent(sessionId)}/${encodeURIComponent(clusterName)}`;
      return { endpoint: `https://${name}:${bound.port}${path}`, certificateAuthorityData };
    },
  };
}
