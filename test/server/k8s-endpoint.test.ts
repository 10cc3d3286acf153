import { anonymousForbidden } from '@eks-sim/sim-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from './harness';

type Server = Awaited<ReturnType<typeof startServer>>;

describe('simulated Kubernetes API endpoint /k8s/<session>/<cluster>/…', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => server.stop());

  const get = (path: string, headers: Record<string, string> = {}) =>
    server.app.inject({ method: 'GET', url: `/k8s/default/myeks${path}`, headers });

  it('answers /version and refuses other paths to anonymous users exactly when the vantage can reach the endpoint', async () => {
    for (const from of ['laptop', 'bastion']) {
      const reachable = server.defaultSession.sim.domains.endpoint.reach(from).reachable;
      const version = await get('/version', { 'x-eks-sim-from': from });
      const root = await get('/', { 'x-eks-sim-from': from });
      if (reachable) {
        expect(version.statusCode).toBe(200);
        expect(version.json().gitVersion).toMatch(/^v1\.28\.\d+-eks-[0-9a-f]{7}$/);
        expect(version.json().platform).toBe('linux/amd64');
        expect(root.statusCode).toBe(403);
        expect(root.json()).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
        expect(root.json().message).toBe('forbidden: User "system:anonymous" cannot get path "/"');
      } else {
        expect(version.statusCode).toBe(504);
        expect(version.json().message).toContain('i/o timeout');
        expect(version.json().reachability.reachable).toBe(false);
      }
    }
  });

  it('kubectl discovery (/api, /apis) without credentials gets the Status EKS sends, so kubectl prints its message', async () => {
    // The Accept header and query kubectl 1.30+ send on discovery (aggregated discovery first).
    const accept =
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    for (const path of ['/api', '/apis']) {
      const res = await get(`${path}?timeout=32s`, { accept, 'user-agent': 'kubectl/v1.31.0 (linux/amd64)' });
      expect(res.statusCode).toBe(403);
      // Exactly application/json, no charset: what kube-apiserver sends and client-go decodes as a Status.
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.json()).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `forbidden: User "system:anonymous" cannot get path "${path}"`,
        reason: 'Forbidden',
        details: {},
        code: 403,
      });
    }
  });

  it('a private-only endpoint refuses the laptop here too, naming the hop that refused', async () => {
    const headers = { authorization: `Bearer ${server.defaultSession.token}` };
    await server.app.inject({
      method: 'POST',
      url: '/api/sessions/default/commands',
      headers,
      payload: { type: 'endpoint.update', public: false, private: true },
    });
    await server.app.inject({
      method: 'POST',
      url: '/api/sessions/default/clock',
      headers,
      payload: { action: 'step', ms: 3_600_000 },
    });
    expect(server.defaultSession.sim.snapshot().cluster?.resourcesVpcConfig.endpointPublicAccess).toBe(false);
    const res = await get('/version');
    expect(res.statusCode).toBe(504);
    expect(res.json().reachability.refusedAt).toBeTruthy();
  });

  it('an unknown cluster, session or vantage is a clear 4xx', async () => {
    expect((await server.app.inject({ method: 'GET', url: '/k8s/default/other/version' })).statusCode).toBe(404);
    expect((await server.app.inject({ method: 'GET', url: '/k8s/nope/myeks/version' })).statusCode).toBe(404);
    const vantage = await get('/version', { 'x-eks-sim-from': 'mars' });
    expect(vantage.statusCode).toBe(400);
    expect(vantage.json().message).toContain('mars');
  });
});

describe('what kube-apiserver tells system:anonymous (kubernetes.io (Authenticating: anonymous requests))', () => {
  it('names the path for non-resource URLs', () => {
    expect(anonymousForbidden('/').message).toBe('forbidden: User "system:anonymous" cannot get path "/"');
    expect(anonymousForbidden('/metrics').message).toBe(
      'forbidden: User "system:anonymous" cannot get path "/metrics"',
    );
  });

  it('names the verb, resource, group and scope for resource URLs', () => {
    expect(anonymousForbidden('/api/v1/nodes').message).toBe(
      'nodes is forbidden: User "system:anonymous" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    expect(anonymousForbidden('/api/v1/namespaces/kube-system/pods').message).toBe(
      'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "kube-system"',
    );
    expect(anonymousForbidden('/api/v1/namespaces/default').message).toBe(
      'namespaces "default" is forbidden: User "system:anonymous" cannot get resource "namespaces" in API group "" at the cluster scope',
    );
    expect(anonymousForbidden('/apis/apps/v1/namespaces/default/deployments').message).toBe(
      'deployments.apps is forbidden: User "system:anonymous" cannot list resource "deployments" in API group "apps" in the namespace "default"',
    );
  });
});
